"""Use cases of the prize, one transaction each; they raise ``initiativpris.exceptions``.

Links in mails are signed tokens (``frivillig_blocks.signing``) carrying a row's primary key:
a forged token fails the signature, an expired one its age, a reused one finds its row
already confirmed. One vote per person is the database's unique constraint on
(round, voter key) over confirmed votes; the voter key is an HMAC of the normalised address
with a secret from the settings, so the address itself is never stored with the vote."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from wagtail.log_actions import log

from frivillig_blocks import identity
from frivillig_blocks.accounts import person_name
from frivillig_blocks.conf import app_settings as base_settings
from frivillig_blocks.exceptions import LinkExpired, LinkInvalid
from frivillig_blocks.outbound import send_templated_mail
from frivillig_blocks.signing import read_link, sign_link

from . import exceptions, rules
from .conf import app_settings
from .models import (
    JURY_GROUP,
    ConflictOfInterest,
    Consent,
    JuryScore,
    Nomination,
    PrizeRound,
    Vote,
)

NOMINATION_SALT = "initiativpris.nomination.confirm"
CONSENT_SALT = "initiativpris.nomination.consent"
VOTE_SALT = "initiativpris.vote.confirm"
KEY_SALT = "initiativpris.voter"

LinkBuilder = Callable[[str], str]


# --- settings ------------------------------------------------------------------------------


def retention() -> datetime.timedelta:
    """How long after a round's announcement its nominators' and nominees' addresses stay."""
    return datetime.timedelta(days=int(app_settings.RETENTION_DAYS))


def link_max_age() -> datetime.timedelta:
    return datetime.timedelta(hours=int(app_settings.LINK_MAX_AGE_HOURS))


def consent_max_age() -> datetime.timedelta:
    return datetime.timedelta(days=int(app_settings.CONSENT_MAX_AGE_DAYS))


def max_pending() -> int:
    return int(app_settings.MAX_PENDING_PER_ADDRESS)


def hmac_of(identity: str) -> str:
    """The keyed hash of a canonical address (INITIATIVPRIS_VOTER_HMAC_KEY; by default a key
    derived from SECRET_KEY by salted_hmac with this app's salt)."""
    secret = app_settings.VOTER_HMAC_KEY or None
    return salted_hmac(KEY_SALT, identity, secret=secret, algorithm="sha256").hexdigest()


def voter_key(address: str) -> str:
    """The keyed hash of the address's canonical identity (``frivillig_blocks.identity``):
    one key per mailbox under any spelling. An address without one is refused with
    ``exceptions.InvalidAddress`` and its Danish reason."""
    try:
        return hmac_of(rules.normalise_email(address))
    except identity.InvalidAddress as exc:
        raise exceptions.InvalidAddress(exc.message) from exc


def stored_voter_key(address: str) -> str:
    """The key of an address already stored (a person's addresses, old rows): never raises;
    an address the rule refuses gets the key of the old normalisation."""
    return hmac_of(identity.canonical_or_legacy(address))


# --- tokens --------------------------------------------------------------------------------


def make_token(pk: int, salt: str, now: datetime.datetime | None = None) -> str:
    """A signed link token (``frivillig_blocks.signing``) carrying ``pk``, dated ``now``."""
    return sign_link(salt, pk, at=now)


def _read_legacy_token(token: str, salt: str, max_age: datetime.timedelta) -> int:
    """A link mailed before the shared signing: ``<pk>-<unix time>-<signature>`` in base 36
    and hex. A consent link lives 30 days; this can go once they have all expired."""
    parts = str(token)[:200].split("-")
    if len(parts) != 3:
        raise exceptions.InvalidLink
    payload = f"{parts[0]}-{parts[1]}"
    signature = salted_hmac(salt, payload, algorithm="sha256").hexdigest()[:40]
    if not constant_time_compare(signature, parts[2]):
        raise exceptions.InvalidLink
    try:
        pk, stamp = int(parts[0], 36), int(parts[1], 36)
    except ValueError as exc:
        raise exceptions.InvalidLink from exc
    if timezone.now().timestamp() - stamp > max_age.total_seconds():
        raise exceptions.ExpiredLink
    return pk


def read_token(token: str, salt: str, max_age: datetime.timedelta) -> int:
    """The primary key a link carries; ``exceptions.InvalidLink`` or ``ExpiredLink``."""
    try:
        pk = read_link(salt, token, max_age=max_age)
    except LinkExpired as exc:
        raise exceptions.ExpiredLink from exc
    except LinkInvalid:
        return _read_legacy_token(token, salt, max_age)
    if not isinstance(pk, int) or isinstance(pk, bool):
        raise exceptions.InvalidLink
    return pk


# --- rounds --------------------------------------------------------------------------------


def current_round(now=None) -> PrizeRound | None:
    """The published round that is running or next; else the latest announced one."""
    now = now or timezone.now()
    running = (
        PrizeRound.objects.live()
        .filter(announcement_at__gt=now)
        .order_by("nominations_open", "pk")
        .first()
    )
    return running or PrizeRound.objects.announced(now).order_by("-announcement_at").first()


def ballot(round: PrizeRound):
    """The nominations one can vote for: the shortlist, or every public nomination when the
    round has no shortlist."""
    nominations = Nomination.objects.public().filter(round=round)
    if round.has_shortlist:
        nominations = nominations.filter(shortlisted=True)
    return nominations.order_by("nominee_name", "pk")


# --- nominations ---------------------------------------------------------------------------

NOMINATION_FIELDS = (
    "nominee_kind",
    "nominee_name",
    "nominee_email",
    "motivation",
    "nominator_name",
    "nominator_email",
)


@transaction.atomic
def nominate(*, round: PrizeRound, data: Mapping[str, Any], link: LinkBuilder) -> Nomination:
    """Save a nomination waiting for the nominator's confirmation and mail them the link."""
    if not round.live or not round.nominations_are_open():
        raise exceptions.NominationsClosed
    # The round's lock first: the counts below (per nominator) see every committed request.
    PrizeRound.objects.select_for_update().get(pk=round.pk)
    values = {name: str(data.get(name) or "").strip() for name in NOMINATION_FIELDS}
    key = voter_key(values["nominator_email"])
    mine = Nomination.objects.filter(round=round, nominator_key=key)
    if mine.confirmed().count() >= round.max_nominations_per_nominator:
        raise exceptions.AlreadyNominated
    recent = timezone.now() - datetime.timedelta(days=1)
    if mine.filter(confirmed_at__isnull=True, created_at__gte=recent).count() >= max_pending():
        raise exceptions.TooManyPending
    nomination = Nomination(round=round, nominator_key=key, **values)
    try:
        nomination.full_clean(exclude=["round", "nominator_key"])
    except ValidationError as exc:
        raise exceptions.PrizeError from exc
    nomination.save()
    send_templated_mail(
        to=[nomination.nominator_email],
        template="initiativpris/mail/confirm_nomination",
        context={
            "nomination": nomination,
            "round": round,
            "hours": int(link_max_age().total_seconds() // 3600),
        },
        secrets={"url": link(make_token(nomination.pk, NOMINATION_SALT))},
        purpose="initiativpris_nomination",
        related=nomination,
    )
    return nomination


def nomination_from_token(token: str) -> Nomination:
    pk = read_token(token, NOMINATION_SALT, link_max_age())
    nomination = Nomination.objects.select_related("round").filter(pk=pk).first()
    if nomination is None:
        raise exceptions.InvalidLink
    return nomination


@transaction.atomic
def confirm_nomination(*, token: str, consent_link: LinkBuilder) -> Nomination:
    """The nominator's confirmation: the nomination takes the nominator's next free slot of
    the round (the unique constraint holds one nomination per slot) and the nominee is asked
    for consent by mail."""
    pk = nomination_from_token(token).pk
    nomination = Nomination.objects.select_for_update().select_related("round").get(pk=pk)
    if nomination.confirmed_at is not None:
        raise exceptions.AlreadyConfirmed
    round = nomination.round
    if not round.nominations_are_open():
        raise exceptions.NominationsClosed
    taken = set(
        Nomination.objects.filter(
            round=round, nominator_key=nomination.nominator_key, slot__isnull=False
        ).values_list("slot", flat=True)
    )
    free = [s for s in range(1, round.max_nominations_per_nominator + 1) if s not in taken]
    if not free:
        raise exceptions.AlreadyNominated
    nomination.slot = free[0]
    nomination.confirmed_at = timezone.now()
    try:
        with transaction.atomic():
            nomination.save(update_fields=["slot", "confirmed_at"])
    except IntegrityError as exc:
        raise exceptions.AlreadyNominated from exc
    ask_consent(nomination, consent_link)
    return nomination


def ask_consent(nomination: Nomination, consent_link: LinkBuilder) -> None:
    send_templated_mail(
        to=[nomination.nominee_email],
        template="initiativpris/mail/consent",
        context={
            "nomination": nomination,
            "round": nomination.round,
            "days": consent_max_age().days,
        },
        secrets={"url": consent_link(make_token(nomination.pk, CONSENT_SALT))},
        purpose="initiativpris_consent",
        related=nomination,
    )


@transaction.atomic
def add_jury_candidate(
    *, round: PrizeRound, data: Mapping[str, Any], user, consent_link: LinkBuilder
) -> Nomination:
    """The jury need not follow the nominations: an editor adds the jury's own candidate,
    confirmed at once (it takes no nominator's slot) and, like any other, shown only after
    the nominee's consent."""
    if not is_editor(user):
        raise exceptions.NotEditor
    values = {name: str(data.get(name) or "").strip() for name in NOMINATION_FIELDS[:4]}
    nomination = Nomination(
        round=round,
        nominator_name=person_name(user)[:200],
        nominator_email=user.email or base_settings.EMAIL,
        nominator_key="",
        confirmed_at=timezone.now(),
        **values,
    )
    try:
        nomination.full_clean(exclude=["round", "nominator_key"])
    except ValidationError as exc:
        raise exceptions.PrizeError from exc
    nomination.save()
    log(nomination, "initiativpris.jury_candidate", user=user)
    ask_consent(nomination, consent_link)
    return nomination


@transaction.atomic
def give_jury_admin_access(*, round: PrizeRound) -> int:
    """Jury members score in the admin: the round's jury joins the jury group (admin access
    only, made by migration 0002). Called where a round is created or edited (the admin's
    views). Returns how many members were not in the group before."""
    group = Group.objects.filter(name=JURY_GROUP).first()
    members = list(round.jury.all())
    if group is None or not members:
        return 0
    new = [m for m in members if not m.groups.filter(pk=group.pk).exists()]
    group.user_set.add(*members)
    return len(new)


def nomination_for_consent(token: str) -> Nomination:
    pk = read_token(token, CONSENT_SALT, consent_max_age())
    nomination = Nomination.objects.select_related("round").confirmed().filter(pk=pk).first()
    if nomination is None:
        raise exceptions.InvalidLink
    return nomination


@transaction.atomic
def answer_consent(*, token: str, consent: bool) -> Nomination:
    """The nominee's answer. A yes can later become a no (the name is then hidden again and
    the nomination leaves the shortlist); the first answer is kept otherwise."""
    pk = nomination_for_consent(token).pk
    nomination = Nomination.objects.select_for_update().get(pk=pk)
    if nomination.consent == Consent.DECLINED:
        raise exceptions.AlreadyConfirmed
    if consent and nomination.consent == Consent.GIVEN:
        raise exceptions.AlreadyConfirmed
    nomination.consent = Consent.GIVEN if consent else Consent.DECLINED
    nomination.consent_at = timezone.now()
    if not consent:
        nomination.shortlisted = False
    nomination.save(update_fields=["consent", "consent_at", "shortlisted"])
    return nomination


# --- jury ----------------------------------------------------------------------------------


def is_juror(user, round: PrizeRound) -> bool:
    return bool(user.is_authenticated and round.jury.filter(pk=user.pk).exists())


def is_editor(user) -> bool:
    return user.is_authenticated and user.has_perm("initiativpris.change_nomination")


@transaction.atomic
def score_nomination(*, nomination: Nomination, juror, score: int, comment: str = "") -> JuryScore:
    if nomination.confirmed_at is None:
        raise exceptions.NotEligible
    if not is_juror(juror, nomination.round):
        raise exceptions.NotJuror
    if ConflictOfInterest.objects.filter(nomination=nomination, juror=juror).exists():
        raise exceptions.ConflictDeclared
    if isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= 5:
        raise exceptions.PrizeError
    result, _ = JuryScore.objects.update_or_create(
        nomination=nomination,
        juror=juror,
        defaults={"score": score, "comment": str(comment or "").strip()[:2000]},
    )
    log(nomination, "initiativpris.score", user=juror, data={"score": score})
    return result


@transaction.atomic
def declare_conflict(*, nomination: Nomination, juror, reason: str) -> ConflictOfInterest:
    """Recorded for good; a score the member already gave is withdrawn."""
    if not is_juror(juror, nomination.round):
        raise exceptions.NotJuror
    reason = str(reason or "").strip()[:2000]
    if not reason:
        raise exceptions.PrizeError
    conflict, _ = ConflictOfInterest.objects.get_or_create(
        nomination=nomination, juror=juror, defaults={"reason": reason}
    )
    JuryScore.objects.filter(nomination=nomination, juror=juror).delete()
    log(nomination, "initiativpris.conflict", user=juror, data={"reason": reason})
    return conflict


def jury_overview(round: PrizeRound):
    """Confirmed nominations with their average score, number of scores and conflicts."""
    return (
        Nomination.objects.confirmed()
        .filter(round=round)
        .annotate(
            average=Avg("scores__score"),
            score_count=Count("scores", distinct=True),
            conflict_count=Count("conflicts", distinct=True),
        )
        .order_by("-average", "nominee_name", "pk")
    )


@transaction.atomic
def set_shortlist(*, round: PrizeRound, nomination_ids: Iterable[int], user) -> list[int]:
    ids = {int(i) for i in nomination_ids}
    PrizeRound.objects.select_for_update().get(pk=round.pk)
    eligible = set(
        Nomination.objects.public().filter(round=round, pk__in=ids).values_list("pk", flat=True)
    )
    if eligible != ids:
        raise exceptions.NotEligible
    Nomination.objects.filter(round=round).exclude(pk__in=ids).update(shortlisted=False)
    Nomination.objects.filter(round=round, pk__in=ids).update(shortlisted=True)
    log(round, "initiativpris.shortlist", user=user, data={"nominations": sorted(ids)})
    return sorted(ids)


@transaction.atomic
def choose_winner(*, round: PrizeRound, nomination: Nomination | None, user) -> PrizeRound:
    round = PrizeRound.objects.select_for_update().get(pk=round.pk)
    if nomination is not None and (nomination.round_id != round.pk or not nomination.is_public):
        raise exceptions.NotEligible
    round.winner = nomination
    round.save(update_fields=["winner"])
    log(
        round,
        "initiativpris.winner",
        user=user,
        data={"nomination": nomination.pk if nomination else None},
    )
    return round


# --- vote ----------------------------------------------------------------------------------


@transaction.atomic
def request_vote(*, round: PrizeRound, nomination_id: Any, email: str, link: LinkBuilder) -> Vote:
    """A vote waiting for confirmation by the link mailed to ``email``."""
    if not round.live or not round.vote_is_open():
        raise exceptions.VoteClosed
    try:
        nomination = ballot(round).get(pk=int(nomination_id))
    except (Nomination.DoesNotExist, TypeError, ValueError) as exc:
        raise exceptions.NotOnBallot from exc
    key = voter_key(email)
    # The round's lock first: the counts below (per voter) see every committed request.
    PrizeRound.objects.select_for_update().get(pk=round.pk)
    votes = Vote.objects.filter(round=round, voter_key=key)
    if votes.filter(confirmed_at__isnull=False).exists():
        raise exceptions.AlreadyVoted
    recent = timezone.now() - datetime.timedelta(days=1)
    if votes.filter(confirmed_at__isnull=True, created_at__gte=recent).count() >= max_pending():
        raise exceptions.TooManyPending
    vote = Vote.objects.create(round=round, nomination=nomination, voter_key=key)
    send_templated_mail(
        to=[str(email).strip()],
        template="initiativpris/mail/confirm_vote",
        context={
            "round": round,
            "nomination": nomination,
            "hours": int(link_max_age().total_seconds() // 3600),
        },
        secrets={"url": link(make_token(vote.pk, VOTE_SALT))},
        purpose=f"initiativpris_vote:{round.pk}",
        related=vote,
    )
    return vote


def vote_from_token(token: str) -> Vote:
    pk = read_token(token, VOTE_SALT, link_max_age())
    vote = (
        Vote.objects.select_related("round", "nomination")
        .filter(pk=pk, source=Vote.Source.ONLINE)
        .first()
    )
    if vote is None:
        raise exceptions.InvalidLink
    return vote


def confirm_vote(*, token: str) -> Vote:
    """Count the vote. The unique constraint over confirmed votes refuses a second one from
    the same voter key, also when confirmations race on separate connections."""
    pk = read_token(token, VOTE_SALT, link_max_age())
    try:
        with transaction.atomic():
            vote = (
                Vote.objects.select_for_update()
                .select_related("round")
                .filter(pk=pk, source=Vote.Source.ONLINE)
                .first()
            )
            if vote is None:
                raise exceptions.InvalidLink
            if vote.confirmed_at is not None:
                raise exceptions.AlreadyConfirmed
            if vote.voter_key is None:
                raise exceptions.InvalidLink
            if not vote.round.vote_is_open():
                raise exceptions.VoteClosed
            if not ballot(vote.round).filter(pk=vote.nomination_id).exists():
                raise exceptions.NotOnBallot
            vote.confirmed_at = timezone.now()
            vote.save(update_fields=["confirmed_at"])
    except IntegrityError as exc:
        raise exceptions.AlreadyVoted from exc
    return vote


@transaction.atomic
def enter_paper_votes(*, round: PrizeRound, nomination: Nomination, count: int, user) -> list[Vote]:
    """Votes given on paper, entered by staff; each with its own entry in the audit log."""
    if not round.has_vote:
        raise exceptions.VoteClosed
    now = timezone.now()
    if not round.vote_open or now < round.vote_open or round.is_announced(now):
        raise exceptions.VoteClosed
    if not ballot(round).filter(pk=nomination.pk).exists():
        raise exceptions.NotOnBallot
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= 1000:
        raise exceptions.PrizeError
    votes = []
    for _ in range(count):
        vote = Vote.objects.create(
            round=round,
            nomination=nomination,
            source=Vote.Source.PAPER,
            confirmed_at=now,
            entered_by=user,
        )
        log(
            vote,
            "initiativpris.paper_vote",
            user=user,
            data={"round": round.pk, "nomination": nomination.pk},
        )
        votes.append(vote)
    return votes


# --- result --------------------------------------------------------------------------------


def tally(round: PrizeRound, now=None) -> list[dict]:
    """Counted votes per nominee on the ballot, most first; hidden before the announcement."""
    if not round.is_announced(now):
        raise exceptions.TallyHidden
    # One count per nominee on the ballot, in a subquery over the nominee's counted votes:
    # no join of votes (and nothing else) onto the nominations to group again, which cost
    # a pass over every vote with every nomination column and multiplied the count by the
    # nominee's jury scores when both were joined (issue #22).
    counted = (
        Vote.objects.filter(nomination=OuterRef("pk"), confirmed_at__isnull=False)
        .order_by()
        .values("nomination")
        .annotate(count=Count("pk"))
        .values("count")
    )
    rows = (
        ballot(round)
        .annotate(vote_count=Coalesce(Subquery(counted), 0))
        .order_by("-vote_count", "nominee_name", "pk")
    )
    return [{"nomination": n, "votes": n.vote_count} for n in rows]


def winner(round: PrizeRound, rows: list[dict] | None = None, now=None) -> Nomination | None:
    """After the announcement: the winner the editor chose, else the most votes (a tie has
    no winner until an editor chooses one)."""
    if not round.is_announced(now):
        raise exceptions.TallyHidden
    if round.winner_id:
        chosen = round.winner
        return chosen if chosen is not None and chosen.is_public else None
    if not round.has_vote:
        return None
    rows = tally(round, now) if rows is None else rows
    if not rows or rows[0]["votes"] == 0:
        return None
    if len(rows) > 1 and rows[1]["votes"] == rows[0]["votes"]:
        return None
    return rows[0]["nomination"]


@transaction.atomic
def delete_voter_identifiers(round_id: int, now: datetime.datetime | None = None) -> int:
    """After the result: pending votes go, counted ones lose their voter key, and the
    confirmation mails lose their addresses. Returns the number of votes touched."""
    now = now or timezone.now()
    round = PrizeRound.objects.select_for_update().get(pk=round_id)
    if not round.is_announced(now) or round.voter_identifiers_deleted_at:
        return 0
    from frivillig_blocks.models import OutboundMessage

    pending = Vote.objects.filter(round=round, confirmed_at__isnull=True).delete()[0]
    cleared = Vote.objects.filter(round=round, voter_key__isnull=False).update(voter_key=None)
    OutboundMessage.objects.filter(purpose=f"initiativpris_vote:{round.pk}").update(
        to=[], subject="", body_text="", body_html="", sealed_text="", sealed_html="", related=""
    )
    round.voter_identifiers_deleted_at = now
    round.save(update_fields=["voter_identifiers_deleted_at"])
    log(round, "initiativpris.voters_deleted", user=None, data={"votes": pending + cleared})
    return pending + cleared


# --- personal data -------------------------------------------------------------------------


def _scrub(objs) -> int:
    from frivillig_blocks.personal_data import scrub_mail

    return scrub_mail(list(objs))


def delete_nominations(pks) -> int:
    """Delete nominations with their mails; the admin history's entries about them keep
    their action and date but no longer name the nominee (``str(nomination)``)."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import ModelLogEntry

    pks = list(pks)
    if not pks:
        return 0
    _scrub(f"initiativpris.nomination:{pk}" for pk in pks)
    ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Nomination),
        object_id__in=[str(pk) for pk in pks],
    ).update(label="–")
    return Nomination.objects.filter(pk__in=pks).delete()[1].get(Nomination._meta.label, 0)


def expire_unconfirmed_nominations(now: datetime.datetime) -> int:
    """Nominations nobody confirmed within the link's lifetime go, with their mails."""
    cutoff = now - link_max_age() - datetime.timedelta(days=1)
    stale = Nomination.objects.filter(confirmed_at__isnull=True, created_at__lt=cutoff)
    return delete_nominations(stale.values_list("pk", flat=True))


def expire_nominators(now: datetime.datetime) -> int:
    """INITIATIVPRIS_RETENTION_DAYS after a round's announcement its nominations lose the
    nominator's name, address and key (the slot goes with the key); their mails go."""
    done = (
        Nomination.objects.filter(round__announcement_at__lt=now - retention())
        .exclude(nominator_name="", nominator_email="", nominator_key="")
        .select_for_update()
    )
    rows = list(done)
    _scrub(rows)
    return Nomination.objects.filter(pk__in=[n.pk for n in rows]).update(
        nominator_name="", nominator_email="", nominator_key="", slot=None
    )


def expire_nominees(now: datetime.datetime) -> int:
    """INITIATIVPRIS_RETENTION_DAYS after a round's announcement: nominations that were never
    public (no consent) go; the public ones (the prize's history, shown with consent) keep
    name and motivation but lose the nominee's address."""
    old = Nomination.objects.filter(round__announcement_at__lt=now - retention())
    hidden = old.exclude(confirmed_at__isnull=False, consent=Consent.GIVEN)
    deleted = delete_nominations(hidden.values_list("pk", flat=True))
    cleared = old.exclude(nominee_email="").update(nominee_email="")
    return deleted + cleared


def expire_voter_identifiers(now: datetime.datetime) -> int:
    """After each announced round's result: see :func:`delete_voter_identifiers`."""
    ids = PrizeRound.objects.filter(
        announcement_at__lte=now, voter_identifiers_deleted_at__isnull=True
    ).values_list("pk", flat=True)
    return sum(delete_voter_identifiers(pk, now) for pk in list(ids))
