import datetime
import zoneinfo

from django.conf import settings
from django.db import migrations, models


def fill_days(apps, schema_editor):
    Slot = apps.get_model("kalender", "Slot")
    tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    for slot in Slot.objects.only("pk", "start").iterator(chunk_size=2000):
        Slot.objects.filter(pk=slot.pk).update(day=slot.start.astimezone(tz).date())


class Migration(migrations.Migration):
    dependencies = [("kalender", "0003_slot_audience")]

    operations = [
        migrations.AddField(
            model_name="slot",
            name="day",
            field=models.DateField(default=datetime.date(2000, 1, 1), verbose_name="day"),
            preserve_default=False,
        ),
        migrations.RunPython(fill_days, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="slot",
            index=models.Index(
                fields=["public", "start", "end", "day", "details"], name="kalender_slot_public_day"
            ),
        ),
    ]
