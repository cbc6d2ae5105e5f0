"""The fixed age groups, and the one door's snippets for the staff groups."""

from django.db import migrations

AGE_GROUPS = [
    ("boern", "Børn", 10),
    ("unge", "Unge", 20),
    ("voksne", "Voksne", 30),
    ("seniorer", "Seniorer", 40),
    ("paa-tvaers", "På tværs af generationer", 50),
]
EDITORIAL = ["association", "initiative", "contactperson", "place", "grant", "idea", "theme", "topic"]
PUBLISHABLE = ["association", "initiative", "contactperson", "grant", "idea"]


def forwards(apps, schema_editor):
    from frivillig_blocks.migrations import _helpers as h

    AgeGroup = apps.get_model("frivillig_blocks", "AgeGroup")
    for code, name, order in AGE_GROUPS:
        AgeGroup.objects.update_or_create(code=code, defaults={"name": name, "sort_order": order})

    Group = apps.get_model("auth", "Group")
    perms = []
    for model in EDITORIAL:
        perms += h.model_permissions(apps, "frivillig_blocks", model)
    for model in PUBLISHABLE:
        perms.append(h.permission(apps, "frivillig_blocks", model, f"publish_{model}", f"Can publish {model}"))
    perms += h.model_permissions(apps, "frivillig_blocks", "agegroup", ("view",))
    applications = h.model_permissions(apps, "frivillig_blocks", "grantapplication", ("change", "view"))
    for name in ("Kommunikatører", "Frivilligkoordinator"):
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.add(*perms, *applications)


def backwards(apps, schema_editor):
    apps.get_model("frivillig_blocks", "AgeGroup").objects.filter(code__in=[c for c, _, _ in AGE_GROUPS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("frivillig_blocks", "0003_one_door"),
        ("frivillig_blocks", "0002_staff_groups"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
