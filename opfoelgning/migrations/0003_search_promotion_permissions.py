"""The report's "Søgninger uden resultat" links to Wagtail's promoted search results: the
two staff roles that read the report (Frivilligkoordinator, Kommunikatører) may add, change
and delete promoted results. Only when the site installs wagtail.contrib.search_promotions."""

from django.apps import apps as global_apps
from django.db import migrations

GROUPS = ["Frivilligkoordinator", "Kommunikatører"]


def forwards(apps, schema_editor):
    if not global_apps.is_installed("wagtail.contrib.search_promotions"):
        return
    from frivillig_blocks.migrations import _helpers as h

    perms = h.model_permissions(apps, "wagtailsearchpromotions", "searchpromotion")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=GROUPS):
        group.permissions.add(*perms)


class Migration(migrations.Migration):
    dependencies = [
        ("opfoelgning", "0002_search_misses"),
        ("frivillig_blocks", "0002_staff_groups"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
