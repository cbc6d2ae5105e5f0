"""The site's Wagtail search backend: Wagtail's own database backend (PostgreSQL's full-text
search, or SQLite's FTS5), with two additions for Danish.

- On PostgreSQL the text is read in the ``danish`` configuration (stemming and stop words)
  unless ``SEARCH_CONFIG`` says otherwise.
- Whenever Wagtail indexes objects, the words of their search fields are added to the
  search's vocabulary (models.SearchWord), and a full ``update_index`` starts it afresh.
  The query side (search/vocabulary.py) reads it for word forms, compounds and typos.
- Beside each of Wagtail's index entries it keeps what the results list ranks by and shows
  of the object (models.SearchEntry: the hit's title, summary and lift, from its source's
  ``entry``), written in the same ``add_items``, dropped with the entry (``delete_item``,
  stale entries) and by ``reset``; so the search reads objects only for the hits a page
  shows (engine.py).

The public search runs each source's queryset with all its ORM filters (a database backend
runs them in the same database), so this backend does not ask for an ``index.FilterField``
per filtered column, as a backend on a separate search server must.

Settings: ``WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "frivillig_blocks.search.backend"}}``.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import Exists, OuterRef
from modelsearch.backends.database import SearchBackend as database_backend
from modelsearch.index import AutocompleteField, RelatedFields, SearchField
from modelsearch.utils import get_content_type_pk, get_descendants_content_types_pks

from . import vocabulary
from .sources import Entry, entry_for


def _texts(obj, fields):
    for field in fields:
        if isinstance(field, (SearchField, AutocompleteField)):
            value = field.get_value(obj)
            if value:
                yield value if isinstance(value, str) else str(value)
        elif isinstance(field, RelatedFields):
            related = field.get_value(obj)
            if related is None:
                continue
            if hasattr(related, "all"):
                related = related.all()
            elif callable(related):
                related = [related()]
            else:
                related = [related]
            for item in related:
                yield from _texts(item, field.fields)


def _entry(describe, obj) -> Entry:
    if describe is not None:
        return describe(obj)
    return Entry(str(obj))


def keep_entries(model, objs) -> None:
    """Store the ``SearchEntry`` of each of ``objs`` (all of ``model``), replacing any."""
    from ..models import SearchEntry

    content_type_id = get_content_type_pk(model)
    describe = entry_for(model)
    rows = {}
    for obj in objs:
        entry = _entry(describe, obj)
        rows[str(obj.pk)] = SearchEntry(
            content_type_id=content_type_id,
            object_id=str(obj.pk),
            title=entry.title or "",
            summary=entry.summary or "",
            boost=entry.boost or 0.0,
        )
    if not rows:
        return
    SearchEntry.objects.filter(content_type_id=content_type_id, object_id__in=list(rows)).delete()
    SearchEntry.objects.bulk_create(rows.values(), batch_size=500)


def _with_vocabulary(index_class):
    class DanishIndex(index_class):
        def add_items(self, model, objs):
            objs = list(objs)
            super().add_items(model, objs)
            fields = model.get_search_fields()
            if not fields:
                return
            vocabulary.add_texts(text for obj in objs for text in _texts(obj, fields))
            keep_entries(model, objs)

        def delete_item(self, item):
            from ..models import SearchEntry

            super().delete_item(item)
            SearchEntry.objects.filter(
                content_type_id__in=get_descendants_content_types_pks(type(item)),
                object_id=str(item.pk),
            ).delete()

        def delete_stale_entries(self):
            from wagtail.search.models import IndexEntry

            from ..models import SearchEntry

            super().delete_stale_entries()
            indexed = IndexEntry.objects.filter(
                content_type_id=OuterRef("content_type_id"), object_id=OuterRef("object_id")
            )
            SearchEntry.objects.exclude(Exists(indexed)).delete()

        def reset(self):
            from ..models import SearchEntry

            super().reset()
            vocabulary.clear()
            SearchEntry.objects.all().delete()

    DanishIndex.__name__ = f"Danish{index_class.__name__}"
    return DanishIndex


def _without_filter_check(compiler_class):
    class Compiler(compiler_class):
        def check(self):
            # A database backend applies the queryset's filters in SQL: any filter works.
            # The fields searched and the ordering are still checked by Wagtail.
            checked = self._get_filters_from_queryset
            self._get_filters_from_queryset = lambda check_only=False: None
            try:
                super().check()
            finally:
                self._get_filters_from_queryset = checked

    Compiler.__name__ = compiler_class.__name__
    return Compiler


_classes: dict[type, type] = {}


def _danish_class(base: type) -> type:
    if base not in _classes:
        attributes = {
            "index_class": _with_vocabulary(base.index_class),
            "query_compiler_class": _without_filter_check(base.query_compiler_class),
        }
        _classes[base] = type(f"Danish{base.__name__}", (base,), attributes)
    return _classes[base]


def SearchBackend(params):
    params = dict(params)
    if connection.vendor == "postgresql":
        params.setdefault("SEARCH_CONFIG", "danish")
    base = database_backend(params)
    backend = _danish_class(type(base))(params)
    return backend
