"""Each post's category becomes its theme, and a saved search's stored ``category`` filter
becomes a ``theme`` filter (its digests keep finding the same posts). A code finds its theme
by slug, by name or through a synonym (``frivillig_blocks.themes``: sport → Idræt og
motion, social → Socialt samvær, children → Børn og familie, culture → Kultur, nature →
Natur og miljø, practical → Praktisk hjælp, learning → Læring og lektier, other → Andet);
a theme no longer there is made again."""

from django.db import migrations

#: The old codes with their Danish labels (a theme made anew gets the seeded name).
CATEGORIES = {
    "sport": "Idræt og motion",
    "social": "Socialt samvær",
    "children": "Børn og familie",
    "culture": "Kultur",
    "nature": "Natur og miljø",
    "practical": "Praktisk hjælp",
    "learning": "Læring og lektier",
    "other": "Andet",
}


def forwards(apps, schema_editor):
    from frivillig_blocks import themes

    Theme = apps.get_model("frivillig_blocks", "Theme")
    Post = apps.get_model("boers", "Post")
    SavedSearch = apps.get_model("boers", "SavedSearch")
    codes = set(Post.objects.values_list("category", flat=True).distinct())
    codes |= {
        s.query.get("category")
        for s in SavedSearch.objects.all()
        if isinstance(s.query, dict) and isinstance(s.query.get("category"), str)
    }
    found = {}
    for code in sorted(c for c in codes if c):
        found[code] = themes.find_or_create(Theme, name=CATEGORIES.get(code, code), slug=code)
    for code, theme in found.items():
        Post.objects.filter(category=code).update(theme=theme)
    for saved in SavedSearch.objects.all():
        query = saved.query if isinstance(saved.query, dict) else {}
        if "category" not in query:
            continue
        query = dict(query)
        theme = found.get(query.pop("category"))
        if theme is not None and "theme" not in query:
            query["theme"] = theme.slug
        saved.query = query
        saved.save(update_fields=["query"])


def backwards(apps, schema_editor):
    """Best effort: a theme that one of the old codes means gives its code back."""
    from frivillig_blocks import themes

    Theme = apps.get_model("frivillig_blocks", "Theme")
    Post = apps.get_model("boers", "Post")
    SavedSearch = apps.get_model("boers", "SavedSearch")
    code_of = {}
    for code, name in CATEGORIES.items():
        theme = themes.find(Theme, code) or themes.find(Theme, name)
        if theme is not None:
            code_of.setdefault(theme.pk, code)
            code_of.setdefault(theme.slug, code)
    for theme_id, code in code_of.items():
        if isinstance(theme_id, int):
            Post.objects.filter(theme_id=theme_id).update(category=code)
    Post.objects.filter(category="").update(category="other")
    for saved in SavedSearch.objects.all():
        query = dict(saved.query) if isinstance(saved.query, dict) else {}
        if "theme" in query:
            code = code_of.get(query.pop("theme"))
            if code:
                query["category"] = code
            saved.query = query
            saved.save(update_fields=["query"])


class Migration(migrations.Migration):
    dependencies = [("boers", "0004_post_theme")]

    operations = [migrations.RunPython(forwards, backwards)]
