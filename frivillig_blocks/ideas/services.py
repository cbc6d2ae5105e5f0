"""Use cases of the idea catalogue: finding published ideas and proposing a new one.

A citizen's proposal becomes a draft ``Idea`` (``live=False``) with a revision, so an
editor finds it in the admin (Snippets → Ideas), edits it if needed and publishes it. Until
then it is neither listed nor reachable at its address."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.text import slugify
from wagtail.log_actions import log

from ..models import AgeGroup, Idea
from .exceptions import IdeaError, ProposalInvalid

#: Slugs the catalogue's own routes use; an idea cannot take them.
RESERVED_SLUGS = frozenset({"foreslaa"})
FALLBACK_SLUG = "ide"
SLUG_MAX_LENGTH = 200
_SLUG_ATTEMPTS = 5


def published_ideas(
    *,
    text: str = "",
    age_groups: Iterable[str] = (),
    themes: Iterable[str] = (),
) -> QuerySet[Idea]:
    """Live ideas matching free text (title or description), any of the target groups (age
    group codes) and any of the themes (slugs), with their groups and themes prefetched."""
    ideas = Idea.objects.filter(live=True)
    if text:
        ideas = ideas.filter(Q(title__icontains=text) | Q(description__icontains=text))
    age_groups = list(age_groups)
    if age_groups:
        ideas = ideas.filter(
            pk__in=Idea.objects.filter(age_groups__code__in=age_groups).values("pk")
        )
    themes = list(themes)
    if themes:
        ideas = ideas.filter(pk__in=Idea.objects.filter(themes__slug__in=themes).values("pk"))
    return ideas.prefetch_related("age_groups", "themes").order_by("title", "pk")


def published_idea(*, slug: str) -> Idea | None:
    return (
        Idea.objects.filter(live=True, slug=slug).prefetch_related("age_groups", "themes").first()
    )


def unique_slug(title: str) -> str:
    """A slug from the title (Danish letters kept) that no idea has and no route uses."""
    base = slugify(title, allow_unicode=True)[: SLUG_MAX_LENGTH - 10].strip("-_")
    base = base or FALLBACK_SLUG
    taken = set(Idea.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    taken |= RESERVED_SLUGS
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


def _age_groups(values: Iterable[Any]) -> list[AgeGroup]:
    values = list(values)
    codes = [value for value in values if isinstance(value, str)]
    groups = [value for value in values if isinstance(value, AgeGroup)]
    if codes:
        groups += list(AgeGroup.objects.filter(code__in=codes))
    return groups


@transaction.atomic
def propose_idea(*, data: Mapping[str, Any], submission_key: uuid.UUID) -> Idea:
    """Receive a citizen's idea as a draft for the editors.

    ``data`` holds ``title``, ``description``, ``age_groups`` (AgeGroup objects or codes),
    ``what_it_takes``, ``example``, ``name`` and ``email`` (ProposeIdeaForm's cleaned data).
    The same ``submission_key`` twice (a double click, a reload) returns the first idea."""
    existing = Idea.objects.filter(submission_key=submission_key).first()
    if existing is not None:
        return existing
    idea = Idea(
        title=data["title"],
        description=data["description"],
        what_it_takes=data.get("what_it_takes", ""),
        example=data.get("example", ""),
        proposed_by_name=data["name"],
        proposed_by_email=data["email"],
        proposed_at=timezone.now(),
        submission_key=submission_key,
        live=False,
    )
    idea.age_groups = _age_groups(data.get("age_groups", ()))
    try:
        idea.full_clean(exclude=["slug", "submission_key"])
    except ValidationError as exc:
        raise ProposalInvalid from exc
    for _attempt in range(_SLUG_ATTEMPTS):
        idea.slug = unique_slug(idea.title)
        try:
            with transaction.atomic():
                idea.save()
        except IntegrityError:
            # Another request took the slug or the submission key in the meantime.
            idea.pk = None
            idea._state.adding = True
            existing = Idea.objects.filter(submission_key=submission_key).first()
            if existing is not None:
                return existing
            continue
        break
    else:
        raise IdeaError
    revision = idea.save_revision(clean=False)
    log(instance=idea, action="wagtail.create", revision=revision, content_changed=True)
    return idea
