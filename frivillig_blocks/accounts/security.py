"""Who must sign in with a password, who needs a second factor, and how failed sign-ins are
logged. Pure decisions and look-ups; the adapter, the admin login form and the admin gate
(middleware.py) act on them.

- Staff (anyone who may enter the Wagtail admin) and superusers never sign in by an e-mail
  code alone: the code mail is replaced by a notice, and a login finished by a code is
  refused.
- Superusers need a second factor (allauth's MFA, TOTP): the admin sends one without it to
  set it up, and allauth's login asks for it once it is set up.
"""

from __future__ import annotations

import hashlib
import logging

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db.models import Q

logger = logging.getLogger("frivillig_blocks.accounts.security")

# The allauth authentication record that proves a password (see record_authentication).
PASSWORD_METHOD = "password"  # noqa: S105 (a method name, not a password)


def needs_password(user) -> bool:
    """Staff and superusers sign in with their password, never by an e-mail code alone."""
    if user is None or not getattr(user, "pk", None) or not user.is_active:
        return False
    return bool(user.is_superuser or user.is_staff or user.has_perm("wagtailadmin.access_admin"))


def needs_second_factor(user) -> bool:
    return bool(user is not None and getattr(user, "pk", None) and user.is_superuser)


def has_second_factor(user) -> bool:
    from allauth.mfa.models import Authenticator
    from allauth.mfa.utils import is_mfa_enabled

    return is_mfa_enabled(user, [Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN])


def users_with_address(email: str):
    """The accounts an address belongs to (the primary address or a further one)."""
    User = get_user_model()
    email = (email or "").strip()
    if not email:
        return User.objects.none()
    ids = EmailAddress.objects.filter(email__iexact=email).values("user_id")
    return User.objects.filter(Q(pk__in=ids) | Q(email__iexact=email), is_active=True)


def address_needs_password(email: str) -> bool:
    return any(needs_password(user) for user in users_with_address(email))


def account_for_credentials(credentials: dict):
    """The account a login attempt names (by e-mail or username), or None."""
    email = credentials.get("email")
    if email:
        return users_with_address(email).order_by("pk").first()
    username = credentials.get("username")
    if username:
        User = get_user_model()
        return User.objects.filter(**{f"{User.USERNAME_FIELD}__iexact": username}).first()
    return None


def account_ref(credentials: dict) -> str:
    """What the log says about the account tried: its id, or a hash of the name typed (never
    the name itself, never the password)."""
    user = account_for_credentials(credentials)
    if user is not None:
        return f"user:{user.pk}"
    login = str(credentials.get("email") or credentials.get("username") or "").strip().lower()
    return "unknown:" + hashlib.sha256(login.encode()).hexdigest()[:16]


def used_password(records: list[dict]) -> bool:
    return any(record.get("method") == PASSWORD_METHOD for record in records)
