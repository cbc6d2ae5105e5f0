"""The idea catalogue's domain errors; views show ``message`` (Danish)."""

from django.utils.translation import gettext_lazy as _

from ..exceptions import FrivilligError, RateLimited


class IdeaError(FrivilligError):
    message = _("Your idea could not be received. Please try again.")


class ProposalInvalid(IdeaError):
    message = _("Your idea could not be received: check the fields and send it again.")


class TooManyProposals(IdeaError, RateLimited):
    message = _("You have sent many ideas in a short time. Please wait a while and send it again.")
