"""Moderation of the exchange for the Frivilligkoordinator group."""

from django.db import migrations

MODELS = [
    "post",
    "area",
    "conversation",
    "message",
    "report",
    "block",
    "verifiedassociation",
    "savedsearch",
    "outcometally",
]


def forwards(apps, schema_editor):
    from frivillig_blocks.migrations import _helpers as h

    Group = apps.get_model("auth", "Group")
    group = Group.objects.filter(name="Frivilligkoordinator").first()
    if group is None:
        return
    perms = []
    for model in MODELS:
        perms += h.model_permissions(apps, "boers", model)
    group.permissions.add(*perms)


class Migration(migrations.Migration):
    dependencies = [
        ("boers", "0001_initial"),
        ("frivillig_blocks", "0002_staff_groups"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
