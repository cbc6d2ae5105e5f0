"""The organiser's event form and the forms of the public filters, with Danish messages."""

from __future__ import annotations

import datetime
import html

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from frivillig_blocks import themes
from frivillig_blocks.models import AgeGroup, Association, Place, Theme
from frivillig_blocks.parsers import BoundedDateField
from frivillig_blocks.widgets import attrs_html

from . import conf
from .models import EventDetails
from .occurrences import RECURRENCES, local_tz, recurrence_key
from .services import EventData, is_reviewer, member_association_ids

TITLE_MAX = 200
DESCRIPTION_MAX = 5000


class LimitedImageField(forms.ImageField):
    """An image of at most KALENDER_MAX_IMAGE_MB; the size is checked before Pillow reads it."""

    def to_python(self, data):
        limit = conf.app_settings.MAX_IMAGE_MB
        if data is not None and getattr(data, "size", 0) > limit * 1024 * 1024:
            raise ValidationError(
                _("The image is too large. Upload an image of at most %(limit)d MB.")
                % {"limit": limit},
                code="too_large",
            )
        return super().to_python(data)


class DateListField(forms.Field):
    """Dates of the series (ISO datetimes) the organiser chose to cancel."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        if not value:
            return []
        if isinstance(value, str):
            value = [value]
        result = []
        for item in value[:500]:
            try:
                moment = datetime.datetime.fromisoformat(str(item))
            except ValueError as error:
                raise ValidationError(_("A chosen date is not valid."), code="invalid") from error
            if moment.tzinfo is None:
                raise ValidationError(_("A chosen date is not valid."), code="invalid")
            result.append(moment)
        return result


def _required(message):
    return {"required": message}


class EventForm(forms.Form):
    #: The heading of the error summary when the form fails (frivillig_forms).
    error_heading = _("The event was not saved. Correct the following:")
    title = forms.CharField(
        label=_("Title"),
        max_length=TITLE_MAX,
        error_messages={
            "required": _("Give the event a title."),
            "max_length": _("Write a title of at most %(limit_value)d characters."),
        },
    )
    organiser = forms.ChoiceField(
        label=_("Organiser"), error_messages=_required(_("Choose who holds the event."))
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Plain text, or simple formatting: bold, italics, lists and links."),
        error_messages={"max_length": _("Write at most %(limit_value)d characters.")},
    )
    date = BoundedDateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Give the date."), "invalid": _("Give a valid date.")},
    )
    start_time = forms.TimeField(
        label=_("Starts at"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={
            "required": _("Give the time it starts."),
            "invalid": _("Give a valid time, e.g. 19:00."),
        },
    )
    end_time = forms.TimeField(
        label=_("Ends at"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={
            "required": _("Give the time it ends."),
            "invalid": _("Give a valid time, e.g. 21:00."),
        },
    )
    end_date = BoundedDateField(
        label=_("Ends on another date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Only if the event lasts past midnight."),
        error_messages={"invalid": _("Give a valid date.")},
    )
    recurrence = forms.ChoiceField(
        label=_("Repeats"),
        required=False,
        choices=[("", _("Does not repeat"))] + [(k, v[2]) for k, v in RECURRENCES.items()],
        error_messages={"invalid_choice": _("Choose one of the repetitions offered.")},
    )
    repeat_until = BoundedDateField(
        label=_("Repeat until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Give a valid date.")},
    )
    place = forms.ModelChoiceField(
        label=_("Place"),
        queryset=Place.objects.all(),
        required=False,
        empty_label=_("Another address"),
        error_messages={"invalid_choice": _("Choose one of the places offered.")},
    )
    room = forms.CharField(label=_("Room"), max_length=100, required=False)
    address = forms.CharField(
        label=_("Address (if not one of the places)"),
        max_length=200,
        required=False,
    )
    age_groups = forms.ModelMultipleChoiceField(
        label=_("For whom"),
        queryset=AgeGroup.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _("Choose among the age groups offered."),
            "invalid_pk_value": _("Choose among the age groups offered."),
        },
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"),
        queryset=Theme.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _("Choose among the themes offered."),
            "invalid_pk_value": _("Choose among the themes offered."),
        },
    )
    price = forms.CharField(
        label=_("Price"), max_length=100, required=False, help_text=_("E.g. “Free” or “50 kr.”")
    )
    registration_url = forms.URLField(
        label=_("Registration link"),
        required=False,
        max_length=200,
        assume_scheme="https",
        error_messages={
            "invalid": _("Write a valid web address, e.g. https://eksempel.dk/tilmelding.")
        },
    )
    accessibility = forms.CharField(
        label=_("Accessibility"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("E.g. step-free access, hearing loop, seats."),
    )
    image = LimitedImageField(
        label=_("Image"),
        required=False,
        error_messages={
            "invalid_image": _(
                "The file is not an image we can read. Upload a JPEG, PNG or WebP image."
            ),
        },
    )
    cancelled_dates = DateListField(required=False)
    venue_agreed = forms.BooleanField(
        label=_("The venue has agreed to the overlap"),
        required=False,
    )
    venue_agreed_note = forms.CharField(
        label=_("Who at the venue agreed, and when?"), max_length=300, required=False
    )
    accept_warnings = forms.BooleanField(
        label=_("I have read the warnings and want to save anyway"), required=False
    )
    is_municipal = forms.BooleanField(label=_("The municipality's own event"), required=False)
    # The plan's key: the clashes shown while a new event is planned are recorded under it
    # once, however often the form is shown again (notices.py).
    notice_key = forms.CharField(required=False, max_length=36, widget=forms.HiddenInput)

    ORGANISER_ME = "me"

    def __init__(self, *args, user, details: EventDetails | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.details = details
        self.reviewer = is_reviewer(user)
        if self.reviewer:
            associations = Association.objects.filter(live=True)
        else:
            associations = Association.objects.filter(pk__in=member_association_ids(user))
        choices = [(f"a{a.pk}", a.name) for a in associations.only("pk", "name")]
        if (
            details is not None
            and details.association_id
            and f"a{details.association_id}" not in dict(choices)
        ):
            choices.append((f"a{details.association_id}", details.association.name))
        choices.append((self.ORGANISER_ME, _("Myself (as a private person)")))
        self.fields["organiser"].choices = choices
        self.fields["organiser"].error_messages["invalid_choice"] = _(
            "Choose one of your own associations or yourself."
        )
        if not self.reviewer:
            del self.fields["is_municipal"]

    @classmethod
    def initial_for(cls, details: EventDetails) -> dict:
        tz = local_tz()
        event = details.event
        start, end = event.start.astimezone(tz), event.end.astimezone(tz)
        return {
            "title": event.title,
            "organiser": f"a{details.association_id}"
            if details.association_id
            else cls.ORGANISER_ME,
            "description": event.description,
            "date": start.date(),
            "start_time": start.time().replace(second=0),
            "end_time": end.time().replace(second=0),
            "end_date": end.date() if end.date() != start.date() else None,
            "recurrence": recurrence_key(event.rule),
            "repeat_until": event.end_recurring_period.astimezone(tz).date()
            if event.end_recurring_period
            else None,
            "place": details.place_id,
            "room": details.room,
            "address": details.address,
            "age_groups": list(details.age_groups.values_list("pk", flat=True)),
            "themes": list(details.themes.values_list("pk", flat=True)),
            "price": details.price,
            "registration_url": details.registration_url,
            "accessibility": details.accessibility,
            "is_municipal": details.is_municipal,
        }

    def clean_title(self):
        title = " ".join(self.cleaned_data["title"].split())
        if not title:
            raise ValidationError(_("Give the event a title."), code="required")
        return title

    def clean(self):
        data = super().clean()
        date, start_time, end_time = data.get("date"), data.get("start_time"), data.get("end_time")
        if date and start_time and end_time:
            tz = local_tz()
            start = datetime.datetime.combine(date, start_time, tzinfo=tz)
            end = datetime.datetime.combine(data.get("end_date") or date, end_time, tzinfo=tz)
            if end <= start:
                self.add_error("end_time", _("The event must end after it starts."))
            data["start"], data["end"] = start, end
        if data.get("recurrence"):
            if not data.get("repeat_until"):
                self.add_error("repeat_until", _("Give the last date of the repetition."))
            elif date and data["repeat_until"] < date:
                self.add_error("repeat_until", _("The repetition must end after the first date."))
        elif data.get("repeat_until"):
            data["repeat_until"] = None
        if data.get("place") and data.get("address"):
            self.add_error("address", _("Choose a place or write an address, not both."))
        elif not data.get("place") and not (data.get("address") or "").strip():
            self.add_error("place", _("Choose a place or write the address."))
        if data.get("venue_agreed") and not (data.get("venue_agreed_note") or "").strip():
            self.add_error("venue_agreed_note", _("Write who at the venue agreed."))
        return data

    def event_data(self, *, draft=False, image_id=None) -> EventData:
        d = self.cleaned_data
        organiser = d["organiser"]
        return EventData(
            title=d["title"],
            start=d["start"],
            end=d["end"],
            description=d.get("description") or "",
            recurrence=d.get("recurrence") or "",
            repeat_until=d.get("repeat_until"),
            association_id=int(organiser[1:]) if organiser.startswith("a") else None,
            place_id=d["place"].pk if d.get("place") else None,
            room=(d.get("room") or "").strip(),
            address=(d.get("address") or "").strip(),
            age_group_ids=[a.pk for a in d.get("age_groups") or []],
            theme_ids=[t.pk for t in d.get("themes") or []],
            price=d.get("price") or "",
            registration_url=d.get("registration_url") or "",
            accessibility=d.get("accessibility") or "",
            image_id=image_id,
            cancelled_dates=d.get("cancelled_dates") or [],
            venue_agreed=bool(d.get("venue_agreed")),
            venue_agreed_note=(d.get("venue_agreed_note") or "").strip(),
            is_municipal=bool(d.get("is_municipal")),
            draft=draft,
            notice_key=d.get("notice_key") or "",
        )


class MoveDateForm(forms.Form):
    original_start = DateListField(widget=forms.HiddenInput)
    date = BoundedDateField(
        label=_("New date"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": _("Give the date."), "invalid": _("Give a valid date.")},
    )
    start_time = forms.TimeField(
        label=_("Starts at"),
        widget=forms.TimeInput(attrs={"type": "time"}),
        error_messages={
            "required": _("Give the time it starts."),
            "invalid": _("Give a valid time, e.g. 19:00."),
        },
    )
    end_time = forms.TimeField(
        label=_("Ends at"),
        widget=forms.TimeInput(attrs={"type": "time"}),
        error_messages={
            "required": _("Give the time it ends."),
            "invalid": _("Give a valid time, e.g. 21:00."),
        },
    )

    def clean(self):
        data = super().clean()
        if data.get("date") and data.get("start_time") and data.get("end_time"):
            tz = local_tz()
            data["start"] = datetime.datetime.combine(data["date"], data["start_time"], tzinfo=tz)
            data["end"] = datetime.datetime.combine(data["date"], data["end_time"], tzinfo=tz)
            if data["end"] <= data["start"]:
                self.add_error("end_time", _("The event must end after it starts."))
        if not data.get("original_start"):
            raise ValidationError(_("The event has no such date."))
        return data


class QuickSelect(forms.Select):
    """A ``Select`` that writes its options in Python: the same HTML as Django's templates
    (``select.html``, ``select_option.html``, ``attrs.html``), without a template rendered
    per option, which cost the calendar's filter form ~20 ms on every page (issue #22)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [format_html('<select name="{}"{}>', widget["name"], attrs_html(widget["attrs"]))]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('<optgroup label="{}">', group_name))
            parts.extend(
                format_html(
                    '<option value="{}"{}>{}</option>',
                    str(option["value"]),
                    attrs_html(option["attrs"]),
                    option["label"],
                )
                for option in options
            )
            if group_name:
                parts.append("</optgroup>")
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 – every part escaped by format_html


class PlainSelect(forms.Select):
    """The ``<select>`` of a model choice field, written out directly from one
    ``values_list`` query (the value and ``label_field``), without a model instance or a
    template per option: the same markup as Django's, for a list that grows with the city
    (every live association is an organiser to filter by: at 50× the demo its 1,350 options
    took most of the calendar pages' time, #22)."""

    def __init__(self, *args, label_field: str = "name", **kwargs):
        super().__init__(*args, **kwargs)
        self.label_field = label_field

    def options(self):
        field = self.choices.field
        if field.empty_label is not None:
            yield "", field.empty_label
        yield from self.choices.queryset.values_list(field.to_field_name or "pk", self.label_field)

    def render(self, name, value, attrs=None, renderer=None):
        # Widget's context, not ChoiceWidget's: that one makes every option (an instance each).
        context = forms.Widget.get_context(self, name, value, attrs)["widget"]
        chosen = {str(v) for v in context["value"]}
        # One join with the standard library's escape (what Django's escape calls): a
        # format_html per option cost ~5 µs each, 7 ms for 1,350 organisers (#22).
        escape = html.escape
        options = "".join(
            [
                f'<option value="{escape(str(key))}"{" selected" if str(key) in chosen else ""}>'
                f"{escape(str(label))}</option>"
                for key, label in self.options()
            ]
        )
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            flatatt(context["attrs"]),
            mark_safe(options),  # noqa: S308 - every key and label escaped above
        )


class FilterForm(forms.Form):
    """The public filters; invalid values are ignored rather than failing the page."""

    @staticmethod
    def as_key(filters: dict) -> dict:
        """The parsed filters as plain text, for a cache key (the kept feed, the programme):
        a chosen object by its primary key, a date by its ISO form."""

        def text(value) -> str:
            if hasattr(value, "pk"):
                return str(value.pk)
            if hasattr(value, "isoformat"):
                return value.isoformat()
            return str(value)

        return {name: text(value) for name, value in filters.items()}

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    age_group = forms.ModelChoiceField(
        label=_("For whom"),
        queryset=AgeGroup.objects.all(),
        required=False,
        empty_label=_("All"),
        to_field_name="code",
        widget=QuickSelect,
    )
    theme = forms.ModelChoiceField(
        label=_("Theme"),
        queryset=Theme.objects.all(),
        required=False,
        empty_label=_("All"),
        to_field_name="slug",
        widget=QuickSelect,
    )
    organiser = forms.ModelChoiceField(
        label=_("Organiser"),
        queryset=Association.objects.filter(live=True),
        required=False,
        empty_label=_("All"),
        to_field_name="slug",
        widget=PlainSelect,
    )
    place = forms.ModelChoiceField(
        label=_("Place"),
        queryset=Place.objects.all(),
        required=False,
        empty_label=_("All"),
        widget=QuickSelect,
    )
    fra = BoundedDateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    til = BoundedDateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, data=None, *args, **kwargs):
        # ``?category=`` was the calendar's own subject list: an old link or bookmark with
        # it now filters by the theme that took its place.
        if data is not None and data.get("category") and not data.get("theme"):
            theme = themes.resolve(data.get("category"))
            data = data.copy()
            data.pop("category", None)
            if theme is not None:
                data["theme"] = theme.slug
        super().__init__(data, *args, **kwargs)

    def period_error(self) -> str | None:
        """The message of a date the calendar cannot show (``fra``/``til`` out of range or
        not a date): such a request is answered 400 (#18), not with today's list."""
        if not self.is_bound or self.is_valid():
            return None
        for name in ("fra", "til"):
            if name in self.errors:
                return str(self.errors[name][0])
        return None

    def filters(self) -> dict:
        """The valid filters only (an invalid one is dropped, with its error shown)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}


class SubscriptionForm(forms.Form):
    """An association's own calendar to link (issue #23): its iCalendar address and the
    defaults its events get (the feed names neither themes nor age groups, and a date
    without a location is at the default place)."""

    error_heading = _("The calendar was not linked. Correct the following:")
    association = forms.ChoiceField(
        label=_("Association"),
        error_messages={
            "required": _("Choose the association whose calendar it is."),
            "invalid_choice": _("Choose one of your associations."),
        },
    )
    url = forms.CharField(
        label=_("The calendar's address"),
        max_length=2000,
        help_text=_(
            "The calendar's iCalendar address (https:// or webcal://). In Google Calendar: "
            "Settings, the calendar, “Public address in iCal format”. In Outlook: Settings, "
            "Calendar, Shared calendars, “Publish a calendar”, the ICS link."
        ),
        error_messages={
            "required": _("Give the calendar's address."),
            "max_length": _("Write an address of at most %(limit_value)d characters."),
        },
    )
    themes = EventForm.base_fields["themes"]
    age_groups = EventForm.base_fields["age_groups"]
    default_place = forms.ModelChoiceField(
        label=_("Place when the calendar names none"),
        queryset=Place.objects.all(),
        required=False,
        empty_label=_("No place"),
        error_messages={"invalid_choice": _("Choose one of the places offered.")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        associations = Association.objects.filter(pk__in=member_association_ids(user)).order_by(
            "name"
        )
        self.fields["association"].choices = [("", _("Choose an association"))] + [
            (str(a.pk), a.name) for a in associations
        ]

    def clean_url(self):
        from .exceptions import FeedError
        from .subscriptions.fetch import normalise_url

        try:
            return normalise_url(self.cleaned_data["url"].strip())
        except FeedError as error:
            raise ValidationError(error.message, code="url") from error

    def clean_association(self):
        return int(self.cleaned_data["association"])
