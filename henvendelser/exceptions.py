"""The inbox's domain errors. Views catch them and show ``message`` (Danish)."""

from django.utils.translation import gettext_lazy as _

from frivillig_blocks.exceptions import FrivilligError, RateLimited


class InquiryError(FrivilligError):
    message = _("The inquiry could not be handled.")


class InboxError(FrivilligError):
    message = _("The inquiry could not be changed.")


class EmptyText(InboxError):
    message = _("Write a text.")


class TextTooLong(InboxError):
    message = _("The text is too long.")


class NoRecipient(InboxError):
    message = _("The inquiry has no sender address to reply to.")


class InvalidColleague(InboxError):
    message = _("Choose a colleague who works with the inbox.")


class AlreadyAnonymised(InboxError):
    message = _("The inquiry has been anonymised and can no longer be changed.")


class TooManyContactMessages(InquiryError, RateLimited):
    message = _(
        "You have sent many messages in a short time. Please wait a while and send it again."
    )
