"""The request form: what, when (once or weekly), why, who is responsible, declarations.
Field-level checks here; the manual's rules are checked by ``services.check``."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from frivillig_blocks.models import Association
from frivillig_blocks.parsers import BoundedDateField
from frivillig_blocks.submissions import SubmissionKeyForm

from . import rules as R
from .models import DeclineReason
from .services import LoanRequest, local_tz

MAX_SERIES_DAYS = 7 * (R.MAX_SERIES - 1)

REQUIRED = {"required": _("Fill in this field.")}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


def _date(label, required=True, help_text=""):
    return BoundedDateField(
        label=label,
        required=required,
        widget=DateInput(),
        help_text=help_text,
        error_messages={
            "required": _("Choose a date."),
            "invalid": _("Write a date as dd-mm-åååå."),
        },
    )


def _time(label):
    return forms.TimeField(
        label=label,
        widget=TimeInput(),
        error_messages={"required": _("Choose a time."), "invalid": _("Write a time as tt:mm.")},
    )


class LoanRequestForm(SubmissionKeyForm):
    #: The heading of the error summary when the form fails (frivillig_forms).
    error_heading = _("The request was not sent. Correct the following:")
    room = forms.TypedChoiceField(
        label=_("Room"),
        required=False,
        coerce=int,
        empty_value=None,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose one of the rooms shown.")},
    )
    date = _date(_("Date"))
    start_time = _time(_("From"))
    end_time = _time(_("To"))
    end_date = _date(_("End date (if the loan runs past midnight)"), required=False)
    repeat_until = _date(
        _("Repeat every week until"),
        required=False,
        help_text=_("Leave empty for a single loan. A series can run for at most a year."),
    )
    association = forms.ModelChoiceField(
        label=_("On behalf of"),
        queryset=Association.objects.none(),
        required=False,
        empty_label=_("Myself, as a citizen"),
        error_messages={"invalid_choice": _("Choose one of your associations.")},
    )
    title = forms.CharField(
        label=_("Name of the activity"),
        max_length=200,
        error_messages={
            "required": _("Write what the activity is called."),
            "max_length": _("Write at most %(limit_value)d characters."),
        },
    )
    purpose = forms.ChoiceField(
        label=_("Purpose"),
        choices=[("", "—"), *R.PURPOSE_CHOICES],
        error_messages={
            "required": _("Choose a purpose."),
            "invalid_choice": _("Choose a purpose."),
        },
    )
    description = forms.CharField(
        label=_("Describe the activity"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": _("Write at most %(limit_value)d characters.")},
    )
    participants = forms.IntegerField(
        label=_("Expected participants"),
        min_value=1,
        max_value=R.MAX_PARTICIPANTS,
        error_messages={
            "required": _("Write the expected number of participants."),
            "invalid": _("Write a whole number."),
            "min_value": _("At least one person must take part."),
            "max_value": _("Write at most %(limit_value)s participants."),
        },
    )
    target_group = forms.ChoiceField(
        label=_("Mainly for"), choices=R.TARGET_GROUP_CHOICES, initial=R.GENERAL
    )
    children_take_part = forms.BooleanField(label=_("Children under 15 take part"), required=False)
    overnight = forms.BooleanField(label=_("Overnight stay"), required=False)
    alcohol = forms.BooleanField(label=_("Alcohol is served"), required=False)
    fee = forms.ChoiceField(label=_("Participant fee"), choices=R.FEE_CHOICES, initial=R.NO_FEE)
    public_event = forms.BooleanField(
        label=_("Open to everyone: show it in the public calendar"), required=False
    )
    responsible_name = forms.CharField(
        label=_("Responsible adult"),
        max_length=200,
        error_messages={
            "required": _("Name the responsible adult."),
            "max_length": _("Write at most %(limit_value)d characters."),
        },
    )
    responsible_phone = forms.CharField(
        label=_("The responsible adult's phone"),
        max_length=40,
        error_messages={
            "required": _("Write a phone number for the responsible adult."),
            "max_length": _("Write at most %(limit_value)d characters."),
        },
    )
    responsible_adult = forms.BooleanField(
        label=_("The responsible adult is at least 18 years old and present throughout"),
        error_messages={"required": _("The responsible adult must be at least 18 years old.")},
    )
    declarations = forms.TypedMultipleChoiceField(
        label=_("Declarations"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose among the declarations shown.")},
    )

    def __init__(self, *args, institution, resources, user, declarations, **kwargs):
        super().__init__(*args, **kwargs)
        self.institution = institution
        self.resources = {r.pk: r for r in resources}
        rooms = [r for r in resources if r.is_room]
        self.equipment = [r for r in resources if not r.is_room]
        self.fields["room"].choices = [("", _("No room, only equipment"))] + [
            (
                r.pk,
                _("%(name)s (up to %(count)s people)")
                % {"name": r.name, "count": r.capacity or "?"},
            )
            for r in rooms
        ]
        if not rooms:
            del self.fields["room"]
        for resource in self.equipment:
            self.fields[f"equipment_{resource.pk}"] = forms.IntegerField(
                label=_("%(name)s (%(count)d in stock)")
                % {"name": resource.name, "count": resource.quantity},
                required=False,
                min_value=0,
                max_value=resource.quantity,
                initial=0,
                error_messages={
                    "invalid": _("Write a whole number."),
                    "min_value": _("Write 0 or more."),
                    "max_value": _("There are only %(limit_value)s in stock."),
                },
            )
        self.fields["association"].queryset = Association.objects.filter(
            memberships__user=user, live=True
        ).order_by("name")
        self.declaration_objects = list(declarations)
        self.fields["declarations"].choices = [(d.pk, d.title) for d in self.declaration_objects]
        if not self.declaration_objects:
            del self.fields["declarations"]

    def declaration_rows(self):
        chosen = set()
        if self.is_bound:
            chosen = (
                {str(v) for v in self.data.getlist("declarations")}
                if hasattr(self.data, "getlist")
                else set()
            )
        return [(d, str(d.pk) in chosen) for d in self.declaration_objects]

    def fieldsets(self):
        groups = [
            (
                _("What you want to borrow"),
                ["room", *(f"equipment_{r.pk}" for r in self.equipment)],
            ),
            (_("When"), ["date", "start_time", "end_time", "end_date", "repeat_until"]),
            (
                _("What for"),
                [
                    "association",
                    "title",
                    "purpose",
                    "description",
                    "participants",
                    "target_group",
                    "children_take_part",
                    "overnight",
                    "alcohol",
                    "fee",
                    "public_event",
                ],
            ),
            (
                _("Who is responsible"),
                ["responsible_name", "responsible_phone", "responsible_adult"],
            ),
        ]
        return [
            {"legend": legend, "fields": [self[name] for name in names if name in self.fields]}
            for legend, names in groups
        ]

    def clean(self):
        data = super().clean()
        items = []
        room_id = data.get("room")
        if room_id:
            items.append((self.resources[room_id], 1))
        for resource in self.equipment:
            quantity = data.get(f"equipment_{resource.pk}") or 0
            if quantity:
                items.append((resource, quantity))
        if not items and not self.errors:
            raise forms.ValidationError(_("Choose a room or some equipment."))
        data["items"] = items
        day, start, end = data.get("date"), data.get("start_time"), data.get("end_time")
        if day is None or start is None or end is None:
            return data
        end_date = data.get("end_date") or day
        if (end_date, end) <= (day, start):
            self.add_error("end_time", _("The end must be after the start."))
            return data
        if end_date > day + dt.timedelta(days=7):
            self.add_error("end_date", _("A loan can last at most a week."))
            return data
        until = data.get("repeat_until")
        if until is not None:
            if until < day:
                self.add_error("repeat_until", _("The series must end after the first date."))
                return data
            if until > day + dt.timedelta(days=MAX_SERIES_DAYS):
                self.add_error("repeat_until", _("A series can run for at most a year."))
                return data
        try:
            data["slots"] = R.expand(
                start_date=day,
                start_time=start,
                end_date=end_date,
                end_time=end,
                tz=local_tz(),
                repeat_until=until,
            )
        except R.InvalidTime:
            self.add_error(
                "start_time", _("That time does not exist on the day the clocks go forward.")
            )
        return data

    def loan_request(self) -> LoanRequest:
        data = self.cleaned_data
        return LoanRequest(
            items=data["items"],
            slots=data["slots"],
            title=data["title"],
            purpose=data["purpose"],
            participants=data["participants"],
            responsible_name=data["responsible_name"],
            responsible_phone=data["responsible_phone"],
            description=data["description"],
            association=data.get("association"),
            target_group=data["target_group"],
            children_take_part=data["children_take_part"],
            overnight=data["overnight"],
            alcohol=data["alcohol"],
            fee=data["fee"],
            public_event=data["public_event"],
            accepted_declarations=frozenset(data.get("declarations") or ()),
        )


class DecisionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason or note to the borrower"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    exclude = forms.TypedMultipleChoiceField(
        label=_("Leave out these times"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    condition = forms.CharField(label=_("Condition"), required=False, max_length=500)
    decline_reason = forms.ModelChoiceField(
        label=_("Reason for declining (the borrower is told it)"),
        queryset=DeclineReason.objects.none(),
        required=False,
        empty_label=_("Choose a reason"),
    )
    internal_note = forms.CharField(
        label=_("Internal note (optional; stays in the admin, never sent to the borrower)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, slots=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["exclude"].choices = [(s.pk, str(s.pk)) for s in slots]
        self.fields["decline_reason"].queryset = DeclineReason.objects.filter(active=True)
