"""The courses' public forms: the list filter (GET), registration, competence needs and the
evaluation, with Danish messages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from frivillig_blocks.forms import email_field, person_name_field
from frivillig_blocks.identity import IdentityEmailField
from frivillig_blocks.models import AgeGroup
from frivillig_blocks.models.taxonomy import AGE_GROUP_CHOICES
from frivillig_blocks.submissions import SubmissionKeyField, SubmissionKeyForm

from .models import Audience, CompetenceArea

AGE_GROUP_LABELS = dict(AGE_GROUP_CHOICES)
_KEEP = {"\n", "\r", "\t"}


def plain_text(value: str) -> str:
    """Without control characters (the text is escaped on output anyway)."""
    return "".join(ch for ch in value if ch in _KEEP or not (ord(ch) < 32 or ord(ch) == 127))


class CourseFilterForm(forms.Form):
    """Forgiving: values that are not offered are ignored."""

    area = forms.ChoiceField(label=_("Competence area"), required=False)
    audience = forms.ChoiceField(label=_("For whom"), required=False)

    def __init__(self, data, *, areas):
        super().__init__(data)
        self.fields["area"].choices = [("", _("All areas"))] + [(a.slug, a.name) for a in areas]
        self.fields["audience"].choices = [("", _("Everyone")), *list(Audience.choices)]

    def filters(self) -> dict:
        if not self.is_valid():
            return {"area": "", "audience": ""}
        return {
            "area": self.cleaned_data.get("area") or "",
            "audience": self.cleaned_data.get("audience") or "",
        }


class RegistrationForm(SubmissionKeyForm):
    #: The heading of the error summary when the form fails (frivillig_forms).
    error_heading = _("The registration was not sent. Correct the following:")
    FOR_ME = "me"
    FOR_ASSOCIATION = "association"
    # Optional here: the unique registration per person and session already stores one; the
    # key only gives a double submit the first one's result page.
    submission_key = SubmissionKeyField(required=False)

    who = forms.ChoiceField(
        label=_("Who is taking part?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose who is taking part.")},
    )
    association = forms.TypedChoiceField(
        label=_("Association"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": _("Choose one of your associations.")},
    )
    name = person_name_field(required=False)
    # One registration per mailbox: the address must have a canonical identity.
    email = IdentityEmailField(required=False)

    def __init__(self, data=None, *, memberships=(), **kwargs):
        super().__init__(data, **kwargs)
        self.fields["name"].label = _("Participant's name")
        self.fields["email"].label = _("Participant's e-mail address")
        associations = [(m.association_id, m.association.name) for m in memberships]
        who = [(self.FOR_ME, _("I am taking part myself"))]
        if associations:
            who.append((self.FOR_ASSOCIATION, _("Someone from my association")))
        # Assigned once, whole: the setter gives the widget its own copy, so a later append
        # to the field's list would never render.
        self.fields["who"].choices = who
        if associations:
            self.fields["association"].choices = [("", _("Choose an association")), *associations]
        else:
            for name in ("association", "name", "email"):
                del self.fields[name]
        self.fields["who"].initial = self.FOR_ME

    def clean_name(self):
        return plain_text(self.cleaned_data.get("name") or "").strip()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("who") == self.FOR_ASSOCIATION:
            if not cleaned.get("association"):
                self.add_error("association", _("Choose the association."))
            if not cleaned.get("name"):
                self.add_error("name", _("Write the participant's name."))
            if not cleaned.get("email") and "email" not in self.errors:
                self.add_error("email", _("Write the participant's e-mail address."))
        return cleaned


class AgeGroupField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return str(AGE_GROUP_LABELS.get(obj.code, obj.name))


class NeedsForm(SubmissionKeyForm):
    #: The heading of the error summary when the form fails (frivillig_forms).
    error_heading = _("Your answer was not sent. Correct the following:")
    competence_area = forms.ModelChoiceField(
        label=_("Which area is it about?"),
        queryset=CompetenceArea.objects.all(),
        required=False,
        empty_label=_("Another area / do not know"),
        error_messages={"invalid_choice": _("Choose one of the areas in the list.")},
    )
    description = forms.CharField(
        label=_("Which course do you need?"),
        help_text=_("What would you like to learn, and what would it help you do?"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=3000,
        error_messages={
            "required": _("Tell us which course you need."),
            "max_length": _("Write at most %(limit_value)d characters."),
        },
    )
    audience = forms.ChoiceField(
        label=_("You are"),
        choices=Audience.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose whether you are a volunteer or municipal staff."),
            "invalid_choice": _("Choose one of the options."),
        },
    )
    age_group = AgeGroupField(
        label=_("Which age group do you work with?"),
        queryset=AgeGroup.objects.all(),
        required=False,
        empty_label=_("Not relevant"),
        error_messages={"invalid_choice": _("Choose one of the age groups in the list.")},
    )
    association_name = forms.CharField(
        label=_("Your association (if any)"),
        required=False,
        max_length=200,
        error_messages={"max_length": _("Write at most %(limit_value)d characters.")},
    )
    email = email_field(
        required=False,
        help_text=_("Only if you want to hear from us when a course like this is planned."),
    )

    def clean_description(self):
        return plain_text(self.cleaned_data["description"]).strip()

    def clean_association_name(self):
        return plain_text(self.cleaned_data.get("association_name") or "").strip()


SCALE = [(str(n), str(n)) for n in range(1, 6)]


class EvaluationForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How was the course overall? (1 = poor, 5 = excellent)"),
        choices=SCALE,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Give the course a rating from 1 to 5.")},
    )
    usefulness = forms.TypedChoiceField(
        label=_("How useful is it in your work? (1 = not at all, 5 = very)"),
        choices=SCALE,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose from 1 to 5 how useful the course is.")},
    )
    best = forms.CharField(
        label=_("What was best?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    improve = forms.CharField(
        label=_("What could be better?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean_best(self):
        return plain_text(self.cleaned_data.get("best") or "").strip()

    def clean_improve(self):
        return plain_text(self.cleaned_data.get("improve") or "").strip()
