"""Pure routing decisions: given the rules as plain data and a message, which rule decides
and why. No ORM, no HTTP; ``henvendelser.routing`` feeds it and records the outcome.

A non-default rule matches when *every* criterion it sets holds (recipient address,
keywords, sender's domain, topic); a rule that sets none never matches on its own. Rules
are tried by (priority, name, id); the first match wins. If none matches, the first active
default rule decides.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from email.utils import getaddresses

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class RuleData:
    id: int
    name: str
    priority: int = 100
    active: bool = True
    recipient: str = ""
    keywords: str = ""
    sender_domain: str = ""
    topic_id: int | None = None
    is_default: bool = False

    @property
    def has_criteria(self) -> bool:
        return bool(
            self.recipient.strip()
            or split_keywords(self.keywords)
            or normalise_domain(self.sender_domain)
            or self.topic_id
        )


@dataclass(frozen=True)
class MessageData:
    recipient: str = ""
    subject: str = ""
    text: str = ""
    sender: str = ""
    topic_id: int | None = None


@dataclass(frozen=True)
class Match:
    rule: RuleData | None
    reason: str


def fold(value: str) -> str:
    """Case- and form-insensitive text (æ/Æ, composed/decomposed å)."""
    return unicodedata.normalize("NFC", value or "").casefold()


def split_keywords(keywords: str) -> list[str]:
    return [k for k in (fold(part).strip() for part in (keywords or "").split(",")) if k]


def normalise_domain(domain: str) -> str:
    return fold(domain).strip().lstrip("@").rstrip(".")


def addresses(value: str) -> list[str]:
    """The bare addresses in a To/Cc-like value ("Name <a@b>, c@d"), folded."""
    return [fold(addr).strip() for _name, addr in getaddresses([value or ""]) if addr.strip()]


def sender_domain(sender: str) -> str:
    found = addresses(sender)
    if not found or "@" not in found[0]:
        return ""
    return normalise_domain(found[0].rpartition("@")[2])


def _recipient_matches(rule_recipient: str, recipients: list[str]) -> bool:
    wanted = fold(rule_recipient).strip()
    if not wanted:
        return True
    if "@" in wanted:
        return wanted in recipients
    # Only a local part ("frivillig+puljer"): any domain.
    return any(addr.partition("@")[0] == wanted for addr in recipients)


def _domain_matches(rule_domain: str, domain: str) -> bool:
    return bool(domain) and (domain == rule_domain or domain.endswith("." + rule_domain))


def match_rule(rule: RuleData, message: MessageData) -> str | None:
    """The reason ``rule`` matches ``message``, or None."""
    if not rule.active or not rule.has_criteria:
        return None
    reasons: list[str] = []
    if rule.recipient.strip():
        if not _recipient_matches(rule.recipient, addresses(message.recipient)):
            return None
        reasons.append(_("sent to %(address)s") % {"address": rule.recipient.strip()})
    keywords = split_keywords(rule.keywords)
    if keywords:
        subject, text = fold(message.subject), fold(message.text)
        for keyword in keywords:
            if keyword in subject:
                reasons.append(_('the subject contains "%(keyword)s"') % {"keyword": keyword})
                break
            if keyword in text:
                reasons.append(_('the text contains "%(keyword)s"') % {"keyword": keyword})
                break
        else:
            return None
    rule_domain = normalise_domain(rule.sender_domain)
    if rule_domain:
        if not _domain_matches(rule_domain, sender_domain(message.sender)):
            return None
        reasons.append(_("the sender is from %(domain)s") % {"domain": rule_domain})
    if rule.topic_id:
        if message.topic_id != rule.topic_id:
            return None
        reasons.append(_("the topic matches"))
    return ", ".join(reasons)


def ordered(rules: Iterable[RuleData]) -> list[RuleData]:
    return sorted(rules, key=lambda r: (r.priority, fold(r.name), r.id))


def choose_rule(rules: Sequence[RuleData], message: MessageData) -> Match:
    """The first matching active rule by priority, else the default rule, else none."""
    candidates = ordered(r for r in rules if r.active)
    for rule in candidates:
        if rule.is_default:
            continue
        why = match_rule(rule, message)
        if why is not None:
            return Match(rule, _('Rule "%(rule)s": %(why)s.') % {"rule": rule.name, "why": why})
    for rule in candidates:
        if rule.is_default:
            return Match(
                rule, _('Default rule "%(rule)s": no other rule matched.') % {"rule": rule.name}
            )
    return Match(None, _("No rule matched and there is no default rule."))


def next_in_turn(user_ids: Sequence[int], last_id: int | None) -> int | None:
    """Round robin: the user after ``last_id`` in ascending id order (wrapping around)."""
    ids = sorted(set(user_ids))
    if not ids:
        return None
    if last_id is None:
        return ids[0]
    for user_id in ids:
        if user_id > last_id:
            return user_id
    return ids[0]
