# The grant application's decision time (its applicant's retention runs from it) and when it
# was anonymised (#17).
from django.db import migrations, models


def decided_before(apps, schema_editor):
    """Applications decided before this field existed count from their submission (the
    earliest the decision can have been), so none is kept longer than its period."""
    GrantApplication = apps.get_model("frivillig_blocks", "GrantApplication")
    GrantApplication.objects.filter(status__in=["granted", "declined"]).update(
        decided_at=models.F("submitted_at")
    )


class Migration(migrations.Migration):
    dependencies = [("frivillig_blocks", "0010_membership_privacy")]

    operations = [
        migrations.AddField(
            model_name="grantapplication",
            name="anonymised_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="anonymised"
            ),
        ),
        migrations.AddField(
            model_name="grantapplication",
            name="decided_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="decided"
            ),
        ),
        migrations.RunPython(decided_before, migrations.RunPython.noop),
    ]
