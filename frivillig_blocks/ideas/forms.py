"""The catalogue's filter form (GET) and the public "propose an idea" form (POST)."""

from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from ..forms import email_field, person_name_field
from ..models import AgeGroup
from ..models.taxonomy import AGE_GROUP_CHOICES
from ..search.forms import QueryField
from ..widgets import QuickCheckboxSelectMultiple

AGE_GROUP_LABELS = dict(AGE_GROUP_CHOICES)
_KEEP = {"\n", "\r", "\t"}


def age_group_label(group: AgeGroup) -> str:
    """The translated name of an age group (the rows hold the Danish name)."""
    return str(AGE_GROUP_LABELS.get(group.code, group.name))


def _without_control_characters(value: str) -> str:
    return "".join(ch for ch in value if ch in _KEEP or not (ord(ch) < 32 or ord(ch) == 127))


class IdeaFilterForm(forms.Form):
    """Filters from the query string. Forgiving: values that are not offered are ignored,
    and only an over-long text gets a message."""

    q = QueryField(label=_("Search in the ideas"))
    age_group = forms.MultipleChoiceField(
        label=_("Target group"), required=False, widget=QuickCheckboxSelectMultiple
    )
    theme = forms.MultipleChoiceField(
        label=_("Theme"), required=False, widget=QuickCheckboxSelectMultiple
    )

    def __init__(self, data, *, age_groups, themes):
        age_group_choices = [(group.code, age_group_label(group)) for group in age_groups]
        theme_choices = [(theme.slug, theme.name) for theme in themes]
        data = data.copy()
        for name, choices in (("age_group", age_group_choices), ("theme", theme_choices)):
            offered = {value for value, _label in choices}
            data.setlist(name, [value for value in data.getlist(name) if value in offered][:50])
        super().__init__(data)
        self.fields["age_group"].choices = age_group_choices
        self.fields["theme"].choices = theme_choices

    def filters(self) -> dict:
        self.is_valid()
        cleaned = self.cleaned_data
        return {
            "text": cleaned.get("q") or "",
            "age_groups": cleaned.get("age_group") or [],
            "themes": cleaned.get("theme") or [],
        }


class AgeGroupChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return age_group_label(obj)


class ProposeIdeaForm(forms.Form):
    title = forms.CharField(
        label=_("Title of the idea"),
        max_length=200,
        error_messages={
            "required": _("Give the idea a title."),
            "max_length": _("Write a title of at most %(limit_value)d characters."),
        },
    )
    description = forms.CharField(
        label=_("Describe the idea"),
        help_text=_("What is the idea, and what does it give the people who take part?"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=5000,
        error_messages={
            "required": _("Describe the idea."),
            "max_length": _("Write a description of at most %(limit_value)d characters."),
        },
    )
    age_groups = AgeGroupChoiceField(
        label=_("Who is it for?"),
        queryset=AgeGroup.objects.all(),
        to_field_name="code",
        widget=QuickCheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one target group."),
            "invalid_choice": _("Choose target groups from the list."),
            "invalid_pk_value": _("Choose target groups from the list."),
            "invalid_list": _("Choose target groups from the list."),
        },
    )
    what_it_takes = forms.CharField(
        label=_("What does it take?"),
        help_text=_("E.g. how many volunteers, a room, equipment or money."),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=3000,
        error_messages={
            "required": _("Write what it takes to carry out the idea."),
            "max_length": _("Write at most %(limit_value)d characters about what it takes."),
        },
    )
    example = forms.CharField(
        label=_("An example (optional)"),
        help_text=_("Has the idea been tried somewhere? Tell us how it went."),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=3000,
        required=False,
        error_messages={
            "max_length": _("Write an example of at most %(limit_value)d characters."),
        },
    )
    name = person_name_field()
    email = email_field(
        help_text=_("Only the editors see it, if they have questions about your idea.")
    )
    submission_key = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, data=None, **kwargs):
        if hasattr(data, "getlist"):  # a QueryDict (request.POST)
            data = data.copy()
            for name in data:
                data.setlist(name, [_without_control_characters(v) for v in data.getlist(name)])
        elif data is not None:
            data = {
                name: _without_control_characters(value) if isinstance(value, str) else value
                for name, value in data.items()
            }
        kwargs.setdefault("initial", {"submission_key": uuid.uuid4()})
        super().__init__(data, **kwargs)

    def clean(self):
        cleaned = super().clean()
        if "submission_key" in self.errors:
            # A hidden field: say it where the person sees it.
            del self.errors["submission_key"]
            self.add_error(None, _("The form was incomplete. Check it and send it again."))
        return cleaned

    def prepare_for_redisplay(self) -> None:
        """Before showing an invalid form again: cut texts that are far too long (nobody
        needs 10 MB sent back) and give a missing or broken submission key a new value."""
        data = self.data.copy()
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
