"""Grant applications as personal data: the applicant's name, address and phone with the
application's text. Erasing the person withdraws an application not yet decided (it is
deleted) and anonymises a decided one, which keeps its reference, grant, amount and status
for the council's figures and the municipality's case archive."""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..conf import app_settings
from ..models import GrantApplication
from ..personal_data import Person, PersonalDataSource, redact, scrub_mail

FREE_TEXT_FIELDS = (
    "project_title",
    "association_name",
    "description",
    "social_purpose",
    "target_group",
    "budget",
)


def applications_of(person: Person):
    return GrantApplication.objects.filter(
        Q(user=person.user) | person.email_q("email")
    ).select_related("grant")


def export(person: Person) -> list[dict]:
    return [
        {
            "reference": a.reference,
            "grant": a.grant.name,
            "applicant_name": a.applicant_name,
            "email": a.email,
            "phone": a.phone,
            "association_name": a.association_name,
            "cvr": a.cvr,
            "project_title": a.project_title,
            "description": a.description,
            "amount_requested": a.amount_requested,
            "social_purpose": a.social_purpose,
            "target_group": a.target_group,
            "budget": a.budget,
            "status": a.status,
            "submitted": a.submitted_at,
            "decided": a.decided_at,
        }
        for a in applications_of(person).order_by("submitted_at")
    ]


def anonymise(application: GrantApplication, *, terms=()) -> None:
    """Remove the applicant: name, address, phone and the account go; free text keeps its
    content with every mention of them replaced by "[…]"."""
    name = application.applicant_name
    all_terms = [*terms, name, *name.split(), application.email]
    all_terms = [t for t in all_terms if t and (len(t) >= 3 or t == name)]
    changed = {
        field: redact(getattr(application, field), all_terms, phones=[application.phone])
        for field in FREE_TEXT_FIELDS
    }
    GrantApplication.objects.filter(pk=application.pk).update(
        applicant_name="",
        email="",
        phone="",
        user=None,
        anonymised_at=timezone.now(),
        **changed,
    )
    scrub_mail([application])


def erase(person: Person) -> None:
    terms = person.terms()
    for application in applications_of(person):
        if application.status in GrantApplication.DECIDED:
            anonymise(application, terms=terms)
        else:
            scrub_mail([application])
            application.delete()  # withdrawn: the case cannot go on without its applicant


def expire(now: datetime.datetime) -> int:
    """Anonymise applications FRIVILLIG_GRANT_APPLICATION_RETENTION_DAYS after their
    decision (or, never decided, after their submission)."""
    cutoff = now - datetime.timedelta(days=app_settings.GRANT_APPLICATION_RETENTION_DAYS)
    old = GrantApplication.objects.filter(anonymised_at__isnull=True).filter(
        Q(decided_at__lt=cutoff) | Q(decided_at__isnull=True, submitted_at__lt=cutoff)
    )
    count = 0
    for application in old:
        anonymise(application)
        count += 1
    return count


def sources() -> list[PersonalDataSource]:
    return [
        PersonalDataSource(
            key="frivillig_blocks.grant_applications",
            label=_("Grant applications"),
            data=_(
                "The applicant's name, e-mail address and phone, the association and its CVR "
                "number, the project (title, description, social purpose, target group, "
                "budget, amount), status and dates; the account when signed in."
            ),
            purpose=_(
                "To handle the application for a grant and tell the applicant the decision; "
                "the anonymised figures go into the council's follow-up."
            ),
            legal_basis=_(
                "GDPR art. 6(1)(e) (the municipality's task of granting funds, e.g. § 18 of "
                "the Social Services Act)."
            ),
            retention=_(
                "Anonymised FRIVILLIG_GRANT_APPLICATION_RETENTION_DAYS (default 1826 days, "
                "five years: the usual archive period of a grant case) after the decision. On "
                "account deletion an undecided application is deleted (withdrawn) and a "
                "decided one anonymised at once; reference, grant, amount and status stay."
            ),
            export=export,
            erase=erase,
            expire=expire,
        )
    ]
