"""Public views of the prize page and the Frivillig Fredag page (routed by the page models):
thin — parse, call a service, render."""

from __future__ import annotations

import datetime

from allauth.core import ratelimit
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from frivillig_blocks import pagecache, submissions
from frivillig_blocks.errors import show_on_form
from frivillig_blocks.exceptions import FrivilligError
from frivillig_blocks.hooks import calendar_events
from frivillig_blocks.links import absolute

from . import exceptions, services
from .forms import NominationForm, VoteForm
from .models import PrizeRound

NOMINATE_ACTION = "initiativpris_nominate"
VOTE_ACTION = "initiativpris_vote"
T = "initiativpris/"


def _links(request, page):
    def url(name, *args):
        return page.route_url(request, name, *args)

    return {
        "overview_url": page.get_url(request),
        "nominate_url": url("nominate"),
        "vote_url": url("vote"),
        "result_url": url("result"),
        "archive_url": url("archive"),
    }


def _absolute(request, page, name):
    return lambda token: absolute(page.route_url(request, name, token))


def _round_or_404() -> PrizeRound:
    round = services.current_round()
    if round is None:
        raise Http404(_("There is no prize round."))
    return round


def _render(request, page, template, context, status=200):
    return TemplateResponse(
        request,
        T + template,
        {"page": page, **_links(request, page), **context},
        status=status,
    )


def earlier_rounds(exclude=None, limit=20):
    rounds = PrizeRound.objects.announced().select_related("winner").order_by("-announcement_at")
    if exclude is not None:
        rounds = rounds.exclude(pk=exclude.pk)
    return list(rounds[:limit])


def overview(request, page):
    round = services.current_round()
    sponsors = list(round.sponsors.select_related("logo")) if round else []
    return _render(
        request,
        page,
        "prize_page.html",
        {
            "round": round,
            "phase": round.phase() if round else None,
            "sponsors": sponsors,
            "earlier": earlier_rounds(exclude=round, limit=5),
        },
    )


def nominate(request, page):
    round = _round_or_404()
    if not round.nominations_are_open():
        return _render(request, page, "nominate.html", {"round": round, "form": None}, 404)
    status = 200
    if request.method == "POST":
        form = NominationForm(request.POST)
        status = 400
        if form.is_valid():

            def submit():
                # Inside ``once``: a double submit is neither stored nor counted twice.
                if not ratelimit.consume(request, action=NOMINATE_ACTION):
                    raise exceptions.RateLimited
                return services.nominate(
                    round=round,
                    data=form.cleaned_data,
                    link=_absolute(request, page, "nominate_confirm"),
                )

            try:
                submissions.once(
                    key=form.cleaned_data["submission_key"],
                    purpose="initiativpris.nomination",
                    create=submit,
                )
            except FrivilligError as exc:
                status = show_on_form(form, exc)
            else:
                return HttpResponseRedirect(page.route_url(request, "nominate_sent"))
    else:
        form = NominationForm()
    return _render(request, page, "nominate.html", {"round": round, "form": form}, status)


def nominate_sent(request, page):
    return _render(request, page, "sent.html", {"round": _round_or_404(), "kind": "nomination"})


def _link_error(request, page, exc, status=400):
    return _render(request, page, "link_error.html", {"error": exc.message}, status)


def nominate_confirm(request, page, token):
    try:
        nomination = services.nomination_from_token(token)
    except exceptions.PrizeError as exc:
        return _link_error(request, page, exc)
    if request.method == "POST":
        try:
            nomination = services.confirm_nomination(
                token=token, consent_link=_absolute(request, page, "consent")
            )
        except exceptions.PrizeError as exc:
            return _link_error(request, page, exc)
        return _render(
            request,
            page,
            "nomination_confirmed.html",
            {"nomination": nomination, "round": nomination.round},
        )
    if nomination.confirmed_at is not None:
        return _link_error(request, page, exceptions.AlreadyConfirmed())
    return _render(
        request,
        page,
        "confirm.html",
        {"nomination": nomination, "round": nomination.round, "kind": "nomination"},
    )


def consent(request, page, token):
    try:
        nomination = services.nomination_for_consent(token)
    except exceptions.PrizeError as exc:
        return _link_error(request, page, exc)
    answered = None
    if request.method == "POST":
        answer = request.POST.get("answer")
        if answer not in ("yes", "no"):
            return _render(
                request,
                page,
                "consent.html",
                {
                    "nomination": nomination,
                    "round": nomination.round,
                    "error": _("Choose yes or no."),
                },
                400,
            )
        try:
            nomination = services.answer_consent(token=token, consent=answer == "yes")
        except exceptions.PrizeError as exc:
            return _link_error(request, page, exc)
        answered = answer
    return _render(
        request,
        page,
        "consent.html",
        {"nomination": nomination, "round": nomination.round, "answered": answered},
    )


def vote(request, page):
    round = _round_or_404()
    if not round.vote_is_open():
        return _render(request, page, "vote.html", {"round": round, "form": None}, 404)
    ballot = list(services.ballot(round))
    status = 200
    if request.method == "POST":
        form = VoteForm(request.POST, ballot=ballot)
        status = 400
        if form.is_valid():

            def submit():
                if not ratelimit.consume(request, action=VOTE_ACTION):
                    raise exceptions.RateLimited
                return services.request_vote(
                    round=round,
                    nomination_id=form.cleaned_data["nomination"],
                    email=form.cleaned_data["email"],
                    link=_absolute(request, page, "vote_confirm"),
                )

            try:
                submissions.once(
                    key=form.cleaned_data["submission_key"],
                    purpose="initiativpris.vote",
                    create=submit,
                )
            except FrivilligError as exc:
                status = show_on_form(form, exc)
            else:
                return HttpResponseRedirect(page.route_url(request, "vote_sent"))
    else:
        form = VoteForm(ballot=ballot)
    return _render(
        request, page, "vote.html", {"round": round, "form": form, "ballot": ballot}, status
    )


def vote_sent(request, page):
    return _render(request, page, "sent.html", {"round": _round_or_404(), "kind": "vote"})


def vote_confirm(request, page, token):
    try:
        vote = services.vote_from_token(token)
    except exceptions.PrizeError as exc:
        return _link_error(request, page, exc)
    if request.method == "POST":
        try:
            vote = services.confirm_vote(token=token)
        except exceptions.PrizeError as exc:
            return _link_error(request, page, exc)
        return _render(request, page, "vote_confirmed.html", {"round": vote.round})
    if vote.confirmed_at is not None:
        return _link_error(request, page, exceptions.AlreadyConfirmed())
    return _render(
        request,
        page,
        "confirm.html",
        {"vote": vote, "round": vote.round, "nomination": vote.nomination, "kind": "vote"},
    )


def result(request, page, slug):
    now = timezone.now()
    round = _round_or_404() if slug is None else PrizeRound.objects.live().filter(slug=slug).first()
    if round is None or not round.is_announced(now):
        raise Http404(_("The result is not announced yet."))
    rows, winner = pagecache.kept(
        ("initiativpris-result", round.pk), lambda: _result(round, now), RESULT_SECONDS
    )
    return _render(
        request,
        page,
        "result.html",
        {"round": round, "rows": rows, "winner": winner, "total": sum(r["votes"] for r in rows)},
    )


#: How long an announced result is kept (it is kept per content version, so any change
#: to the prize's data shows on the next request; issue #22).
RESULT_SECONDS = 60 * 60


def _result(round: PrizeRound, now) -> tuple[list[dict], object]:
    """The announced round's tally and winner. Once a round is announced no vote can be
    confirmed or added (the window and the paper votes end before it), so the count changes
    only with a write to the prize's models, which moves the content version the result is
    kept under (``pagecache.kept``)."""
    rows = services.tally(round, now) if round.has_vote else []
    return rows, services.winner(round, rows, now)


def archive(request, page):
    return _render(request, page, "archive.html", {"rounds": earlier_rounds(limit=100)})


def frivillig_fredag(request, page):
    from .models import PrizePage

    round = services.current_round()
    day = round.frivillig_fredag if round else None
    programme = []
    if day is not None:
        tz = timezone.get_current_timezone()
        start = datetime.datetime.combine(day, datetime.time.min, tzinfo=tz)
        programme = calendar_events(start, start + datetime.timedelta(days=1), 30)
    prize_page = PrizePage.objects.live().first()
    context = {
        "page": page,
        "round": round,
        "day": day,
        "programme": programme,
        "earlier": earlier_rounds(exclude=round if round and not round.is_announced() else None),
        "prize_page": prize_page,
        "nominations_open": bool(round and round.nominations_are_open()),
    }
    if prize_page is not None:
        context["nominate_url"] = prize_page.route_url(request, "nominate")
        context["prize_url"] = prize_page.get_url(request)
    return TemplateResponse(request, T + "frivillig_fredag_page.html", context)
