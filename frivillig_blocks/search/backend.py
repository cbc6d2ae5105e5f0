"""The site's Wagtail search backend: Wagtail's own database backend (PostgreSQL's full-text
search, or SQLite's FTS5), with two additions for Danish.

- On PostgreSQL the text is read in the ``danish`` configuration (stemming and stop words)
  unless ``SEARCH_CONFIG`` says otherwise.
- Whenever Wagtail indexes objects, the words of their search fields are added to the
  search's vocabulary (models.SearchWord), and a full ``update_index`` starts it afresh.
  The query side (search/vocabulary.py) reads it for word forms, compounds and typos.

The public search runs each source's queryset with all its ORM filters (a database backend
runs them in the same database), so this backend does not ask for an ``index.FilterField``
per filtered column, as a backend on a separate search server must.

Settings: ``WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "frivillig_blocks.search.backend"}}``.
"""

from __future__ import annotations

from django.db import connection
from modelsearch.backends.database import SearchBackend as database_backend
from modelsearch.index import AutocompleteField, RelatedFields, SearchField

from . import vocabulary


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


def _with_vocabulary(index_class):
    class DanishIndex(index_class):
        def add_items(self, model, objs):
            objs = list(objs)
            super().add_items(model, objs)
            fields = model.get_search_fields()
            vocabulary.add_texts(text for obj in objs for text in _texts(obj, fields))

        def reset(self):
            super().reset()
            vocabulary.clear()

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
