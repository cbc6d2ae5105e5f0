"""allauth adapter: its mails go through our outgoing queue (stored with Message-ID), with
every secret they carry sealed; staff and superusers sign in with their password only;
failed and locked password logins are logged."""

from __future__ import annotations

from types import SimpleNamespace
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib import messages
from django.contrib.sites.shortcuts import get_current_site
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from .. import layout
from ..identity import canonical_or_legacy
from ..outbound import REDACTED, queue_email
from . import security

# Context values of allauth's mails that let the holder act: a sign-in or reset code, the key
# of a confirmation, and every link except the few below that grant nothing.
SECRET_KEYS = frozenset({"code", "key", "token", "uid", "activate_url", "password_reset_url"})
PUBLIC_URL_KEYS = frozenset({"signup_url"})

NOTICE_TEMPLATE = "account/email/password_required"


def secret_keys(context: dict) -> set[str]:
    return {
        key
        for key in context
        if key in SECRET_KEYS or (key.endswith("_url") and key not in PUBLIC_URL_KEYS)
    }


def mail_site(request) -> SimpleNamespace:
    """What allauth's mails name as ``current_site``: the municipality (its settings on the
    Wagtail Site) and the site's public host, never the request's bare host name."""
    site = layout.site_for(request)
    if site is None:
        return get_current_site(request)
    name = layout.municipality(request).get("name") or site.site_name or site.hostname
    return SimpleNamespace(name=name, domain=urlsplit(site.root_url).netloc)


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        request = allauth_context.request
        ctx = {
            "request": request,
            "email": email,
            **context,
            "current_site": mail_site(request),
        }
        if template_prefix.endswith("/login_code") and security.address_needs_password(email):
            # A staff account gets no code, only a notice; the page the requester sees is
            # the same as for anyone (ACCOUNT_PREVENT_ENUMERATION).
            template_prefix = NOTICE_TEMPLATE
            ctx = {k: v for k, v in ctx.items() if k not in secret_keys(ctx)}
        message = self.render_mail(template_prefix, email, ctx)
        hidden = secret_keys(ctx)
        redacted = (
            self.render_mail(template_prefix, email, {**ctx, **dict.fromkeys(hidden, REDACTED)})
            if hidden
            else None
        )
        queue_email(
            message,
            purpose=f"account:{template_prefix.rsplit('/', 1)[-1]}",
            redacted=redacted,
        )

    def pre_login(self, request, user, **kwargs):
        """A staff account that reached this point without its password (a code, however
        obtained) is not logged in."""
        from allauth.account.internal.flows.login import (
            clear_authentication_records,
            get_authentication_records,
        )
        from allauth.account.internal.stagekit import clear_login

        if security.needs_password(user) and not security.used_password(
            get_authentication_records(request, user)
        ):
            security.logger.warning(
                "Refused a login without password for staff account user:%s", user.pk
            )
            clear_login(request)
            clear_authentication_records(request)
            messages.error(request, _("Staff log in with their password."))
            return redirect("account_login")
        return super().pre_login(request, user, **kwargs)

    # --- Password attempts: one counter per account, shared by every login door ------------

    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        site = get_current_site(request)
        user = security.account_for_credentials(credentials)
        if user is not None:
            return f"{site.domain}:user:{user.pk}"
        if credentials.get("email"):
            # No account: one counter per mailbox under any spelling (frivillig_blocks.identity).
            credentials = {**credentials, "email": canonical_or_legacy(credentials["email"])}
        return super()._get_login_attempts_cache_key(request, **credentials)

    def pre_authenticate(self, request, **credentials) -> None:
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            security.logger.warning(
                "Password login locked for %s (too many failed attempts)",
                security.account_ref(credentials),
            )
            raise

    def authentication_failed(self, request, **credentials) -> None:
        security.logger.warning("Failed password login for %s", security.account_ref(credentials))
