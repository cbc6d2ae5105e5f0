"""Loans of the municipality's rooms and equipment.

- :class:`Institution` – a municipal institution (library, school…) at a ``Place``, with its
  leaders (users in the Institutionsledere group) who decide its loans.
- :class:`Resource` – a room or a piece of equipment of an institution.
- Rule fields (:class:`RuleFields`) sit on both: a value set on a resource overrides its
  institution's, an empty value inherits (see ``rules.effective_rules``).
- :class:`Loan` – one request by a person (maybe on behalf of an association) for one or
  more resources; :class:`LoanSlot` – each occurrence of it (a weekly series has many);
  :class:`LoanItem` – which resources and how many.

Times are stored as aware UTC datetimes; the opening hours and closures are local
(Europe/Copenhagen) wall-clock values, as people state them.
"""

from __future__ import annotations

import hashlib
import secrets

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable
from wagtail.search import index

from frivillig_blocks import roles
from frivillig_blocks.blocks import BaseStreamBlock
from frivillig_blocks.models.pages import SectionIndexPage
from frivillig_blocks.routing import Route

from . import rules as R


def new_token() -> str:
    return secrets.token_urlsafe(24)


def token_hash(token: str) -> str:
    """The stored form of a feed secret: a high-entropy random value needs no slow hash."""
    return hashlib.sha256(token.encode()).hexdigest()


class ChoiceListField(models.JSONField):
    """A list of purpose codes, edited as checkboxes. An empty list means "not set here"."""

    def formfield(self, **kwargs):
        return forms.TypedMultipleChoiceField(
            choices=R.PURPOSE_CHOICES,
            required=False,
            widget=forms.CheckboxSelectMultiple,
            label=self.verbose_name,
            help_text=self.help_text,
        )


class Declaration(models.Model):
    """A declaration a borrower must accept (legal text), e.g. child-protection
    certificates where children take part. Its ``condition`` says when it applies."""

    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("legal text"), max_length=5000)
    condition = models.CharField(
        _("applies"), max_length=20, choices=R.DECLARATION_CONDITIONS, default=R.ALWAYS
    )

    class Meta:
        verbose_name = _("declaration")
        verbose_name_plural = _("declarations")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class RuleFields(models.Model):
    """The manual's rules. ``None``/empty inherits (resource → institution → default)."""

    allowed_purposes = ChoiceListField(
        _("allowed purposes"),
        default=list,
        blank=True,
        help_text=_("Leave empty to use the institution's (or allow every lawful purpose)."),
    )
    forbidden_purposes = ChoiceListField(
        _("forbidden purposes"),
        default=list,
        blank=True,
        help_text=_(
            "Leave empty to use the institution's (private parties and commercial use are always forbidden)."
        ),
    )
    min_notice_hours = models.PositiveIntegerField(
        _("minimum notice (hours)"), null=True, blank=True
    )
    max_advance_days = models.PositiveIntegerField(
        _("maximum advance (days)"), null=True, blank=True, validators=[MaxValueValidator(1000)]
    )
    min_duration_minutes = models.PositiveIntegerField(
        _("minimum duration (minutes)"), null=True, blank=True
    )
    max_duration_minutes = models.PositiveIntegerField(
        _("maximum duration (minutes)"), null=True, blank=True
    )
    buffer_minutes = models.PositiveIntegerField(
        _("buffer between loans (minutes)"), null=True, blank=True
    )
    max_loans_per_month = models.PositiveIntegerField(
        _("maximum loans per association per month"), null=True, blank=True
    )
    who_may_borrow = models.CharField(
        _("who may borrow"), max_length=20, choices=R.WHO_CHOICES, blank=True
    )
    approval = models.CharField(
        _("approval"), max_length=20, choices=R.APPROVAL_CHOICES, blank=True
    )
    cancellation_deadline_hours = models.PositiveIntegerField(
        _("cancellation deadline (hours before)"), null=True, blank=True
    )
    pickup_times = models.CharField(_("pick-up times"), max_length=300, blank=True)
    return_times = models.CharField(_("return times"), max_length=300, blank=True)
    deposit_text = models.CharField(_("deposit"), max_length=300, blank=True)
    condition_check = models.BooleanField(
        _("condition checked at hand-out and return"), null=True, blank=True
    )
    named_associations = models.ManyToManyField(
        "frivillig_blocks.Association",
        blank=True,
        related_name="+",
        verbose_name=_("named associations (who may borrow)"),
    )
    trusted_associations = models.ManyToManyField(
        "frivillig_blocks.Association",
        blank=True,
        related_name="+",
        verbose_name=_("trusted associations (instant confirmation)"),
    )
    declarations = models.ManyToManyField(
        Declaration, blank=True, related_name="+", verbose_name=_("required declarations")
    )

    class Meta:
        abstract = True


RESERVED_INSTITUTION_SLUGS = {"kvittering", "feed"}
RESERVED_RESOURCE_SLUGS = {"anmod"}


def _reserved(slug, reserved) -> None:
    from django.core.exceptions import ValidationError

    if slug in reserved:
        raise ValidationError(
            {"slug": _("This slug is used by the loans page itself; choose another.")}
        )


class Institution(index.Indexed, RuleFields):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    place = models.ForeignKey(
        "frivillig_blocks.Place",
        on_delete=models.PROTECT,
        related_name="booking_institutions",
        verbose_name=_("place"),
    )
    description = models.TextField(_("description"), blank=True, max_length=4000)
    email = models.EmailField(_("e-mail"), blank=True)
    leaders = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="led_institutions",
        verbose_name=_("leaders"),
        limit_choices_to={"groups__name": roles.INSTITUTIONSLEDERE},
    )

    # What the loans section shows of it: never its leaders (nor a borrower of any loan).
    search_fields = [
        index.SearchField("title", boost=2),
        index.AutocompleteField("title"),
        index.SearchField("description"),
        index.RelatedFields("place", [index.SearchField("name"), index.SearchField("address")]),
        index.FilterField("id"),
    ]

    class Meta:
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        _reserved(self.slug, RESERVED_INSTITUTION_SLUGS)

    @property
    def title(self) -> str:
        """The name, as the site search's title."""
        return self.name


class Resource(index.Indexed, RuleFields, ClusterableModel):
    class Kind(models.TextChoices):
        ROOM = "room", _("Room")
        EQUIPMENT = "equipment", _("Equipment")

    institution = models.ForeignKey(
        Institution,
        on_delete=models.CASCADE,
        related_name="resources",
        verbose_name=_("institution"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.ROOM)
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100)
    description = models.TextField(_("description"), blank=True, max_length=4000)
    capacity = models.PositiveIntegerField(_("capacity (seated)"), null=True, blank=True)
    fire_capacity = models.PositiveIntegerField(_("fire-authority capacity"), null=True, blank=True)
    features = models.CharField(_("features"), max_length=500, blank=True)
    quantity = models.PositiveIntegerField(
        _("quantity in stock"), default=1, validators=[MinValueValidator(1)]
    )
    lendable_alone = models.BooleanField(_("may be borrowed without a room"), default=True)
    active = models.BooleanField(_("can be borrowed"), default=True)

    search_fields = [
        index.SearchField("title", boost=2),
        index.AutocompleteField("title"),
        index.SearchField("description"),
        index.SearchField("features"),
        index.RelatedFields("institution", [index.SearchField("name")]),
        index.FilterField("id"),
        index.FilterField("kind"),
        index.FilterField("active"),
    ]

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        ordering = ["institution__name", "kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "slug"], name="booking_unique_resource_slug"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.institution.name})"

    def clean(self):
        _reserved(self.slug, RESERVED_RESOURCE_SLUGS)

    @property
    def title(self) -> str:
        """The name, as the site search's title."""
        return self.name

    @property
    def is_room(self) -> bool:
        return self.kind == self.Kind.ROOM


class LeaderFeedToken(models.Model):
    """A leader's secret calendar address for one institution's loans. Only its hash is
    stored: the address is shown once, when the leader makes it. It works only while its
    user leads the institution (checked on every request; removing the leader deletes it),
    and making a new one replaces the old."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="booking_feed_tokens",
        verbose_name=_("leader"),
    )
    institution = models.ForeignKey(
        Institution,
        on_delete=models.CASCADE,
        related_name="feed_tokens",
        verbose_name=_("institution"),
    )
    token_hash = models.CharField(_("key (hashed)"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("made"), auto_now_add=True)

    class Meta:
        verbose_name = _("calendar address")
        verbose_name_plural = _("calendar addresses")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "institution"], name="booking_one_feed_per_leader"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.institution_id}/{self.user_id}"


class ResourcePhoto(Orderable):
    resource = ParentalKey(Resource, on_delete=models.CASCADE, related_name="photos")
    image = models.ForeignKey(
        "wagtailimages.Image", on_delete=models.CASCADE, related_name="+", verbose_name=_("image")
    )
    alt_text = models.CharField(
        _("description for screen readers"),
        max_length=250,
        help_text=_('What the photo shows, e.g. "The hall set up with 60 chairs".'),
    )

    class Meta(Orderable.Meta):
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self) -> str:
        return self.alt_text


class OpeningHours(models.Model):
    resource = ParentalKey(
        Resource, on_delete=models.CASCADE, related_name="opening_hours", verbose_name=_("resource")
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=R.WEEKDAY_CHOICES)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        ordering = ["weekday", "opens"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes__gt=models.F("opens")), name="booking_hours_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


class Closure(models.Model):
    """A holiday closure or other blackout of a whole institution or of one resource."""

    institution = models.ForeignKey(
        Institution,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="closures",
        verbose_name=_("institution"),
    )
    resource = models.ForeignKey(
        Resource,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="closures",
        verbose_name=_("resource"),
    )
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    reason = models.CharField(_("reason"), max_length=200)

    class Meta:
        verbose_name = _("closure")
        verbose_name_plural = _("closures")
        ordering = ["start_date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="booking_closure_order",
            ),
            models.CheckConstraint(
                condition=models.Q(institution__isnull=False) | models.Q(resource__isnull=False),
                name="booking_closure_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reason} {self.start_date}–{self.end_date}"


class DeclineReason(models.Model):
    """One of the fixed reasons a leader declines a request for, kept by the coordinator
    (admin: Lending setup → Decline reasons). The borrower's mail names it and the council
    report counts by it; a leader's own words go in the loan's internal note, which stays in
    the admin. A reason in use cannot be deleted: take it out of use instead."""

    text = models.CharField(_("reason"), max_length=200, unique=True)
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    active = models.BooleanField(
        _("in use"), default=True, help_text=_("Leaders choose among the reasons in use.")
    )

    class Meta:
        ordering = ["sort_order", "text"]
        verbose_name = _("decline reason")
        verbose_name_plural = _("decline reasons")

    def __str__(self) -> str:
        return self.text


class LoanStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting decision")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", _("Cancelled")


HOLDING = (LoanStatus.PENDING, LoanStatus.APPROVED)


class EquipmentState(models.TextChoices):
    WAITING = "", _("Not handed out")
    HANDED_OUT = "handed_out", _("Handed out")
    RETURNED = "returned", _("Returned")


class Loan(models.Model):
    reference = models.CharField(_("reference"), max_length=20, unique=True)
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="loans", verbose_name=_("institution")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="booking_loans",
        verbose_name=_("borrower"),
    )
    association = models.ForeignKey(
        "frivillig_blocks.Association",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="booking_loans",
        verbose_name=_("association"),
    )
    borrower_name = models.CharField(_("borrower"), max_length=200, blank=True)
    borrower_email = models.EmailField(_("e-mail"), blank=True)
    responsible_name = models.CharField(_("responsible adult"), max_length=200, blank=True)
    responsible_phone = models.CharField(_("phone"), max_length=40, blank=True)
    title = models.CharField(_("title of the activity"), max_length=200)
    purpose = models.CharField(_("purpose"), max_length=30, choices=R.PURPOSE_CHOICES)
    description = models.TextField(_("description"), blank=True, max_length=4000)
    participants = models.PositiveIntegerField(_("expected participants"))
    target_group = models.CharField(
        _("target group"), max_length=20, choices=R.TARGET_GROUP_CHOICES, default=R.GENERAL
    )
    children_take_part = models.BooleanField(_("children take part"), default=False)
    overnight = models.BooleanField(_("overnight stay"), default=False)
    alcohol = models.BooleanField(_("alcohol is served"), default=False)
    fee = models.CharField(
        _("participant fee"), max_length=20, choices=R.FEE_CHOICES, default=R.NO_FEE
    )
    public_event = models.BooleanField(_("public event (shown in the calendar)"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=LoanStatus.choices, default=LoanStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True, max_length=4000)
    decline_reason = models.ForeignKey(
        DeclineReason,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("decline reason"),
    )
    internal_note = models.TextField(
        _("internal note"),
        blank=True,
        max_length=4000,
        help_text=_("For the institution's staff only: never shown or sent to the borrower."),
    )
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    equipment_state = models.CharField(
        _("equipment"), max_length=12, choices=EquipmentState.choices, blank=True, default=""
    )
    handed_out_at = models.DateTimeField(_("handed out"), null=True, blank=True)
    returned_at = models.DateTimeField(_("returned"), null=True, blank=True)
    condition_out = models.CharField(_("condition at hand-out"), max_length=500, blank=True)
    condition_in = models.CharField(_("condition at return"), max_length=500, blank=True)
    overdue_reminded_at = models.DateTimeField(_("overdue reminder sent"), null=True, blank=True)
    cancellation_deadline_hours = models.PositiveIntegerField(
        _("cancellation deadline (hours before)"), default=0
    )
    first_start = models.DateTimeField(_("first time"))
    last_end = models.DateTimeField(_("last time ends"))
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True)

    class Meta:
        verbose_name = _("loan")
        verbose_name_plural = _("loans")
        ordering = ["-created_at"]
        permissions = [("decide_loan", "Can decide loans of own institutions")]
        indexes = [
            models.Index(fields=["status", "last_end"], name="booking_loan_status_end"),
            # The follow-up report's median time to a decision (booking/figures.py) reads
            # the decided loans of a period: a narrow range of this index instead of the
            # whole table, for each period (issue #22).
            models.Index(
                fields=["created_at", "decided_at"],
                name="booking_loan_decided",
                condition=models.Q(decided_by__isnull=False, decided_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def is_holding(self) -> bool:
        return self.status in HOLDING

    @property
    def has_equipment(self) -> bool:
        return any(item.resource.kind == Resource.Kind.EQUIPMENT for item in self.items.all())


class LoanItem(models.Model):
    loan = models.ForeignKey(Loan, on_delete=models.CASCADE, related_name="items")
    resource = models.ForeignKey(Resource, on_delete=models.PROTECT, related_name="loan_items")
    quantity = models.PositiveIntegerField(
        _("quantity"), default=1, validators=[MinValueValidator(1)]
    )

    class Meta:
        verbose_name = _("borrowed resource")
        verbose_name_plural = _("borrowed resources")
        constraints = [
            models.UniqueConstraint(fields=["loan", "resource"], name="booking_unique_item"),
            models.CheckConstraint(
                condition=models.Q(quantity__gte=1), name="booking_item_quantity"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.resource_id}"


class LoanSlot(models.Model):
    """One occurrence of a loan. ``held`` is False for a slot the leader left out when
    approving a series with exceptions, or that the borrower cancelled."""

    loan = models.ForeignKey(Loan, on_delete=models.CASCADE, related_name="slots")
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    held = models.BooleanField(_("held"), default=True)
    excluded_reason = models.CharField(_("left out because"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("time")
        verbose_name_plural = _("times")
        ordering = ["start"]
        indexes = [models.Index(fields=["start", "end"], name="booking_slot_range")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="booking_slot_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.start:%Y-%m-%d %H:%M}–{self.end:%H:%M}"


class LoanDeclaration(models.Model):
    """A declaration as the borrower accepted it: its text at the time and when."""

    loan = models.ForeignKey(Loan, on_delete=models.CASCADE, related_name="declarations")
    declaration = models.ForeignKey(
        Declaration, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("legal text"))
    accepted_at = models.DateTimeField(_("accepted"))

    class Meta:
        verbose_name = _("accepted declaration")
        verbose_name_plural = _("accepted declarations")

    def __str__(self) -> str:
        return self.title


class BookingIndexPage(SectionIndexPage):
    """The manual and the loans (/frivillig/laan/): the index is the manual generated from
    the rules, with the editors' text around it; routes per institution and resource, the
    availability grid, the request form and the receipt."""

    body = StreamField(BaseStreamBlock(), verbose_name=_("content after the intro"), blank=True)
    closing = RichTextField(
        _("text after the rules"), blank=True, features=["bold", "italic", "link", "ul", "ol"]
    )
    content_panels = [*SectionIndexPage.content_panels, FieldPanel("body"), FieldPanel("closing")]

    class Meta:
        verbose_name = _("loans and the manual")
        verbose_name_plural = _("loans and the manual")

    routes = (
        Route("", ".views.manual_view", "manual"),
        Route("kvittering/<str:reference>/", ".views.receipt_view", "receipt"),
        Route("kvittering/<str:reference>/annuller/", ".views.cancel_view", "cancel"),
        Route("feed/<int:feed_id>/<str:token>/", ".views.feed_view", "feed"),
        Route(
            "feed/<int:feed_id>/<str:token>/<int:resource_id>/", ".views.feed_view", "resource_feed"
        ),
        Route("<slug:institution>/", ".views.institution_view", "institution"),
        Route("<slug:institution>/anmod/", ".views.request_view", "request_form"),
        Route("<slug:institution>/<slug:resource>/", ".views.resource_view", "resource"),
    )
