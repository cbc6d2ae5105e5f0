"""The follow-up's personal data: the consent to invitations from the municipality and the
theme meeting invitations sent on it. Feedback answers hold none (no account, no address)."""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from frivillig_blocks.personal_data import Person, PersonalDataSource

from ..models import ContactPreference, ThemeMeetingInvitation

#: Invitations to a meeting that ended this long ago are forgotten (the mail log keeps the
#: mail itself for its own period).
INVITATION_RETENTION = datetime.timedelta(days=365)


def export_consent(person: Person) -> dict:
    preference = ContactPreference.objects.filter(user=person.user).first()
    if preference is None:
        return {}
    return {"invitations": preference.invitations, "changed": preference.changed_at}


def erase_consent(person: Person) -> None:
    ContactPreference.objects.filter(user=person.user).delete()


def _invitation_q(person: Person) -> Q:
    return Q(user=person.user) | person.email_q("email")


def invitations_of(person: Person):
    return ThemeMeetingInvitation.objects.filter(_invitation_q(person)).select_related("meeting")


def export_invitations(person: Person) -> list[dict]:
    return [
        {
            "meeting": i.meeting.title,
            "start": i.meeting.start,
            "email": i.email,
            "sent": i.sent_at,
        }
        for i in invitations_of(person).order_by("sent_at")
    ]


def erase_invitations(person: Person) -> None:
    invitations_of(person).delete()


def expire_invitations(now: datetime.datetime) -> int:
    removed, _by_model = ThemeMeetingInvitation.objects.filter(
        meeting__end__lt=now - INVITATION_RETENTION
    ).delete()
    return removed


def sources() -> list[PersonalDataSource]:
    return [
        PersonalDataSource(
            key="frivillig_blocks.contact_preference",
            label=_("Consent to invitations"),
            data=_("Whether the person said yes to invitations from the municipality, and when."),
            purpose=_("To invite only those who want it to meetings about volunteering."),
            legal_basis=_("GDPR art. 6(1)(a) (consent, withdrawn on Mine sider at any time)."),
            retention=_("Until the person withdraws it or deletes the account."),
            export=export_consent,
            erase=erase_consent,
        ),
        PersonalDataSource(
            key="frivillig_blocks.theme_meeting_invitations",
            label=_("Theme meeting invitations"),
            data=_("The address an invitation to a theme meeting went to, and when."),
            purpose=_("To invite each person who consented once to each meeting."),
            legal_basis=_("GDPR art. 6(1)(a) (consent to invitations)."),
            retention=_(
                "Deleted one year after the meeting, and with the account (the mail itself "
                "follows the outgoing mail log)."
            ),
            export=export_invitations,
            erase=erase_invitations,
            expire=expire_invitations,
        ),
    ]
