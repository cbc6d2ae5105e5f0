"""The calendar's domain errors; views show ``message`` (Danish)."""

from django.utils.translation import gettext_lazy as _

from frivillig_blocks import exceptions as base
from frivillig_blocks.exceptions import FrivilligError


class CalendarError(FrivilligError):
    message = _("The event could not be saved.")


class NotAllowed(CalendarError):
    message = _("You may not change this event.")


class InvalidRecurrence(CalendarError):
    message = _("The repetition is not valid.")


class TooManyOccurrences(CalendarError):
    message = _("The event repeats too often or for too long.")


class HardClash(CalendarError):
    message = _(
        "The place is already taken at that time. Choose another time or room, cancel the "
        "clashing dates, or state that the venue agreed."
    )


class RateLimited(CalendarError, base.RateLimited):
    message = _("You have created many events in a short time. Try again later.")


class EditRateLimited(RateLimited):
    message = _("You have changed events many times in a short time. Try again later.")


class NotADate(CalendarError):
    message = _("The event has no such date.")


class PeriodError(Exception):
    """``end`` before ``start``, or a period longer than the feed's."""


class EditAtSource(NotAllowed):
    """An event that came in from the association's own calendar (issue #23): its title,
    description, time and place follow that calendar, so they are changed there."""

    message = _(
        "This event comes from the association's own calendar. Change it there: the "
        "calendar here follows it at the next fetch."
    )


class FeedError(CalendarError):
    """A linked calendar could not be fetched or read (issue #23); ``message`` says why, in
    Danish, on the organiser's page. The fetcher and the parser raise it with their own
    message."""

    message = _("The calendar could not be fetched.")
