"""Input the third-party views we mount (Wagtail's admin, allauth) cannot take.

Our own views parse their input at the edge (``parsers.py``) and answer bad values with a
Danish message in the form. The views of Wagtail and allauth are not ours to change, and a
few of them pass a value straight to the database or to ``int()``, so a hostile request
ended in a 500 (#18). This middleware refuses, before such a view runs, the classes of input
they do not handle:

* a NUL character anywhere in the path, the query or a form field: PostgreSQL's text holds
  none, so the query fails (Wagtail's page editor, a delete's ``next``, allauth's provider
  lookup) -> 400;
* an object id in the path that the view's model cannot hold (``chosen/²/`` in a chooser, a
  20-digit id) -> 404, checked with the model's own primary key field;
* a page id in the page-ordering view that names the root page, which has no parent -> 404.

A value Wagtail's or django-filter's code passes on to a query without checking it (an admin
form re-rendering a chooser with a hostile id, a page move's ``new_parent_page``, a listing
filter's 20-digit id) fails inside Django's field conversion or the database driver; such
an error, wherever it is raised, is the request's fault: 400, logged as a warning.

On the way out, no HTML page echoes a NUL back (a form re-rendering what a visitor typed):
HTML may hold none, so it is written as U+FFFD, as a browser would read it.

The checks before a view runs look only at views whose code lives in a third-party package,
so our own views keep their own, friendlier handling (the 400 for an unfit value and the
NUL on the way out apply to every view). Wagtail's front-end ``serve`` counts as ours for the query and
the forms (our page models parse them); only its path is checked.
"""

from __future__ import annotations

import json
import logging

from django.apps import apps
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.db import DataError
from django.http import HttpResponseBadRequest, HttpResponseNotFound
from django.utils.datastructures import MultiValueDictKeyError
from django.utils.translation import gettext as _

#: Packages whose views we mount but do not own.
THIRD_PARTY_PACKAGES = ("wagtail.", "allauth.", "django.contrib.")

#: Path arguments that name an object of the view's model.
OBJECT_ID_KWARGS = ("pk", "object_id")

#: The largest id a bigint column holds (PostgreSQL; SQLite's INTEGER is the same size).
MAX_ID = 2**63 - 1

PAGE_ID_KWARGS = ("page_id", "page_to_move_id", "parent_page_id", "destination_id")


logger = logging.getLogger(__name__)

#: Where Django turns a request's value into a query parameter: an error raised here means
#: the value does not fit the column.
FIELD_CONVERSION = ("get_prep_value", "to_python", "get_db_prep_value")


def _raised_in(exc: BaseException, names: tuple[str, ...], path_part: str) -> bool:
    tb = exc.__traceback__
    while tb is not None:
        code = tb.tb_frame.f_code
        if code.co_name in names and path_part in code.co_filename.replace("\\", "/"):
            return True
        tb = tb.tb_next
    return False


def is_unfit_value(exc: BaseException | None) -> bool:
    """Whether ``exc`` (or an exception it was raised from) says a request's value cannot be
    a query parameter: a field's conversion refused it, it overflows the database's integer,
    or the database refused it (a NUL in PostgreSQL's text, a number out of range)."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, DataError):
            return True
        if isinstance(exc, OverflowError) and "INTEGER" in str(exc):
            return True
        if isinstance(exc, ValueError) and "NUL (0x00)" in str(exc):
            return True
        if isinstance(exc, (ValueError, TypeError, ValidationError)) and _raised_in(
            exc, FIELD_CONVERSION, "django/db/models/fields/"
        ):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def _next_is_a_url(request) -> bool:
    """Whether the ``next`` a request carries (query or form) is a path or an http(s) URL."""
    for source in (request.GET, request.POST if request.method == "POST" else {}):
        for value in source.getlist("next") if hasattr(source, "getlist") else ():
            if value and not value.startswith(("/", "http://", "https://")):
                return False
    return True


def _view_module(view_func) -> str:
    view_class = getattr(view_func, "view_class", None)
    if view_class is not None:
        return view_class.__module__
    inner = view_func
    while hasattr(inner, "__wrapped__"):
        inner = inner.__wrapped__
    return getattr(inner, "__module__", "") or ""


#: Wagtail's front-end view hands the request to our page models, which parse their own
#: query and forms; only its path (matched against slugs in the database) is guarded.
PAGE_SERVE_MODULES = ("wagtail.views",)


def is_third_party(view_func) -> bool:
    return _view_module(view_func).startswith(THIRD_PARTY_PACKAGES)


def _has_nul(request, *, path_only: bool = False) -> bool:
    if "\x00" in request.path:
        return True
    if path_only:
        return False
    for query in (request.GET, request.POST if request.method == "POST" else None):
        if query is None:
            continue
        for key, values in query.lists():
            if "\x00" in key or any("\x00" in value for value in values):
                return True
    return False


def _view_model(view_func):
    model = (getattr(view_func, "view_initkwargs", None) or {}).get("model")
    if model is None:
        model = getattr(getattr(view_func, "view_class", None), "model", None)
    if isinstance(model, str):
        try:
            model = apps.get_model(model)
        except (LookupError, ValueError):
            return None
    # A view class may declare ``model`` as a property (Wagtail's workflow task views).
    if not (isinstance(model, type) and hasattr(model, "_meta")):
        return None
    return model


def _id_fits(field, raw: str) -> bool:
    try:
        value = field.to_python(unquote(raw))
    except (ValidationError, ValueError, TypeError, OverflowError):
        return False
    return not (isinstance(value, int) and not -MAX_ID <= value <= MAX_ID)


def _page_id_fits(raw) -> bool:
    text = str(raw)
    return text.isascii() and text.isdigit() and 0 < int(text) <= MAX_ID


class ThirdPartyInputGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            not response.streaming
            and response.get("Content-Type", "").startswith("text/html")
            and b"\x00" in response.content
        ):
            response.content = response.content.replace(b"\x00", "\ufffd".encode())
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, MultiValueDictKeyError) and request.method == "POST":
            # A form posted without a field its widgets read unconditionally (a StreamField's
            # "body-count" in Wagtail's page editor): an incomplete form, not a server error.
            logger.warning("refused an incomplete form at %s: %r", request.path, exception)
            return HttpResponseBadRequest(
                _("The form was incomplete. Load the page and try again.")
            )
        if isinstance(exception, json.JSONDecodeError) and request.method == "POST":
            # A form field a widget reads as JSON (Wagtail's rich text editor) posted as
            # something else: a malformed form, not a server error. Nothing was saved.
            logger.warning("refused a malformed form value at %s: %r", request.path, exception)
            return HttpResponseBadRequest(_("The request holds a value that is not allowed."))
        if not is_unfit_value(exception):
            return None
        logger.warning("refused a value the query cannot hold at %s: %r", request.path, exception)
        return HttpResponseBadRequest(_("The request holds a value that is not allowed."))

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not is_third_party(view_func):
            return None
        if _has_nul(request, path_only=_view_module(view_func) in PAGE_SERVE_MODULES):
            return HttpResponseBadRequest(_("The request holds a character that is not allowed."))
        if not _next_is_a_url(request):
            # Wagtail's views redirect to ``next`` after their work; a value that is not a
            # path or a URL ("9999-12-31") makes Django's redirect() look it up as a view name
            # and fail with a 500 after the page was deleted.
            return HttpResponseBadRequest(_("The request holds a value that is not allowed."))
        model = _view_model(view_func)
        if model is not None:
            for name in OBJECT_ID_KWARGS:
                if name in view_kwargs and not _id_fits(model._meta.pk, str(view_kwargs[name])):
                    return HttpResponseNotFound(_("Page not found"))
        for name in PAGE_ID_KWARGS:
            if name in view_kwargs and not _page_id_fits(view_kwargs[name]):
                return HttpResponseNotFound(_("Page not found"))
        if _view_module(view_func) == "wagtail.admin.views.pages.ordering":
            from wagtail.models import Page

            page_id = view_kwargs.get("page_to_move_id")
            if page_id is not None and Page.objects.filter(pk=page_id, depth=1).exists():
                return HttpResponseNotFound(_("Page not found"))
        return None
