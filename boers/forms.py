"""The exchange's public forms, with Danish messages (through the catalogue)."""

from __future__ import annotations

import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from frivillig_blocks import themes
from frivillig_blocks.models import Association, Theme
from frivillig_blocks.parsers import BoundedDateField
from frivillig_blocks.submissions import SubmissionKeyField, SubmissionKeyForm

from .models import (
    AgeSuitability,
    Area,
    Frequency,
    Kind,
    Outcome,
    Post,
    ReportReason,
    Side,
    TimeNeeded,
    WhenKind,
)
from .search import ORDER_EXPIRING, ORDER_NEWEST

TEXT_MAX = 4000


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _required(message):
    return {"required": message, "invalid_choice": _("Choose one of the options.")}


class PostForm(forms.ModelForm):
    side = forms.ChoiceField(
        label=_("Do you need help, or do you offer help?"),
        choices=Side.choices,
        widget=forms.RadioSelect,
        error_messages=_required(_("Choose whether it is a need or an offer.")),
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=Kind.choices,
        widget=forms.RadioSelect,
        error_messages=_required(_("Choose the kind of post.")),
    )
    theme = forms.ModelChoiceField(
        label=_("Theme"),
        queryset=Theme.objects.all(),
        empty_label=_("Choose a theme"),
        error_messages={
            "required": _("Choose a theme."),
            "invalid_choice": _("Choose one of the themes offered."),
        },
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=120,
        help_text=_("Short and clear, e.g. “Walking buddy on Tuesdays”."),
        error_messages={
            "required": _("Write a title."),
            "max_length": _("Write a title of at most %(limit_value)d characters."),
        },
    )
    body = forms.CharField(
        label=_("Text"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "What is it about, and who would be right for it? Do not write your address or phone number: people answer you through the site."
        ),
        error_messages={
            "required": _("Write a text about the post."),
            "max_length": _("Write a text of at most %(limit_value)d characters."),
        },
    )
    area = forms.ModelChoiceField(
        label=_("Area"),
        queryset=Area.objects.all(),
        required=False,
        empty_label=_("The whole municipality"),
        error_messages={"invalid_choice": _("Choose an area from the list.")},
    )
    when_kind = forms.ChoiceField(
        label=_("When"),
        choices=WhenKind.choices,
        widget=forms.RadioSelect,
        initial=WhenKind.FLEXIBLE,
        error_messages=_required(_("Choose when.")),
    )
    date_from = BoundedDateField(
        label=_("Date, or first day of the period"),
        required=False,
        widget=DateInput(),
        error_messages={"invalid": _("Write a date as dd-mm-yyyy.")},
    )
    date_to = BoundedDateField(
        label=_("Last day of the period"),
        required=False,
        widget=DateInput(),
        error_messages={"invalid": _("Write a date as dd-mm-yyyy.")},
    )
    recurrence = forms.CharField(
        label=_("How often"),
        max_length=120,
        required=False,
        help_text=_("E.g. “Tuesdays at 10” or “every other weekend”."),
        error_messages={"max_length": _("Write at most %(limit_value)d characters.")},
    )
    time_needed = forms.ChoiceField(
        label=_("How much time"),
        choices=TimeNeeded.choices,
        error_messages=_required(_("Choose how much time it takes.")),
    )
    age_suitability = forms.ChoiceField(
        label=_("Suitable for"),
        choices=AgeSuitability.choices,
        error_messages=_required(_("Choose who it suits.")),
    )
    involves_children = forms.BooleanField(
        label=_("Children are involved"),
        required=False,
        help_text=_("Then we show safety advice with the post."),
    )
    association = forms.ModelChoiceField(
        label=_("Post on behalf of"),
        queryset=Association.objects.none(),
        required=False,
        empty_label=_("Myself, as a private person"),
        error_messages={
            "invalid_choice": _("You can only post on behalf of your own associations.")
        },
    )
    submission_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    class Meta:
        model = Post
        fields = [
            "side",
            "kind",
            "theme",
            "title",
            "body",
            "area",
            "when_kind",
            "date_from",
            "date_to",
            "recurrence",
            "time_needed",
            "age_suitability",
            "involves_children",
            "association",
        ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["association"].queryset = Association.objects.filter(
            memberships__user=user
        ).order_by("name")
        if not self.is_bound and not self.initial.get("submission_key"):
            self.initial["submission_key"] = uuid.uuid4().hex

    def clean_title(self):
        return " ".join(self.cleaned_data["title"].split())

    def clean_body(self):
        return self.cleaned_data["body"].replace("\r\n", "\n").strip()

    def clean(self):
        data = super().clean()
        when = data.get("when_kind")
        start, end = data.get("date_from"), data.get("date_to")
        today = timezone.localdate()
        if when == WhenKind.DATE:
            if not start:
                self.add_error("date_from", _("Write the date."))
            elif start < today:
                self.add_error("date_from", _("The date has passed. Choose a date from today."))
        elif when == WhenKind.PERIOD:
            if not start:
                self.add_error("date_from", _("Write the first day of the period."))
            if not end:
                self.add_error("date_to", _("Write the last day of the period."))
            if start and end and end < start:
                self.add_error("date_to", _("The last day must be on or after the first day."))
            elif end and end < today:
                self.add_error("date_to", _("The period has passed. Choose a period from today."))
        elif when == WhenKind.RECURRING and not (data.get("recurrence") or "").strip():
            self.add_error("recurrence", _("Write how often, e.g. “Tuesdays at 10”."))
        return data


class SearchForm(forms.Form):
    """The list's filters (GET). Invalid values are ignored rather than shown as errors."""

    q = forms.CharField(label=_("Search words"), required=False, max_length=200)
    side = forms.ChoiceField(
        label=_("Needs or offers"),
        required=False,
        choices=[("", _("Both")), *Side.choices],
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *Kind.choices]
    )
    theme = forms.ModelChoiceField(
        label=_("Theme"),
        queryset=Theme.objects.all(),
        required=False,
        empty_label=_("All themes"),
        to_field_name="slug",
    )
    area = forms.ModelChoiceField(
        label=_("Area"),
        queryset=Area.objects.all(),
        required=False,
        empty_label=_("All areas"),
    )
    date = BoundedDateField(label=_("Date"), required=False, widget=DateInput())
    order = forms.ChoiceField(
        label=_("Order"),
        required=False,
        choices=[(ORDER_NEWEST, _("Newest first")), (ORDER_EXPIRING, _("Expiring first"))],
    )

    FILTER_FIELDS = ("q", "side", "kind", "theme", "area", "date")

    def __init__(self, data=None, *args, **kwargs):
        # ``?category=`` (a code of the exchange's old list, e.g. ``sport``) in an old link,
        # bookmark or saved search filters by the theme that took its place.
        if data is not None and data.get("category") and not data.get("theme"):
            theme = themes.resolve(str(data.get("category")))
            data = data.copy()
            data.pop("category", None)
            if theme is not None:
                data["theme"] = theme.slug
        super().__init__(data, *args, **kwargs)

    def filters(self) -> dict:
        """The valid filters (an invalid one is dropped)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {
            name: value
            for name, value in getattr(self, "cleaned_data", {}).items()
            if value not in (None, "")
        }

    @staticmethod
    def storable(filters: dict) -> dict:
        """Filters as JSON for a saved search."""
        stored = {}
        for name, value in filters.items():
            if name == "area":
                stored[name] = value.pk
            elif name == "theme":
                stored[name] = value.slug
            elif name == "date":
                stored[name] = value.isoformat()
            elif name != "order":
                stored[name] = value
        return stored

    @staticmethod
    def from_stored(stored: dict) -> dict:
        form = SearchForm(stored)
        return form.filters()


class MessageForm(SubmissionKeyForm):
    # Optional: the service already keeps an identical message sent twice at once as one;
    # the key gives the duplicate the first one's result page (not the rate limit's).
    submission_key = SubmissionKeyField(required=False)

    body = forms.CharField(
        label=_("Your message"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("The other person gets your message by mail without your e-mail address."),
        error_messages={
            "required": _("Write a message."),
            "max_length": _("Write a message of at most %(limit_value)d characters."),
        },
    )

    def clean_body(self):
        body = self.cleaned_data["body"].replace("\r\n", "\n").strip()
        if not body:
            raise forms.ValidationError(_("Write a message."))
        return body


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why do you report it?"),
        choices=ReportReason.choices,
        widget=forms.RadioSelect,
        error_messages=_required(_("Choose a reason.")),
    )
    text = forms.CharField(
        label=_("Details (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": _("Write at most %(limit_value)d characters.")},
    )


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Did you find someone?"),
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        error_messages=_required(_("Answer whether you found someone.")),
    )


class SaveSearchForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the search"),
        max_length=120,
        error_messages={
            "required": _("Give the search a name."),
            "max_length": _("Write a name of at most %(limit_value)d characters."),
        },
    )
    frequency = forms.ChoiceField(
        label=_("How often do you want mail?"),
        choices=Frequency.choices,
        widget=forms.RadioSelect,
        initial=Frequency.WEEKLY,
        error_messages=_required(_("Choose how often.")),
    )
