"""The application form of a grant, with Danish messages. A § 18 grant asks for what § 18
of the Social Services Act requires; other grants do not show those fields."""

from __future__ import annotations

import re
import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Grant
from .services import MAX_AMOUNT, SECTION_18_FIELDS

CVR_RE = re.compile(r"^\d{8}$")
PHONE_RE = re.compile(r"^\+?[0-9 ()\-]{6,40}$")
# Whole kroner, optionally written with Danish thousand separators and "kr.".
AMOUNT_RE = re.compile(r"^(\d{1,3}(?:[. ]\d{3})+|\d+)(?:,-|,00)?(?:\s*kr\.?)?$", re.IGNORECASE)


def _text_errors(required: str, limit: str | None = None) -> dict:
    messages = {"required": required}
    if limit:
        messages["max_length"] = limit
    return messages


class SingleLineField(forms.CharField):
    """A one-line answer: line breaks and runs of white space become one space (a forged
    POST cannot smuggle a line break into anything built from it)."""

    def to_python(self, value):
        value = super().to_python(value)
        return " ".join(value.split()) if value else value


class AmountField(forms.Field):
    """An amount in whole kroner: 25000, 25.000, 25 000 or 25.000 kr."""

    default_error_messages = {
        "required": _("Write the amount you apply for, in whole kroner."),
        "invalid": _("Write the amount as a whole number of kroner, e.g. 25000."),
        "min_value": _("The amount must be at least 1 kr."),
        "max_value": _("The amount can be at most 10,000,000 kr."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        value = str(value or "").strip()
        if not value:
            return None
        if value.startswith("-"):
            raise forms.ValidationError(self.error_messages["min_value"], code="min_value")
        match = AMOUNT_RE.match(value)
        if not match:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        digits = re.sub(r"\D", "", match.group(1))
        if len(digits) > 12:
            raise forms.ValidationError(self.error_messages["max_value"], code="max_value")
        return int(digits)

    def validate(self, value):
        super().validate(value)
        if value is None:
            return
        if value < 1:
            raise forms.ValidationError(self.error_messages["min_value"], code="min_value")
        if value > MAX_AMOUNT:
            raise forms.ValidationError(self.error_messages["max_value"], code="max_value")


class GrantApplicationForm(forms.Form):
    #: The heading of the error summary when the form fails (frivillig_forms).
    error_heading = _("The application was not sent. Correct the following:")
    applicant_name = SingleLineField(
        label=_("Your name"),
        max_length=200,
        error_messages=_text_errors(
            _("Write your name."), _("Your name can be at most 200 characters.")
        ),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("We send the receipt for your application here."),
        max_length=254,
        error_messages={
            "required": _("Write your e-mail address."),
            "invalid": _("Write a valid e-mail address, e.g. navn@eksempel.dk."),
            "max_length": _("Write a valid e-mail address of at most 254 characters."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = SingleLineField(
        label=_("Phone (optional)"),
        required=False,
        max_length=40,
        error_messages={"max_length": _("Write a phone number of at most 40 characters.")},
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    association_name = SingleLineField(
        label=_("Name of the association"),
        max_length=200,
        error_messages=_text_errors(
            _("Write the name of the association."),
            _("The name of the association can be at most 200 characters."),
        ),
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    cvr = SingleLineField(
        label=_("The association's CVR number (optional)"),
        help_text=_("8 digits."),
        required=False,
        max_length=20,
        error_messages={"max_length": _("A CVR number is 8 digits.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    project_title = SingleLineField(
        label=_("Title of the project"),
        max_length=200,
        error_messages=_text_errors(
            _("Write a title for the project."),
            _("The title can be at most 200 characters."),
        ),
    )
    description = forms.CharField(
        label=_("Describe the project"),
        help_text=_("What will you do, for whom, and when? At most 10,000 characters."),
        max_length=10000,
        error_messages=_text_errors(
            _("Describe the project."),
            _("The description can be at most 10,000 characters."),
        ),
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    amount_requested = AmountField(
        label=_("Amount you apply for (kr.)"), help_text=_("Whole kroner, e.g. 25000.")
    )
    social_purpose = forms.CharField(
        label=_("The association's social purpose"),
        help_text=_("§ 18 supports voluntary social work: describe the social purpose."),
        max_length=5000,
        error_messages=_text_errors(
            _("Describe the association's social purpose."),
            _("The social purpose can be at most 5,000 characters."),
        ),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    target_group = forms.CharField(
        label=_("Target group"),
        help_text=_("Who does the project help, and how many?"),
        max_length=5000,
        error_messages=_text_errors(
            _("Describe the target group."),
            _("The target group can be at most 5,000 characters."),
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    budget = forms.CharField(
        label=_("Budget"),
        help_text=_("The project's expenses and income, line by line."),
        max_length=10000,
        error_messages=_text_errors(
            _("Write a budget for the project."),
            _("The budget can be at most 10,000 characters."),
        ),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    submission_key = forms.UUIDField(
        widget=forms.HiddenInput,
        error_messages={
            "required": _("The form is out of date. Check your answers and send it again."),
            "invalid": _("The form is out of date. Check your answers and send it again."),
        },
    )

    def __init__(self, data=None, *args, grant: Grant, **kwargs):
        if data is not None:
            data = self._bounded(data)
        super().__init__(data, *args, **kwargs)
        self.grant = grant
        if not grant.is_section_18:
            for name in SECTION_18_FIELDS:
                del self.fields[name]
        if not self.is_bound:
            self.initial.setdefault("submission_key", uuid.uuid4())

    def fieldsets(self):
        """The visible fields in groups, each shown as a fieldset with its legend."""
        groups = [
            (_("About you"), ("applicant_name", "email", "phone")),
            (_("The association"), ("association_name", "cvr")),
            (_("The project"), ("project_title", "description", "amount_requested")),
            (_("What § 18 requires"), SECTION_18_FIELDS),
        ]
        return [
            {"legend": legend, "fields": [self[name] for name in names if name in self.fields]}
            for legend, names in groups
            if any(name in self.fields for name in names)
        ]

    def _bounded(self, data):
        """A copy of the posted data in which no text is much longer than its field allows:
        the form still refuses it, but does not echo megabytes back to the browser."""
        data = data.copy()
        for name, field in self.base_fields.items():
            limit = getattr(field, "max_length", None) or 100
            values = data.getlist(name) if hasattr(data, "getlist") else [data.get(name)]
            if any(isinstance(v, str) and len(v) > limit + 1 for v in values):
                data[name] = str(values[-1])[: limit + 1]
        return data

    def clean_cvr(self):
        cvr = "".join(self.cleaned_data["cvr"].split())
        if cvr and not CVR_RE.match(cvr):
            raise forms.ValidationError(_("A CVR number is 8 digits."), code="invalid")
        return cvr

    def clean_phone(self):
        phone = self.cleaned_data["phone"]
        if phone and not PHONE_RE.match(phone):
            raise forms.ValidationError(
                _("Write the phone number with digits, e.g. 32 89 01 00."), code="invalid"
            )
        return phone

    def _post_clean(self):
        super()._post_clean()
        if "submission_key" in self.errors:
            # A forged or stale key: the form shown again carries a fresh one.
            self.data["submission_key"] = str(uuid.uuid4())
