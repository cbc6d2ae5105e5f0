"""Domain errors of grant applications. Views catch them and show ``message`` (Danish)."""

from django.utils.translation import gettext_lazy as _

from ..exceptions import FrivilligError


class GrantError(FrivilligError):
    """Base of the errors an application for a grant can meet."""


class GrantNotOpen(GrantError):
    message = _(
        "The grant is not open for applications. See the grants that are open now on the "
        "list of grants."
    )


class MissingSection18Information(GrantError):
    message = _(
        "A § 18 grant requires the association's social purpose, the target group and a budget."
    )


class InvalidApplication(GrantError):
    message = _("The application is not complete. Check the fields and send it again.")


class SubmissionConflict(GrantError):
    message = _("The form could not be sent. Reload the page and send the application again.")


class ReceiptNotQueued(GrantError):
    message = _(
        "We could not receive your application right now, and nothing has been saved. "
        "Please try again in a little while."
    )
