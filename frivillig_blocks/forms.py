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


#: The request attribute that holds forms shown outside the view's context.
FAILED_FORMS_ATTRIBUTE = "_frivillig_failed_forms"


def show_in_error_summary(request, form) -> None:
    """Put a failed ``form`` in the page's error summary when the view's context does not
    hold it (a form a hook renders into another page, like the contact form)."""
    failed = getattr(request, FAILED_FORMS_ATTRIBUTE, None)
    if failed is None:
        failed = []
        setattr(request, FAILED_FORMS_ATTRIBUTE, failed)
    failed.append(form)
