"""The idea catalogue's personal data: who proposed an idea (name and address), with the
proposal's own text. Erasing a person deletes a proposal never published and takes the
proposer off a published idea (the idea, now the catalogue's, stays)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.search import index

from ..conf import app_settings
from ..models import Idea
from ..personal_data import Person, PersonalDataSource, redact

PERSONAL_FIELDS = ("proposed_by_name", "proposed_by_email")
TEXT_FIELDS = ("title", "description", "what_it_takes", "example")


def proposals_of(person: Person):
    return Idea.objects.filter(person.email_q("proposed_by_email")).exclude(proposed_by_email="")


def _was_published(idea: Idea) -> bool:
    return idea.live or idea.first_published_at is not None


def export(person: Person) -> list[dict]:
    return [
        {
            "title": idea.title,
            "description": idea.description,
            "target_groups": [str(group) for group in idea.age_groups.all()],
            "what_it_takes": idea.what_it_takes,
            "example": idea.example,
            "proposed_by_name": idea.proposed_by_name,
            "proposed_by_email": idea.proposed_by_email,
            "proposed": idea.proposed_at,
            "published": idea.live,
        }
        for idea in proposals_of(person).prefetch_related("age_groups").order_by("proposed_at")
    ]


def anonymise(idea: Idea, *, terms=()) -> None:
    """Take the proposer off an idea and out of its revisions (the admin's history keeps
    every saved version, each with the proposer's name and address)."""
    changed = dict.fromkeys(PERSONAL_FIELDS, "")
    proposer = idea.proposed_by_name.strip()
    terms = [*terms, proposer, *(p for p in proposer.split() if len(p) >= 3)]
    terms += [idea.proposed_by_email]
    for name in TEXT_FIELDS:
        changed[name] = redact(getattr(idea, name), terms)
    Idea.objects.filter(pk=idea.pk).update(**changed)
    for revision in idea.revisions.all():
        content = dict(revision.content or {})
        for name, value in changed.items():
            if name in content:
                content[name] = value
        revision.content = content
        revision.save(update_fields=["content"])
    idea.refresh_from_db()
    index.insert_or_update_object(idea)  # the search index holds the old text


def erase(person: Person) -> None:
    terms = person.terms()
    for idea in proposals_of(person):
        if _was_published(idea):
            anonymise(idea, terms=terms)
        else:
            idea.delete()  # a proposal nobody published is the person's alone


def expire(now: datetime.datetime) -> int:
    """After the retention period an idea's proposer goes: a proposal never published is
    deleted, a published idea loses the proposer's name and address."""
    cutoff = now - datetime.timedelta(days=app_settings.IDEA_PROPOSAL_RETENTION_DAYS)
    old = Idea.objects.filter(proposed_at__lt=cutoff).filter(
        ~Q(proposed_by_name="") | ~Q(proposed_by_email="")
    )
    count = 0
    for idea in old:
        with transaction.atomic():
            if _was_published(idea):
                anonymise(idea)
            else:
                idea.delete()
        count += 1
    return count


def sources() -> list[PersonalDataSource]:
    return [
        PersonalDataSource(
            key="frivillig_blocks.idea_proposals",
            label=_("Idea proposals"),
            data=_(
                "The proposer's name and e-mail address with the proposed idea (title, "
                "description, target group, what it takes, an example) and when it came."
            ),
            purpose=_(
                "To let the editors ask the proposer about the idea before they publish it "
                "in the idea catalogue."
            ),
            legal_basis=_(
                "GDPR art. 6(1)(e) (the municipality's task of supporting voluntary work) "
                "on the proposer's own initiative."
            ),
            retention=_(
                "Name and address removed FRIVILLIG_IDEA_PROPOSAL_RETENTION_DAYS (default "
                "365 days) after the proposal, when a proposal never published is deleted; "
                "on account deletion at once (a published idea stays without the proposer)."
            ),
            export=export,
            erase=erase,
            expire=expire,
        )
    ]
