"""The feedback form ("Fandt du det, du søgte?") and the theme meeting's invitation form."""

from __future__ import annotations

import html

import nh3
from django import forms
from django.utils.translation import gettext_lazy as _

from frivillig_blocks.submissions import SubmissionKeyForm

COMMENT_MAX = 1000

#: The completed tasks after which the receipt asks for feedback (the ``task`` key the
#: apps' receipt templates pass to the include), with their labels for the admin.
TASKS = {
    "loan": _("Loan request"),
    "event": _("Event"),
    "post": _("Post on the exchange"),
    "course_registration": _("Course registration"),
}


def plain_text(value: str) -> str:
    """Every tag stripped (their text kept), entities turned back into characters: what is
    stored is plain text, escaped again wherever it is shown."""
    text = value
    for _round in range(3):
        cleaned = html.unescape(nh3.clean(text, tags=set(), attributes={}))
        if cleaned == text:
            return text.strip()
        text = cleaned  # "&lt;b&gt;" became "<b>": clean once more
    return nh3.clean(text, tags=set(), attributes={}).strip()  # still escaped: harmless


class FeedbackForm(SubmissionKeyForm):
    answer = forms.ChoiceField(
        label=_("Did you find what you were looking for?"),
        choices=[("ja", _("Yes")), ("nej", _("No"))],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose yes or no."),
            "invalid_choice": _("Choose yes or no."),
        },
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        help_text=_("Do not write personal information. We cannot answer you here."),
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "max_length": _("Write a comment of at most %(limit_value)d characters."),
        },
    )
    page = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    next = forms.CharField(widget=forms.HiddenInput, required=False, max_length=2000)
    task = forms.CharField(widget=forms.HiddenInput, required=False, max_length=40)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "feedback_%s")
        super().__init__(*args, **kwargs)

    def clean_comment(self) -> str:
        return plain_text(self.cleaned_data.get("comment", ""))[:COMMENT_MAX]

    def clean_task(self) -> str:
        task = self.cleaned_data.get("task", "")
        return task if task in TASKS else ""

    @property
    def found(self) -> bool:
        return self.cleaned_data["answer"] == "ja"


class CommentForm(forms.Form):
    """The second step: after the answer, the comment field (optional)."""

    comment = forms.CharField(
        label=_("Comment (optional)"),
        help_text=_("Do not write personal information. We cannot answer you here."),
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "max_length": _("Write a comment of at most %(limit_value)d characters."),
        },
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "feedback_%s")
        super().__init__(*args, **kwargs)

    def clean_comment(self) -> str:
        return plain_text(self.cleaned_data.get("comment", ""))[:COMMENT_MAX]


class InvitationForm(forms.Form):
    """Pick the people to invite: only people who consented are offered, and only they are
    accepted (the choices are the consenting people; anything else is an invalid choice)."""

    users = forms.MultipleChoiceField(
        label=_("People who want invitations"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one person."),
            "invalid_choice": _("You can only invite people who have said yes to invitations."),
        },
    )

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.people = {str(user.pk): user for user in people}
        self.fields["users"].choices = [
            (pk, f"{user.get_full_name() or user.email} <{user.email}>")
            for pk, user in self.people.items()
        ]

    def chosen(self) -> list:
        return [self.people[pk] for pk in self.cleaned_data["users"]]


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
