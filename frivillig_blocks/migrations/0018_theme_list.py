"""Themes become the site's one subject list (calendar events and the exchange's posts use
it too): an order, and a starting list when there are no themes yet."""

from django.db import migrations, models


def seed(apps, schema_editor):
    from frivillig_blocks import themes

    themes.seed(apps.get_model("frivillig_blocks", "Theme"))


class Migration(migrations.Migration):
    dependencies = [
        ("frivillig_blocks", "0017_danish_workflow_names"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="theme",
            options={"ordering": ["sort_order", "name"], "verbose_name": "theme", "verbose_name_plural": "themes"},
        ),
        migrations.AddField(
            model_name="theme",
            name="sort_order",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="order"),
        ),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
