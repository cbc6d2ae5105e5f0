"""An event's category becomes one of its themes (the site's one subject list), before the
category goes (0009). Each category finds its theme by slug, by name or through a synonym
(``frivillig_blocks.themes``); a category no theme means is made a theme of its own."""

from django.db import migrations


def _audience(age_group_ids, theme_ids) -> str:
    """``occurrences.audience_key`` as it is when this migration is written."""
    parts = [f"ag:{i}" for i in sorted(age_group_ids)] + [f"th:{i}" for i in sorted(theme_ids)]
    return f"|{'|'.join(parts)}|" if parts else ""


def forwards(apps, schema_editor):
    from frivillig_blocks import themes

    Theme = apps.get_model("frivillig_blocks", "Theme")
    Category = apps.get_model("kalender", "Category")
    EventDetails = apps.get_model("kalender", "EventDetails")
    Slot = apps.get_model("kalender", "Slot")
    Through = EventDetails.themes.through
    AgeThrough = EventDetails.age_groups.through
    changed = set()
    for category in Category.objects.order_by("sort_order", "name", "pk"):
        theme = themes.find_or_create(
            Theme, name=category.name, slug=category.slug, sort_order=category.sort_order
        )
        ids = list(EventDetails.objects.filter(category=category).values_list("pk", flat=True))
        Through.objects.bulk_create(
            [Through(eventdetails_id=pk, theme_id=theme.pk) for pk in ids],
            ignore_conflicts=True,
            batch_size=500,
        )
        changed.update(ids)
    # The slots carry the audience (age groups and themes) the soft clash check reads.
    for pk in sorted(changed):
        ages = AgeThrough.objects.filter(eventdetails_id=pk).values_list("agegroup_id", flat=True)
        theme_ids = Through.objects.filter(eventdetails_id=pk).values_list("theme_id", flat=True)
        Slot.objects.filter(details_id=pk).update(audience=_audience(ages, theme_ids))


def backwards(apps, schema_editor):
    """Best effort: an event gets back the category whose name is one of its themes'."""
    Category = apps.get_model("kalender", "Category")
    EventDetails = apps.get_model("kalender", "EventDetails")
    by_name = {c.name.lower(): c for c in Category.objects.all()}
    for details in EventDetails.objects.filter(category__isnull=True).prefetch_related("themes"):
        for theme in details.themes.all():
            category = by_name.get(theme.name.lower())
            if category is not None:
                details.category = category
                details.save(update_fields=["category"])
                break


class Migration(migrations.Migration):
    dependencies = [
        ("kalender", "0007_personal_data"),
        ("frivillig_blocks", "0018_theme_list"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
