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
    """A subscribed calendar (issue #23) could not be fetched or read. Each kind of failure
    has its own class, so the organiser's page says what went wrong and how to mend it; a
    failing feed changes none of the association's events."""

    message = _("The calendar could not be fetched.")


class FeedAddressInvalid(FeedError):
    message = _(
        "The calendar address is not valid. It must start with https:// or webcal:// (or http://)."
    )


class FeedAddressHasCredentials(FeedError):
    message = _(
        "The calendar address holds a user name or password. Use the calendar's public or "
        "secret iCal address instead."
    )


class FeedAddressForbidden(FeedError):
    """The address resolves to a loopback, private, link-local or otherwise internal
    network: the calendar never fetches from there (issue #23, part 2)."""

    message = _("The calendar address leads to an internal network, which we do not fetch from.")


class FeedHostNotFound(FeedError):
    message = _("The calendar's server could not be found. Check the address.")


class FeedConnectionFailed(FeedError):
    message = _("The calendar's server could not be reached. We will try again later.")


class FeedCertificateInvalid(FeedError):
    message = _("The calendar's server has no valid security certificate (https).")


class FeedTimedOut(FeedError):
    message = _("The calendar's server took too long to answer. We will try again later.")


class FeedTooLarge(FeedError):
    message = _("The calendar is too large to fetch.")


class FeedTooManyRedirects(FeedError):
    message = _("The calendar address sends us on to other addresses too many times.")


class FeedRedirectLoop(FeedError):
    message = _("The calendar address sends us on in a circle.")


class FeedHTTPError(FeedError):
    """The server answered neither 200 nor 304 (``http_status`` keeps its answer; ``status``
    stays the HTTP status of our own response)."""

    message = _(
        "The calendar's server answered with an error. Check that the address is right and "
        "that the calendar is public."
    )

    def __init__(self, message=None, *, http_status: int | None = None):
        super().__init__(message)
        self.http_status = http_status


class FeedNotICalendar(FeedError):
    message = _(
        "The address gives a web page or something else, not a calendar in iCalendar format. "
        "Use the calendar's iCal address (it often ends in .ics)."
    )


class FeedMalformed(FeedError):
    message = _("The calendar could not be read: it is not valid iCalendar.")


class FeedTooManyOccurrences(FeedError):
    message = _("An event in the calendar repeats too often. Shorten the repetition at the source.")


class FeedTooManyDates(FeedError):
    message = _("The calendar holds too many dates to take in.")
