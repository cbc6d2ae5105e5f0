"""Forms of the jury's admin pages."""

from django import forms
from django.utils.translation import gettext_lazy as _


class ScoreForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("Score (1–5)"),
        coerce=int,
        choices=[(i, str(i)) for i in range(1, 6)],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a score from 1 to 5."),
            "invalid_choice": _("Choose a score from 1 to 5."),
        },
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ConflictForm(forms.Form):
    reason = forms.CharField(
        label=_("Why are you conflicted?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write the reason for the conflict of interest.")},
    )


class ShortlistForm(forms.Form):
    nominations = forms.TypedMultipleChoiceField(
        label=_("Shortlist"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nominations"].choices = choices


class WinnerForm(forms.Form):
    nomination = forms.TypedChoiceField(
        label=_("Winner"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nomination"].choices = [("", _("Not chosen (the vote decides)")), *choices]


class PaperVoteForm(forms.Form):
    nomination = forms.TypedChoiceField(label=_("Nominee"), coerce=int)
    count = forms.IntegerField(
        label=_("Number of paper votes"),
        min_value=1,
        max_value=1000,
        initial=1,
        error_messages={
            "min_value": _("Enter from 1 to 1000 votes."),
            "max_value": _("Enter from 1 to 1000 votes."),
        },
    )

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nomination"].choices = choices


class JuryCandidateForm(forms.Form):
    """The jury's own candidate (the same fields and messages as the public form)."""

    def __init__(self, *args, **kwargs):
        from .forms import NominationForm

        super().__init__(*args, **kwargs)
        public = NominationForm()
        for name in ("nominee_kind", "nominee_name", "nominee_email", "motivation"):
            self.fields[name] = public.fields[name]

    def clean_nominee_name(self):
        from .forms import no_markup

        return no_markup(self.cleaned_data["nominee_name"]).strip()

    def clean_motivation(self):
        from .forms import no_markup

        return no_markup(self.cleaned_data["motivation"]).strip()
