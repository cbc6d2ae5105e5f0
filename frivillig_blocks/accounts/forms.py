from allauth.account.adapter import get_adapter
from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import RequestLoginCodeForm as AllauthRequestLoginCodeForm
from allauth.account.forms import ResetPasswordForm as AllauthResetPasswordForm
from allauth.core import context
from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm

from ..identity import InvalidAddress, canonical_email
from ..models import MembershipRole
from .limits import consume_for_mailbox


class InviteForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address of the person you invite"),
        max_length=254,
        error_messages={
            "required": _("Write the e-mail address of the person you invite."),
            "invalid": _("Write a valid e-mail address, e.g. navn@eksempel.dk."),
            "max_length": _("Write a valid e-mail address of at most 254 characters."),
        },
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=MembershipRole.choices, initial=MembershipRole.MEMBER
    )


class MembershipPrivacyForm(forms.Form):
    show_email = forms.BooleanField(
        label=_("Show my e-mail address to the other members"),
        help_text=_(
            "The other members always see your name. The association's administrators "
            "always see your address, so they can reach you."
        ),
        required=False,
    )


class DeleteAccountForm(forms.Form):
    email = forms.EmailField(
        label=_("Write your e-mail address to confirm"),
        max_length=254,
        error_messages={"required": _("Write your e-mail address to confirm.")},
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_email(self):
        email = self.cleaned_data["email"]
        if email.strip().lower() != (self.user.email or "").strip().lower():
            raise forms.ValidationError(_("That is not the e-mail address of your account."))
        return email


class LoginForm(AllauthLoginForm):
    """E-mail first: leave the password empty and a code comes by mail; a person who has
    chosen a password may use it instead."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        password = self.fields.get("password")
        if password is not None:
            password.required = False
            password.label = _("Password (optional)")
            password.help_text = _("Leave it empty and we send you a code by e-mail.")


class AdminLoginForm(WagtailLoginForm):
    """Wagtail's own login page (/admin/login/) with the checks of /konto/login/: the same
    per-account counter of failed passwords (allauth's "login_failed" limit, in the cache),
    the same Danish lock-out message and log entries; an account with a second factor, and
    every superuser, is sent to /konto/login/, which asks for it."""

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is not None and password:
            # Raises the Danish "too many failed attempts" error when the account is locked.
            self.user_cache = get_adapter(self.request).authenticate(
                self.request, username=username, password=password
            )
            if self.user_cache is None:
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data

    def confirm_login_allowed(self, user):
        from . import security

        super().confirm_login_allowed(user)
        if security.needs_second_factor(user) or security.has_second_factor(user):
            raise forms.ValidationError(
                _(
                    "Your account needs two-factor authentication. Log in at %(url)s with "
                    "your e-mail address, your password and your authenticator app."
                ),
                code="second_factor",
                params={"url": reverse("account_login")},
            )


def _mailbox_allowance(form, *, action: str, message) -> None:
    """The address has a canonical identity, and that mailbox has an allowance left for
    ``action`` under any spelling (limits.py); else a Danish error on the field."""
    email = form.cleaned_data.get("email")
    if not email:
        return
    try:
        canonical_email(email)
    except InvalidAddress as exc:
        raise forms.ValidationError(exc.message, code=exc.code) from exc
    if not consume_for_mailbox(context.request, action=action, email=email):
        raise forms.ValidationError(message, code="too_many")


class RequestLoginCodeForm(AllauthRequestLoginCodeForm):
    """allauth's form; its limit per address also holds for every spelling of one mailbox."""

    def clean_email(self):
        _mailbox_allowance(
            self,
            action="request_login_code",
            message=get_adapter().error_messages["too_many_login_attempts"],
        )
        return super().clean_email()


class ResetPasswordForm(AllauthResetPasswordForm):
    """allauth's form; its limit per address also holds for every spelling of one mailbox."""

    def clean_email(self):
        _mailbox_allowance(
            self,
            action="reset_password",
            message=_("We have sent this address several mails just now. Try again in a minute."),
        )
        return super().clean_email()
