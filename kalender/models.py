"""The calendar's data. django-scheduler's ``schedule.Event`` holds the title, description,
time and recurrence (``schedule.Rule``); a cancelled or moved single date is a persisted
``schedule.Occurrence``. ``EventDetails`` (one-to-one) holds what the town calendar needs on
top. ``Slot`` is the calendar's index: every occurrence of every event expanded once (in
Europe/Copenhagen) when the event or one of its dates changes, so views, clash checks and
feeds read date ranges with one indexed query instead of expanding rules per request."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.search import index

from frivillig_blocks.models.pages import SectionIndexPage
from frivillig_blocks.routing import Route
from frivillig_blocks.search.text import plain

from .rules import organiser_status


class EventStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    REVIEW = "review", _("Awaiting review")
    PUBLISHED = "published", _("Published")
    CANCELLED = "cancelled", _("Cancelled")
    POSTPONED = "postponed", _("Postponed")


#: The organiser's words for the statuses of ``rules.ORGANISER_STATUSES``.
ORGANISER_STATUS_LABELS = {
    "published": _("Published"),
    "review": _("Awaiting review"),
    "held": _("Held: it clashes with another booking of the place; awaiting review"),
    "draft": _("Draft"),
    "cancelled": _("Cancelled"),
    "postponed": _("Postponed"),
}

# Statuses the public sees (a cancelled or postponed event stays listed, marked as such,
# once it has been published).
PUBLIC_STATUSES = (EventStatus.PUBLISHED, EventStatus.CANCELLED, EventStatus.POSTPONED)
# Statuses that hold a room: the hard clash check counts these.
HOLDING_STATUSES = (EventStatus.PUBLISHED, EventStatus.REVIEW)


class EventDetailsQuerySet(models.QuerySet):
    def public(self):
        return self.filter(status__in=PUBLIC_STATUSES, published_at__isnull=False)


class EventDetails(index.Indexed, models.Model):
    event = models.OneToOneField(
        "schedule.Event", on_delete=models.CASCADE, related_name="details", verbose_name=_("event")
    )
    uid = models.UUIDField(_("UID"), default=uuid.uuid4, unique=True, editable=False)
    association = models.ForeignKey(
        "frivillig_blocks.Association",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="calendar_events",
        verbose_name=_("association"),
    )
    organiser_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="calendar_events",
        verbose_name=_("organiser (person)"),
    )
    organiser_name = models.CharField(_("organiser's name"), max_length=200, blank=True)
    is_municipal = models.BooleanField(_("the municipality's own event"), default=False)
    place = models.ForeignKey(
        "frivillig_blocks.Place",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="calendar_events",
        verbose_name=_("place"),
    )
    room = models.CharField(_("room"), max_length=100, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    age_groups = models.ManyToManyField(
        "frivillig_blocks.AgeGroup", blank=True, verbose_name=_("age groups")
    )
    themes = models.ManyToManyField("frivillig_blocks.Theme", blank=True, verbose_name=_("themes"))
    price = models.CharField(_("price"), max_length=100, blank=True)
    registration_url = models.URLField(_("registration link"), blank=True)
    accessibility = models.TextField(_("accessibility"), blank=True, max_length=1000)
    image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("image"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=EventStatus.choices, default=EventStatus.DRAFT
    )
    venue_agreed = models.BooleanField(_("the venue agreed to the clash"), default=False)
    venue_agreed_note = models.CharField(
        _("note on the venue's agreement"), max_length=300, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    sequence = models.PositiveIntegerField(_("revision number"), default=0)
    # An event that came in from an association's own calendar (issue #23): the feed it came
    # from (gone when the association unlinks it; the event stays, cancelled, and still
    # says it was imported), its stable identity in that feed (``FeedDate.key``, hashed
    # when longer than the column) and a fingerprint of what the feed said last time, so an
    # unchanged date costs no write.
    subscription = models.ForeignKey(
        "kalender.Subscription",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
        verbose_name=_("calendar subscription"),
    )
    feed_key = models.CharField(_("identity in the feed"), max_length=300, blank=True)
    feed_hash = models.CharField(_("feed fingerprint"), max_length=64, blank=True)
    source_url = models.URLField(_("link at the source"), max_length=2000, blank=True)

    objects = EventDetailsQuerySet.as_manager()

    # Only public text: never the organiser's name, e-mail or phone (a person's details).
    search_fields = [
        index.SearchField("title", boost=2),
        index.AutocompleteField("title"),
        index.SearchField("search_description"),
        index.RelatedFields("themes", [index.SearchField("name")]),
        index.RelatedFields("association", [index.SearchField("name")]),
        index.RelatedFields("place", [index.SearchField("name")]),
        index.FilterField("id"),
        index.FilterField("status"),
        index.FilterField("published_at"),
    ]

    class Meta:
        verbose_name = _("calendar event")
        verbose_name_plural = _("calendar events")
        permissions = [("review_eventdetails", "Can review calendar events")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(place__isnull=False, address__gt=""),
                name="kalender_place_or_address",
            ),
            # One event per date of a feed (issue #23): a second fetch updates, never duplicates.
            models.UniqueConstraint(
                fields=["subscription", "feed_key"],
                condition=Q(subscription__isnull=False),
                name="kalender_one_event_per_feed_date",
            ),
            models.CheckConstraint(
                condition=Q(subscription__isnull=True) | Q(feed_key__gt=""),
                name="kalender_subscribed_event_has_key",
            ),
        ]

    def __str__(self) -> str:
        return self.event.title

    @classmethod
    def get_indexed_objects(cls):
        return super().get_indexed_objects().select_related("event")

    @property
    def title(self) -> str:
        return self.event.title

    def search_description(self) -> str:
        """The description as plain text, for the site search's index."""
        return plain(self.event.description)

    @property
    def organiser_label(self) -> str:
        if self.association_id:
            return self.association.name
        return self.organiser_name

    @property
    def location_label(self) -> str:
        if self.place_id:
            parts = [self.place.name]
            if self.room:
                parts.append(self.room)
            parts.append(f"{self.place.address}, {self.place.postcode} {self.place.city}")
            return ", ".join(parts)
        return self.address

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES and self.published_at is not None

    @property
    def is_imported(self) -> bool:
        """Came in from an association's own calendar (issue #23); the detail page says so."""
        return bool(self.feed_key)

    @property
    def is_linked(self) -> bool:
        """Still fed by a linked calendar: its imported fields are edited at the source."""
        return self.subscription_id is not None

    @property
    def organiser_status(self) -> str:
        """The status as the organiser sees it (``rules.organiser_status``)."""
        return organiser_status(self.status, venue_agreed=self.venue_agreed)

    @property
    def organiser_status_label(self) -> str:
        return str(ORGANISER_STATUS_LABELS[self.organiser_status])


class Slot(models.Model):
    """One occurrence of an event, expanded (see the module docstring). Cancelled dates have
    no slot; a moved date has its new time and ``moved``. ``status``, ``place``, ``room``
    and ``audience`` copy the event's so that a range query needs no join to filter."""

    details = models.ForeignKey(EventDetails, on_delete=models.CASCADE, related_name="slots")
    # The event of ``details`` (an event's details never change event), copied so that the
    # dates as (event, start, end) are read from the public range index alone, without a
    # join (issue #22: the join was a third of ``queries.public_dates``).
    event = models.ForeignKey(
        "schedule.Event",
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        verbose_name=_("event"),
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    original_start = models.DateTimeField(_("original start"))
    # The local (Europe/Copenhagen) date of ``start``: the month and week group by it.
    day = models.DateField(_("day"))
    moved = models.BooleanField(_("moved"), default=False)
    status = models.CharField(_("status"), max_length=12, choices=EventStatus.choices)
    public = models.BooleanField(_("public"), default=False)
    place = models.ForeignKey(
        "frivillig_blocks.Place", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    room = models.CharField(_("room"), max_length=100, blank=True)
    # The event's audience as "|ag:<age group id>|th:<theme id>|" so that the soft clash
    # check filters the rows of its index scan without a join.
    audience = models.CharField(_("audience"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("occurrence")
        verbose_name_plural = _("occurrences")
        ordering = ["start", "details_id"]
        indexes = [
            # The public dates only (partial indexes): a filter ``public=True`` compiles to
            # a bare ``WHERE public``, which SQLite cannot match to a leading ``public``
            # column (issue #22). Covers the list's range and its count, and the dates as
            # (event, start, end) of ``queries.public_dates`` (no table reads).
            models.Index(
                fields=["start", "end", "details", "event"],
                condition=Q(public=True),
                name="kalender_slot_public_range",
            ),
            # Covers the month and week queries in their window order (no table reads, no sort).
            models.Index(
                fields=["day", "start", "details", "end"],
                condition=Q(public=True),
                name="kalender_slot_public_day",
            ),
            models.Index(fields=["place", "start", "end"], name="kalender_slot_place_range"),
            models.Index(fields=["start", "end"], name="kalender_slot_range"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["details", "original_start"], name="kalender_one_slot_per_date"
            ),
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="kalender_slot_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.details_id} {self.start:%Y-%m-%d %H:%M}"


class ClashKind(models.TextChoices):
    HARD = "hard", _("Hard clash (the place is taken)")
    SOFT = "soft", _("Soft clash (the same audience the same evening)")


class ClashOutcome(models.TextChoices):
    PENDING = "pending", _("Not settled yet")
    MOVED = "moved", _("Moved")
    VENUE_AGREED = "venue_agreed", _("The venue agreed")
    KEPT = "kept", _("Published anyway")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Outcomes a later change of the event may still turn into "moved".
OPEN_OUTCOMES = (ClashOutcome.PENDING, ClashOutcome.KEPT)


class ClashNotice(models.Model):
    """A clash the organiser's form showed, once per planned event and distinct clash (the
    other event, or a loan), whatever the number of times the form was re-rendered, and what
    became of it (see ``notices.py``). ``form_key`` is the plan's key: the hidden key of the
    create form until the event is saved, then the event's ``uid``."""

    details = models.ForeignKey(
        EventDetails,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="clash_notices",
        verbose_name=_("event"),
    )
    form_key = models.UUIDField(_("plan key"), db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("shown to"),
    )
    kind = models.CharField(_("kind"), max_length=8, choices=ClashKind.choices)
    # "event:<other details id>" or "loan:<hash of the loan's label and room>".
    clash_key = models.CharField(_("clash"), max_length=80)
    other = models.ForeignKey(
        EventDetails,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("the other event"),
    )
    clash_start = models.DateTimeField(_("first clashing date"), null=True, blank=True)
    shown_at = models.DateTimeField(_("shown"), default=timezone.now, db_index=True)
    outcome = models.CharField(
        _("outcome"), max_length=12, choices=ClashOutcome.choices, default=ClashOutcome.PENDING
    )
    resolved_at = models.DateTimeField(_("settled"), null=True, blank=True)
    # Caught when a linked calendar's date came in (issue #23), not shown in the form: the
    # organiser was mailed about it once (this row is the record of that mail).
    imported = models.BooleanField(_("caught on import"), default=False)

    class Meta:
        verbose_name = _("clash shown")
        verbose_name_plural = _("clashes shown")
        ordering = ["-shown_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["form_key", "kind", "clash_key"], name="kalender_one_notice_per_clash"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.clash_key} ({self.get_outcome_display()})"


class Subscription(models.Model):
    """An association's own calendar (an iCalendar address), fetched periodically and made
    calendar events of the association (issue #23, ``subscriptions/importer.py``). One
    association may link several. The defaults apply to every imported event: the feed
    names neither themes nor age groups, and a date without a location is at
    ``default_place``. ``etag`` and ``last_modified`` are the validators of the last good
    fetch (sent back as ``If-None-Match`` / ``If-Modified-Since``); ``last_error`` is the
    Danish text the organiser sees; after ``SUBSCRIPTION_FAILURE_MAIL_AFTER`` failures in a
    row the organiser is mailed once (``failure_mail_sent_at``), and a good fetch resets
    both."""

    association = models.ForeignKey(
        "frivillig_blocks.Association",
        on_delete=models.CASCADE,
        related_name="calendar_subscriptions",
        verbose_name=_("association"),
    )
    url = models.URLField(_("calendar address"), max_length=2000)
    themes = models.ManyToManyField(
        "frivillig_blocks.Theme", blank=True, related_name="+", verbose_name=_("themes")
    )
    age_groups = models.ManyToManyField(
        "frivillig_blocks.AgeGroup", blank=True, related_name="+", verbose_name=_("age groups")
    )
    default_place = models.ForeignKey(
        "frivillig_blocks.Place",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("place when the calendar names none"),
    )
    paused = models.BooleanField(
        _("paused"),
        default=False,
        help_text=_("A paused calendar is not fetched; its events stay as they are."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("linked by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    etag = models.CharField(_("ETag"), max_length=500, blank=True)
    last_modified = models.CharField(_("Last-Modified"), max_length=100, blank=True)
    last_fetched_at = models.DateTimeField(_("last fetched"), null=True, blank=True)
    last_success_at = models.DateTimeField(_("last good fetch"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    failures_in_row = models.PositiveIntegerField(_("failures in a row"), default=0)
    failure_mail_sent_at = models.DateTimeField(_("failure mail sent"), null=True, blank=True)

    panels = [
        FieldPanel("association", read_only=True),
        FieldPanel("url", read_only=True),
        FieldPanel("paused"),
    ]

    class Meta:
        verbose_name = _("calendar subscription")
        verbose_name_plural = _("calendar subscriptions")
        ordering = ["association__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["association", "url"], name="kalender_one_subscription_per_address"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.association}: {self.url}"


class TrustedOrganiser(models.Model):
    """An association or a person whose events are published without review (set by staff)."""

    association = models.OneToOneField(
        "frivillig_blocks.Association",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="calendar_trust",
        verbose_name=_("association"),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="calendar_trust",
        verbose_name=_("person"),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    panels = [FieldPanel("association"), FieldPanel("user"), FieldPanel("note")]

    class Meta:
        verbose_name = _("trusted organiser")
        verbose_name_plural = _("trusted organisers")
        constraints = [
            models.CheckConstraint(
                condition=Q(association__isnull=False, user__isnull=True)
                | Q(association__isnull=True, user__isnull=False),
                name="kalender_trust_one_organiser",
            ),
        ]

    def __str__(self) -> str:
        return str(self.association or self.user)


class VenueContact(models.Model):
    """Who is told when an organiser states that a place agreed to a clash."""

    place = models.OneToOneField(
        "frivillig_blocks.Place",
        on_delete=models.CASCADE,
        related_name="calendar_contact",
        verbose_name=_("place"),
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"))

    panels = [FieldPanel("place"), FieldPanel("name"), FieldPanel("email")]

    class Meta:
        verbose_name = _("venue contact")
        verbose_name_plural = _("venue contacts")

    def __str__(self) -> str:
        return f"{self.place}: {self.name}"


class SchoolHoliday(models.Model):
    """A school holiday, shown as context when planning (editable by staff)."""

    name = models.CharField(_("name"), max_length=100)
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))

    panels = [FieldPanel("name"), FieldPanel("start_date"), FieldPanel("end_date")]

    class Meta:
        verbose_name = _("school holiday")
        verbose_name_plural = _("school holidays")
        ordering = ["start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="kalender_holiday_order"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CalendarPage(SectionIndexPage):
    """The shared calendar (/frivillig/kalender/)."""

    class Meta:
        verbose_name = _("calendar page")
        verbose_name_plural = _("calendar pages")

    template = "kalender/list.html"

    routes = (
        Route("", ".views.list_view", "upcoming"),
        Route("maaned/", ".views.month_view", "month", {"year": None, "month": None}),
        Route("maaned/<int:year>/<int:month>/", ".views.month_view", "month"),
        Route("uge/", ".views.week_view", "week", {"year": None, "week": None}),
        Route("uge/<int:year>/<int:week>/", ".views.week_view", "week"),
        Route("dag/", ".views.day_view", "day", {"year": None, "month": None, "day": None}),
        Route("dag/<int:year>/<int:month>/<int:day>/", ".views.day_view", "day"),
        Route("sted/<int:place_id>/", ".views.place_view", "place"),
        Route("arrangement/<int:event_id>/", ".views.detail_view", "detail"),
        Route("arrangement/<int:event_id>/ical/", ".feeds.event_feed_view", "event_ics"),
        Route("opret/", ".views.edit_view", "create", {"event_id": None}),
        Route("arrangement/<int:event_id>/ret/", ".views.edit_view", "edit"),
        Route("arrangement/<int:event_id>/datoer/", ".views.dates_view", "dates"),
        Route("mine/", ".views.mine_view", "mine"),
        Route("abonnementer/", ".subscription_views.list_view", "subscriptions"),
        Route("abonnementer/ny/", ".subscription_views.create_view", "subscription_new"),
        Route(
            "abonnementer/<int:subscription_id>/",
            ".subscription_views.detail_view",
            "subscription",
        ),
        Route("tjek/", ".views.check_view", "clash_check"),
        Route("ical/", ".feeds.feed_view", "feed"),
        Route("program/", ".printing.programme_view", "programme"),
    )
