"""Registration only: the leaders' admin (menu, URLs, dashboard count, log actions), the
setup viewsets and the one door's hooks (Mine sider, calendar, venues, demo, personal data)."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from frivillig_blocks import hooks as frivillig_hooks
from frivillig_blocks.figures import FIGURE_SOURCES

from . import admin_urls, integration
from .figures import LoanFigures
from .viewsets import BookingViewSetGroup

LOG_ACTIONS = {
    "booking.request": (_("Requested"), _("Loan requested")),
    "booking.approve": (_("Approved"), _("Loan approved")),
    "booking.decline": (_("Declined"), _("Loan declined")),
    "booking.cancel": (_("Cancelled"), _("Loan cancelled")),
    "booking.hand_out": (_("Handed out"), _("Equipment handed out")),
    "booking.return": (_("Returned"), _("Equipment returned")),
    "booking.anonymise": (_("Anonymised"), _("Personal data removed")),
    "booking.feed_renew": (_("Calendar address made"), _("A leader made a new calendar address")),
    "booking.feed_revoke": (
        _("Calendar address withdrawn"),
        _("A former leader's calendar address was withdrawn"),
    ),
}


@hooks.register("register_admin_urls")
def register_booking_urls():
    return [path("laan/", include(admin_urls, namespace="booking_admin"))]


class LoansMenuItem(MenuItem):
    def is_shown(self, request):
        from .services import is_leader

        return is_leader(request.user)


@hooks.register("register_admin_menu_item")
def register_loans_menu_item():
    return LoansMenuItem(_("Loans"), reverse("booking_admin:index"), icon_name="date", order=320)


@hooks.register("register_admin_viewset")
def register_setup():
    return BookingViewSetGroup()


@hooks.register("register_log_actions")
def register_log_actions(actions):
    for action, (label, message) in LOG_ACTIONS.items():
        actions.register_action(action, label, message)


@hooks.register("construct_homepage_summary_items")
def add_pending_count(request, items):
    item = integration.pending_summary_item(request)
    if item is not None:
        items.append(item)


hooks.register(frivillig_hooks.MINE_SIDER_SECTIONS, integration.mine_sider_section)
hooks.register(frivillig_hooks.VENUE_BOOKINGS, integration.venue_bookings)
hooks.register(frivillig_hooks.CALENDAR_ENTRIES, integration.calendar_entries)
hooks.register(frivillig_hooks.PERSONAL_DATA_SOURCES, integration.personal_data_sources)
hooks.register(frivillig_hooks.SEED_DEMO, integration.seed_demo)


@hooks.register(FIGURE_SOURCES)
def figure_source():
    return LoanFigures()
