"""The shared base's domain errors. Views catch them and show ``message`` (Danish) with
the HTTP ``status`` the error carries (``frivillig_blocks.errors`` turns them into
responses)."""

from django.utils.translation import gettext_lazy as _


class FrivilligError(Exception):
    """The root of every app's errors: ``message`` for the person, ``status`` for HTTP."""

    message = _("Something went wrong.")
    status = 400

    def __init__(self, message=None):
        if message is not None:
            self.message = message
        super().__init__(str(self.message))


class RateLimited(FrivilligError):
    """Too many attempts in a short time (allauth's limiter said no). Each app's own
    rate-limit error subclasses this one (beside the app's base error), so a page answers
    429 without naming the app's class."""

    status = 429
    message = _("You have sent many times in a short time. Wait a little and try again.")


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

    message = _("The form was incomplete. Check it and send it again.")


class InvalidAddress(FrivilligError):
    message = _("Write a valid e-mail address, e.g. navn@eksempel.dk.")
    code = "invalid"


class InvisibleCharacter(InvalidAddress):
    message = _(
        "The e-mail address holds an invisible character (e.g. a zero-width space or a soft "
        "hyphen). Write the address again by hand."
    )
    code = "invisible"


class QuotedAddress(InvalidAddress):
    message = _("Write the e-mail address without quotation marks.")
    code = "quoted"


class UnusualCharacter(InvalidAddress):
    message = _(
        "Before the @ the address may only hold the letters a-z, digits and . _ - +. Write "
        "the address as your mail provider shows it."
    )
    code = "characters"


class ScheduleError(ValueError):
    pass


class BackupError(Exception):
    pass


class LinkInvalid(FrivilligError):
    message = _("The link is not valid. Copy the whole link from the mail, or start again.")


class LinkExpired(FrivilligError):
    message = _("The link has expired. Start again to get a new link.")
