"""Kommunikatører and the Frivilligkoordinator review calendar events and edit the
calendar's snippets; a few categories to start with."""

from django.db import migrations

SNIPPETS = ["category", "schoolholiday", "trustedorganiser", "venuecontact"]
CATEGORIES = [
    ("Kultur", "kultur"),
    ("Sport og motion", "sport"),
    ("Natur og miljø", "natur"),
    ("Socialt samvær", "socialt"),
    ("Børn og familie", "boern-familie"),
    ("Møder og foredrag", "moeder"),
    ("Marked og fest", "marked-fest"),
]


def forwards(apps, schema_editor):
    from frivillig_blocks.migrations import _helpers as h

    Group = apps.get_model("auth", "Group")
    perms = [h.permission(apps, "kalender", "eventdetails", "review_eventdetails", "Can review calendar events")]
    perms += h.model_permissions(apps, "kalender", "eventdetails")
    for model in SNIPPETS:
        perms += h.model_permissions(apps, "kalender", model)
    for name in ("Kommunikatører", "Frivilligkoordinator"):
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.add(*perms)
    Category = apps.get_model("kalender", "Category")
    for order, (name, slug) in enumerate(CATEGORIES):
        Category.objects.get_or_create(slug=slug, defaults={"name": name, "sort_order": order})


class Migration(migrations.Migration):
    dependencies = [
        ("kalender", "0001_initial"),
        ("frivillig_blocks", "0002_staff_groups"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
