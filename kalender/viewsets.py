"""The calendar's snippets in the admin: school holidays, trusted organisers, venue
contacts. An event's subjects are the site's shared themes (frivillig_blocks' Theme
snippet). The associations' linked calendars are records (a ModelViewSet): staff see every
one and pause it; linking and unlinking are the organiser's (issue #23)."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from frivillig_blocks.admin_viewsets import ModelViewSet, SnippetViewSet

from .models import SchoolHoliday, Subscription, TrustedOrganiser, VenueContact


class SchoolHolidayViewSet(SnippetViewSet):
    model = SchoolHoliday
    icon = "date"
    list_display = ["name", "start_date", "end_date"]


class TrustedOrganiserViewSet(SnippetViewSet):
    model = TrustedOrganiser
    icon = "user"
    list_display = ["__str__", "note", "created_at"]


class VenueContactViewSet(SnippetViewSet):
    model = VenueContact
    icon = "mail"
    list_display = ["place", "name", "email"]


class CalendarViewSetGroup(SnippetViewSetGroup):
    menu_label = _("Calendar")
    menu_icon = "date"
    menu_order = 320
    items = (SchoolHolidayViewSet, TrustedOrganiserViewSet, VenueContactViewSet)


def calendar_viewset_group():
    return CalendarViewSetGroup()


class SubscriptionViewSet(ModelViewSet):
    """Every association's linked calendars. Staff pause one (its events stay as they are);
    the model permissions (view, change: granted to the calendar's reviewers in migration
    0011) say who may. No add or delete here: an organiser links a calendar on the
    calendar's pages, and unlinking cancels its future dates (``importer.unlink``)."""

    model = Subscription
    icon = "link"
    menu_label = _("Linked calendars")
    menu_order = 321
    add_to_admin_menu = True
    url_prefix = "kalender-abonnementer"
    name = "kalender_subscription"
    list_display = [
        "association",
        "url",
        "paused",
        "last_success_at",
        "failures_in_row",
        "last_error",
    ]
    list_filter = ["paused"]
    search_fields = ["url", "association__name"]
    ordering = ["association__name", "pk"]
    form_fields = ["paused"]
    panels = Subscription.panels


def subscription_viewset():
    return SubscriptionViewSet()
