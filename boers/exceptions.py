"""The exchange's domain errors; views show ``message`` (Danish through the catalogue)."""

from django.utils.translation import gettext_lazy as _

from frivillig_blocks.exceptions import FrivilligError, RateLimited


class BoersError(FrivilligError):
    message = _("The exchange could not do that.")


class Blocked(BoersError):
    message = _(
        "You cannot post or send messages on the exchange. Contact the volunteer "
        "coordinator if you think this is a mistake."
    )


class PostNotOpen(BoersError):
    message = _("The post is no longer open, so it cannot be answered.")


class OwnPost(BoersError):
    message = _("You cannot answer your own post.")


class TooManyMessages(BoersError, RateLimited):
    message = _("You have sent many messages in a short time. Wait a little and try again.")


class TooManyPosts(BoersError, RateLimited):
    message = _("You have created many posts in a short time. Wait a little and try again.")


class TooManyReports(BoersError, RateLimited):
    message = _("You have sent many reports in a short time. Wait a little and try again.")


class AlreadyReported(BoersError):
    message = _("You have already reported this. A moderator will look at it.")


class InvalidLink(BoersError):
    message = _("The link is not valid or has expired.")


class NotAllowed(BoersError):
    message = _("You cannot do that.")


class NotAssociationMember(BoersError):
    message = _("You can only post on behalf of an association you are a member of.")
