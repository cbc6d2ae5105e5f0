"""Parsers for input at the edge: dates, integers and ids from a URL, a query string, a form
or an API call, each within a range the database can store.

Python's own parsers accept more than the database does: ``'²'.isdigit()`` is true and
``int('²')`` then fails, ``int('99999999999999999999')`` overflows SQLite's and
PostgreSQL's integers, and ``date(9999, 12, 31) + timedelta(days=1)`` overflows. Every view,
form, API endpoint and admin action reads such values through this module, so that a bad
value is a 400 or a 404 with a Danish message and never a 500.

- :func:`parse_int` / :func:`parse_id`: ASCII digits only (an optional leading minus for
  :func:`parse_int` where allowed), bounded; ``None`` for anything else.
- :func:`parse_date`: ISO ``YYYY-MM-DD`` with a year in :data:`MIN_YEAR`..:data:`MAX_YEAR`.
- :class:`BoundedDateField`, :class:`IdField`: the same rules as form fields.
- :func:`install_bounded_int_converter`: Django's ``<int:…>`` path converter (used by our
  URLs, Wagtail's admin and every RoutablePage) matches only ids up to :data:`MAX_ID`; a
  longer number is a 404 instead of an overflow in the database.
"""

from __future__ import annotations

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _

#: Dates the apps store and compute with (a margin on both sides of any real event).
MIN_YEAR = 1900
MAX_YEAR = 2100
MIN_DATE = datetime.date(MIN_YEAR, 1, 1)
MAX_DATE = datetime.date(MAX_YEAR, 12, 31)

#: The largest id a URL, form or API call may name (a PostgreSQL ``integer``).
MAX_ID = 2**31 - 1
#: A sane bound for offsets, page numbers and counts read from a request.
MAX_OFFSET = 1_000_000

_DIGITS = re.compile(r"[0-9]{1,19}")
_SIGNED = re.compile(r"-?[0-9]{1,19}")
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")

INVALID_NUMBER = _("Enter a whole number.")
INVALID_ID = _("No such item.")
INVALID_DATE = _("Enter a date as YYYY-MM-DD.")
DATE_OUT_OF_RANGE = _("Enter a date between %(first)s and %(last)s.")


def parse_int(value, *, minimum: int = 0, maximum: int = MAX_OFFSET) -> int | None:
    """``value`` as an int in [minimum, maximum] if it is ASCII digits (a minus sign only
    where ``minimum`` is negative), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    else:
        text = str(value if value is not None else "").strip()
        pattern = _SIGNED if minimum < 0 else _DIGITS
        if not pattern.fullmatch(text):
            return None
        number = int(text)
    return number if minimum <= number <= maximum else None


def parse_id(value) -> int | None:
    """A primary key from the request (1..:data:`MAX_ID`), or None."""
    return parse_int(value, minimum=1, maximum=MAX_ID)


def id_or_404(value) -> int:
    """A primary key from the request, or a 404."""
    number = parse_id(value)
    if number is None:
        raise Http404(INVALID_ID)
    return number


def date_in_range(value: datetime.date) -> bool:
    return MIN_DATE <= value <= MAX_DATE


def parse_date(value) -> datetime.date | None:
    """An ISO date (``YYYY-MM-DD``, ASCII digits) in [:data:`MIN_DATE`, :data:`MAX_DATE`],
    or None."""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value if date_in_range(value) else None
    match = _ISO_DATE.fullmatch(str(value if value is not None else "").strip())
    if not match:
        return None
    try:
        parsed = datetime.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None
    return parsed if date_in_range(parsed) else None


def valid_date_or_404(year, month, day=1) -> datetime.date:
    """The date of a path's year, month and day, or a 404 (out of range or no such day)."""
    parts = [parse_int(v, maximum=MAX_YEAR) for v in (year, month, day)]
    if None in parts:
        raise Http404(INVALID_DATE)
    try:
        value = datetime.date(*parts)
    except ValueError as error:
        raise Http404(INVALID_DATE) from error
    if not date_in_range(value):
        raise Http404(INVALID_DATE)
    return value


def check_date_range(value: datetime.date | None) -> None:
    """Raise a form's ValidationError for a date the apps cannot store."""
    if value is not None and not date_in_range(value):
        raise ValidationError(
            DATE_OUT_OF_RANGE,
            code="date_out_of_range",
            params={"first": MIN_DATE.isoformat(), "last": MAX_DATE.isoformat()},
        )


class BoundedDateField(forms.DateField):
    """A DateField that refuses dates outside [:data:`MIN_DATE`, :data:`MAX_DATE`]."""

    default_validators = [check_date_range]


class IdField(forms.CharField):
    """An id as ASCII digits (1..:data:`MAX_ID`); cleans to an int or None."""

    default_error_messages = {"invalid": INVALID_ID}

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        number = parse_id(value)
        if number is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return number


def install_bounded_int_converter() -> None:
    """Bound Django's ``<int:…>`` path converter to :data:`MAX_ID` (ASCII digits only, as
    its regex already says). A longer number no longer matches, so the URL is a 404, in
    our URLs, every RoutablePage route and Wagtail's admin alike. Called once from the
    base app's ``ready()``; idempotent."""
    from django.urls.converters import IntConverter

    if getattr(IntConverter, "frivillig_bounded", False):
        return

    def to_python(self, value):
        number = parse_int(value, maximum=MAX_ID)
        if number is None:
            raise ValueError("out of range")
        return number

    IntConverter.to_python = to_python
    IntConverter.frivillig_bounded = True
