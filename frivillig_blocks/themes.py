"""The one list of themes ("Temaer") that associations, initiatives, ideas, calendar events
and the exchange's posts share, and how an old word for a subject finds its theme.

The calendar's event categories and the exchange's categories were once lists of their own;
their migrations move them onto ``Theme`` with :func:`find_or_create`, and the public
filters still accept an old ``?category=`` value through :func:`resolve` (old links and
bookmarks keep working). Migrations call these with their historical ``Theme`` model, so
the functions use only ``name``, ``slug`` and ``sort_order``.
"""

from __future__ import annotations

import re

#: The starting list (sort order, name, slug), seeded once when there are no themes. The
#: coordinator edits it in the admin (Snippets › Volunteering › Themes).
SEED = [
    (10, "Idræt og motion", "idraet-og-motion"),
    (20, "Kultur", "kultur"),
    (30, "Natur og miljø", "natur-og-miljoe"),
    (40, "Socialt samvær", "socialt-samvaer"),
    (50, "Fællesskab", "faellesskab"),
    (60, "Børn og familie", "boern-og-familie"),
    (70, "Sundhed", "sundhed"),
    (80, "Historie", "historie"),
    (90, "Praktisk hjælp", "praktisk-hjaelp"),
    (100, "Læring og lektier", "laering-og-lektier"),
    (110, "Møder og foredrag", "moeder-og-foredrag"),
    (120, "Marked og fest", "marked-og-fest"),
    (130, "Andet", "andet"),
]

#: Old words for the same subject (lower case): the calendar's category slugs and names,
#: the exchange's category codes and labels, the demo's first theme names. Each maps to
#: the slug of a theme in ``SEED``.
SYNONYMS = {
    "idraet-og-motion": ["sport", "idræt", "idraet", "sport og motion", "sport and exercise"],
    "kultur": ["culture", "kultur og arrangementer", "culture and events"],
    "natur-og-miljoe": ["natur", "nature", "nature and environment"],
    "socialt-samvaer": ["socialt", "social", "social company"],
    "boern-og-familie": ["boern-familie", "children", "børn og familier", "children and families"],
    "praktisk-hjaelp": ["practical", "practical help"],
    "laering-og-lektier": ["learning", "learning and homework"],
    "moeder-og-foredrag": ["moeder"],
    "marked-og-fest": ["marked-fest"],
    "andet": ["other"],
}

_SLUG_CHARS = re.compile(r"[^\w-]+")


def _words(slug: str) -> set[str]:
    """Every lower-case word that means the theme of ``slug`` in ``SEED``: its slug, its
    name and its synonyms."""
    names = {name.lower() for _order, name, s in SEED if s == slug}
    return {slug, *names, *SYNONYMS.get(slug, ())}


def _seed_slug_of(word: str) -> str | None:
    word = word.strip().lower()
    for _order, _name, slug in SEED:
        if word in _words(slug):
            return slug
    return None


def find(Theme, word: str):
    """The theme ``word`` names: by slug, by name (any case), then through its synonyms
    (a theme named or slugged by any word of the same subject). None if none."""
    word = (word or "").strip()
    if not word:
        return None
    found = Theme.objects.filter(slug=word).first()
    if found is not None:
        return found
    # In Python: SQLite's case-insensitive match knows only ASCII (not Æ, Ø, Å).
    themes = list(Theme.objects.order_by("sort_order", "name", "pk"))
    lower = word.lower()
    for theme in themes:
        if theme.name.lower() == lower:
            return theme
    seed_slug = _seed_slug_of(word)
    if seed_slug is None:
        return None
    words = _words(seed_slug)
    for theme in themes:
        if theme.slug.lower() in words or theme.name.lower() in words:
            return theme
    return None


def _free_slug(Theme, wanted: str) -> str:
    base = _SLUG_CHARS.sub("-", wanted.lower()).strip("-")[:70] or "tema"
    slug, n = base, 2
    while Theme.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def find_or_create(Theme, *, name: str, slug: str = "", sort_order: int = 0):
    """The theme for an old category (``slug`` first, then ``name``), made if no theme
    means the same: a seeded theme if the words are its synonyms, else one of its own."""
    for word in (slug, name):
        found = find(Theme, word)
        if found is not None:
            return found
    seed_slug = _seed_slug_of(slug) or _seed_slug_of(name)
    if seed_slug is not None:
        order, seed_name = next((o, n) for o, n, s in SEED if s == seed_slug)
        if not Theme.objects.filter(name=seed_name).exists():
            return Theme.objects.create(
                name=seed_name, slug=_free_slug(Theme, seed_slug), sort_order=order
            )
    return Theme.objects.create(
        name=name[:80], slug=_free_slug(Theme, slug or name), sort_order=sort_order
    )


def seed(Theme) -> int:
    """Make the starting list when there are no themes yet; the number made."""
    if Theme.objects.exists():
        return 0
    Theme.objects.bulk_create(
        Theme(name=name, slug=slug, sort_order=order) for order, name, slug in SEED
    )
    return len(SEED)


def resolve(value: str):
    """The theme a public filter's ``theme`` or old ``category`` value names (None if none)."""
    from .models import Theme

    if not value or len(value) > 80 or _SLUG_CHARS.sub("", value) != value:
        return None
    return find(Theme, value)
