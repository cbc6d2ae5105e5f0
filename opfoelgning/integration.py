"""The follow-up's implementations of the base's hooks (registered in wagtail_hooks.py):
the feedback slot of every page, the figures of the feedback, theme meetings in the shared
calendar, the consent on Mine sider, the personal data it keeps, the admin's report, the
searches that found nothing and the models public pages show."""

from __future__ import annotations

from django.urls import NoReverseMatch, include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem

from frivillig_blocks import hooks as frivillig_hooks

from .feedback import services

# -- the feedback slot on every page ----------------------------------------------------


def feedback_slot(page, request, serve_args, serve_kwargs):
    """``before_serve_page``: tell the feedback form where the page is (see
    opfoelgning/feedback/box.html and ``page_feedback``)."""
    in_section = services.in_volunteer_section(page)
    next_url = request.get_full_path() if request.method == "GET" else page.get_url(request)
    request.frivillig_feedback = services.FeedbackSlot(
        page=page, in_section=in_section, next_url=next_url or "/"
    )


def page_feedback(context, task: str) -> str:
    """``PAGE_FEEDBACK``: the form "Fandt du det, du søgte?" in the page's slot (the box
    itself is ``opfoelgning/feedback/box.html``, see ``{% feedback_box %}``). Without a task
    it shows in the volunteer section only; with one (``feedback_task="<task>"``, after a
    completed task) on any page, and the first include takes the page's one slot. Nothing
    when the feedback view is not routed. No CSRF token on purpose: see feedback/views.py."""
    from .templatetags.opfoelgning_feedback import feedback_box

    slot = getattr(context.get("request"), "frivillig_feedback", None)
    if task:
        shown = slot is None or slot.take()
    else:
        shown = slot is not None and slot.in_section and slot.take()
    if not shown:
        return ""
    try:
        action = reverse("opfoelgning:feedback")
    except NoReverseMatch:
        return ""
    with context.push(feedback_task=task, feedback_action=action, slot=slot):
        return feedback_box(context)


# -- admin --------------------------------------------------------------------------------


def feedback_viewset():
    from .feedback.viewsets import FeedbackViewSet

    return FeedbackViewSet()


def theme_meeting_viewset():
    from .feedback.viewsets import ThemeMeetingViewSet

    return ThemeMeetingViewSet()


def log_actions(actions):
    actions.register_action(
        "frivillig_blocks.invitations_sent", _("Send invitations"), _("Invitations sent")
    )


def report_urls():
    from .report import urls

    return [path("opfoelgning/", include(urls, namespace="frivillig_report"))]


class ReportMenuItem(MenuItem):
    def is_shown(self, request):
        from .report.views import VIEW_PERMISSION

        return request.user.has_perm(VIEW_PERMISSION)


def report_menu_item():
    return ReportMenuItem(
        _("Follow-up"), reverse("frivillig_report:index"), icon_name="table", order=900
    )


# -- the base's registries ----------------------------------------------------------------


def figure_source():
    from .feedback.figures import FeedbackFigures

    return FeedbackFigures()


def theme_meetings_in_calendar(start, end):
    """Public theme meetings in the shared calendar (kind "meeting")."""
    from .feedback.invitations import meeting_location, meeting_uid
    from .models import ThemeMeeting

    meetings = ThemeMeeting.objects.filter(public=True, start__lt=end, end__gt=start)
    return [
        frivillig_hooks.CalendarEntry(
            uid=meeting_uid(meeting),
            title=meeting.title,
            start=meeting.start,
            end=meeting.end,
            kind="meeting",
            place_id=meeting.place_id,
            location=meeting_location(meeting),
            description=meeting.description,
        )
        for meeting in meetings.select_related("place")
    ]


def invitations_section(request):
    """Mine sider: the consent to invitations from the municipality."""
    from .feedback.forms import ContactPreferenceForm
    from .models import ContactPreference

    preference = ContactPreference.objects.filter(user=request.user).first()
    return frivillig_hooks.MineSiderSection(
        title=_("Invitations from the municipality"),
        template_name="opfoelgning/section_contact_preference.html",
        context={
            "form": ContactPreferenceForm(
                initial={"invitations": bool(preference and preference.invitations)}
            )
        },
        order=90,
    )


def personal_data_sources():
    from .feedback import personal_data
    from .misses import personal_data as misses_personal_data

    return [*personal_data.sources(), *misses_personal_data.sources()]


def search_miss(request, query: str) -> None:
    """``SEARCH_MISSES``: count a search that found nothing (the report's "Søgninger uden
    resultat"); see opfoelgning/misses/."""
    from .misses import services as misses

    misses.record_request(request, query)


def page_cache_models():
    """What public pages show of the follow-up: the theme meetings (the shared calendar)
    and the figures page. Feedback answers, consents, invitations and the report's texts
    show on no public page, so writing them leaves the page cache alone."""
    return ["opfoelgning.ThemeMeeting", "opfoelgning.FiguresPage"]
