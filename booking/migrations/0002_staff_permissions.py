"""Institutionsledere decide loans (of their own institutions, enforced in services);
the Frivilligkoordinator sets up institutions, rooms, equipment, closures and declarations."""

from django.db import migrations

SETUP_MODELS = ["institution", "resource", "openinghours", "closure", "declaration"]


def forwards(apps, schema_editor):
    from frivillig_blocks.migrations import _helpers as h

    Group = apps.get_model("auth", "Group")
    leaders = Group.objects.filter(name="Institutionsledere").first()
    if leaders is not None:
        leaders.permissions.add(
            h.permission(apps, "booking", "loan", "decide_loan", "Can decide loans of own institutions"),
            h.permission(apps, "booking", "loan", "view_loan", "Can view loan"),
        )
    coordinator = Group.objects.filter(name="Frivilligkoordinator").first()
    if coordinator is not None:
        perms = []
        for model in SETUP_MODELS:
            perms += h.model_permissions(apps, "booking", model)
        coordinator.permissions.add(*perms)


class Migration(migrations.Migration):
    dependencies = [
        ("booking", "0001_initial"),
        ("frivillig_blocks", "0002_staff_groups"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
