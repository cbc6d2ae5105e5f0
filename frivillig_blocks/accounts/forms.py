from allauth.account.forms import LoginForm as AllauthLoginForm
from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import MembershipRole


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


class ContactPreferenceForm(forms.Form):
    """The consent to invitations from the municipality (off until the person turns it on)."""

    invitations = forms.BooleanField(
        label=_("Yes, the municipality may invite me to meetings about volunteering"),
        help_text=_(
            "For example the council's theme meeting with active citizens. We use your e-mail "
            "address for invitations only. You can change your mind here at any time."
        ),
        required=False,
    )
