"""The jury in the Wagtail admin: jury members score and comment on the nominations of their
rounds and declare conflicts of interest; editors pick the shortlist and the winner and
enter paper votes. Every permission is checked here, on the server."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from frivillig_blocks.links import absolute

from . import exceptions, services
from .admin_forms import (
    ConflictForm,
    JuryCandidateForm,
    PaperVoteForm,
    ScoreForm,
    ShortlistForm,
    WinnerForm,
)
from .models import ConflictOfInterest, JuryScore, Nomination, PrizeRound


def _rounds_for(user):
    if services.is_editor(user):
        return PrizeRound.objects.all()
    return PrizeRound.objects.filter(jury=user)


def _round_for(user, pk) -> PrizeRound:
    round = get_object_or_404(PrizeRound, pk=pk)
    if not (services.is_editor(user) or services.is_juror(user, round)):
        raise PermissionDenied
    return round


def index(request):
    rounds = list(_rounds_for(request.user).order_by("-nominations_open"))
    if not rounds and not services.is_editor(request.user):
        raise PermissionDenied
    return TemplateResponse(request, "initiativpris/admin/index.html", {"rounds": rounds})


def _public_choices(round):
    return [
        (n.pk, n.nominee_name)
        for n in Nomination.objects.public().filter(round=round).order_by("nominee_name")
    ]


def round_view(request, pk):
    round = _round_for(request.user, pk)
    user = request.user
    editor = services.is_editor(user)
    juror = services.is_juror(user, round)
    nominations = list(services.jury_overview(round))
    mine = {
        s.nomination_id: s for s in JuryScore.objects.filter(juror=user, nomination__round=round)
    }
    conflicts = set(
        ConflictOfInterest.objects.filter(juror=user, nomination__round=round).values_list(
            "nomination_id", flat=True
        )
    )
    for n in nominations:
        n.my_score = mine.get(n.pk)
        n.my_conflict = n.pk in conflicts
    context = {
        "round": round,
        "nominations": nominations,
        "editor": editor,
        "juror": juror,
        "announced": round.is_announced(),
        "vote_count": round.votes.filter(confirmed_at__isnull=False).count() if editor else None,
    }
    if editor:
        choices = _public_choices(round)
        context["shortlist_form"] = ShortlistForm(
            choices=choices,
            initial={"nominations": [n.pk for n in nominations if n.shortlisted]},
        )
        context["winner_form"] = WinnerForm(
            choices=choices, initial={"nomination": round.winner_id}
        )
        if round.has_vote and user.has_perm("initiativpris.enter_paper_votes"):
            context["paper_form"] = PaperVoteForm(
                choices=[(n.pk, n.nominee_name) for n in services.ballot(round)]
            )
        context["candidate_form"] = JuryCandidateForm(auto_id="candidate_%s")
        if context["announced"] and round.has_vote:
            context["tally"] = services.tally(round)
    return TemplateResponse(request, "initiativpris/admin/round.html", context)


def _require_editor(request):
    if not services.is_editor(request.user):
        raise PermissionDenied


@require_POST
def shortlist(request, pk):
    _require_editor(request)
    round = get_object_or_404(PrizeRound, pk=pk)
    form = ShortlistForm(request.POST, choices=_public_choices(round))
    if not form.is_valid():
        messages.error(request, _("Choose only confirmed nominations whose nominee has consented."))
        return redirect("initiativpris_admin:round", pk=round.pk)
    try:
        ids = services.set_shortlist(
            round=round, nomination_ids=form.cleaned_data["nominations"], user=request.user
        )
    except exceptions.PrizeError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("The shortlist is saved (%(count)d nominees).") % {"count": len(ids)}
        )
    return redirect("initiativpris_admin:round", pk=round.pk)


@require_POST
def jury_candidate(request, pk):
    from .models import PrizePage

    _require_editor(request)
    round = get_object_or_404(PrizeRound, pk=pk)
    prize_page = PrizePage.objects.live().first()
    form = JuryCandidateForm(request.POST, auto_id="candidate_%s")
    if prize_page is None:
        messages.error(request, _("Publish the prize page first: the consent link points to it."))
    elif not form.is_valid():
        errors = [str(e) for field in form for e in field.errors]
        messages.error(request, " ".join(errors))
    else:

        def link(token):
            return absolute(prize_page.route_url(request, "consent", token))

        try:
            nomination = services.add_jury_candidate(
                round=round, data=form.cleaned_data, user=request.user, consent_link=link
            )
        except exceptions.PrizeError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("%(name)s is added; we have asked for consent by mail.")
                % {"name": nomination.nominee_name},
            )
    return redirect("initiativpris_admin:round", pk=round.pk)


@require_POST
def choose_winner(request, pk):
    _require_editor(request)
    round = get_object_or_404(PrizeRound, pk=pk)
    form = WinnerForm(request.POST, choices=_public_choices(round))
    if not form.is_valid():
        messages.error(request, _("Choose one of the consented nominations."))
        return redirect("initiativpris_admin:round", pk=round.pk)
    pick = form.cleaned_data["nomination"]
    nomination = Nomination.objects.filter(pk=pick, round=round).first() if pick else None
    try:
        services.choose_winner(round=round, nomination=nomination, user=request.user)
    except exceptions.PrizeError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The winner is saved."))
    return redirect("initiativpris_admin:round", pk=round.pk)


@require_POST
def paper_votes(request, pk):
    _require_editor(request)
    if not request.user.has_perm("initiativpris.enter_paper_votes"):
        raise PermissionDenied
    round = get_object_or_404(PrizeRound, pk=pk)
    form = PaperVoteForm(
        request.POST, choices=[(n.pk, n.nominee_name) for n in services.ballot(round)]
    )
    if not form.is_valid():
        messages.error(request, _("Choose a nominee on the ballot and a number from 1 to 1000."))
        return redirect("initiativpris_admin:round", pk=round.pk)
    nomination = get_object_or_404(Nomination, pk=form.cleaned_data["nomination"], round=round)
    try:
        votes = services.enter_paper_votes(
            round=round, nomination=nomination, count=form.cleaned_data["count"], user=request.user
        )
    except exceptions.PrizeError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("%(count)d paper votes for %(name)s are entered.")
            % {"count": len(votes), "name": nomination.nominee_name},
        )
    return redirect("initiativpris_admin:round", pk=round.pk)


def nomination_view(request, pk):
    nomination = get_object_or_404(Nomination.objects.confirmed().select_related("round"), pk=pk)
    round = _round_for(request.user, nomination.round_id)
    user = request.user
    juror = services.is_juror(user, round)
    editor = services.is_editor(user)
    conflict = ConflictOfInterest.objects.filter(nomination=nomination, juror=user).first()
    score = JuryScore.objects.filter(nomination=nomination, juror=user).first()
    score_form = ScoreForm(
        initial={"score": score.score, "comment": score.comment} if score else None
    )
    conflict_form = ConflictForm()
    if request.method == "POST":
        if not juror:
            raise PermissionDenied
        action = request.POST.get("action")
        try:
            if action == "score":
                score_form = ScoreForm(request.POST)
                if score_form.is_valid():
                    services.score_nomination(
                        nomination=nomination,
                        juror=user,
                        score=score_form.cleaned_data["score"],
                        comment=score_form.cleaned_data["comment"],
                    )
                    messages.success(request, _("Your score is saved."))
                    return redirect("initiativpris_admin:round", pk=round.pk)
            elif action == "conflict":
                conflict_form = ConflictForm(request.POST)
                if conflict_form.is_valid():
                    services.declare_conflict(
                        nomination=nomination,
                        juror=user,
                        reason=conflict_form.cleaned_data["reason"],
                    )
                    messages.success(request, _("Your conflict of interest is recorded."))
                    return redirect("initiativpris_admin:round", pk=round.pk)
            else:
                raise exceptions.PrizeError
        except exceptions.PrizeError as exc:
            messages.error(request, exc.message)
            return redirect("initiativpris_admin:nomination", pk=nomination.pk)
    scores = (
        JuryScore.objects.filter(nomination=nomination).select_related("juror")
        if editor
        else JuryScore.objects.none()
    )
    conflicts = (
        ConflictOfInterest.objects.filter(nomination=nomination).select_related("juror")
        if editor
        else ConflictOfInterest.objects.none()
    )
    return TemplateResponse(
        request,
        "initiativpris/admin/nomination.html",
        {
            "round": round,
            "nomination": nomination,
            "juror": juror,
            "editor": editor,
            "conflict": conflict,
            "score": score,
            "score_form": score_form,
            "conflict_form": conflict_form,
            "scores": scores,
            "conflicts": conflicts,
            "now": timezone.now(),
        },
    )


def is_jury_user(user) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return services.is_editor(user) or PrizeRound.objects.filter(Q(jury=user)).exists()
