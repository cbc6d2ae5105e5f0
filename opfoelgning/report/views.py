"""The follow-up report in the Wagtail admin (Frivilligkoordinator, Kommunikatører): a period
and filters, every figure against the same period a year before, charts with their tables,
the coordinator's own text per service, and the exports (CSV, XLSX, the council's PDF)."""

from __future__ import annotations

from django.apps import apps
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from frivillig_blocks import figures
from frivillig_blocks.models import MunicipalitySettings

from ..misses import rules as miss_rules
from ..misses import services as misses
from ..models import FollowUpNote
from . import exports
from .charts import bar_chart
from .forms import NoteForm, ReportForm

VIEW_PERMISSION = "opfoelgning.view_followup_report"
NOTE_PERMISSION = "opfoelgning.change_followupnote"
#: Wagtail's promoted search results: the report links a search without results to its add
#: view when the site installs it and the user may add one.
PROMOTIONS_APP = "wagtail.contrib.search_promotions"
PROMOTION_PERMISSION = "wagtailsearchpromotions.add_searchpromotion"


def _require(request, permission):
    if not request.user.has_perm(permission):
        raise PermissionDenied


def build(request):
    """The form, the report and the texts for the request's period and filters."""
    form = ReportForm(request.GET or None)
    period, filters = form.result()
    report = figures.compute(period, filters)
    notes = {
        note.section: note
        for note in FollowUpNote.objects.filter(period_start=period.start, period_end=period.end)
    }
    return form, report, notes


def decorate(report, notes):
    """What the templates need per section: its note, and per figure its chart."""
    sections = []
    for section in report.sections:
        items = []
        for comparison in section.comparisons:
            figure = comparison.figure
            items.append(
                {
                    "comparison": comparison,
                    "figure": figure,
                    "chart": bar_chart(figure, comparison.previous),
                    "rows": [(row, comparison.previous_row(row.label)) for row in figure.rows],
                }
            )
        sections.append({"section": section, "items": items, "note": notes.get(section.key)})
    return sections


def promotion_url(request) -> str:
    """The add view of Wagtail's promoted search results, or "" when the site does not
    install it or the user may not add one. (Its add view takes no query from the address,
    so the report shows each search beside the link to be written in the form.)"""
    if not apps.is_installed(PROMOTIONS_APP) or not request.user.has_perm(PROMOTION_PERMISSION):
        return ""
    return reverse("wagtailsearchpromotions:add")


@require_GET
def report_view(request):
    _require(request, VIEW_PERMISSION)
    form, report, notes = build(request)
    query = request.GET.urlencode()
    return TemplateResponse(
        request,
        "opfoelgning/report/index.html",
        {
            "header_title": _("Follow-up"),
            "page_title": _("Follow-up"),
            "header_icon": "table",
            "form": form,
            "report": report,
            "sections": decorate(report, notes),
            "intro": notes.get(""),
            "can_write": request.user.has_perm(NOTE_PERMISSION),
            "query": query,
            "filter_labels": _filter_labels(form, report.filters),
            "misses": misses.top_misses(report.period),
            "miss_visitors": miss_rules.VISITORS,
            "promotion_url": promotion_url(request),
        },
    )


def _filter_labels(form, filters):
    labels = []
    for name, value in filters.active().items():
        field = form.fields.get(name)
        choice = dict(field.choices).get(value, value) if field is not None else value
        labels.append((figures.FILTER_LABELS[name], choice))
    return labels


@require_GET
def export_view(request, fmt):
    _require(request, VIEW_PERMISSION)
    form, report, notes = build(request)
    stem = f"opfoelgning-{report.period.start:%Y%m%d}-{report.period.end:%Y%m%d}"
    if fmt == "csv":
        response = HttpResponse(exports.as_csv(report), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{stem}.csv"'
        return response
    if fmt == "xlsx":
        response = HttpResponse(
            exports.as_xlsx(report, _filter_labels(form, report.filters)),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{stem}.xlsx"'
        return response
    municipality = MunicipalitySettings.for_request(request).name
    pdf = exports.as_pdf(
        report,
        decorate(report, notes),
        intro=notes.get(""),
        municipality=municipality,
        filter_labels=_filter_labels(form, report.filters),
        misses=misses.top_misses(report.period),
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{stem}.pdf"'
    return response


@require_POST
def note_view(request):
    """Save the coordinator's text for one service (or the introduction) and period."""
    _require(request, NOTE_PERMISSION)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("frivillig_report:index")
    form = NoteForm(request.POST)
    sections = {s.key for s in figures.sources()} | {""}
    if not form.is_valid() or form.cleaned_data["section"] not in sections:
        errors = "; ".join(e for errs in form.errors.values() for e in errs) or _(
            "Unknown service."
        )
        messages.error(request, _("The text was not saved: %(errors)s") % {"errors": errors})
        return HttpResponseRedirect(back)
    data = form.cleaned_data
    if data["period_end"] < data["period_start"]:
        messages.error(
            request, _("The text was not saved: the period must end on or after the day it starts.")
        )
        return HttpResponseRedirect(back)
    FollowUpNote.objects.update_or_create(
        section=data["section"],
        period_start=data["period_start"],
        period_end=data["period_end"],
        defaults={"text": data["text"], "updated_by": request.user},
    )
    messages.success(request, _("The text is saved."))
    return HttpResponseRedirect(back)
