"""Use cases of loans: request, approve, decline, cancel, hand out, return, anonymise.
Each runs in one transaction and raises the errors of ``booking.exceptions``.

No double booking: every use case that makes a loan hold resources (request, approve)
first locks the rows of the resources it touches (``select_for_update``, in primary-key
order so two requests never wait on each other in a circle) and only then reads the loans
that hold them, checks every rule that counts them (loans per month) and writes its own. Two requests for the same room are thereby serialised
by the database: the second one reads the first one's committed slots and is refused. On
SQLite the settings begin every transaction IMMEDIATE, which takes the database's write
lock at the start and serialises the same way. A lock on the resource row rather than an
exclusion constraint, because equipment is lent by quantity (8 tables, loans of 5 and 3
may overlap, a third may not), which a range exclusion cannot express, and because the
buffer is a rule that may change; one mechanism covers rooms and equipment alike.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from wagtail.log_actions import log

from frivillig_blocks.accounts import person_name
from frivillig_blocks.models import Association, AssociationMembership

from . import exceptions, mail
from . import rules as R
from .conf import app_settings
from .models import (
    HOLDING,
    DeclineReason,
    EquipmentState,
    Institution,
    Loan,
    LoanDeclaration,
    LoanItem,
    LoanSlot,
    LoanStatus,
    Resource,
    ResourcePhoto,
)

REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def local_tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def new_reference() -> str:
    code = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"LAAN-{code[:4]}-{code[4:]}"


# --- Reading rules --------------------------------------------------------------------------

RULE_PREFETCH = ("named_associations", "trusted_associations", "declarations")


def resources() -> QuerySet[Resource]:
    """Active resources with everything the rules and the manual need, in a fixed number of
    queries."""
    return (
        Resource.objects.filter(active=True)
        .select_related("institution", "institution__place")
        .prefetch_related(
            *RULE_PREFETCH,
            *(f"institution__{name}" for name in RULE_PREFETCH),
            "opening_hours",
            "closures",
            "institution__closures",
            Prefetch("photos", queryset=ResourcePhoto.objects.select_related("image")),
        )
    )


def availability_resources() -> QuerySet[Resource]:
    """Resources with what the availability grid needs (no rule relations)."""
    return Resource.objects.select_related("institution").prefetch_related(
        "opening_hours", "closures", "institution__closures"
    )


def buffer_for(resource: Resource) -> dt.timedelta:
    """The effective buffer between loans (scalar rules only: no queries)."""
    scalars = [
        R.RuleLayer(values={name: getattr(obj, name) for name in R.SCALARS})
        for obj in (resource.institution, resource)
    ]
    return R.effective_rules(*scalars).buffer


def _layer(obj) -> R.RuleLayer:
    values = {name: getattr(obj, name) for name in R.SCALARS}
    values["allowed_purposes"] = obj.allowed_purposes or []
    values["forbidden_purposes"] = obj.forbidden_purposes or []
    return R.RuleLayer(
        values=values,
        named=frozenset(a.pk for a in obj.named_associations.all()),
        trusted=frozenset(a.pk for a in obj.trusted_associations.all()),
        declarations=tuple(obj.declarations.all()),
    )


def rules_for(resource: Resource) -> R.Rules:
    return R.effective_rules(_layer(resource.institution), _layer(resource))


def institution_rules(institution: Institution) -> R.Rules:
    return R.effective_rules(_layer(institution))


def facts(resource: Resource, *, today: dt.date | None = None) -> R.ResourceFacts:
    today = today or timezone.localdate()
    closures = [
        (c.start_date, c.end_date, c.reason)
        for c in [*resource.closures.all(), *resource.institution.closures.all()]
        if c.end_date >= today
    ]
    return R.ResourceFacts(
        id=resource.pk,
        name=resource.name,
        is_room=resource.is_room,
        capacity=resource.capacity,
        fire_capacity=resource.fire_capacity,
        quantity=resource.quantity,
        lendable_alone=resource.lendable_alone,
        opening_hours=tuple((h.weekday, h.opens, h.closes) for h in resource.opening_hours.all()),
        closures=tuple(sorted(closures)),
    )


# --- Reading loans --------------------------------------------------------------------------


def held_intervals(
    resource_ids: Sequence[int], start: dt.datetime, end: dt.datetime, *, exclude_loan=None
) -> dict[int, list[tuple[dt.datetime, dt.datetime, int]]]:
    """Slots of pending and approved loans holding these resources and overlapping
    [start, end): one range query."""
    query = LoanSlot.objects.filter(
        held=True,
        loan__status__in=HOLDING,
        loan__items__resource_id__in=list(resource_ids),
        start__lt=end,
        end__gt=start,
    )
    if exclude_loan is not None:
        query = query.exclude(loan_id=exclude_loan)
    found: dict[int, list] = defaultdict(list)
    for resource_id, s, e, quantity in query.values_list(
        "loan__items__resource_id", "start", "end", "loan__items__quantity"
    ):
        found[resource_id].append((s, e, quantity))
    return found


def _conflicts(
    items: Sequence[tuple[Resource, int, R.Rules]], slots, *, exclude_loan=None
) -> list[str]:
    if not slots:
        return []
    widest = max(rules.buffer for _r, _q, rules in items)
    first = min(s for s, _e in slots) - widest
    last = max(e for _s, e in slots) + widest
    existing = held_intervals(
        [r.pk for r, _q, _rules in items], first, last, exclude_loan=exclude_loan
    )
    tz = local_tz()
    problems = []
    for resource, quantity, rules in items:
        for start, _end in R.slot_conflicts(
            new_slots=slots,
            existing=existing.get(resource.pk, []),
            stock=resource.quantity,
            wanted=quantity,
            buffer=rules.buffer,
        ):
            local = start.astimezone(tz)
            if resource.is_room:
                text = gettext("%(name)s is taken on %(date)s at %(time)s.")
            else:
                text = gettext("Not enough %(name)s are free on %(date)s at %(time)s.")
            problems.append(
                text
                % {
                    "name": resource.name,
                    "date": R.local_date_text(local, tz),
                    "time": local.strftime("%H:%M"),
                }
            )
    return problems


def _lock(resource_ids) -> list[Resource]:
    return list(
        Resource.objects.select_for_update().filter(pk__in=list(resource_ids)).order_by("pk")
    )


def loans_per_month(
    *, resource_id: int, association_id: int | None, user_id: int, start, end
) -> dict:
    query = LoanSlot.objects.filter(
        held=True,
        loan__status__in=HOLDING,
        loan__items__resource_id=resource_id,
        start__gte=start,
        start__lt=end,
    )
    query = (
        query.filter(loan__association_id=association_id)
        if association_id
        else query.filter(loan__user_id=user_id, loan__association__isnull=True)
    )
    tz = local_tz()
    counts: dict = defaultdict(int)
    for start_ in query.values_list("start", flat=True):
        local = start_.astimezone(tz)
        counts[(local.year, local.month)] += 1
    return dict(counts)


# --- Requesting -----------------------------------------------------------------------------


@dataclass
class LoanRequest:
    items: list  # [(Resource, quantity)]
    slots: list  # [(start, end)] aware
    title: str
    purpose: str
    participants: int
    responsible_name: str
    responsible_phone: str = ""
    description: str = ""
    association: Association | None = None
    target_group: str = R.GENERAL
    children_take_part: bool = False
    overnight: bool = False
    alcohol: bool = False
    fee: str = R.NO_FEE
    public_event: bool = False
    accepted_declarations: frozenset = field(default_factory=frozenset)


def _check_items(items) -> Institution:
    if not items:
        raise exceptions.InvalidResources(
            gettext("Choose at least one room or piece of equipment.")
        )
    institutions = {resource.institution_id for resource, _q in items}
    if len(institutions) != 1 or not all(resource.active for resource, _q in items):
        raise exceptions.InvalidResources()
    problems = []
    for resource, quantity in items:
        if quantity < 1 or quantity > resource.quantity:
            problems.append(
                gettext("%(name)s: there are %(count)d in stock.")
                % {"name": resource.name, "count": resource.quantity}
            )
    if problems:
        raise exceptions.RulesBroken(problems=problems)
    return items[0][0].institution


def check(req: LoanRequest, *, user, now=None) -> list[tuple[Resource, int, R.Rules]]:
    """Every rule for every resource; raises RulesBroken with all the reasons."""
    now = now or timezone.now()
    tz = local_tz()
    _check_items(req.items)
    problems: list[str] = []
    if not req.slots:
        problems.append(gettext("Choose a time."))
    if not 1 <= req.participants <= R.MAX_PARTICIPANTS:
        problems.append(
            gettext("Write the expected number of participants (1 to %(max)d).")
            % {"max": R.MAX_PARTICIPANTS}
        )
    if len(req.slots) > R.MAX_SERIES:
        problems.append(
            gettext("A series can have at most %(count)d times.") % {"count": R.MAX_SERIES}
        )
    if req.purpose not in R.PURPOSES:
        problems.append(gettext("Choose a purpose."))
    if not req.responsible_name.strip():
        problems.append(gettext("Name the responsible adult (at least 18 years old)."))
    if problems:
        raise exceptions.RulesBroken(problems=problems)
    association = req.association
    is_member = bool(
        association
        and AssociationMembership.objects.filter(user=user, association=association).exists()
    )
    if association is not None and not is_member:
        raise exceptions.RulesBroken(
            problems=[gettext("Choose an association you are a member of.")]
        )
    with_room = any(resource.is_room for resource, _q in req.items)
    checked = []
    first = min(s for s, _e in req.slots)
    last = max(s for s, _e in req.slots)
    month_start = first.astimezone(tz).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    for resource, quantity in req.items:
        rules = rules_for(resource)
        per_month = {}
        if rules.max_loans_per_month is not None:
            per_month = loans_per_month(
                resource_id=resource.pk,
                association_id=association.pk if association else None,
                user_id=user.pk,
                start=month_start,
                end=last + dt.timedelta(days=32),
            )
        request = R.Request(
            slots=req.slots,
            purpose=req.purpose,
            participants=req.participants,
            now=now,
            tz=tz,
            association_id=association.pk if association else None,
            association_live=bool(association and association.live),
            is_member=is_member,
            fee=req.fee,
            children_take_part=req.children_take_part,
            overnight=req.overnight,
            alcohol=req.alcohol,
            with_room=with_room,
            accepted_declarations=frozenset(req.accepted_declarations),
            loans_per_month=per_month,
        )
        for problem in R.check_request(facts(resource), rules, request):
            line = f"{resource.name}: {problem}"
            if line not in problems:
                problems.append(line)
        checked.append((resource, quantity, rules))
    if problems:
        raise exceptions.RulesBroken(problems=problems)
    return checked


def declarations_for(req: LoanRequest) -> list:
    """The declarations that apply to this request, once each."""
    seen, found = set(), []
    tz = local_tz()
    for resource, _q in req.items:
        rules = rules_for(resource)
        request = R.Request(
            slots=req.slots,
            purpose=req.purpose,
            participants=req.participants,
            now=timezone.now(),
            tz=tz,
            children_take_part=req.children_take_part,
            overnight=req.overnight,
            alcohol=req.alcohol,
        )
        for declaration in R.applicable_declarations(rules, request):
            if declaration.pk not in seen:
                seen.add(declaration.pk)
                found.append(declaration)
    return found


def request_loan(*, user, req: LoanRequest, now=None) -> Loan:
    """Check every rule, then hold the slots under a lock: the loan is pending (or approved
    at once for a trusted association where the rules allow it)."""
    now = now or timezone.now()
    _check_items(req.items)
    with transaction.atomic():
        # Lock first, then count: the rules that count what is already held (loans per
        # month, per association or per person) read every committed request under the
        # same lock as the write, so parallel requests cannot all pass the same count.
        wanted = {r.pk for r, _q in req.items}
        locked = {r.pk: r for r in _lock(wanted)}
        if len(locked) != len(wanted) or not all(r.active for r in locked.values()):
            raise exceptions.InvalidResources()
        checked = check(req, user=user, now=now)
        institution = checked[0][0].institution
        instant = bool(req.association) and all(
            rules.approval == R.INSTANT_TRUSTED and req.association.pk in rules.trusted_associations
            for _r, _q, rules in checked
        )
        declarations = declarations_for(req)
        problems = _conflicts(checked, req.slots)
        if problems:
            raise exceptions.SlotTaken(problems=problems)
        loan = Loan.objects.create(
            reference=new_reference(),
            institution=institution,
            user=user,
            association=req.association,
            borrower_name=person_name(user)[:200],
            borrower_email=user.email,
            responsible_name=req.responsible_name.strip()[:200],
            responsible_phone=req.responsible_phone.strip()[:40],
            title=req.title.strip()[:200],
            purpose=req.purpose,
            description=req.description.strip()[:4000],
            participants=req.participants,
            target_group=req.target_group,
            children_take_part=req.children_take_part,
            overnight=req.overnight,
            alcohol=req.alcohol,
            fee=req.fee,
            public_event=req.public_event,
            cancellation_deadline_hours=max(
                rules.cancellation_deadline_hours for _r, _q, rules in checked
            ),
            status=LoanStatus.APPROVED if instant else LoanStatus.PENDING,
            decided_at=now if instant else None,
            first_start=min(s for s, _e in req.slots),
            last_end=max(e for _s, e in req.slots),
        )
        LoanItem.objects.bulk_create(
            LoanItem(loan=loan, resource=r, quantity=q) for r, q, _rules in checked
        )
        LoanSlot.objects.bulk_create(
            LoanSlot(loan=loan, start=s, end=e) for s, e in sorted(req.slots)
        )
        LoanDeclaration.objects.bulk_create(
            LoanDeclaration(loan=loan, declaration=d, title=d.title, text=d.text, accepted_at=now)
            for d in declarations
        )
        log(loan, "booking.request", user=user, data={"reference": loan.reference})
        if instant:
            log(loan, "booking.approve", user=None, data={"instant": True})
            mail.send_approved(loan)
        else:
            mail.send_received(loan)
            mail.send_to_leaders(loan)
        return loan


# --- Deciding -------------------------------------------------------------------------------


def may_decide_all(user) -> bool:
    return bool(user.is_active and user.is_superuser)


def visible_loans(user) -> QuerySet[Loan]:
    """The loans this staff user may see and decide: their own institutions' only."""
    if not user.is_authenticated or not user.is_active:
        return Loan.objects.none()
    if may_decide_all(user):
        return Loan.objects.all()
    if not user.has_perm("booking.decide_loan"):
        return Loan.objects.none()
    return Loan.objects.filter(institution__leaders=user)


def is_leader(user) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and (
            may_decide_all(user)
            or (user.has_perm("booking.decide_loan") and user.led_institutions.exists())
        )
    )


def _locked_loan(loan_id, user) -> Loan:
    try:
        loan = visible_loans(user).select_for_update().get(pk=loan_id)
    except (Loan.DoesNotExist, ValueError, TypeError):
        raise exceptions.NotAllowed() from None
    return loan


def _loan_items(loan) -> list[tuple[Resource, int, R.Rules]]:
    quantities = dict(loan.items.values_list("resource_id", "quantity"))
    found = resources().filter(pk__in=list(quantities)).order_by("pk")
    return [(r, quantities[r.pk], rules_for(r)) for r in found]


def approve_loan(*, loan_id, user, exclude_slot_ids=(), note: str = "") -> Loan:
    """Approve a pending loan, leaving out the chosen slots of a series. Conflicts and
    closures are checked again, under the resources' locks."""
    note = (note or "").strip()[:4000]
    exclude = {int(pk) for pk in exclude_slot_ids}
    with transaction.atomic():
        loan = _locked_loan(loan_id, user)
        if loan.status != LoanStatus.PENDING:
            raise exceptions.AlreadyDecided()
        items = _loan_items(loan)
        _lock(r.pk for r, _q, _rules in items)
        slots = list(loan.slots.filter(held=True))
        kept = [s for s in slots if s.pk not in exclude]
        if not kept:
            raise exceptions.NotAllowed(gettext("Keep at least one time, or decline the loan."))
        problems = _conflicts(items, [(s.start, s.end) for s in kept], exclude_loan=loan.pk)
        tz = local_tz()
        for resource, _q, _rules in items:
            closures = facts(resource).closures
            for slot in kept:
                day = slot.start.astimezone(tz).date()
                for first, last, reason in closures:
                    if first <= day <= last:
                        problems.append(
                            gettext("%(name)s is closed on %(date)s (%(reason)s).")
                            % {
                                "name": resource.name,
                                "date": R.local_date_text(day, tz),
                                "reason": reason,
                            }
                        )
        if problems:
            raise exceptions.SlotTaken(
                gettext("The loan cannot be approved as it is. Leave out these times or decline:"),
                problems=problems,
            )
        left_out = [s for s in slots if s.pk in exclude]
        for slot in left_out:
            slot.held = False
            slot.excluded_reason = note[:300]
            slot.save(update_fields=["held", "excluded_reason"])
        loan.status = LoanStatus.APPROVED
        loan.decided_by = user
        loan.decided_at = timezone.now()
        loan.decision_reason = note
        loan.first_start = min(s.start for s in kept)
        loan.last_end = max(s.end for s in kept)
        loan.save()
        log(
            loan,
            "booking.approve",
            user=user,
            data={"left_out": [s.pk for s in left_out], "note": note},
        )
        mail.send_approved(loan)
        return loan


def decline_loan(*, loan_id, user, reason_id, note: str = "") -> Loan:
    """Decline for one of the fixed reasons in use (``DeclineReason``), which the borrower is
    told; ``note``, the leader's own words, is kept as the loan's internal note and never
    leaves the admin (not in the mail, the log's message, Mine sider or the report)."""
    reason = DeclineReason.objects.filter(pk=reason_id, active=True).first() if reason_id else None
    if reason is None:
        raise exceptions.DeclineReasonRequired()
    with transaction.atomic():
        loan = _locked_loan(loan_id, user)
        if loan.status != LoanStatus.PENDING:
            raise exceptions.AlreadyDecided()
        loan.status = LoanStatus.DECLINED
        loan.decided_by = user
        loan.decided_at = timezone.now()
        loan.decline_reason = reason
        loan.internal_note = (note or "").strip()[:4000]
        loan.save(
            update_fields=["status", "decided_by", "decided_at", "decline_reason", "internal_note"]
        )
        log(loan, "booking.decline", user=user, data={"reason": reason.text})
        mail.send_declined(loan)
        return loan


def cancellation_deadline(loan: Loan) -> dt.datetime:
    """The terms of the time of the request: the strictest deadline of its resources."""
    return loan.first_start - dt.timedelta(hours=loan.cancellation_deadline_hours)


def cancel_by_borrower(*, loan_id, user, now=None) -> Loan:
    now = now or timezone.now()
    with transaction.atomic():
        loan = Loan.objects.select_for_update().filter(pk=loan_id, user=user).first()
        if loan is None or loan.status not in HOLDING:
            raise exceptions.NotAllowed()
        if now > cancellation_deadline(loan):
            raise exceptions.CancellationTooLate()
        loan.status = LoanStatus.CANCELLED
        loan.cancelled_at = now
        loan.save(update_fields=["status", "cancelled_at"])
        log(loan, "booking.cancel", user=user, data={"by": "borrower"})
        mail.send_cancelled(loan, by_leader=False)
        return loan


def cancel_by_leader(*, loan_id, user, reason: str) -> Loan:
    reason = (reason or "").strip()
    if not reason:
        raise exceptions.ReasonRequired()
    with transaction.atomic():
        loan = _locked_loan(loan_id, user)
        if loan.status not in HOLDING:
            raise exceptions.AlreadyDecided()
        loan.status = LoanStatus.CANCELLED
        loan.cancelled_at = timezone.now()
        loan.decision_reason = reason[:4000]
        loan.save(update_fields=["status", "cancelled_at", "decision_reason"])
        log(loan, "booking.cancel", user=user, data={"by": "leader", "reason": reason[:4000]})
        mail.send_cancelled(loan, by_leader=True)
        return loan


# --- Equipment ------------------------------------------------------------------------------


def _require_condition(loan, condition: str) -> None:
    """Where the rules ask for a condition check, the leader notes the condition."""
    if (condition or "").strip():
        return
    if any(rules.condition_check for _r, _q, rules in _loan_items(loan)):
        raise exceptions.ConditionRequired()


def hand_out(*, loan_id, user, condition: str = "") -> Loan:
    with transaction.atomic():
        loan = _locked_loan(loan_id, user)
        if loan.status != LoanStatus.APPROVED or loan.equipment_state != EquipmentState.WAITING:
            raise exceptions.NotAllowed()
        _require_condition(loan, condition)
        loan.equipment_state = EquipmentState.HANDED_OUT
        loan.handed_out_at = timezone.now()
        loan.condition_out = (condition or "").strip()[:500]
        loan.save(update_fields=["equipment_state", "handed_out_at", "condition_out"])
        log(loan, "booking.hand_out", user=user, data={"condition": loan.condition_out})
        return loan


def take_back(*, loan_id, user, condition: str = "") -> Loan:
    with transaction.atomic():
        loan = _locked_loan(loan_id, user)
        if loan.equipment_state != EquipmentState.HANDED_OUT:
            raise exceptions.NotAllowed()
        _require_condition(loan, condition)
        loan.equipment_state = EquipmentState.RETURNED
        loan.returned_at = timezone.now()
        loan.condition_in = (condition or "").strip()[:500]
        loan.save(update_fields=["equipment_state", "returned_at", "condition_in"])
        log(loan, "booking.return", user=user, data={"condition": loan.condition_in})
        return loan


# --- Personal data --------------------------------------------------------------------------


def _names(loan: Loan) -> tuple[list[str], list[str]]:
    """What identifies the borrower in free text: their names (whole and in parts), the
    responsible adult's, their e-mail addresses; and their phone (its last eight digits)."""
    user = loan.user
    names = [loan.borrower_name, loan.responsible_name]
    if user is not None:
        names += [user.get_full_name(), user.first_name, user.last_name]
    found: set[str] = {a for a in (loan.borrower_email, user and user.email) if a}
    for value in names:
        value = (value or "").strip()
        if value:
            found.add(value)
            found.update(part for part in re.split(r"[\s,]+", value) if len(part) >= 2)
    digits = re.sub(r"\D", "", loan.responsible_phone or "")
    phones = [digits[-8:]] if len(digits) >= 6 else []
    return sorted(found, key=len, reverse=True), phones


def _mentions(text: str, identifiers: tuple[list[str], list[str]]) -> bool:
    """Whether ``text`` names the person (a name also in the genitive: "Bodils")."""
    names, phones = identifiers
    text = text or ""
    if any(phone in re.sub(r"\D", "", text) for phone in phones):
        return True
    return any(
        re.search(rf"(?<!\w){re.escape(name)}(?:s|'s|')?(?!\w)", text, flags=re.IGNORECASE)
        for name in names
    )


def anonymise(loan: Loan) -> None:
    """Remove the borrower from a loan: who they are, how to reach them, what they wrote,
    and any note that names them (title, reason, condition notes, the history's texts),
    and the stored mails about the loan. What was lent, when and for which purpose stays
    (the figures count it)."""
    from wagtail.models import ModelLogEntry

    from frivillig_blocks.personal_data import scrub_mail

    names = _names(loan)
    loan.user = None
    loan.borrower_name = ""
    loan.borrower_email = ""
    loan.responsible_name = ""
    loan.responsible_phone = ""
    loan.description = ""
    if _mentions(loan.title, names):
        loan.title = gettext("Anonymised loan")
    for name in ("decision_reason", "internal_note", "condition_out", "condition_in"):
        if _mentions(getattr(loan, name), names):
            setattr(loan, name, "")
    loan.anonymised_at = timezone.now()
    loan.save(
        update_fields=[
            "user",
            "borrower_name",
            "borrower_email",
            "responsible_name",
            "responsible_phone",
            "description",
            "title",
            "decision_reason",
            "internal_note",
            "condition_out",
            "condition_in",
            "anonymised_at",
        ]
    )
    for slot in loan.slots.exclude(excluded_reason=""):
        if _mentions(slot.excluded_reason, names):
            slot.excluded_reason = ""
            slot.save(update_fields=["excluded_reason"])
    for entry in ModelLogEntry.objects.for_instance(loan):
        data = {
            key: ("" if isinstance(value, str) and _mentions(value, names) else value)
            for key, value in (entry.data or {}).items()
        }
        entry.label = str(loan)[:255]
        entry.data = data
        entry.save(update_fields=["label", "data"])
    scrub_mail([loan])


def retention_days() -> int:
    return int(app_settings.RETENTION_DAYS)


def anonymise_finished(now=None) -> int:
    """Anonymise loans that ended (or were declined/cancelled) longer ago than the
    retention period, and scrub their mails. The personal data registry's ``expire``."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=retention_days())
    count = 0
    for loan_id in Loan.objects.filter(anonymised_at__isnull=True, last_end__lt=cutoff).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            loan = Loan.objects.select_for_update().get(pk=loan_id)
            if loan.anonymised_at is None:
                anonymise(loan)
                log(loan, "booking.anonymise", user=None)
                count += 1
    return count


def loans_of(person) -> QuerySet[Loan]:
    """The loans a person asked for (``person``: ``frivillig_blocks.personal_data.Person``),
    by account, and by address where the account is no longer tied to the loan."""
    from django.db.models import Q

    return Loan.objects.filter(
        Q(user=person.user) | (Q(user__isnull=True) & person.email_q("borrower_email"))
    )


def erase_person(person, *, now=None) -> list[Loan]:
    """A person deletes their account: their pending loans and the times of their approved
    loans that have not begun are given up (the slots are free for others at once), every
    loan of theirs is anonymised and its mails scrubbed. The leaders of each institution
    concerned get a short notice (references, what and when, no personal data), since they
    expected the borrower. Returns the loans that were given up, wholly or in part."""
    now = now or timezone.now()
    given_up: list[Loan] = []
    with transaction.atomic():
        loans = list(loans_of(person).select_for_update().order_by("pk"))
        for loan in loans:
            if loan.status == LoanStatus.PENDING or (
                loan.status == LoanStatus.APPROVED and loan.first_start >= now
            ):
                future = list(loan.slots.filter(held=True))
                loan.status = LoanStatus.CANCELLED
                loan.cancelled_at = now
                loan.save(update_fields=["status", "cancelled_at"])
                log(loan, "booking.cancel", user=None, data={"by": "account_deleted"})
                given_up.append((loan, future))
            elif loan.status == LoanStatus.APPROVED and loan.last_end > now:
                # A series under way: the times that have begun stay, the rest are freed.
                future = list(loan.slots.filter(held=True, start__gte=now))
                if future:
                    LoanSlot.objects.filter(pk__in=[s.pk for s in future]).update(held=False)
                    kept = loan.slots.filter(held=True).order_by("-end").first()
                    loan.last_end = kept.end
                    loan.save(update_fields=["last_end"])
                    log(
                        loan,
                        "booking.cancel",
                        user=None,
                        data={"by": "account_deleted", "left_out": [s.pk for s in future]},
                    )
                    given_up.append((loan, future))
        for loan in loans:
            anonymise(loan)
            log(loan, "booking.anonymise", user=None, data={"by": "account_deleted"})
        by_institution: dict[int, list] = defaultdict(list)
        for loan, slots in given_up:
            by_institution[loan.institution_id].append((loan, slots))
        for entries in by_institution.values():
            mail.send_erased_to_leaders(entries)
    return [loan for loan, _slots in given_up]
