"""The courses' domain errors; views show their Danish ``message``."""

from django.utils.translation import gettext_lazy as _

from frivillig_blocks.exceptions import FrivilligError, RateLimited


class CourseError(FrivilligError):
    message = _("The course registration could not be completed.")


class RegistrationClosed(CourseError):
    message = _("Registration for this session is closed: the deadline has passed.")


class NoSeats(CourseError):
    message = _("This session takes no registrations.")


class AlreadyRegistered(CourseError):
    message = _("This person is already registered for the session (or on its waiting list).")


class AssociationCapReached(CourseError):
    message = _(
        "Your association has registered as many people as one association may for this session."
    )


class NotAssociationMember(CourseError):
    message = _("You can only register people for an association you are a member of.")


class InvalidLink(CourseError):
    message = _("The link is not valid. Use the link in the latest mail from us.")


class AlreadyCancelled(CourseError):
    message = _("The registration is already cancelled.")


class TooLateToCancel(CourseError):
    message = _("The course has started, so the registration can no longer be cancelled here.")


class OfferExpired(CourseError):
    message = _("The offer has expired, and the seat has gone to the next person in line.")


class NoOffer(CourseError):
    message = _("There is no open offer of a seat for this registration.")


class SessionFull(CourseError):
    message = _("The session is full. Raise the number of seats first.")


class TooManyRequests(CourseError, RateLimited):
    message = _("You have sent too many requests. Wait a while and try again.")


class AlreadyEvaluated(CourseError):
    message = _("You have already answered the evaluation. Thank you!")


class EvaluationNotOpen(CourseError):
    message = _("The evaluation opens when the course has begun.")
