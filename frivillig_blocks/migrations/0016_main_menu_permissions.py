"""The web editors (Kommunikatører) edit the main menu (Settings → Main menu)."""

from django.db import migrations

from ._helpers import permission

KOMMUNIKATOERER = "Kommunikatører"


def grant(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.filter(name=KOMMUNIKATOERER).first()
    if group is None:
        return
    group.permissions.add(
        permission(apps, "frivillig_blocks", "mainmenusettings", "change_mainmenusettings"),
        permission(apps, "frivillig_blocks", "mainmenusettings", "view_mainmenusettings"),
    )


def revoke(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.filter(name=KOMMUNIKATOERER).first()
    if group is not None:
        group.permissions.remove(
            *apps.get_model("auth", "Permission").objects.filter(
                content_type__app_label="frivillig_blocks",
                codename__in=["change_mainmenusettings", "view_mainmenusettings"],
            )
        )


class Migration(migrations.Migration):
    dependencies = [("frivillig_blocks", "0015_findable_settings")]

    operations = [migrations.RunPython(grant, revoke)]
