"""The prize for the Frivilligkoordinator group (rounds, nominations, paper votes), and a
group for jury members: admin access only; what they see is decided by the round's jury."""

from django.db import migrations

JURY_GROUP = "Initiativpris-jury"


def forwards(apps, schema_editor):
    from frivillig_blocks.migrations import _helpers as h

    Group = apps.get_model("auth", "Group")
    coordinator = Group.objects.filter(name="Frivilligkoordinator").first()
    if coordinator is not None:
        perms = h.model_permissions(apps, "initiativpris", "prizeround")
        perms += h.model_permissions(apps, "initiativpris", "nomination", ("change", "delete", "view"))
        perms += h.model_permissions(apps, "initiativpris", "vote", ("view",))
        perms.append(
            h.permission(apps, "initiativpris", "prizeround", "enter_paper_votes", "Can enter paper votes")
        )
        coordinator.permissions.add(*perms)
    jury, _ = Group.objects.get_or_create(name=JURY_GROUP)
    jury.permissions.add(h.permission(apps, "wagtailadmin", "admin", "access_admin", "Can access Wagtail admin"))


class Migration(migrations.Migration):
    dependencies = [
        ("initiativpris", "0001_initial"),
        ("frivillig_blocks", "0002_staff_groups"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
