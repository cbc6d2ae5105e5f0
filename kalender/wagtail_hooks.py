"""Registration only: the one door's hooks, the review queue, planning grid and newspaper
listing in the admin, the snippets and the log actions."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet

from frivillig_blocks.figures import FIGURE_SOURCES
from frivillig_blocks.hooks import (
    CALENDAR_EVENTS,
    PERSONAL_DATA_SOURCES,
    SEED_DEMO,
    UPCOMING_EVENTS,
)

from . import admin_urls
from .admin_views import ReviewSummaryItem, is_reviewer_request
from .figures import CalendarFigures
from .integration import calendar_events, personal_data_sources, upcoming_events
from .viewsets import CalendarViewSetGroup

LOG_ACTIONS = {
    "kalender.create": (_("Create calendar event"), _("Calendar event created")),
    "kalender.edit": (_("Edit calendar event"), _("Calendar event edited")),
    "kalender.publish": (_("Publish calendar event"), _("Calendar event published after review")),
    "kalender.reject": (
        _("Send calendar event back"),
        _("Calendar event sent back to the organiser"),
    ),
    "kalender.cancel_date": (_("Cancel a date"), _("A date of the calendar event cancelled")),
    "kalender.move_date": (_("Move a date"), _("A date of the calendar event moved")),
    "kalender.venue_agreed": (
        _("Venue agreed to a clash"),
        _("The organiser states that the venue agreed to a clash"),
    ),
    "kalender.cancelled": (_("Cancel calendar event"), _("Calendar event cancelled")),
    "kalender.postponed": (_("Postpone calendar event"), _("Calendar event postponed")),
    "kalender.published": (_("Publish calendar event again"), _("Calendar event published again")),
}


@hooks.register("register_log_actions")
def register_calendar_log_actions(actions):
    for action, (label, message) in LOG_ACTIONS.items():
        actions.register_action(action, label, message)


@hooks.register("register_admin_urls")
def register_calendar_admin_urls():
    return [path("kalender/", include(admin_urls, namespace="kalender_admin"))]


class ReviewerMenuItem(MenuItem):
    def is_shown(self, request):
        return is_reviewer_request(request)


@hooks.register("register_admin_menu_item")
def register_calendar_menu_item():
    return ReviewerMenuItem(
        _("Calendar review"), reverse("kalender_admin:review"), icon_name="date", order=310
    )


@hooks.register("construct_homepage_summary_items")
def add_review_summary(request, items):
    if is_reviewer_request(request):
        items.append(ReviewSummaryItem(request))


register_snippet(CalendarViewSetGroup)


def seed_demo(stdout):
    from .demo import seed

    seed(stdout)


hooks.register(UPCOMING_EVENTS, upcoming_events)
hooks.register(CALENDAR_EVENTS, calendar_events)
hooks.register(SEED_DEMO, seed_demo)
hooks.register(PERSONAL_DATA_SOURCES, personal_data_sources)


@hooks.register(FIGURE_SOURCES)
def figure_source():
    return CalendarFigures()
