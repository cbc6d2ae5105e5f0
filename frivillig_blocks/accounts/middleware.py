"""The admin's gate: who may use the Wagtail admin with the session they have.

- A staff account whose session was opened without its password (allauth's authentication
  records say "code" and nothing else) is logged out and sent to log in with its password.
- A superuser without a second factor is sent to set one up (allauth's TOTP) before the
  admin opens; allauth's login asks for it from then on.

Install after allauth's AccountMiddleware (settings.MIDDLEWARE)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from . import security

# Pages of the admin a person reaches before being let in: the door and the way out.
OPEN_ADMIN_URLNAMES = ("wagtailadmin_login", "wagtailadmin_logout")


class AdminAccessMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.gate(request)
        return response or self.get_response(request)

    def gate(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        try:
            admin_root = reverse("wagtailadmin_home")
            open_paths = {reverse(name) for name in OPEN_ADMIN_URLNAMES}
        except NoReverseMatch:  # a site without the Wagtail admin
            return None
        path = request.path_info
        if not path.startswith(admin_root) or path in open_paths:
            return None
        if security.needs_password(user):
            from allauth.account.internal.flows.login import get_authentication_records

            records = get_authentication_records(request, user)
            if records and not security.used_password(records):
                security.logger.warning(
                    "Sent staff account user:%s from the admin: its session has no password",
                    user.pk,
                )
                logout(request)
                messages.error(request, _("Staff log in with their password."))
                return redirect(f"{reverse('account_login')}?next={admin_root}")
        if security.needs_second_factor(user) and not security.has_second_factor(user):
            messages.warning(
                request,
                _(
                    "As a superuser you need two-factor authentication. Set up an "
                    "authenticator app before you use the administration."
                ),
            )
            return redirect("mfa_activate_totp")
        return None
