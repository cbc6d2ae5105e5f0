"""The one door's personal-data hooks: what the prize keeps about a signed-in person.
Nominations are made without an account, so they are found by the nominator's normalised
address; votes are kept only as a keyed hash and are not exported."""

from __future__ import annotations

from . import services
from .models import ConflictOfInterest, JuryScore, Nomination


def export(user) -> dict | None:
    nominations = []
    if user.email:
        key = services.voter_key(user.email)
        nominations = [
            {
                "round": str(n.round),
                "nominee": n.nominee_name,
                "motivation": n.motivation,
                "sent": n.created_at.isoformat(),
                "confirmed": n.confirmed_at.isoformat() if n.confirmed_at else None,
            }
            for n in Nomination.objects.filter(nominator_key=key).select_related("round")
        ]
    scores = [
        {"nomination": s.nomination.nominee_name, "score": s.score, "comment": s.comment}
        for s in JuryScore.objects.filter(juror=user).select_related("nomination")
    ]
    conflicts = [
        {"nomination": c.nomination.nominee_name, "reason": c.reason}
        for c in ConflictOfInterest.objects.filter(juror=user).select_related("nomination")
    ]
    if not (nominations or scores or conflicts):
        return None
    return {
        "initiativpris": {
            "nominations": nominations,
            "jury_scores": scores,
            "conflicts_of_interest": conflicts,
        }
    }
