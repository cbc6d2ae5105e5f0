"""Every error of the follow-up, on the base's error."""

from django.utils.translation import gettext_lazy as _

from frivillig_blocks.exceptions import FrivilligError
from frivillig_blocks.exceptions import RateLimited as BaseRateLimited


class FollowUpError(FrivilligError):
    pass


class RateLimited(FollowUpError, BaseRateLimited):
    """Too many feedback answers from one address in a short time."""

    message = _("You have sent many answers in a short time. Please wait a little and try again.")
