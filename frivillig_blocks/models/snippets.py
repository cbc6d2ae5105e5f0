"""The shared snippets of the one door besides associations: initiatives, contact persons,
places, grants and the idea catalogue. Editors keep them in the admin; public pages show
only what is published (``live``)."""

from django import forms
from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import DraftStateMixin, RevisionMixin
from wagtail.search import index

RICH_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul"]


def checkboxes(name: str) -> FieldPanel:
    return FieldPanel(name, widget=forms.CheckboxSelectMultiple)


class Initiative(DraftStateMixin, RevisionMixin, index.Indexed, ClusterableModel):
    """An informal initiative that is not an association (a walking group, a repair café)."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True, allow_unicode=True)
    description = models.TextField(_("description"), max_length=4000)
    age_groups = ParentalManyToManyField(
        "frivillig_blocks.AgeGroup", blank=True, verbose_name=_("age groups")
    )
    themes = ParentalManyToManyField("frivillig_blocks.Theme", blank=True, verbose_name=_("themes"))
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="initiative")

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        checkboxes("age_groups"),
        checkboxes("themes"),
        MultiFieldPanel(
            [
                FieldPanel("contact_name"),
                FieldPanel("email"),
                FieldPanel("phone"),
                FieldPanel("website"),
            ],
            _("Contact"),
        ),
    ]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("description"),
        index.FilterField("live"),
    ]

    class Meta:
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def revisions(self):
        return self._revisions


class ContactPerson(DraftStateMixin, RevisionMixin, index.Indexed, ClusterableModel):
    """A named staff member volunteers can contact; the inbox routes by their topics."""

    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=200)
    photo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("photo"),
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"))
    topics = ParentalManyToManyField("frivillig_blocks.Topic", blank=True, verbose_name=_("topics"))
    user = models.ForeignKey(
        "auth.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contact_persons",
        verbose_name=_("staff user"),
        help_text=_("The admin account that handles this person's inquiries."),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="contactperson")

    panels = [
        FieldPanel("name"),
        FieldPanel("role"),
        FieldPanel("photo"),
        FieldRowPanel([FieldPanel("phone"), FieldPanel("email")]),
        checkboxes("topics"),
        FieldPanel("user"),
        FieldPanel("sort_order"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.SearchField("role"),
        index.AutocompleteField("name"),
        index.FilterField("live"),
    ]

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.role})"

    @property
    def revisions(self):
        return self._revisions


class Place(index.Indexed, models.Model):
    """A place where things happen: an institution, a hall, a club house."""

    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=200)
    postcode = models.CharField(_("postcode"), max_length=4)
    city = models.CharField(_("town"), max_length=100)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    step_free_access = models.BooleanField(_("step-free access"), default=False)
    accessible_toilet = models.BooleanField(_("accessible toilet"), default=False)
    hearing_loop = models.BooleanField(_("hearing loop"), default=False)
    accessibility_notes = models.TextField(_("more on accessibility"), blank=True, max_length=2000)

    panels = [
        FieldPanel("name"),
        FieldPanel("address"),
        FieldRowPanel([FieldPanel("postcode"), FieldPanel("city")]),
        FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
        MultiFieldPanel(
            [
                FieldPanel("step_free_access"),
                FieldPanel("accessible_toilet"),
                FieldPanel("hearing_loop"),
                FieldPanel("accessibility_notes"),
            ],
            _("Accessibility"),
        ),
    ]
    search_fields = [
        index.SearchField("name"),
        index.SearchField("address"),
        index.AutocompleteField("name"),
    ]

    class Meta:
        verbose_name = _("place")
        verbose_name_plural = _("places")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class GrantQuerySet(models.QuerySet):
    def open(self, today=None):
        """Published grants one can apply for today, by deadline (rolling ones last)."""
        today = today or timezone.localdate()
        return (
            self.filter(live=True)
            .filter(Q(rolling=True) | Q(deadline__gte=today))
            .order_by(models.F("deadline").asc(nulls_last=True), "name")
        )


class Grant(DraftStateMixin, RevisionMixin, index.Indexed, models.Model):
    """A pool of money volunteers can apply for (pulje), e.g. the § 18 funds."""

    class LegalBasis(models.TextChoices):
        NONE = "", _("None given")
        SECTION_18 = "servicelov-18", _("§ 18 of the Social Services Act (voluntary social work)")
        FOLKEOPLYSNING = "folkeoplysningsloven", _("The Folkeoplysning Act")
        MUNICIPAL = "kommunal", _("The municipality's own pool")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True, allow_unicode=True)
    summary = models.TextField(_("summary"), max_length=600)
    who_may_apply = models.TextField(_("who may apply"), max_length=2000)
    amount = models.CharField(_("amount"), max_length=200, help_text=_("E.g. “up to 25,000 kr.”"))
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    rolling = models.BooleanField(_("rolling (no deadline)"), default=False)
    legal_basis = models.CharField(
        _("legal basis"), max_length=30, choices=LegalBasis.choices, blank=True
    )
    how_to_apply = RichTextField(_("how to apply"), features=RICH_TEXT_FEATURES, blank=True)
    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="grant")

    objects = GrantQuerySet.as_manager()

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("summary"),
        FieldPanel("who_may_apply"),
        FieldPanel("amount"),
        FieldRowPanel([FieldPanel("deadline"), FieldPanel("rolling")]),
        FieldPanel("legal_basis"),
        FieldPanel("how_to_apply"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("summary"),
        index.SearchField("who_may_apply"),
        index.SearchField("how_to_apply"),
        index.SearchField("get_legal_basis_display"),
        index.FilterField("live"),
    ]

    class Meta:
        verbose_name = _("grant")
        verbose_name_plural = _("grants")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rolling=True) | Q(deadline__isnull=False),
                name="grant_deadline_or_rolling",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def revisions(self):
        return self._revisions

    @property
    def is_section_18(self) -> bool:
        return self.legal_basis == self.LegalBasis.SECTION_18

    def is_open(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.live and (
            self.rolling or (self.deadline is not None and self.deadline >= today)
        )


class GrantApplication(models.Model):
    """An application for a grant, sent through the public form; staff see it in the admin."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        IN_REVIEW = "in_review", _("In review")
        GRANTED = "granted", _("Granted")
        DECLINED = "declined", _("Declined")

    grant = models.ForeignKey(
        Grant, on_delete=models.PROTECT, related_name="applications", verbose_name=_("grant")
    )
    reference = models.CharField(_("reference"), max_length=20, unique=True)
    applicant_name = models.CharField(_("applicant"), max_length=200)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    association_name = models.CharField(_("association"), max_length=200)
    cvr = models.CharField(_("CVR number"), max_length=8, blank=True)
    project_title = models.CharField(_("project title"), max_length=200)
    description = models.TextField(_("description"), max_length=10000)
    amount_requested = models.PositiveIntegerField(_("amount requested (kr.)"))
    social_purpose = models.TextField(
        _("the association's social purpose"), blank=True, max_length=5000
    )
    target_group = models.TextField(_("target group"), blank=True, max_length=5000)
    budget = models.TextField(_("budget"), blank=True, max_length=10000)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    # When staff granted or declined it: the retention of the applicant's data runs from
    # here (FRIVILLIG_GRANT_APPLICATION_RETENTION_DAYS).
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True, editable=False)
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True, editable=False)
    user = models.ForeignKey(
        "auth.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="grant_applications",
    )

    DECIDED = (Status.GRANTED, Status.DECLINED)

    class Meta:
        verbose_name = _("grant application")
        verbose_name_plural = _("grant applications")
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        return f"{self.reference}: {self.project_title}"

    def save(self, *args, **kwargs):
        decided = self.status in self.DECIDED
        if decided != (self.decided_at is not None):
            self.decided_at = timezone.now() if decided else None
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "decided_at"}
        super().save(*args, **kwargs)


class Idea(DraftStateMixin, RevisionMixin, index.Indexed, ClusterableModel):
    """An entry of the idea catalogue. Citizens' proposals arrive as drafts (not live) and
    appear when an editor publishes them."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True, allow_unicode=True)
    description = models.TextField(_("description"), max_length=5000)
    age_groups = ParentalManyToManyField(
        "frivillig_blocks.AgeGroup", blank=True, verbose_name=_("target group")
    )
    themes = ParentalManyToManyField("frivillig_blocks.Theme", blank=True, verbose_name=_("themes"))
    what_it_takes = models.TextField(_("what it takes"), max_length=3000, blank=True)
    example = models.TextField(_("an example"), max_length=3000, blank=True)
    proposed_by_name = models.CharField(_("proposed by"), max_length=200, blank=True)
    proposed_by_email = models.EmailField(_("proposer's e-mail"), blank=True)
    proposed_at = models.DateTimeField(_("proposed"), null=True, blank=True)
    submission_key = models.UUIDField(unique=True, null=True, blank=True, editable=False)
    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="idea")

    panels = [
        FieldPanel("title"),
        FieldPanel("slug"),
        FieldPanel("description"),
        checkboxes("age_groups"),
        checkboxes("themes"),
        FieldPanel("what_it_takes"),
        FieldPanel("example"),
        MultiFieldPanel(
            [
                FieldPanel("proposed_by_name"),
                FieldPanel("proposed_by_email"),
                FieldPanel("proposed_at", read_only=True),
            ],
            _("Proposal from a citizen"),
        ),
    ]
    search_fields = [
        index.SearchField("title"),
        index.AutocompleteField("title"),
        index.SearchField("description"),
        index.FilterField("live"),
    ]

    class Meta:
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    @property
    def revisions(self):
        return self._revisions
