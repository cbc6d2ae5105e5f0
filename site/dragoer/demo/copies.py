"""The demo times N, for the site search: copies of every row the search reads.

``create(copies=19)`` after ``seed_demo`` gives the demo ×20 (bench/bench_search.py); the
relevance tests double it (``copies=1``) to show that a search's query count does not grow
with the data. Every row of the searched tables is copied with its children and many-to-many
links, published or not, past or upcoming, so the share of what the public may see stays the
demo's: associations and initiatives, grants, ideas, contact persons, places, institutions
with their rooms and equipment (and opening hours), calendar events with their dates,
exchange posts (and their matching terms), courses with their sessions (and meetings), and
every page below the home page (a copy of its own type, below the volunteer hub).

The copies are made with ``bulk_create`` (fast, but no signals): run ``manage.py
update_index`` afterwards so the search index holds them. Pages are the exception: they are
added one by one (the page tree needs it) and so indexed as they are made.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.apps import apps
from django.db import models, transaction


@dataclass(frozen=True)
class Table:
    """A table whose rows are copied, with the tables that hang on it by ``parent``."""

    label: str
    parent: str | None = None  # the foreign key to the table above, for a child table
    children: tuple[Table, ...] = ()


TABLES = (
    Table("frivillig_blocks.Association"),
    Table("frivillig_blocks.Initiative"),
    Table("frivillig_blocks.Grant"),
    Table("frivillig_blocks.Idea"),
    Table("frivillig_blocks.ContactPerson"),
    Table("frivillig_blocks.Place"),
    Table(
        "booking.Institution",
        children=(
            Table(
                "booking.Resource",
                "institution",
                children=(Table("booking.OpeningHours", "resource"),),
            ),
        ),
    ),
    Table(
        "schedule.Event",
        children=(
            Table("kalender.EventDetails", "event", children=(Table("kalender.Slot", "details"),)),
        ),
    ),
    Table("boers.Post", children=(Table("boers.PostTerm", "post"),)),
    Table(
        "kurser.Course",
        children=(
            Table("kurser.Session", "course", children=(Table("kurser.Meeting", "session"),)),
        ),
    ),
)

#: Wagtail's revision pointers of a snippet: a copy starts without revisions of its own.
REVISION_FIELDS = ("latest_revision", "live_revision")
BATCH_SIZE = 500


@transaction.atomic
def create(*, copies: int) -> dict[str, int]:
    """Make ``copies`` copies of every searched row; returns the rows created, by table."""
    created: dict[str, int] = {}
    for table in TABLES:
        _copy_table(table, copies, parents=None, created=created)
    created["wagtailcore.Page"] = _copy_pages(copies)
    return created


def _installed(label: str) -> bool:
    try:
        apps.get_model(label)
    except LookupError:  # the app is not installed
        return False
    return True


def _copy_table(table: Table, copies: int, parents, created: dict[str, int]) -> None:
    """Copy the rows of ``table`` (for a child table: those of the copied parents, once
    for each copy of its parent), then its children and many-to-many links."""
    if not _installed(table.label):
        return
    model = apps.get_model(table.label)
    if parents is None:
        rows = list(model.objects.order_by("pk"))
        # (copy number, original pk) -> new pk; the originals are copy 0.
        jobs = [(k, row, None) for k in range(1, copies + 1) for row in rows]
    else:
        fk = model._meta.get_field(table.parent).attname
        rows = list(model.objects.filter(**{f"{fk}__in": {pk for _k, pk in parents}}))
        jobs = [
            (k, row, parents[(k, getattr(row, fk))])
            for row in rows
            for k in range(1, copies + 1)
            if (k, getattr(row, fk)) in parents
        ]
    unique = _unique_fields(model, table.parent)
    fresh = [_copy_of(model, row, k, unique, table.parent, parent) for k, row, parent in jobs]
    made = model.objects.bulk_create(fresh, batch_size=BATCH_SIZE)
    mapping = {(k, row.pk): new.pk for (k, row, _parent), new in zip(jobs, made, strict=True)}
    created[table.label] = created.get(table.label, 0) + len(made)
    _copy_links(model, mapping, created)
    for child in table.children:
        _copy_table(child, copies, parents=mapping, created=created)


def _unique_fields(model, parent: str | None) -> set[str]:
    """The text and UUID fields that must differ between a row and its copy: those unique alone or
    in a unique set that does not include the parent (a copy has a new parent)."""
    sets = [(field.name,) for field in model._meta.concrete_fields if field.unique]
    sets += [tuple(fields) for fields in model._meta.unique_together]
    sets += [
        tuple(constraint.fields)
        for constraint in model._meta.constraints
        if isinstance(constraint, models.UniqueConstraint) and constraint.fields
    ]
    names: set[str] = set()
    for fields in sets:
        if parent in fields:
            continue
        for name in fields:
            field = model._meta.get_field(name)
            if isinstance(field, models.CharField | models.UUIDField) and not field.primary_key:
                names.add(name)
    return names


def _copy_of(model, row, k: int, unique: set[str], parent: str | None, parent_pk):
    values = {}
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        value = getattr(row, field.attname)
        if field.name in REVISION_FIELDS:
            value = None
        elif field.name == parent:
            value = parent_pk
        elif field.name in unique and isinstance(field, models.UUIDField):
            value = uuid.uuid4()
        elif field.name in unique and value:
            suffix = f"-{k}"
            value = f"{value[: field.max_length - len(suffix)]}{suffix}"
        values[field.attname] = value
    return model(**values)


def _copy_links(model, mapping: dict, created: dict[str, int]) -> None:
    """The copies' many-to-many links: the originals' links (age groups, themes, topics…)."""
    copies_of: dict[int, list[int]] = {}
    for (_k, old), new in mapping.items():
        copies_of.setdefault(old, []).append(new)
    for field in model._meta.many_to_many:
        through = field.remote_field.through
        if not through._meta.auto_created:
            continue
        source = f"{field.m2m_field_name()}_id"
        target = f"{field.m2m_reverse_field_name()}_id"
        links = through.objects.filter(**{f"{source}__in": list(copies_of)}).values_list(
            source, target
        )
        fresh = [
            through(**{source: new, target: other})
            for old, other in links
            for new in copies_of[old]
        ]
        through.objects.bulk_create(fresh, batch_size=BATCH_SIZE)
        created[through._meta.label] = created.get(through._meta.label, 0) + len(fresh)


def _copy_pages(copies: int) -> int:
    """Every live page below the home page, ``copies`` times, each of its own type (so a
    search reads as many page types as on the demo), below the volunteer hub, live and out
    of the menus."""
    from frivillig_blocks.models import HomePage, VolunteerHubPage

    hub = VolunteerHubPage.objects.order_by("path").first()
    home = HomePage.objects.order_by("path").first()
    if hub is None or home is None:
        return 0
    pages = [
        page
        for page in home.get_descendants().live().specific().order_by("path")
        if not page.slug.startswith("kopi-")
    ]
    for k in range(1, copies + 1):
        for page in pages:
            page.copy(
                to=hub,
                update_attrs={"slug": f"kopi-{k}-{page.slug}", "show_in_menus": False},
                keep_live=True,
                copy_revisions=False,
                reset_translation_key=True,
                log_action=None,
            )
    return copies * len(pages)
