"""The loans app's domain errors; views show ``message`` (Danish) and, where there are
several, ``problems`` (one reason per broken rule)."""

from django.utils.translation import gettext_lazy as _

from frivillig_blocks import exceptions as base
from frivillig_blocks.exceptions import FrivilligError


class BookingError(FrivilligError):
    message = _("The loan could not be made.")

    def __init__(self, message=None, problems=None):
        super().__init__(message)
        self.problems = list(problems or [])


class RulesBroken(BookingError):
    message = _("The request breaks the rules for lending. Correct the following:")


class SlotTaken(BookingError):
    message = _(
        "The time is taken: someone else has borrowed or asked for it. Choose another time."
    )


class InvalidResources(BookingError):
    message = _("Choose what you want to borrow from one institution.")


class NotAllowed(BookingError):
    message = _("You cannot do that with this loan.")


class AlreadyDecided(BookingError):
    message = _("The loan has already been decided.")


class ReasonRequired(BookingError):
    """The leader cancels an approved loan without saying why."""

    message = _("Write why the loan is cancelled: the borrower is told it.")


class DeclineReasonRequired(ReasonRequired):
    message = _("Choose a reason for declining: the borrower is told it.")


class CancellationTooLate(BookingError):
    message = _(
        "The cancellation deadline has passed. Contact the institution's leader, who decides."
    )


class RateLimited(BookingError, base.RateLimited):
    message = _("You have sent many requests in a short time. Try again later.")


class ConditionRequired(BookingError):
    message = _("Note the condition of the equipment: the rules ask for a condition check.")


class InvalidTime(ValueError):
    """A wall-clock time that does not exist (the hour skipped when clocks go forward)."""
