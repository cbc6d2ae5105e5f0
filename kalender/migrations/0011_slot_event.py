"""The event of each date on the slot itself (issue #22): the dates as (event, start, end)
come from the public range index alone, without a join to the event's details. The column
is added empty, filled from the details in one statement, then made required."""

import django.db.models.deletion
from django.db import migrations, models

FILL = """
UPDATE kalender_slot SET event_id = (
    SELECT d.event_id FROM kalender_eventdetails d WHERE d.id = kalender_slot.details_id
)
"""


class Migration(migrations.Migration):

    dependencies = [
        ("kalender", "0010_slot_public_partial_indexes"),
        ("schedule", "0015_rename_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="slot",
            name="event",
            field=models.ForeignKey(
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="schedule.event",
                verbose_name="event",
            ),
        ),
        migrations.RunSQL(FILL, migrations.RunSQL.noop, elidable=True),
        migrations.AlterField(
            model_name="slot",
            name="event",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="schedule.event",
                verbose_name="event",
            ),
        ),
        migrations.RemoveIndex(
            model_name="slot",
            name="kalender_slot_public_range",
        ),
        migrations.AddIndex(
            model_name="slot",
            index=models.Index(
                condition=models.Q(("public", True)),
                fields=["start", "end", "details", "event"],
                name="kalender_slot_public_range",
            ),
        ),
    ]
