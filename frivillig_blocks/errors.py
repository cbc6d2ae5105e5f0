"""The one place that turns a domain error into what a page shows.

Every app's errors descend from :class:`frivillig_blocks.exceptions.FrivilligError`, which
carries a Danish ``message`` and an HTTP ``status`` (400 unless the error says otherwise;
:class:`~frivillig_blocks.exceptions.RateLimited` and every app's rate-limit error say 429).
A view catches the app's error and calls one of these, instead of deciding the status by
``isinstance`` itself::

    try:
        services.create_post(...)
    except exceptions.BoersError as exc:
        status = show_on_form(form, exc)
"""

from __future__ import annotations

from django.template.response import TemplateResponse

from .exceptions import FrivilligError

DEFAULT_STATUS = 400


def status_of(exc: BaseException) -> int:
    """The HTTP status a page answers with for ``exc`` (400 for an error without one)."""
    status = getattr(exc, "status", None)
    return status if isinstance(status, int) and 400 <= status < 600 else DEFAULT_STATUS


def message_of(exc: BaseException) -> str:
    """The Danish message a person reads for ``exc``."""
    if isinstance(exc, FrivilligError):
        return exc.message
    return FrivilligError.message


def show_on_form(form, exc: BaseException) -> int:
    """Put the error's message on ``form`` (as a non-field error) and return the status
    the page answers with."""
    form.add_error(None, message_of(exc))
    return status_of(exc)


def error_response(
    request, exc: BaseException, template: str, context: dict | None = None, *, key="error"
) -> TemplateResponse:
    """``template`` rendered with the error's message under ``key`` and its status."""
    return TemplateResponse(
        request, template, {**(context or {}), key: message_of(exc)}, status=status_of(exc)
    )
