"""The competence areas the municipality's plan names (editable in the admin)."""

from django.db import migrations

AREAS = [
    ("Bestyrelsesarbejde og regnskab", "bestyrelse-og-regnskab"),
    ("Frivilligledelse", "frivilligledelse"),
    ("Førstehjælp", "foerstehjaelp"),
    ("Innovation", "innovation"),
    ("Samarbejde med frivillige", "samarbejde-med-frivillige"),
]


def forwards(apps, schema_editor):
    CompetenceArea = apps.get_model("kurser", "CompetenceArea")
    for order, (name, slug) in enumerate(AREAS):
        CompetenceArea.objects.get_or_create(
            slug=slug, defaults={"name": name, "sort_order": order * 10}
        )


class Migration(migrations.Migration):
    dependencies = [("kurser", "0002_staff_permissions")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
