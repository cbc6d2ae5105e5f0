"""The directory's reading side: which live associations and initiatives match a filter, in
which order, and one page of them with everything the list shows.

No HTTP here. The number of queries does not grow with the data:

1. two light queries fetch ``(pk, name)`` of every match, one per model;
2. the merged list is sorted and paginated in Python (the same order on SQLite and
   PostgreSQL, Danish letters last: … x y z æ ø å);
3. only the rows of the shown page are loaded, with their age groups, themes and logo
   (and the logo's rendition) prefetched: at most eight queries, whatever the page holds.

A municipality's directory holds hundreds of rows, not millions, so step 1 is cheap; it
keeps the sort identical on both databases and the paging exact across the two models.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from operator import attrgetter
from typing import Literal

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, Q, QuerySet
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.images import get_image_model

from ..models import Association, Initiative
from ..models.taxonomy import AGE_GROUP_CHOICES

PER_PAGE = 20
MAX_TEXT_LENGTH = 200
# The logo's rendition in the list and on the detail page (prefetched with the logo).
LOGO_FILTER = "max-160x80"

Kind = Literal["association", "initiative"]
KIND_ORDER: dict[str, int] = {"association": 0, "initiative": 1}
KIND_LABELS = {"association": _("Association"), "initiative": _("Initiative")}
AGE_GROUP_LABELS = dict(AGE_GROUP_CHOICES)

# A slug as the models accept it (SlugField with allow_unicode): anything else cannot match,
# and is not sent to the database at all (PostgreSQL refuses NUL characters, for one).
SLUG_RE = re.compile(r"^[-\w]{1,200}\Z")
# Everything but line breaks and tabs below U+0020, and DEL: never part of a search.
CONTROL_CHARS_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class DirectoryFilter:
    """What the visitor asked for. Within a dimension any value matches (an association for
    children *or* youth); the dimensions and the text all have to match."""

    age_groups: frozenset[str] = frozenset()  # AgeGroup.code
    themes: frozenset[str] = frozenset()  # Theme.slug
    text: str = ""

    @property
    def is_empty(self) -> bool:
        return not (self.age_groups or self.themes or self.text)


@dataclass(frozen=True)
class EntryKey:
    """One match before it is loaded: what the merged list is sorted and paginated by."""

    sort_key: tuple
    kind: str
    pk: int


@dataclass
class DirectoryEntry:
    """An association or an initiative as the directory shows it."""

    kind: Kind
    obj: Association | Initiative
    url: str = ""

    @property
    def name(self) -> str:
        return self.obj.name

    @property
    def slug(self) -> str:
        return self.obj.slug

    @property
    def kind_label(self):
        return KIND_LABELS[self.kind]

    @property
    def is_association(self) -> bool:
        return self.kind == "association"

    @property
    def text(self) -> str:
        """The purpose of an association, the description of an initiative."""
        return self.obj.purpose if self.is_association else self.obj.description

    @property
    def logo(self):
        return getattr(self.obj, "logo", None)

    @cached_property
    def age_groups(self) -> list[str]:
        """Labels in the visitor's language (the rows hold the Danish names)."""
        return [AGE_GROUP_LABELS.get(group.code, group.name) for group in self.obj.age_groups.all()]

    @cached_property
    def themes(self) -> list[str]:
        return [theme.name for theme in self.obj.themes.all()]

    @property
    def website(self) -> str:
        """The website only when it is an http(s) address: a link never runs script."""
        website = (self.obj.website or "").strip()
        return website if website.lower().startswith(("https://", "http://")) else ""

    @property
    def has_contact(self) -> bool:
        return bool(self.obj.contact_name or self.obj.email or self.obj.phone or self.website)


@dataclass
class DirectoryResult:
    page: Page  # its object_list holds DirectoryEntry objects
    count: int


# --- Pure helpers ---------------------------------------------------------------------------

_DANISH_LAST = str.maketrans({"æ": "\U0010fff0", "ø": "\U0010fff1", "å": "\U0010fff2"})
_COMBINING_MARKS_RE = re.compile("[\u0300-\u036f]")


def danish_sort_key(name: str) -> tuple:
    """Sort key of a name in Danish alphabetical order, the same on every database:
    case-insensitive, accents ignored (é as e), and æ, ø, å (ä, ö as æ, ø) after z."""
    folded = name.casefold().strip()
    if not folded.isascii():
        folded = folded.replace("ä", "æ").replace("ö", "ø").translate(_DANISH_LAST)
        folded = _COMBINING_MARKS_RE.sub("", unicodedata.normalize("NFKD", folded))
    return (folded, name)


def normalise_text(text: str | None) -> str:
    """The search text with control characters out and runs of spaces made one."""
    return " ".join(CONTROL_CHARS_RE.sub("", text or "").split())


def clean_text(text: str | None) -> str:
    """The search text as searched: normalised, at most MAX_TEXT_LENGTH characters."""
    return normalise_text(text)[:MAX_TEXT_LENGTH]


def text_variants(text: str) -> list[str]:
    """The text and its lower, upper, title and capitalised forms.

    PostgreSQL's ``icontains`` ignores case in every letter, SQLite's only in ASCII letters,
    so "ældre" would not find "Ældre Sagen" there. Searching the usual case forms as well
    makes the result the same on both databases; on PostgreSQL they change nothing."""
    variants = [text, text.lower(), text.upper(), text.title(), text.capitalize()]
    return list(dict.fromkeys(variants))


def page_number(raw: str | None) -> int:
    """The requested page: 1 for anything that is not a positive whole number; a number
    beyond the last page comes back as is (the paginator then shows the last page)."""
    raw = (raw or "").strip()
    if not raw.isascii() or not raw.isdigit():
        return 1
    if len(raw) > 18:
        return sys.maxsize
    return max(int(raw), 1)


# --- Queries --------------------------------------------------------------------------------


def _filtered(
    queryset: QuerySet, directory_filter: DirectoryFilter, text_fields: Iterable[str]
) -> QuerySet:
    model = queryset.model
    queryset = queryset.filter(live=True)
    if directory_filter.age_groups:
        queryset = queryset.filter(
            pk__in=model.objects.filter(
                age_groups__code__in=sorted(directory_filter.age_groups)
            ).values("pk")
        )
    if directory_filter.themes:
        queryset = queryset.filter(
            pk__in=model.objects.filter(themes__slug__in=sorted(directory_filter.themes)).values(
                "pk"
            )
        )
    if directory_filter.text:
        condition = Q()
        for variant in text_variants(directory_filter.text):
            for name in text_fields:
                condition |= Q(**{f"{name}__icontains": variant})
        queryset = queryset.filter(condition)
    return queryset


def matching_associations(directory_filter: DirectoryFilter) -> QuerySet:
    return _filtered(Association.objects.all(), directory_filter, ("name", "purpose"))


def matching_initiatives(directory_filter: DirectoryFilter) -> QuerySet:
    return _filtered(Initiative.objects.all(), directory_filter, ("name", "description"))


def matching_keys(directory_filter: DirectoryFilter) -> list[EntryKey]:
    """Every match of both kinds, sorted by name (two queries)."""
    keys = [
        EntryKey((*danish_sort_key(name), KIND_ORDER["association"], pk), "association", pk)
        for pk, name in matching_associations(directory_filter).order_by().values_list("pk", "name")
    ]
    keys += [
        EntryKey((*danish_sort_key(name), KIND_ORDER["initiative"], pk), "initiative", pk)
        for pk, name in matching_initiatives(directory_filter).order_by().values_list("pk", "name")
    ]
    keys.sort(key=attrgetter("sort_key"))
    return keys


def _logo_prefetch() -> Prefetch:
    return Prefetch("logo", queryset=get_image_model().objects.prefetch_renditions(LOGO_FILTER))


def association_queryset() -> QuerySet:
    return Association.objects.filter(live=True).prefetch_related(
        "age_groups", "themes", _logo_prefetch()
    )


def initiative_queryset() -> QuerySet:
    return Initiative.objects.filter(live=True).prefetch_related("age_groups", "themes")


def load_entries(
    keys: Iterable[EntryKey], url_for: Callable[[str], str] | None = None
) -> list[DirectoryEntry]:
    """The entries of the given keys, in their order (a query per kind and relation; none
    for a kind that is not among the keys)."""
    keys = list(keys)
    association_ids = [key.pk for key in keys if key.kind == "association"]
    initiative_ids = [key.pk for key in keys if key.kind == "initiative"]
    objects = {}
    if association_ids:
        for obj in association_queryset().filter(pk__in=association_ids):
            objects["association", obj.pk] = obj
    if initiative_ids:
        for obj in initiative_queryset().filter(pk__in=initiative_ids):
            objects["initiative", obj.pk] = obj
    entries = []
    for key in keys:
        obj = objects.get((key.kind, key.pk))
        if obj is None:  # unpublished or deleted between the two steps
            continue
        entries.append(
            DirectoryEntry(kind=key.kind, obj=obj, url=url_for(obj.slug) if url_for else "")
        )
    return entries


def directory_page(
    directory_filter: DirectoryFilter,
    *,
    number: int = 1,
    url_for: Callable[[str], str] | None = None,
    per_page: int = PER_PAGE,
) -> DirectoryResult:
    """One page of the directory for the filter; a number past the end gives the last page."""
    keys = matching_keys(directory_filter)
    paginator = Paginator(keys, per_page)
    page = paginator.get_page(number)
    page.object_list = load_entries(page.object_list, url_for)
    return DirectoryResult(page=page, count=paginator.count)


def find_entry(slug: str, url_for: Callable[[str], str] | None = None) -> DirectoryEntry | None:
    """The live association with the slug, else the live initiative with it, else None.
    (Slugs are unique per model; should an association and an initiative share one, the
    association's page is the one shown.)"""
    if not isinstance(slug, str) or not SLUG_RE.match(slug):
        return None
    for kind, queryset in (
        ("association", association_queryset()),
        ("initiative", initiative_queryset()),
    ):
        obj = queryset.filter(slug=slug).first()
        if obj is not None:
            return DirectoryEntry(kind=kind, obj=obj, url=url_for(slug) if url_for else "")
    return None
