"""allauth counts its per-address limits (a login code, a password reset) on the address as
typed, lower-cased: ``Anna+1@…``, ``a.nna@gmail.com`` and ``ANNA@googlemail.com`` were three
allowances for one mailbox. These count the same limit once more on the mailbox's canonical
identity (``frivillig_blocks.identity``), so every spelling of one mailbox shares one
allowance (#18). The rates are allauth's own (``ACCOUNT_RATE_LIMITS``), their per-key part.
"""

from __future__ import annotations

from allauth.core.internal import ratelimit as allauth_ratelimit

from ..identity import canonical_or_legacy

APP = "allauth.account"


def mailbox_rates(action: str) -> str:
    """The per-address part of allauth's limit for ``action``, e.g. ``"5/60.0s/key"``."""
    rates = allauth_ratelimit.get_rates(app=APP, action=action)
    return ",".join(f"{r.amount}/{float(r.duration)}s/key" for r in rates if r.per == "key")


def consume_for_mailbox(request, *, action: str, email: str) -> bool:
    """One use of ``action``'s per-address limit, counted on the canonical identity of
    ``email``; False when that mailbox has used it up."""
    rates = mailbox_rates(action)
    if not rates:
        return True
    name = f"{action}:mailbox"
    usage = allauth_ratelimit.consume(
        request=request,
        app=APP,
        action=name,
        config={name: rates},
        key=canonical_or_legacy(email),
    )
    return usage is not None


def consume_with_default(request, *, action: str, default: str) -> bool:
    """One use of ``action``'s limit: the site's ``ACCOUNT_RATE_LIMITS[action]`` when it names
    one, the app's ``default`` (from its conf.py) otherwise; ``False`` as the site's limits
    (allauth: no limits at all) turns it off too. False when used up."""
    from django.conf import settings

    configured = getattr(settings, "ACCOUNT_RATE_LIMITS", {})
    if configured is False:
        return True
    rates = (configured or {}).get(action, default)
    usage = allauth_ratelimit.consume(
        request=request, app=APP, action=action, config={action: rates}
    )
    return usage is not None
