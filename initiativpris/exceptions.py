"""The prize's domain errors; views show their Danish ``message``."""

from django.utils.translation import gettext_lazy as _

from frivillig_blocks import exceptions as base
from frivillig_blocks.exceptions import FrivilligError


class PrizeError(FrivilligError):
    message = _("The prize could not handle that. Try again.")


class InvalidAddress(PrizeError):
    """Raised with the reason of ``frivillig_blocks.identity`` as its message."""

    message = _("Write a valid e-mail address, e.g. navn@eksempel.dk.")


class NominationsClosed(PrizeError):
    message = _("Nominations are not open for this round.")


class AlreadyNominated(PrizeError):
    message = _(
        "You have already made the number of nominations allowed in this round from this "
        "e-mail address."
    )


class TooManyPending(PrizeError):
    message = _(
        "Several nominations from this e-mail address are waiting to be confirmed. Confirm "
        "them with the link in the mail we sent you, or try again tomorrow."
    )


class RateLimited(PrizeError, base.RateLimited):
    message = _("You have sent too many times from this connection. Try again in an hour.")


class InvalidLink(PrizeError):
    message = _("The link is not valid. Copy the whole link from the mail, or start again.")


class ExpiredLink(PrizeError):
    message = _("The link has expired. Start again to get a new link.")


class AlreadyConfirmed(PrizeError):
    message = _("The link has already been used.")


class VoteClosed(PrizeError):
    message = _("The public vote is not open now.")


class NotOnBallot(PrizeError):
    message = _("You can only vote for one of the nominees on the list.")


class AlreadyVoted(PrizeError):
    message = _(
        "A vote has already been given from this e-mail address in this round. Each person "
        "has one vote."
    )


class NotJuror(PrizeError):
    message = _("Only the round's jury members can score its nominations.")


class NotEditor(PrizeError):
    message = _("Only the prize's editors can do that.")


class ConflictDeclared(PrizeError):
    message = _("You have declared a conflict of interest and cannot score this nomination.")


class NotEligible(PrizeError):
    message = _("Only confirmed nominations whose nominee has consented can be chosen.")


class TallyHidden(PrizeError):
    message = _("The result is not shown before the announcement.")
