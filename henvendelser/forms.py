"""The public contact form on the contact page (/frivillig/kontakt/)."""

from __future__ import annotations

import re
import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from frivillig_blocks.forms import email_field, person_name_field
from frivillig_blocks.models import Topic

_KEEP = {"\n", "\r", "\t"}
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
SUBJECT_MAX = 200
MESSAGE_MAX = 10_000


def _without_control_characters(value: str) -> str:
    return "".join(ch for ch in value if ch in _KEEP or not (ord(ch) < 32 or ord(ch) == 127))


class TopicChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class ContactForm(forms.Form):
    name = person_name_field()
    email = email_field(help_text=_("We answer you at this address."))
    topic = TopicChoiceField(
        label=_("Topic (optional)"),
        queryset=Topic.objects.all(),
        required=False,
        empty_label=_("Choose a topic"),
        to_field_name="slug",
        error_messages={"invalid_choice": _("Choose a topic from the list.")},
    )
    subject = forms.CharField(
        label=_("Subject line"),
        max_length=SUBJECT_MAX,
        error_messages={
            "required": _("Write a subject line."),
            "max_length": _("Write a subject line of at most %(limit_value)d characters."),
        },
    )
    message = forms.CharField(
        label=_("Your message"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=MESSAGE_MAX,
        error_messages={
            "required": _("Write your message."),
            "max_length": _("Write a message of at most %(limit_value)d characters."),
        },
    )
    submission_key = forms.UUIDField(widget=forms.HiddenInput)
    # The contact page the form is on (where to go back to); the view checks it.
    page = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, data=None, **kwargs):
        if hasattr(data, "getlist"):  # a QueryDict (request.POST)
            data = data.copy()
            for name in data:
                if name == "subject":  # checked in clean_subject: one line only
                    continue
                data.setlist(name, [_without_control_characters(v) for v in data.getlist(name)])
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("submission_key", uuid.uuid4())
        super().__init__(data, **kwargs)

    def clean_subject(self):
        subject = self.cleaned_data["subject"]
        if _CONTROL.search(subject):
            raise forms.ValidationError(
                _("Write the subject line on one line, without line breaks."), code="one_line"
            )
        return subject

    def clean(self):
        cleaned = super().clean()
        if "submission_key" in self.errors:
            # A hidden field: say it where the person sees it.
            del self.errors["submission_key"]
            self.add_error(None, _("The form was incomplete. Check it and send it again."))
        return cleaned

    def prepare_for_redisplay(self, *, page_id: int | None = None) -> None:
        """Before showing an invalid form again: cut texts that are far too long (nobody
        needs 10 MB sent back), give a missing or broken submission key a new value and
        put the contact page's own id back in place of whatever was posted."""
        data = self.data.copy()
        if page_id is not None:
            data["page"] = str(page_id)
        for name, field in self.fields.items():
            limit = getattr(field, "max_length", None)
            value = data.get(name)
            if limit and isinstance(value, str) and len(value) > limit:
                data[name] = value[:limit]
        try:
            uuid.UUID(str(data.get("submission_key", "")))
        except ValueError:
            data["submission_key"] = str(uuid.uuid4())
        self.data = data
