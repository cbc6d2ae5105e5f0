"""The personal data registry: one place where every app declares what it keeps about a
person, why, on which legal basis and for how long, and how to export, erase and expire it.

The data download (GDPR art. 15 and 20), account deletion (art. 17) and the nightly
retention task (art. 5(1)(e)) all read this registry, so a datum an app declares is
handled by all three, and a datum it forgets is missing from all three (the test of
every text column catches that). ``manage.py personal_data_register`` prints the record
of processing (art. 30) that the README holds.

An app registers its sources through the ``frivillig_personal_data_sources`` hook::

    @hooks.register(PERSONAL_DATA_SOURCES)
    def personal_data_sources():
        return [PersonalDataSource(key="booking.loans", ...)]
"""

from __future__ import annotations

import datetime
import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from email.utils import getaddresses

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from wagtail import hooks as wagtail_hooks

from .hooks import PERSONAL_DATA_SOURCES

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Person:
    """The person a request is about: the account and every address that is theirs
    (the account's address and the verified allauth addresses), lower-cased."""

    user: object
    emails: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def of(cls, user) -> Person:
        from allauth.account.models import EmailAddress

        addresses = {
            a.strip().lower()
            for a in EmailAddress.objects.filter(user=user, verified=True).values_list(
                "email", flat=True
            )
        }
        if user.email:
            addresses.add(user.email.strip().lower())
        return cls(user=user, emails=frozenset(a for a in addresses if a))

    def email_q(self, field_name: str) -> Q:
        """``Q`` matching rows whose ``field_name`` is one of the person's addresses
        (case-insensitive); matches nothing when the person has none."""
        q = Q(pk__in=[])
        for address in sorted(self.emails):
            q |= Q(**{f"{field_name}__iexact": address})
        return q

    def owns_address(self, value: str) -> bool:
        """True when ``value`` (``addr`` or ``Name <addr>``) is one of the person's addresses."""
        return any(addr.strip().lower() in self.emails for _name, addr in getaddresses([value]))

    def terms(self) -> list[str]:
        """What names the person in free text: the full name, each name of three letters or
        more, and every address (for ``redact``)."""
        user = self.user
        names = [getattr(user, "first_name", ""), getattr(user, "last_name", "")]
        full = " ".join(n.strip() for n in names if n and n.strip())
        found = [full] if full else []
        for name in names:
            found += [part for part in (name or "").split() if len(part) >= 3]
        return [*found, *sorted(self.emails)]


def redact(text: str, terms: Iterable[str], *, phones: Iterable[str] = ()) -> str:
    """``text`` with every term (case-insensitive, whole words) and every phone number given
    (whatever its spacing) replaced by "[…]". Used to anonymise free text that must stay."""
    if not text:
        return text
    for term in sorted({t.strip() for t in terms if t and t.strip()}, key=len, reverse=True):
        text = re.sub(rf"(?<!\w){re.escape(term)}(?!\w)", "[…]", text, flags=re.IGNORECASE)
    for phone in phones:
        digits = re.sub(r"\D", "", phone or "")
        if len(digits) >= 6:
            pattern = r"[\s.-]?".join(re.escape(d) for d in digits[-8:])
            text = re.sub(rf"(?:\+?\d{{1,3}}[\s.-]?)?{pattern}", "[…]", text)
    return text


@dataclass(frozen=True)
class PersonalDataSource:
    """One kind of personal data an app keeps.

    ``export(person)`` returns JSON-able data (list or dict; empty when none).
    ``erase(person)`` deletes or anonymises it; called inside the deleting transaction,
    before the user row goes. It must leave other people's data standing.
    ``expire(now)`` deletes or anonymises what is past its retention period and returns
    how many records it changed; ``None`` when the data goes with the account only.
    ``erase_last``: erased after every other source (the mail logs: another source's erase
    may still queue a mail to the person, which must go too).
    """

    key: str  # "<app_label>.<what>", unique
    label: str  # what it is, for the record of processing
    data: str  # which personal data
    purpose: str
    legal_basis: str
    retention: str
    export: Callable[[Person], object]
    erase: Callable[[Person], None]
    expire: Callable[[datetime.datetime], int] | None = None
    erase_last: bool = False


def sources() -> list[PersonalDataSource]:
    found: list[PersonalDataSource] = []
    for fn in wagtail_hooks.get_hooks(PERSONAL_DATA_SOURCES):
        found.extend(fn() or ())
    keys = [s.key for s in found]
    duplicates = {k for k in keys if keys.count(k) > 1}
    if duplicates:
        raise RuntimeError(f"personal data sources registered twice: {sorted(duplicates)}")
    return sorted(found, key=lambda s: s.key)


def export(user) -> dict:
    """Everything the platform keeps about a person, keyed by source."""
    person = Person.of(user)
    data: dict = {}
    for source in sources():
        part = source.export(person)
        if part:
            data[source.key] = part
    return data


@transaction.atomic
def erase(user) -> None:
    """Erase a person: each source deletes or anonymises its data, then the account goes."""
    from django.contrib.auth import get_user_model

    person = Person.of(user)
    for source in sorted(sources(), key=lambda s: s.erase_last):  # stable: by key within
        source.erase(person)
    get_user_model().objects.filter(pk=user.pk).delete()
    # The search's vocabulary may still hold a word of what was erased (a name in an
    # event's text): it is rebuilt from the index once the objects are indexed again.
    from .tasks import rebuild_search_vocabulary

    rebuild_search_vocabulary.enqueue()
    logger.info("account %s erased", user.pk)


def expire(now: datetime.datetime | None = None) -> dict[str, int]:
    """Run every source's retention; each in its own transaction, so one failing source
    does not keep the others from running. Returns the number changed per source."""
    now = now or timezone.now()
    done: dict[str, int] = {}
    for source in sources():
        if source.expire is None:
            continue
        try:
            with transaction.atomic():
                done[source.key] = int(source.expire(now) or 0)
        except Exception:
            logger.exception("retention of %s failed", source.key)
    return done


def related_key(obj) -> str:
    """The key that ties a mail to the record it is about: ``app_label.model:pk``."""
    return f"{obj._meta.label_lower}:{obj.pk}"


def scrub_mail(objs: Iterable) -> int:
    """Delete the stored outgoing mail about these records (used when a record is erased or
    anonymised, so its mail does not keep what the record no longer does)."""
    from .models import OutboundMessage

    keys = [related_key(o) if not isinstance(o, str) else o for o in objs]
    if not keys:
        return 0
    deleted, _ = OutboundMessage.objects.filter(related__in=keys).delete()
    return deleted


def register_table() -> list[dict[str, str]]:
    """The record of processing as rows (for the README and the admin)."""
    return [
        {
            "key": s.key,
            "label": str(s.label),
            "data": str(s.data),
            "purpose": str(s.purpose),
            "legal_basis": str(s.legal_basis),
            "retention": str(s.retention),
        }
        for s in sources()
    ]
