"""The mail provider's verdict on who sent an incoming mail: SPF, DKIM, DMARC and the spam
score, read from what the ESP adds to the mail, and whether that verdict confirms the
address in ``From``.

Everything in a mail's header can be written by its sender, including a forged
``Authentication-Results: …; dmarc=pass``. So the verdict is conservative:

- Only the topmost instance of a header is read (the receiving ESP adds its own headers
  above the ones the mail arrived with; RFC 8601 §5, RFC 7208 §9.1).
- A failing result counts wherever it comes from (no sender gains by forging a failure);
  a *pass* counts only from a source the ESP that delivered the mail writes itself:
  Postmark's SpamAssassin headers (``X-Spam-Tests``, which SpamAssassin replaces on every
  mail) and its ``Received-SPF``; Mailgun's ``X-Mailgun-Spf`` and
  ``X-Mailgun-Dkim-Check-Result``; an ``Authentication-Results`` whose authserv-id the site
  trusts (``FRIVILLIG_INBOUND_AUTHSERV_IDS``, e.g. ``["amazonses.com"]``). Mailgun's headers
  in a mail Postmark delivered are the sender's word, and so on.
- SPF and DKIM confirm the sender only when aligned with the ``From`` domain (the same
  domain or a subdomain of it, either way): a pass for the envelope sender's own domain
  says nothing about the address in ``From``.

``authenticated`` is DMARC pass, or, without a DMARC result, an aligned SPF or DKIM pass.
Results are stored in ``InboundMessage.auth_*``: ``pass``, ``fail``, ``softfail``,
``neutral``, ``none``, ``temperror``, ``permerror``, ``pass-other`` (passed for a domain
other than ``From``'s) or ``""`` (the ESP said nothing we can trust).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from .conf import app_settings

PASS = "pass"  # noqa: S105 (a result, not a password)
PASS_OTHER = "pass-other"  # noqa: S105
RESULTS = ("pass", "fail", "softfail", "neutral", "none", "temperror", "permerror", "policy")
#: The worst first: the verdict of a mechanism is its worst result from any source.
SEVERITY = ("fail", "permerror", "softfail", "policy", "temperror", "neutral", "none")
#: Known authserv-ids of ESPs that add a trustworthy Authentication-Results.
ESP_AUTHSERV_IDS = {"amazon_ses": ("amazonses.com",)}

_COMMENT = re.compile(r"\([^()]*\)")


@dataclass(frozen=True)
class Verdict:
    spf: str = ""
    dkim: str = ""
    dmarc: str = ""
    spam_score: float | None = None

    @property
    def authenticated(self) -> bool:
        if self.dmarc == PASS:
            return True
        if self.dmarc not in ("", "none"):
            return False
        return PASS in (self.spf, self.dkim)


def _domain(value: str) -> str:
    value = (value or "").strip().strip("<>").strip().lower().rstrip(".")
    domain = value.rpartition("@")[2]
    try:
        return domain.encode("idna").decode("ascii") if domain else ""
    except UnicodeError:
        return domain


def aligned(domain: str, from_domain: str) -> bool:
    """Relaxed alignment without the public suffix list: the same domain, or one a subdomain
    of the other, the shorter with a dot in it (so ``dk`` aligns with nothing)."""
    a, b = _domain(domain), _domain(from_domain)
    if not a or not b:
        return False
    if a == b:
        return True
    short, long_ = sorted((a, b), key=len)
    return "." in short and long_.endswith("." + short)


def _first_word(value: str) -> str:
    word = (value or "").strip().split(None, 1)[0:1]
    result = word[0].lower().rstrip(";:,") if word else ""
    return result if result in RESULTS else ""


def _strip_comments(value: str) -> str:
    previous = None
    while previous != value:  # nested comments, innermost first
        previous, value = value, _COMMENT.sub(" ", value)
    return value


@dataclass(frozen=True)
class AuthResult:
    method: str
    result: str
    props: dict


def parse_authentication_results(value: str) -> tuple[str, list[AuthResult]]:
    """(authserv-id, results) of one ``Authentication-Results`` value (RFC 8601 §2.2)."""
    value = _strip_comments(" ".join((value or "").split()))
    parts = [p.strip() for p in value.split(";")]
    if not parts or not parts[0]:
        return "", []
    authserv_id = parts[0].split()[0].lower()
    results = []
    for part in parts[1:]:
        tokens = part.split()
        if not tokens or "=" not in tokens[0]:
            continue  # "none" or garbage
        method, _, result = tokens[0].partition("=")
        method = method.split("/")[0].lower()
        result = result.lower()
        props = {}
        for token in tokens[1:]:
            key, eq, prop = token.partition("=")
            if eq and "." in key:
                props[key.lower()] = prop.strip('"').lower()
        results.append(AuthResult(method, result, props))
    return authserv_id, results


def _trusted_authserv_ids(esp: str) -> set[str]:
    configured = app_settings.INBOUND_AUTHSERV_IDS or ()
    return {i.lower() for i in (*configured, *ESP_AUTHSERV_IDS.get(esp, ()))}


class _Collector:
    """The results of one mechanism from every source: (result, trusted)."""

    def __init__(self):
        self.seen: list[tuple[str, bool]] = []

    def add(self, result: str, *, trusted: bool) -> None:
        if result:
            self.seen.append((result, trusted))

    def verdict(self) -> str:
        for worst in SEVERITY:
            if any(result == worst for result, _ in self.seen):
                return worst
        if any(result == PASS_OTHER for result, _ in self.seen):
            return PASS_OTHER
        if any(result == PASS and trusted for result, trusted in self.seen):
            return PASS
        return ""


def _top(headers: list[tuple[str, str]], name: str) -> str | None:
    name = name.lower()
    for key, value in headers:
        if key.lower() == name:
            return " ".join(str(value).split())
    return None


def _all(headers: list[tuple[str, str]], name: str) -> list[str]:
    return [" ".join(str(v).split()) for k, v in headers if k.lower() == name.lower()]


def _spamassassin_tests(headers) -> set[str]:
    tests = _top(headers, "X-Spam-Tests")
    if tests is None:
        status = _top(headers, "X-Spam-Status") or ""
        match = re.search(r"tests=([^\s]*)", status)
        tests = match.group(1) if match else ""
    return {t.strip().upper() for t in tests.split(",") if t.strip()}


def _score(value) -> float | None:
    try:
        score = float(str(value).strip().split()[0])
    except (TypeError, ValueError, IndexError):
        return None
    return score if -1000 < score < 1000 else None


def _dkim_signing_domains(headers) -> list[str]:
    domains = []
    for value in _all(headers, "DKIM-Signature"):
        match = re.search(r"(?:^|;)\s*d\s*=\s*([^;\s]+)", value)
        if match:
            domains.append(match.group(1).lower())
    return domains


def verdict_from_headers(
    headers: Iterable[tuple[str, str]],
    *,
    esp: str,
    from_domain: str,
    envelope_sender: str = "",
    spam_score: float | None = None,
) -> Verdict:
    """The verdict from the mail's headers, topmost first (as the ESP delivered them)."""
    headers = [(str(k), str(v)) for k, v in headers]
    esp = (esp or "").lower()
    spf, dkim, dmarc = _Collector(), _Collector(), _Collector()

    def spf_result(result: str, domain: str, *, trusted: bool) -> None:
        if result == PASS and not aligned(domain, from_domain):
            result = PASS_OTHER
        spf.add(result, trusted=trusted)

    # Which headers this ESP writes itself (the sender may have written any of them too;
    # on another ESP's mail they are only the sender's word).
    postmark, mailgun = esp == "postmark", esp == "mailgun"

    # Received-SPF (RFC 7208 §9.1): the topmost one is Postmark's own.
    received_spf = _top(headers, "Received-SPF")
    if received_spf is not None:
        match = re.search(r"envelope-from=\"?([^;\s\"]+)", received_spf, re.IGNORECASE)
        envelope = match.group(1) if match else envelope_sender
        spf_result(_first_word(received_spf), envelope, trusted=postmark)

    # SpamAssassin (Postmark's inbound; SpamAssassin rewrites every X-Spam-* header).
    tests = _spamassassin_tests(headers)
    for test, result in (
        ("SPF_FAIL", "fail"),
        ("SPF_SOFTFAIL", "softfail"),
        ("SPF_NEUTRAL", "neutral"),
    ):
        if test in tests:
            spf.add(result, trusted=postmark)
    if "DKIM_VALID_AU" in tests:
        dkim.add(PASS, trusted=postmark)
    elif "DKIM_VALID" in tests:
        dkim.add(PASS_OTHER, trusted=postmark)
    elif "DKIM_INVALID" in tests or "DKIM_SIGNED" in tests:
        dkim.add("fail", trusted=postmark)
    for test, result in (
        ("DMARC_PASS", "pass"),
        ("DMARC_REJECT", "fail"),
        ("DMARC_QUAR", "fail"),
        ("DMARC_NONE", "fail"),  # failed, the domain's policy is only p=none
        ("DMARC_MISSING", "none"),
    ):
        if test in tests:
            dmarc.add(result, trusted=postmark)

    # Mailgun's own verdict headers.
    mailgun_spf = _top(headers, "X-Mailgun-Spf")
    if mailgun_spf is not None:
        spf_result(_first_word(mailgun_spf), envelope_sender, trusted=mailgun)
    mailgun_dkim = _top(headers, "X-Mailgun-Dkim-Check-Result")
    if mailgun_dkim is not None:
        result = _first_word(mailgun_dkim)
        if result == PASS:
            domains = _dkim_signing_domains(headers)
            if not domains or not all(aligned(d, from_domain) for d in domains):
                result = PASS_OTHER
        dkim.add(result, trusted=mailgun)

    # Authentication-Results (RFC 8601): the topmost only; its passes only from an
    # authserv-id the site trusts.
    top_results = _top(headers, "Authentication-Results")
    if top_results is not None:
        authserv_id, results = parse_authentication_results(top_results)
        trusted = authserv_id in _trusted_authserv_ids(esp)
        for item in results:
            if item.result not in RESULTS:
                continue
            if item.method == "spf":
                domain = item.props.get("smtp.mailfrom") or item.props.get("smtp.helo", "")
                spf_result(item.result, domain or envelope_sender, trusted=trusted)
            elif item.method == "dkim":
                domain = item.props.get("header.d") or item.props.get("header.i", "")
                result = item.result
                if result == PASS and not aligned(domain, from_domain):
                    result = PASS_OTHER
                dkim.add(result, trusted=trusted)
            elif item.method == "dmarc":
                header_from = item.props.get("header.from", "")
                result = item.result
                if result == PASS and header_from and not aligned(header_from, from_domain):
                    result = "fail"
                dmarc.add(result, trusted=trusted)

    # The ESP's own score (Anymail's may come from a header the sender wrote).
    if postmark:
        spam_score = _score(_top(headers, "X-Spam-Score"))
    elif mailgun:
        spam_score = _score(_top(headers, "X-Mailgun-Sscore"))
    # A mail may carry several signatures: one trusted, aligned pass confirms the sender
    # (as DMARC reads DKIM), whatever another signature's result.
    dkim_verdict = PASS if any(r == PASS and t for r, t in dkim.seen) else dkim.verdict()
    return Verdict(
        spf=spf.verdict(), dkim=dkim_verdict, dmarc=dmarc.verdict(), spam_score=spam_score
    )


RESULT_LABELS = {
    "pass": _("passed"),
    "pass-other": _("passed, but for another domain than the sender's"),
    "fail": _("failed"),
    "softfail": _("failed (softfail)"),
    "neutral": _("no answer (neutral)"),
    "none": _("not used by the sender's domain"),
    "temperror": _("temporary error"),
    "permerror": _("error in the domain's setup"),
    "policy": _("refused by policy"),
    "": _("not reported"),
}
CONFIRMED = _("The sender is confirmed")
NOT_CONFIRMED = _("The sender is not confirmed")


def result_label(value: str) -> str:
    return str(RESULT_LABELS.get(value or "", value))


def verdict_details(inbound) -> str:
    """SPF, DKIM, DMARC and the spam score of a stored mail, for staff."""
    parts = [
        f"SPF: {result_label(inbound.auth_spf)}",
        f"DKIM: {result_label(inbound.auth_dkim)}",
        f"DMARC: {result_label(inbound.auth_dmarc)}",
    ]
    if inbound.spam_score is not None:
        parts.append(
            str(_("spam score %(score)s")) % {"score": number_format(inbound.spam_score, 1)}
        )
    return " · ".join(parts)


def verdict_summary(inbound) -> str:
    """One line for staff: confirmed or not, and why."""
    mark = CONFIRMED if inbound.authenticated else NOT_CONFIRMED
    return f"{mark} ({verdict_details(inbound)})"
