"""The public forms of the prize, with Danish messages. What a citizen writes is kept as
plain text (escaped on output); markup is refused so it is never stored."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from frivillig_blocks.forms import person_name_field
from frivillig_blocks.identity import IdentityEmailField
from frivillig_blocks.submissions import SubmissionKeyForm

from .models import MOTIVATION_MAX, NAME_MAX, NomineeKind

_MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z!][^>]*>")


def no_markup(value: str) -> str:
    if _MARKUP.search(value or ""):
        raise forms.ValidationError(
            _("Write plain text without HTML tags (no < and > around words)."), code="markup"
        )
    return value


class NominationForm(SubmissionKeyForm):
    #: The heading of the error summary when the form fails (frivillig_forms).
    error_heading = _("The nomination was not sent. Correct the following:")
    nominee_kind = forms.ChoiceField(
        label=_("Who do you nominate?"),
        choices=NomineeKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose whether you nominate a person, a group or an association."),
            "invalid_choice": _("Choose a person, a group or an association."),
        },
    )
    nominee_name = forms.CharField(
        label=_("The nominee's name"),
        max_length=NAME_MAX,
        error_messages={
            "required": _("Write the name of the one you nominate."),
            "max_length": _("Write a name of at most %(limit_value)d characters."),
        },
    )
    nominee_email = forms.EmailField(
        label=_("The nominee's e-mail address"),
        max_length=254,
        help_text=_(
            "We ask the nominee for consent by mail before their name is ever shown on the site."
        ),
        error_messages={
            "required": _("Write the nominee's e-mail address, so we can ask for consent."),
            "invalid": _("Write a valid e-mail address, e.g. navn@eksempel.dk."),
        },
    )
    motivation = forms.CharField(
        label=_("Why do they deserve the prize?"),
        max_length=MOTIVATION_MAX,
        min_length=20,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Tell what they do and what it means for others (at most 5,000 characters)."),
        error_messages={
            "required": _("Write your motivation."),
            "min_length": _("Write a motivation of at least %(limit_value)d characters."),
            "max_length": _("Write a motivation of at most %(limit_value)d characters."),
        },
    )
    nominator_name = person_name_field()
    # One key per mailbox under any spelling (frivillig_blocks.identity).
    nominator_email = IdentityEmailField(
        help_text=_("We send you a link to confirm the nomination.")
    )

    def clean_nominee_name(self):
        return no_markup(self.cleaned_data["nominee_name"]).strip()

    def clean_motivation(self):
        return no_markup(self.cleaned_data["motivation"]).strip()

    def clean_nominator_name(self):
        return no_markup(self.cleaned_data["nominator_name"]).strip()


class VoteForm(SubmissionKeyForm):
    #: The heading of the error summary when the form fails (frivillig_forms).
    error_heading = _("Your vote was not sent. Correct the following:")
    nomination = forms.TypedChoiceField(
        label=_("Your vote"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the nominee you vote for."),
            "invalid_choice": _("You can only vote for one of the nominees on the list."),
        },
    )
    email = IdentityEmailField(
        help_text=_(
            "We send you a link to confirm your vote. Each person has one vote; the address "
            "is only used for that."
        )
    )

    def __init__(self, *args, ballot=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nomination"].choices = [(n.pk, n.nominee_name) for n in ballot]
