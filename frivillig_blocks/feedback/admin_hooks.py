"""Registration of feedback and theme meetings (imported by frivillig_blocks.wagtail_hooks)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from .. import hooks as frivillig_hooks
from ..figures import FIGURE_SOURCES
from . import services


@hooks.register("before_serve_page")
def feedback_slot(page, request, serve_args, serve_kwargs):
    """Tell the layout's feedback include where the page is (see feedback/form.html)."""
    in_section = services.in_volunteer_section(page)
    next_url = request.get_full_path() if request.method == "GET" else page.get_url(request)
    request.frivillig_feedback = services.FeedbackSlot(
        page=page, in_section=in_section, next_url=next_url or "/"
    )


@hooks.register("register_admin_viewset")
def register_feedback():
    from .viewsets import FeedbackViewSet

    return FeedbackViewSet()


@hooks.register("register_admin_viewset")
def register_theme_meetings():
    from .viewsets import ThemeMeetingViewSet

    return ThemeMeetingViewSet()


@hooks.register("register_log_actions")
def register_log_actions(actions):
    actions.register_action(
        "frivillig_blocks.invitations_sent", _("Send invitations"), _("Invitations sent")
    )


@hooks.register(FIGURE_SOURCES)
def figure_source():
    from .figures import FeedbackFigures

    return FeedbackFigures()


@hooks.register(frivillig_hooks.CALENDAR_ENTRIES)
def theme_meetings_in_calendar(start, end):
    """Public theme meetings in the shared calendar (kind "meeting")."""
    from ..models import ThemeMeeting
    from .invitations import meeting_location, meeting_uid

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
