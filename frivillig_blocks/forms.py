"""Form fields every public form of the platform asks the same way, with the same Danish
messages (the name and e-mail of the person writing to us)."""

from django import forms
from django.utils.translation import gettext_lazy as _

NAME_MAX = 200


def person_name_field(**kwargs) -> forms.CharField:
    return forms.CharField(
        label=_("Your name"),
        max_length=NAME_MAX,
        error_messages={
            "required": _("Write your name."),
            "max_length": _("Write a name of at most %(limit_value)d characters."),
        },
        **kwargs,
    )


def email_field(**kwargs) -> forms.EmailField:
    return forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        error_messages={
            "required": _("Write your e-mail address."),
            "invalid": _("Write a valid e-mail address, e.g. navn@eksempel.dk."),
            "max_length": _("Write a valid e-mail address of at most 254 characters."),
        },
        **kwargs,
    )
