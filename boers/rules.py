"""Pure decisions of the exchange (no HTTP, no writes): what counts as a match and why."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from .models import Side, WhenKind


def opposite(side: str) -> str:
    return Side.OFFER if side == Side.NEED else Side.NEED


def has_dates(when_kind: str) -> bool:
    return when_kind in (WhenKind.DATE, WhenKind.PERIOD)


def periods_overlap(a_from: date, a_to: date | None, b_from: date, b_to: date | None) -> bool:
    return a_from <= (b_to or b_from) and b_from <= (a_to or a_from)


@dataclass(frozen=True)
class MatchScore:
    AREA_SAME = 3
    AREA_NEARBY = 2
    AREA_WIDE = 1
    TIME_OVERLAP = 2
    TIME_FLEXIBLE = 1


def match_reasons(post, candidate) -> list[str]:
    """Why ``candidate`` (one of ``search.matching_posts(post)``, so in the same area, a
    neighbouring one or the whole municipality) matches ``post``, in words a person reads."""
    reasons = [
        _("Same kind: %(kind)s") % {"kind": candidate.get_kind_display()},
    ]
    if candidate.theme_id:
        reasons.append(_("Same theme: %(theme)s") % {"theme": candidate.theme.name})
    if post.area_id and candidate.area_id == post.area_id:
        reasons.append(_("Same area: %(area)s") % {"area": candidate.area.name})
    elif candidate.area_id and post.area_id:
        reasons.append(_("Nearby area: %(area)s") % {"area": candidate.area.name})
    elif candidate.area_id is None:
        reasons.append(_("Covers the whole municipality"))
    elif post.area_id is None:
        reasons.append(_("You cover the whole municipality"))
    if has_dates(post.when_kind) and has_dates(candidate.when_kind):
        reasons.append(_("The times overlap"))
    elif not has_dates(candidate.when_kind):
        reasons.append(_("The time is flexible or recurring"))
    return reasons
