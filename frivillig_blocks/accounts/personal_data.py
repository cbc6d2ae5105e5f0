"""The export, erasure and retention of the account and the association memberships: the
shared base's own parts of the personal data registry (``integration.personal_data_sources``
declares them; the data download, account deletion and retention all read it)."""

import datetime

from allauth.account.models import EmailAddress
from django.db.models import Q

from ..models import AssociationInvitation, AssociationMembership
from ..personal_data import Person

#: An invitation's link works for 14 days (services.INVITATION_MAX_AGE); the row, with the
#: invitee's address, is kept a while longer so an admin sees who did not answer.
INVITATION_RETENTION = datetime.timedelta(days=90)
DB_SESSION_ENGINES = (
    "django.contrib.sessions.backends.db",
    "django.contrib.sessions.backends.cached_db",
)


# -- the account ------------------------------------------------------------------------


def export_account(person: Person) -> dict:
    user = person.user
    return {
        "username": user.get_username(),
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
        "email_addresses": list(
            EmailAddress.objects.filter(user=user)
            .order_by("email")
            .values("email", "verified", "primary")
        ),
    }


def _forget_sessions(user) -> None:
    """Sign the person out everywhere: their sessions (with what allauth keeps in them
    during a login) go with the account."""
    from django.conf import settings
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    if settings.SESSION_ENGINE not in DB_SESSION_ENGINES:
        return
    theirs = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            theirs.append(session.pk)
    Session.objects.filter(pk__in=theirs).delete()


def erase_account(person: Person) -> None:
    # The user row itself goes last (personal_data.erase), its addresses with it.
    EmailAddress.objects.filter(user=person.user).delete()
    _forget_sessions(person.user)


# -- associations -------------------------------------------------------------------------


def _received(person: Person):
    return AssociationInvitation.objects.filter(
        Q(accepted_by=person.user) | person.email_q("email")
    ).select_related("association")


def export_associations(person: Person) -> dict:
    memberships = AssociationMembership.objects.filter(user=person.user).select_related(
        "association"
    )
    sent = AssociationInvitation.objects.filter(invited_by=person.user).select_related(
        "association"
    )
    data = {
        "memberships": [
            {"association": m.association.name, "role": m.role, "since": m.created_at}
            for m in memberships.order_by("created_at")
        ],
        "invitations_received": [
            {
                "association": i.association.name,
                "email": i.email,
                "role": i.role,
                "created": i.created_at,
                "accepted": i.accepted_at,
            }
            for i in _received(person).order_by("created_at")
        ],
        "invitations_sent": [
            {
                "association": i.association.name,
                "email": i.email,
                "role": i.role,
                "created": i.created_at,
                "accepted": i.accepted_at,
            }
            for i in sent.order_by("created_at")
        ],
    }
    return data if any(data.values()) else {}


def erase_associations(person: Person) -> None:
    AssociationMembership.objects.filter(user=person.user).delete()
    _received(person).delete()
    # An invitation the person sent is the invitee's; it only loses who sent it.
    AssociationInvitation.objects.filter(invited_by=person.user).update(invited_by=None)


def expire_invitations(now: datetime.datetime) -> int:
    removed, _by_model = AssociationInvitation.objects.filter(
        created_at__lt=now - INVITATION_RETENTION
    ).delete()
    return removed
