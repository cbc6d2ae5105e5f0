"""Staff views in the Wagtail admin: a session's participants (attendance, promotion, a
message to all, CSV/XLSX export, the evaluation summary) and the summary of needs."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Avg, Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from frivillig_blocks import spreadsheets
from frivillig_blocks.models.taxonomy import AGE_GROUP_CHOICES
from frivillig_blocks.parsers import parse_id

from . import exceptions, services
from .models import CompetenceNeed, Evaluation, Registration, Session
from .staff import can_manage, can_view

Status = Registration.Status


class MessageForm(forms.Form):
    subject = forms.CharField(
        label=gettext_lazy("Subject"),
        max_length=200,
        error_messages={"required": gettext_lazy("Write a subject.")},
    )
    body = forms.CharField(
        label=gettext_lazy("Message"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": gettext_lazy("Write the message.")},
    )


def _session_or_404(pk) -> Session:
    return get_object_or_404(
        Session.objects.select_related("course", "place").prefetch_related("meetings"), pk=pk
    )


def _require(user, check) -> None:
    if not check(user):
        raise PermissionDenied


def evaluation_summary(session) -> dict:
    evaluations = Evaluation.objects.filter(session=session)
    summary = evaluations.aggregate(
        count=Count("pk"), rating=Avg("rating"), usefulness=Avg("usefulness")
    )
    summary["distribution"] = {
        row["rating"]: row["n"]
        for row in evaluations.values("rating").annotate(n=Count("pk")).order_by()
    }
    summary["rows"] = [
        {"score": n, "count": summary["distribution"].get(n, 0)} for n in range(1, 6)
    ]
    summary["comments"] = list(
        evaluations.exclude(best="", improve="")
        .values("best", "improve")
        .order_by("-created_at")[:50]
    )
    return summary


def participants(request, pk):
    _require(request.user, can_view)
    session = _session_or_404(pk)
    registrations = list(Registration.objects.filter(session=session).select_related("association"))
    grouped = {status: [r for r in registrations if r.status == status] for status in Status.values}
    return TemplateResponse(
        request,
        "kurser/admin/participants.html",
        {
            "session": session,
            "confirmed": grouped[Status.CONFIRMED],
            "offered": grouped[Status.OFFERED],
            "waiting": grouped[Status.WAITING],
            "others": grouped[Status.CANCELLED] + grouped[Status.EXPIRED],
            "message_form": MessageForm(),
            "can_manage": can_manage(request.user),
            "evaluation": evaluation_summary(session),
            "now": timezone.now(),
        },
    )


@require_POST
def attendance(request, pk):
    _require(request.user, can_manage)
    session = _session_or_404(pk)
    ids = [n for n in map(parse_id, request.POST.getlist("attended")) if n is not None]
    present = services.record_attendance(session=session, attended_ids=ids, by_user=request.user)
    messages.success(request, _("Attendance saved: %(count)d present.") % {"count": present})
    return redirect("kurser_admin:participants", session.pk)


@require_POST
def promote(request, pk, registration_id):
    _require(request.user, can_manage)
    session = _session_or_404(pk)
    get_object_or_404(Registration, pk=registration_id, session=session)
    try:
        registration = services.promote(registration_id=registration_id, by_user=request.user)
    except exceptions.CourseError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("%(name)s now has a seat on the session.") % {"name": registration.name}
        )
    return redirect("kurser_admin:participants", session.pk)


def message(request, pk):
    _require(request.user, can_manage)
    session = _session_or_404(pk)
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        sent = services.message_participants(
            session=session,
            subject=form.cleaned_data["subject"],
            body=form.cleaned_data["body"],
            by_user=request.user,
        )
        messages.success(
            request, _("The message was sent to %(count)d participants.") % {"count": sent}
        )
        return redirect("kurser_admin:participants", session.pk)
    return TemplateResponse(
        request,
        "kurser/admin/message.html",
        {"session": session, "form": form},
        status=400 if request.method == "POST" else 200,
    )


EXPORT_FIELDS = [
    ("name", gettext_lazy("Name")),
    ("email", gettext_lazy("E-mail")),
    ("association", gettext_lazy("Association")),
    ("status", gettext_lazy("Status")),
    ("queued_at", gettext_lazy("Registered")),
    ("attended", gettext_lazy("Attended")),
]


def _export_rows(session):
    for r in Registration.objects.filter(session=session).select_related("association"):
        yield [
            r.name,
            r.email,
            r.association.name if r.association else "",
            r.get_status_display(),
            timezone.localtime(r.queued_at).strftime("%Y-%m-%d %H:%M"),
            "" if r.attended is None else (_("Yes") if r.attended else _("No")),
        ]


def export(request, pk, fmt):
    _require(request.user, can_view)
    session = _session_or_404(pk)
    header = [str(label) for _name, label in EXPORT_FIELDS]
    rows = list(_export_rows(session))
    filename = f"deltagere-{session.pk}"
    if fmt == "csv":
        return spreadsheets.csv_response(header, rows, filename=filename)
    if fmt == "xlsx":
        return spreadsheets.xlsx_response(header, rows, filename=filename, title=_("Participants"))
    raise Http404


def needs_summary(request):
    _require(
        request.user,
        lambda u: u.is_active and (u.is_superuser or u.has_perm("kurser.view_competenceneed")),
    )
    needs = CompetenceNeed.objects.all()
    labels = dict(AGE_GROUP_CHOICES)
    by_area = list(
        needs.values("competence_area__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "competence_area__name")
    )
    by_age = [
        {"label": labels.get(row["age_group__code"], row["age_group__name"]), "n": row["n"]}
        for row in needs.values("age_group__code", "age_group__name")
        .annotate(n=Count("pk"))
        .order_by("-n")
    ]
    by_association = list(
        needs.exclude(association_name="")
        .values("association_name")
        .annotate(n=Count("pk"))
        .order_by("-n", "association_name")[:100]
    )
    by_audience = list(needs.values("audience").annotate(n=Count("pk")).order_by("-n"))
    audience_labels = dict(CompetenceNeed._meta.get_field("audience").choices)
    for row in by_audience:
        row["label"] = audience_labels.get(row["audience"], row["audience"])
    return TemplateResponse(
        request,
        "kurser/admin/needs_summary.html",
        {
            "total": needs.count(),
            "by_area": by_area,
            "by_age": by_age,
            "by_association": by_association,
            "by_audience": by_audience,
            "latest": list(needs.select_related("competence_area", "age_group")[:30]),
        },
    )
