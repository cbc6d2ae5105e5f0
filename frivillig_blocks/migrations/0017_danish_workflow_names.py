"""Wagtail's default workflow and its task are named "Moderators approval" (built from the
group's English name); editors read it on the page editor's button ("Send til …"). Named in
Danish here, only while they still carry Wagtail's English name (a site's own names stay)."""

from django.db import migrations

ENGLISH = "Moderators approval"
WORKFLOW = "godkendelse"
TASK = "moderatorernes godkendelse"


def forwards(apps, schema_editor):
    apps.get_model("wagtailcore", "Workflow").objects.filter(name=ENGLISH).update(name=WORKFLOW)
    apps.get_model("wagtailcore", "Task").objects.filter(name=ENGLISH).update(name=TASK)


def backwards(apps, schema_editor):
    apps.get_model("wagtailcore", "Workflow").objects.filter(name=WORKFLOW).update(name=ENGLISH)
    apps.get_model("wagtailcore", "Task").objects.filter(name=TASK).update(name=ENGLISH)


class Migration(migrations.Migration):
    dependencies = [
        ("frivillig_blocks", "0016_main_menu_permissions"),
        ("wagtailcore", "0048_add_default_workflows"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
