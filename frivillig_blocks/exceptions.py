"""The shared base's domain errors. Views catch them and show ``message`` (Danish)."""

from django.utils.translation import gettext_lazy as _


class FrivilligError(Exception):
    message = _("Something went wrong.")

    def __init__(self, message=None):
        if message is not None:
            self.message = message
        super().__init__(str(self.message))


class NotAssociationAdmin(FrivilligError):
    message = _("Only the association's administrators can do that.")


class AlreadyMember(FrivilligError):
    message = _("That person is already a member of the association.")


class InvitationInvalid(FrivilligError):
    message = _("The invitation link is not valid. Ask the association for a new invitation.")


class InvitationExpired(FrivilligError):
    message = _("The invitation has expired. Ask the association for a new invitation.")


class InvitationUsed(FrivilligError):
    message = _("The invitation has already been used.")


class InvitationForSomeoneElse(FrivilligError):
    message = _(
        "The invitation was sent to another e-mail address. Log in with the address the "
        "invitation was sent to."
    )


class SubmissionKeyInvalid(FrivilligError):
    """A public form came back without its hidden submission key, or with a broken one."""

    status = 400
    message = _("The form was incomplete. Check it and send it again.")
