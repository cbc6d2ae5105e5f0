"""The calendar's snippets in the admin: school holidays, trusted organisers, venue
contacts. An event's subjects are the site's shared themes (frivillig_blocks' Theme
snippet)."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from frivillig_blocks.admin_viewsets import SnippetViewSet

from .models import SchoolHoliday, TrustedOrganiser, VenueContact


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
