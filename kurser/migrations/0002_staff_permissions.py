"""The Kursusansvarlige group gets the courses' permissions; the Frivilligkoordinator may
see the needs and the participants."""

from django.db import migrations

MODELS = [
    "course",
    "session",
    "meeting",
    "registration",
    "evaluation",
    "competencearea",
    "competenceneed",
]


def forwards(apps, schema_editor):
    from frivillig_blocks.migrations import _helpers as h

    Group = apps.get_model("auth", "Group")
    admin_access = h.permission(apps, "wagtailadmin", "admin", "access_admin")
    course_staff = Group.objects.filter(name="Kursusansvarlige").first()
    if course_staff is not None:
        perms = [admin_access]
        for model in MODELS:
            perms += h.model_permissions(apps, "kurser", model)
        course_staff.permissions.add(*perms)
    coordinator = Group.objects.filter(name="Frivilligkoordinator").first()
    if coordinator is not None:
        coordinator.permissions.add(
            *[
                h.permission(apps, "kurser", model, f"view_{model}", f"Can view {model}")
                for model in ("registration", "competenceneed", "evaluation", "course", "session")
            ]
        )


class Migration(migrations.Migration):
    dependencies = [
        ("kurser", "0001_initial"),
        ("frivillig_blocks", "0002_staff_groups"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
