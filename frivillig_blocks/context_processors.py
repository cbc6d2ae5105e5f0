"""The municipality's details for every template (cached, see layout.py)."""

from django.utils.functional import SimpleLazyObject

from . import layout


def municipality(request):
    return {"municipality": SimpleLazyObject(lambda: layout.municipality(request))}
