"""Destructive actions ask first, without JavaScript (#21): a GET shows the question, a POST
that carries the question page's own ``confirm`` field does it, and any other POST (an old
one-click button elsewhere, a replayed form) lands on the question too instead of acting.

    if not confirmation.confirmed(request):
        return confirmation.ask(request, page=page, title=…, question=…, …)
    services.cancel(…)
"""

from __future__ import annotations

from collections.abc import Iterable

from django.template.response import TemplateResponse

CONFIRM_FIELD = "confirm"
CONFIRM_VALUE = "yes"


def confirmed(request) -> bool:
    """Whether ``request`` is the question page's own POST."""
    return request.method == "POST" and request.POST.get(CONFIRM_FIELD) == CONFIRM_VALUE


def ask(
    request,
    *,
    title: str,
    question: str,
    confirm_label: str,
    back_url: str,
    back_label: str,
    page=None,
    details: Iterable[str] = (),
    carry: Iterable[tuple[str, str]] = (),
    action: str = "",
) -> TemplateResponse:
    """The question page: ``details`` describe what is about to go, ``carry`` are hidden
    fields the POST sends along (which date, which action), ``action`` the URL it posts to
    (the same URL when empty)."""
    return TemplateResponse(
        request,
        "frivillig_blocks/confirm.html",
        {
            "page": page,
            "confirm_title": title,
            "question": question,
            "confirm_label": confirm_label,
            "back_url": back_url,
            "back_label": back_label,
            "details": list(details),
            "carry": list(carry),
            "action": action,
            "confirm_field": CONFIRM_FIELD,
            "confirm_value": CONFIRM_VALUE,
        },
    )
