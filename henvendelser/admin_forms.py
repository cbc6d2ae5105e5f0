"""Forms of the staff inbox (admin)."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from frivillig_blocks.models import Topic

from .models import InquiryStatus
from .staff import MAX_TEXT, colleagues


def _user_label(user) -> str:
    return user.get_full_name() or user.get_username()


class InboxFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *InquiryStatus.choices]
    )
    assignee = forms.ModelChoiceField(
        label=_("Assigned to"),
        required=False,
        queryset=get_user_model().objects.none(),
        empty_label=_("Anyone"),
    )
    topic = forms.ModelChoiceField(
        label=_("Topic"), required=False, queryset=Topic.objects.all(), empty_label=_("All")
    )
    mine = forms.BooleanField(label=_("Only mine"), required=False)
    spam = forms.BooleanField(label=_("Spam (quarantine)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = colleagues()
        self.fields["assignee"].label_from_instance = _user_label


class TextForm(forms.Form):
    text = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=MAX_TEXT,
        error_messages={"required": _("Write a text."), "max_length": _("The text is too long.")},
    )


class ReplyForm(TextForm):
    prefix = "reply"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].label = _("Your reply")


class NoteForm(TextForm):
    prefix = "note"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].label = _("Note (only for staff)")


class HandOverForm(forms.Form):
    prefix = "handover"
    colleague = forms.ModelChoiceField(
        label=_("Colleague"),
        queryset=get_user_model().objects.none(),
        error_messages={
            "required": _("Choose a colleague who works with the inbox."),
            "invalid_choice": _("Choose a colleague who works with the inbox."),
        },
    )
    note = forms.CharField(
        label=_("Note to the colleague"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=MAX_TEXT,
        error_messages={"max_length": _("The text is too long.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["colleague"].queryset = colleagues()
        self.fields["colleague"].label_from_instance = _user_label
