"""The report's period and filters (a GET form: the address of a report can be shared)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from frivillig_blocks import figures
from frivillig_blocks.parsers import BoundedDateField

MAX_DAYS = 5 * 366


class ReportForm(forms.Form):
    fra = BoundedDateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Write the date as yyyy-mm-dd.")},
    )
    til = BoundedDateField(
        label=_("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Write the date as yyyy-mm-dd.")},
    )

    def __init__(self, data=None, *, today: dt.date | None = None):
        self.today = today or timezone.localdate()
        default = figures.Period.last_twelve_months(self.today)
        super().__init__(data, initial={"fra": default.start, "til": default.end})
        for name, choices in figures.filter_choices().items():
            self.fields[name] = forms.ChoiceField(
                label=figures.FILTER_LABELS[name],
                required=False,
                choices=[("", _("All"))] + [(key, label) for key, label in choices],
                error_messages={"invalid_choice": _("Choose one of the options in the list.")},
            )

    def default_period(self) -> figures.Period:
        return figures.Period.last_twelve_months(self.today)

    def clean(self):
        data = super().clean()
        start, end = data.get("fra"), data.get("til")
        if start is None and end is None:
            period = self.default_period()
            start, end = period.start, period.end
        elif start is None:  # a year up to the given day
            start = figures.Period.last_twelve_months(end).start
        elif end is None:  # a year from the given day
            end = figures.shift_year(start, 1) - dt.timedelta(days=1)
        if end < start:
            raise forms.ValidationError(_("The period must end on or after the day it starts."))
        if (end - start).days > MAX_DAYS:
            raise forms.ValidationError(_("Choose a period of at most five years."))
        data["period"] = figures.Period(start, end)
        return data

    def result(self) -> tuple[figures.Period, figures.Filters]:
        """The period and filters, falling back to the last twelve months and no filters
        when the form is not valid (the errors are shown beside it)."""
        if self.is_bound and self.is_valid():
            data = self.cleaned_data
            return data["period"], figures.Filters(
                **{
                    name: data.get(name) or ""
                    for name in figures.FILTER_NAMES
                    if name in self.fields
                }
            )
        return self.default_period(), figures.Filters()


class NoteForm(forms.Form):
    """The coordinator's own text for one service in the report for one period (saving again
    for the same service and period replaces the text: see ``views.note_view``)."""

    section = forms.CharField(required=False, max_length=40)
    period_start = BoundedDateField()
    period_end = BoundedDateField()
    text = forms.CharField(
        required=False,
        max_length=5000,
        strip=True,
        error_messages={"max_length": _("Write at most %(limit_value)d characters.")},
    )
