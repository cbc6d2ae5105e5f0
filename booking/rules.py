"""The manual's rules as pure decisions: no HTTP, no ORM writes, easy to test by table.

``effective_rules`` merges a resource's rules over its institution's over the defaults;
``check_request`` returns one Danish reason per broken rule (empty when all hold);
``expand`` turns a date, times and an optional weekly end date into aware UTC slots,
computed in the local zone so that 19:00 stays 19:00 across daylight saving.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from .exceptions import InvalidTime

UTC = dt.UTC

# --- Vocabulary -----------------------------------------------------------------------------

PURPOSE_CHOICES = [
    ("association", _("The association's regular activity")),
    ("meeting", _("Meeting or general assembly")),
    ("public_event", _("Event open to everyone")),
    ("course", _("Course or talk")),
    ("sports", _("Sports and exercise")),
    ("culture", _("Culture, music, theatre")),
    ("children", _("Activity for children and young people")),
    ("social", _("Social work or charity")),
    ("private_party", _("Private party (birthday, wedding, confirmation)")),
    ("commercial", _("Commercial activity")),
]
PURPOSES = dict(PURPOSE_CHOICES)
# The manual forbids these everywhere: no private parties, no business.
ALWAYS_FORBIDDEN = ("private_party", "commercial")

ALWAYS, CHILDREN, OVERNIGHT, ALCOHOL_LARGE = "always", "children", "overnight", "alcohol_large"
DECLARATION_CONDITIONS = [
    (ALWAYS, _("Always")),
    (CHILDREN, _("When children take part")),
    (OVERNIGHT, _("At overnight stays")),
    (ALCOHOL_LARGE, _("When alcohol is served to more than 150 people")),
]
ALCOHOL_LIMIT = 150

APPROVED_ASSOCIATIONS, CITIZENS, NAMED = "associations", "citizens", "named"
WHO_CHOICES = [
    (APPROVED_ASSOCIATIONS, _("Approved associations")),
    (CITIZENS, _("Any signed-in citizen")),
    (NAMED, _("Only the named associations")),
]
APPROVAL, INSTANT_TRUSTED = "approval", "instant_trusted"
APPROVAL_CHOICES = [
    (APPROVAL, _("The leader approves every loan")),
    (INSTANT_TRUSTED, _("Trusted associations get instant confirmation")),
]

DISABILITY, CHILDREN_YOUTH, GENERAL = "disability", "children_youth", "general"
TARGET_GROUP_CHOICES = [
    (DISABILITY, _("People with disabilities")),
    (CHILDREN_YOUTH, _("Children and young people")),
    (GENERAL, _("Adults and others")),
]
# Folkeoplysningsloven's order: activities for people with disabilities first, then
# children and young people.
PRIORITY = {DISABILITY: 0, CHILDREN_YOUTH: 1, GENERAL: 2}

NO_FEE, COST_ONLY, SOCIAL_SURPLUS, PRIVATE_PROFIT = "none", "cost", "social", "profit"
FEE_CHOICES = [
    (NO_FEE, _("No participant fee")),
    (COST_ONLY, _("A fee that only covers costs")),
    (SOCIAL_SURPLUS, _("A fee whose surplus goes to a broad or social purpose")),
    (PRIVATE_PROFIT, _("A surplus to individuals or a company")),
]

WEEKDAY_CHOICES = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]

MAX_PARTICIPANTS = 5000
MAX_SERIES = 53  # weekly occurrences in one request (a year)

DEFAULTS = {
    "min_notice_hours": 48,
    "max_advance_days": 365,
    "min_duration_minutes": 30,
    "max_duration_minutes": 8 * 60,
    "buffer_minutes": 0,
    "max_loans_per_month": None,
    "who_may_borrow": APPROVED_ASSOCIATIONS,
    "approval": APPROVAL,
    "cancellation_deadline_hours": 48,
    "pickup_times": "",
    "return_times": "",
    "deposit_text": "",
    "condition_check": False,
}
SCALARS = tuple(DEFAULTS)


@dataclass(frozen=True)
class Rules:
    allowed_purposes: tuple = ()
    forbidden_purposes: tuple = ALWAYS_FORBIDDEN
    min_notice_hours: int = 48
    max_advance_days: int = 365
    min_duration_minutes: int = 30
    max_duration_minutes: int = 480
    buffer_minutes: int = 0
    max_loans_per_month: int | None = None
    who_may_borrow: str = APPROVED_ASSOCIATIONS
    approval: str = APPROVAL
    cancellation_deadline_hours: int = 48
    pickup_times: str = ""
    return_times: str = ""
    deposit_text: str = ""
    condition_check: bool = False
    named_associations: frozenset = frozenset()
    trusted_associations: frozenset = frozenset()
    declarations: tuple = ()  # Declaration objects (id, title, text, condition)

    @property
    def buffer(self) -> dt.timedelta:
        return dt.timedelta(minutes=self.buffer_minutes)


@dataclass(frozen=True)
class RuleLayer:
    """One level's own values (an institution or a resource): ``None``/empty inherits."""

    values: dict
    named: frozenset = frozenset()
    trusted: frozenset = frozenset()
    declarations: tuple = ()


def effective_rules(*layers: RuleLayer) -> Rules:
    """Later layers override earlier ones (institution, then resource)."""
    values = dict(DEFAULTS)
    allowed: tuple = ()
    forbidden: set = set(ALWAYS_FORBIDDEN)
    named = trusted = frozenset()
    declarations: tuple = ()
    for layer in layers:
        for name in SCALARS:
            value = layer.values.get(name)
            if value is not None and value != "":
                values[name] = value
        if layer.values.get("allowed_purposes"):
            allowed = tuple(layer.values["allowed_purposes"])
        if layer.values.get("forbidden_purposes"):
            forbidden = set(ALWAYS_FORBIDDEN) | set(layer.values["forbidden_purposes"])
        if layer.named:
            named = layer.named
        if layer.trusted:
            trusted = layer.trusted
        if layer.declarations:
            declarations = layer.declarations
    return Rules(
        allowed_purposes=tuple(p for p in allowed if p not in forbidden),
        forbidden_purposes=tuple(sorted(forbidden)),
        named_associations=named,
        trusted_associations=trusted,
        declarations=declarations,
        **values,
    )


def opening_runs(hours) -> list[tuple[int, int, tuple]]:
    """Opening hours ``(weekday, opens, closes)`` as runs of consecutive weekdays with the
    same hours: ``(first weekday, last weekday, ((opens, closes), ...))``, so a room open
    8–22 every day reads "mandag–søndag 08:00–22:00" and not seven times the same."""
    by_day: dict[int, list] = {}
    for weekday, opens, closes in sorted(hours):
        by_day.setdefault(weekday, []).append((opens, closes))
    runs: list[tuple[int, int, tuple]] = []
    for weekday in sorted(by_day):
        spans = tuple(by_day[weekday])
        if runs and runs[-1][1] == weekday - 1 and runs[-1][2] == spans:
            runs[-1] = (runs[-1][0], weekday, spans)
        else:
            runs.append((weekday, weekday, spans))
    return runs


#: The rows of the rules as the public pages show them, each with the fields it is made of.
RULE_ROWS = {
    "purposes": ("allowed_purposes", "forbidden_purposes"),
    "who": ("who_may_borrow", "named_associations"),
    "notice": ("min_notice_hours", "max_advance_days"),
    "duration": ("min_duration_minutes", "max_duration_minutes", "buffer_minutes"),
    "often": ("max_loans_per_month",),
    "decision": ("approval", "trusted_associations"),
    "cancellation": ("cancellation_deadline_hours",),
    "declarations": ("declarations",),
    "pickup": ("pickup_times",),
    "return": ("return_times",),
    "deposit": ("deposit_text",),
    "condition": ("condition_check",),
}


def exception_rows(general: Rules, own: Rules) -> frozenset[str]:
    """The rows of ``RULE_ROWS`` in which a resource's effective rules differ from its
    institution's general rules: what the loans page shows beside the resource, so each
    general rule is printed once per institution."""
    return frozenset(
        row
        for row, names in RULE_ROWS.items()
        if any(getattr(general, name) != getattr(own, name) for name in names)
    )


# --- Formatting -----------------------------------------------------------------------------


def duration_text(minutes: int) -> str:
    if minutes % 60 == 0:
        hours = minutes // 60
        return ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}
    return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}


def local_date_text(value: dt.datetime | dt.date, tz: ZoneInfo) -> str:
    if isinstance(value, dt.datetime):
        value = value.astimezone(tz).date()
    return date_format(value, "j. F Y")


# --- Times ----------------------------------------------------------------------------------


def aware(day: dt.date, time: dt.time, tz: ZoneInfo) -> dt.datetime:
    local = dt.datetime.combine(day, time, tzinfo=tz)
    if local.astimezone(UTC).astimezone(tz).replace(tzinfo=None) != local.replace(tzinfo=None):
        raise InvalidTime(day)
    return local.astimezone(UTC)


def expand(
    *,
    start_date: dt.date,
    start_time: dt.time,
    end_date: dt.date,
    end_time: dt.time,
    tz: ZoneInfo,
    repeat_until: dt.date | None = None,
    limit: int = MAX_SERIES,
) -> list[tuple[dt.datetime, dt.datetime]]:
    """The slots (UTC) of a single loan or of a weekly series up to ``repeat_until``
    (inclusive), each computed from the local date and wall-clock times."""
    span = end_date - start_date
    slots = []
    day = start_date
    last = repeat_until or start_date
    while day <= last:
        slots.append((aware(day, start_time, tz), aware(day + span, end_time, tz)))
        if len(slots) > limit:
            break
        day += dt.timedelta(days=7)
    return slots


# --- Checks ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResourceFacts:
    """What the checks need to know of a resource (no ORM)."""

    id: int
    name: str
    is_room: bool
    capacity: int | None
    fire_capacity: int | None
    quantity: int
    lendable_alone: bool
    opening_hours: tuple = ()  # (weekday, opens, closes) local
    closures: tuple = ()  # (first day, last day, reason) local, incl. the institution's


@dataclass(frozen=True)
class Request:
    slots: Sequence[tuple[dt.datetime, dt.datetime]]
    purpose: str
    participants: int
    now: dt.datetime
    tz: ZoneInfo
    association_id: int | None = None
    association_live: bool = False
    is_member: bool = False
    fee: str = NO_FEE
    children_take_part: bool = False
    overnight: bool = False
    alcohol: bool = False
    with_room: bool = False
    accepted_declarations: frozenset = frozenset()
    # Loans already held by the association (or the person) at this resource per local
    # (year, month); filled by the service from the database.
    loans_per_month: dict = field(default_factory=dict)


def declaration_applies(condition: str, request: Request) -> bool:
    if condition == CHILDREN:
        return request.children_take_part
    if condition == OVERNIGHT:
        return request.overnight
    if condition == ALCOHOL_LARGE:
        return request.alcohol and request.participants > ALCOHOL_LIMIT
    return True


def applicable_declarations(rules: Rules, request: Request) -> list:
    return [d for d in rules.declarations if declaration_applies(d.condition, request)]


def _noun(resource: ResourceFacts) -> str:
    return gettext("The room") if resource.is_room else gettext("The equipment")


def check_request(resource: ResourceFacts, rules: Rules, request: Request) -> list[str]:
    """One Danish reason per broken rule for this resource; empty when the request may go
    to the leader (conflicts with other loans are checked under a lock by the service)."""
    problems: list[str] = []
    noun = _noun(resource)
    tz = request.tz

    def add(message: str) -> None:
        if message not in problems:
            problems.append(message)

    # Purpose and money.
    if request.purpose in rules.forbidden_purposes:
        add(
            gettext("%(noun)s may not be borrowed for: %(purpose)s.")
            % {"noun": noun, "purpose": PURPOSES.get(request.purpose, request.purpose)}
        )
    elif rules.allowed_purposes and request.purpose not in rules.allowed_purposes:
        add(
            gettext("%(noun)s may only be borrowed for: %(purposes)s.")
            % {
                "noun": noun,
                "purposes": ", ".join(str(PURPOSES[p]).lower() for p in rules.allowed_purposes),
            }
        )
    if request.fee == PRIVATE_PROFIT:
        add(
            gettext(
                "A loan may not give a surplus to individuals or companies; a participant fee may "
                "only cover costs, unless the surplus goes to a broad or social purpose."
            )
        )

    # Who.
    if rules.who_may_borrow in (APPROVED_ASSOCIATIONS, NAMED):
        if not request.association_id or not request.is_member:
            add(
                gettext(
                    "%(noun)s is only lent to associations: choose an association you are a member of."
                )
                % {"noun": noun}
            )
        elif not request.association_live:
            add(gettext("%(noun)s is only lent to approved associations.") % {"noun": noun})
        elif (
            rules.who_may_borrow == NAMED and request.association_id not in rules.named_associations
        ):
            add(
                gettext(
                    "%(noun)s is only lent to named associations, and yours is not one of them."
                )
                % {"noun": noun}
            )

    # Equipment that goes with a room only.
    if not resource.is_room and not resource.lendable_alone and not request.with_room:
        add(gettext("%(noun)s can only be borrowed together with a room.") % {"noun": noun})

    # Participants.
    if resource.is_room:
        limit = (
            min(c for c in (resource.capacity, resource.fire_capacity) if c)
            if (resource.capacity or resource.fire_capacity)
            else None
        )
        if limit is not None and request.participants > limit:
            add(gettext("The room has room for at most %(count)d people.") % {"count": limit})

    # Times.
    notice = dt.timedelta(hours=rules.min_notice_hours)
    advance = dt.timedelta(days=rules.max_advance_days)
    for start, end in request.slots:
        day_text = local_date_text(start, tz)
        if end <= start:
            add(gettext("The end must be after the start."))
            continue
        if start < request.now:
            add(gettext("%(date)s has already passed.") % {"date": day_text})
        elif start < request.now + notice:
            add(
                gettext("%(noun)s must be requested at least %(notice)s in advance.")
                % {"noun": noun, "notice": duration_text(rules.min_notice_hours * 60)}
            )
        if start > request.now + advance:
            add(
                gettext(
                    "%(noun)s can be requested at most %(days)d days in advance (%(date)s is too late)."
                )
                % {"noun": noun, "days": rules.max_advance_days, "date": day_text}
            )
        minutes = int((end - start).total_seconds() // 60)
        if rules.max_duration_minutes and minutes > rules.max_duration_minutes:
            add(
                gettext("%(noun)s can be borrowed for at most %(duration)s at a time.")
                % {"noun": noun, "duration": duration_text(rules.max_duration_minutes)}
            )
        if rules.min_duration_minutes and minutes < rules.min_duration_minutes:
            add(
                gettext("%(noun)s must be borrowed for at least %(duration)s.")
                % {"noun": noun, "duration": duration_text(rules.min_duration_minutes)}
            )
        local_start, local_end = start.astimezone(tz), end.astimezone(tz)
        if resource.opening_hours and not _within_hours(
            resource.opening_hours, local_start, local_end
        ):
            add(
                gettext("%(noun)s is not open at the chosen time on %(date)s.")
                % {"noun": noun, "date": day_text}
            )
        for first, last, reason in resource.closures:
            if (
                local_start.date() <= last
                and (local_end - dt.timedelta(microseconds=1)).date() >= first
            ):
                add(
                    gettext("%(noun)s is closed on %(date)s (%(reason)s).")
                    % {"noun": noun, "date": day_text, "reason": reason}
                )

    # Loans per month.
    if rules.max_loans_per_month is not None:
        counts = dict(request.loans_per_month)
        for start, _end in request.slots:
            local = start.astimezone(tz)
            key = (local.year, local.month)
            counts[key] = counts.get(key, 0) + 1
        for (year, month), count in sorted(counts.items()):
            if count > rules.max_loans_per_month and count > request.loans_per_month.get(
                (year, month), 0
            ):
                add(
                    gettext(
                        "%(noun)s can be borrowed at most %(count)d times a month by the same association (%(month)s)."
                    )
                    % {
                        "noun": noun,
                        "count": rules.max_loans_per_month,
                        "month": date_format(dt.date(year, month, 1), "F Y"),
                    }
                )

    # Declarations.
    for declaration in applicable_declarations(rules, request):
        if declaration.id not in request.accepted_declarations:
            add(gettext("Accept the declaration: %(title)s.") % {"title": declaration.title})
    return problems


def _within_hours(hours: Iterable, start: dt.datetime, end: dt.datetime) -> bool:
    if start.date() != end.date() and not (
        end.time() == dt.time(0) and end.date() == start.date() + dt.timedelta(days=1)
    ):
        return False
    end_time = end.time() if end.date() == start.date() else dt.time(23, 59, 59)
    return any(
        weekday == start.weekday() and opens <= start.time() and end_time <= closes
        for weekday, opens, closes in hours
    )


# --- Capacity -------------------------------------------------------------------------------


def peak_use(intervals: Iterable[tuple[dt.datetime, dt.datetime, int]], start, end) -> int:
    """The highest total quantity in use at any moment of [start, end)."""
    events = []
    for s, e, quantity in intervals:
        s, e = max(s, start), min(e, end)
        if s < e:
            events.append((s, quantity))
            events.append((e, -quantity))
    peak = current = 0
    for _moment, delta in sorted(events, key=lambda ev: (ev[0], ev[1])):
        current += delta
        peak = max(peak, current)
    return peak


def slot_conflicts(
    *,
    new_slots: Sequence[tuple[dt.datetime, dt.datetime]],
    existing: Sequence[tuple[dt.datetime, dt.datetime, int]],
    stock: int,
    wanted: int,
    buffer: dt.timedelta,
) -> list[tuple[dt.datetime, dt.datetime]]:
    """The new slots that do not fit: existing loans (widened by the buffer on both sides)
    would leave fewer than ``wanted`` of ``stock`` free at some moment."""
    bad = []
    for start, end in new_slots:
        widened = [
            (s - buffer, e + buffer, q)
            for s, e, q in existing
            if s - buffer < end and e + buffer > start
        ]
        if widened and peak_use(widened, start, end) + wanted > stock:
            bad.append((start, end))
    return bad
