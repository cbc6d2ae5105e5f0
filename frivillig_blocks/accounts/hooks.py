"""The shared base's own parts of Mine sider and of the personal data registry (the data
download, account deletion and retention all read it): the account, associations, the
consent to invitations, ideas, grant applications and the mail logs."""

import datetime

from allauth.account.models import EmailAddress
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail import hooks as wagtail_hooks

from .. import hooks
from ..models import AssociationInvitation, AssociationMembership, ContactPreference
from ..personal_data import Person, PersonalDataSource

#: An invitation's link works for 14 days (services.INVITATION_MAX_AGE); the row, with the
#: invitee's address, is kept a while longer so an admin sees who did not answer.
INVITATION_RETENTION = datetime.timedelta(days=90)
DB_SESSION_ENGINES = (
    "django.contrib.sessions.backends.db",
    "django.contrib.sessions.backends.cached_db",
)


@wagtail_hooks.register(hooks.MINE_SIDER_SECTIONS)
def associations_section(request):
    memberships = AssociationMembership.objects.filter(user=request.user).select_related(
        "association"
    )
    return hooks.MineSiderSection(
        title=_("My associations"),
        template_name="frivillig_blocks/accounts/section_associations.html",
        context={"memberships": list(memberships)},
        order=10,
    )


@wagtail_hooks.register(hooks.MINE_SIDER_SECTIONS)
def invitations_section(request):
    from .forms import ContactPreferenceForm

    preference = ContactPreference.objects.filter(user=request.user).first()
    return hooks.MineSiderSection(
        title=_("Invitations from the municipality"),
        template_name="frivillig_blocks/accounts/section_contact_preference.html",
        context={
            "form": ContactPreferenceForm(
                initial={"invitations": bool(preference and preference.invitations)}
            )
        },
        order=90,
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


@wagtail_hooks.register(hooks.PERSONAL_DATA_SOURCES)
def personal_data_sources():
    from .. import mail_log
    from ..feedback import personal_data as feedback_data
    from ..grants import personal_data as grant_data
    from ..ideas import personal_data as idea_data

    return [
        PersonalDataSource(
            key="frivillig_blocks.account",
            label=_("Account"),
            data=_(
                "Name, e-mail addresses (verified or not), user name, when the account was "
                "made and last used; a password hash if the person chose one."
            ),
            purpose=_(
                "To let the person sign in and use Mine sider: loans, courses, the exchange, "
                "associations."
            ),
            legal_basis=_("GDPR art. 6(1)(b) (the agreement the person makes by signing up)."),
            retention=_("Until the person deletes the account on Mine sider."),
            export=export_account,
            erase=erase_account,
        ),
        PersonalDataSource(
            key="frivillig_blocks.associations",
            label=_("Association memberships and invitations"),
            data=_(
                "Which associations the person belongs to and in which role; invitations "
                "to the person's address and the invitations the person sent (the "
                "invitee's address)."
            ),
            purpose=_(
                "To let an association's members act for it (book, register, post) and its "
                "administrators invite new members."
            ),
            legal_basis=_(
                "GDPR art. 6(1)(b) (the person's membership) and 6(1)(f) (the association's "
                "interest in inviting a member)."
            ),
            retention=_(
                "Memberships until the person leaves or deletes the account; invitations "
                "deleted 90 days after they were sent, and with the account."
            ),
            export=export_associations,
            erase=erase_associations,
            expire=expire_invitations,
        ),
        *feedback_data.sources(),
        *idea_data.sources(),
        *grant_data.sources(),
        *mail_log.sources(),
    ]
