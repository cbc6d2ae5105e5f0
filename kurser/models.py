"""Courses that build competences: the course, its sessions (hold) with their meetings, the
registrations with the waiting list, evaluations and the public's competence needs.

Invariants held by the database: one registration per person (e-mail) and session; seats
are counted under a row lock on the session (see services.register)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.search import index

from frivillig_blocks.identity import canonical_or_legacy
from frivillig_blocks.models.pages import SectionIndexPage
from frivillig_blocks.routing import Route


class Audience(models.TextChoices):
    VOLUNTEERS = "volunteers", _("Volunteers")
    STAFF = "staff", _("Municipal staff")
    BOTH = "both", _("Volunteers and staff")


class CompetenceArea(models.Model):
    """Board work and accounting, volunteer leadership, first aid, innovation …"""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True, allow_unicode=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("sort_order")]

    class Meta:
        verbose_name = _("competence area")
        verbose_name_plural = _("competence areas")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class CourseQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True)


class Course(index.Indexed, models.Model):
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True, allow_unicode=True)
    summary = models.TextField(_("summary"), max_length=500)
    description = RichTextField(
        _("description"), blank=True, features=["bold", "italic", "link", "ol", "ul", "h3"]
    )
    competence_area = models.ForeignKey(
        CompetenceArea,
        on_delete=models.PROTECT,
        related_name="courses",
        verbose_name=_("competence area"),
    )
    audience = models.CharField(
        _("for whom"), max_length=12, choices=Audience.choices, default=Audience.VOLUNTEERS
    )
    teacher = models.CharField(_("teacher"), max_length=200, blank=True)
    price = models.PositiveIntegerField(
        _("price (kr.)"), default=0, help_text=_("0 means the course is free.")
    )
    materials = models.TextField(_("materials"), blank=True, max_length=2000)
    published = models.BooleanField(
        _("published"), default=False, help_text=_("Only published courses show on the site.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = CourseQuerySet.as_manager()

    panels = [
        FieldPanel("title"),
        FieldPanel("slug"),
        FieldPanel("summary"),
        FieldPanel("description"),
        FieldRowPanel([FieldPanel("competence_area"), FieldPanel("audience")]),
        FieldRowPanel([FieldPanel("teacher"), FieldPanel("price")]),
        FieldPanel("materials"),
        FieldPanel("published"),
    ]
    # What the course page shows of the course (the teacher's name is left out).
    search_fields = [
        index.SearchField("title", boost=2),
        index.AutocompleteField("title"),
        index.SearchField("summary"),
        index.SearchField("description"),
        index.RelatedFields("competence_area", [index.SearchField("name")]),
        index.FilterField("id"),
        index.FilterField("published"),
    ]

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_free(self) -> bool:
        return self.price == 0


class SessionQuerySet(models.QuerySet):
    def with_counts(self, now=None):
        """Annotate ``confirmed_count``, ``offered_count`` (open offers) and ``waiting_count``."""
        now = now or timezone.now()
        return self.annotate(
            confirmed_count=models.Count(
                "registrations", filter=Q(registrations__status=Registration.Status.CONFIRMED)
            ),
            offered_count=models.Count(
                "registrations",
                filter=Q(
                    registrations__status=Registration.Status.OFFERED,
                    registrations__offer_expires_at__gt=now,
                ),
            ),
            waiting_count=models.Count(
                "registrations", filter=Q(registrations__status=Registration.Status.WAITING)
            ),
        )


class Session(ClusterableModel):
    """One run of a course (a hold): one or more meetings, a place, seats and a deadline."""

    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("course")
    )
    label = models.CharField(
        _("name of the session"),
        max_length=100,
        blank=True,
        help_text=_("E.g. 'Spring, evenings'. Leave empty to show the dates only."),
    )
    place = models.ForeignKey(
        "frivillig_blocks.Place",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("place"),
    )
    location = models.CharField(
        _("room or address"), max_length=200, blank=True, help_text=_("Where exactly we meet.")
    )
    online_url = models.URLField(_("online link"), blank=True)
    capacity = models.PositiveIntegerField(_("seats"), default=20)
    association_cap = models.PositiveIntegerField(
        _("seats per association"),
        null=True,
        blank=True,
        help_text=_("How many people one association may register. Empty: no limit."),
    )
    registration_deadline = models.DateTimeField(_("registration deadline"))
    starts_at = models.DateTimeField(_("starts"), editable=False, null=True)
    ends_at = models.DateTimeField(_("ends"), editable=False, null=True)
    reminder_sent_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    evaluation_sent_at = models.DateTimeField(_("evaluation sent"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True)

    objects = SessionQuerySet.as_manager()

    panels = [
        FieldPanel("course"),
        FieldPanel("label"),
        InlinePanel("meetings", label=_("meetings"), min_num=1),
        MultiFieldPanel(
            [FieldPanel("place"), FieldPanel("location"), FieldPanel("online_url")], _("Where")
        ),
        FieldRowPanel([FieldPanel("capacity"), FieldPanel("association_cap")]),
        FieldPanel("registration_deadline"),
    ]

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(association_cap__isnull=True) | Q(association_cap__gte=1),
                name="kurser_session_cap_positive",
            )
        ]

    def __str__(self) -> str:
        when = timezone.localtime(self.starts_at).strftime("%d.%m.%Y") if self.starts_at else ""
        return " – ".join(part for part in (str(self.course), self.label, when) if part)

    def save(self, *args, **kwargs):
        self.refresh_dates()
        super().save(*args, **kwargs)

    def refresh_dates(self) -> None:
        """First start and last end of the meetings (also the unsaved ones of a form)."""
        meetings = [m for m in self.meetings.all() if m.starts_at]
        if meetings:
            self.starts_at = min(m.starts_at for m in meetings)
            self.ends_at = max(m.ends_at or m.starts_at for m in meetings)

    def registration_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.capacity > 0 and now < self.registration_deadline


class Meeting(models.Model):
    session = ParentalKey(Session, on_delete=models.CASCADE, related_name="meetings")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))

    panels = [FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")])]

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="kurser_meeting_ends_after"
            )
        ]

    def __str__(self) -> str:
        return timezone.localtime(self.starts_at).strftime("%d.%m.%Y %H:%M")

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        update_session_dates(self.session_id)

    def delete(self, *args, **kwargs):
        session_id = self.session_id
        result = super().delete(*args, **kwargs)
        update_session_dates(session_id)
        return result


def update_session_dates(session_id) -> None:
    """Keep the session's first start and last end in step with its saved meetings."""
    dates = Meeting.objects.filter(session_id=session_id).aggregate(
        first=models.Min("starts_at"), last=models.Max("ends_at")
    )
    if dates["first"] is not None:
        Session.objects.filter(pk=session_id).update(
            starts_at=dates["first"], ends_at=dates["last"]
        )


def own_registrations_q(user) -> Q:
    """The registrations a person made, and those where they are the participant (someone
    registered them for their association with their e-mail address)."""
    condition = Q(user=user)
    if user.email:
        condition |= Q(identity=canonical_or_legacy(user.email))
    return condition


class Registration(models.Model):
    """A person on a session: confirmed, waiting, offered a freed seat, cancelled or with an
    expired offer. ``queued_at`` is the arrival order of the waiting list."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITING = "waiting", _("On the waiting list")
        OFFERED = "offered", _("Offered a seat")
        CANCELLED = "cancelled", _("Cancelled")
        EXPIRED = "expired", _("Offer expired")

    ACTIVE = (Status.CONFIRMED, Status.WAITING, Status.OFFERED)

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("session")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="course_registrations",
        verbose_name=_("registered by"),
    )
    association = models.ForeignKey(
        "frivillig_blocks.Association",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="course_registrations",
        verbose_name=_("association"),
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"), max_length=254)
    # The canonical identity of ``email`` (frivillig_blocks.identity): one registration per
    # mailbox and session under any spelling. Emptied with the address on anonymisation.
    identity = models.CharField(_("identity"), max_length=254, blank=True, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    queued_at = models.DateTimeField(_("registered"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    offered_at = models.DateTimeField(_("offered"), null=True, blank=True)
    offer_expires_at = models.DateTimeField(_("offer expires"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["queued_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "identity"],
                condition=~Q(identity=""),
                name="kurser_one_registration_per_mailbox",
            ),
        ]
        indexes = [models.Index(fields=["session", "status", "queued_at"])]

    def __str__(self) -> str:
        return f"{self.name or '–'} ({self.get_status_display()})"

    def save(self, *args, **kwargs):
        if self.email and not self.identity and self.anonymised_at is None:
            self.identity = canonical_or_legacy(self.email)[:254]
        super().save(*args, **kwargs)

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE


class Evaluation(models.Model):
    """A participant's answer to the evaluation after the course (one per registration)."""

    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, related_name="evaluation"
    )
    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="evaluations", verbose_name=_("session")
    )
    rating = models.PositiveSmallIntegerField(_("overall rating (1–5)"))
    usefulness = models.PositiveSmallIntegerField(_("useful in your work (1–5)"))
    best = models.TextField(_("what was best"), blank=True, max_length=2000)
    improve = models.TextField(_("what could be better"), blank=True, max_length=2000)
    created_at = models.DateTimeField(_("answered"), auto_now_add=True)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=5, usefulness__gte=1, usefulness__lte=5),
                name="kurser_evaluation_scale",
            )
        ]

    def __str__(self) -> str:
        return f"{self.session} – {self.rating}/5"


class CompetenceNeed(models.Model):
    """An answer to "which course do you need?" from the public form."""

    competence_area = models.ForeignKey(
        CompetenceArea,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="needs",
        verbose_name=_("competence area"),
    )
    description = models.TextField(_("what do you need to learn"), max_length=3000)
    audience = models.CharField(
        _("you are"), max_length=12, choices=Audience.choices, default=Audience.VOLUNTEERS
    )
    age_group = models.ForeignKey(
        "frivillig_blocks.AgeGroup",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("age group you work with"),
    )
    association = models.ForeignKey(
        "frivillig_blocks.Association",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("association"),
    )
    association_name = models.CharField(_("association (as written)"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    created_at = models.DateTimeField(_("received"), auto_now_add=True)

    class Meta:
        verbose_name = _("competence need")
        verbose_name_plural = _("competence needs")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.description[:60]


class CourseIndexPage(SectionIndexPage):
    """The courses (/frivillig/kurser/): the list, a course with its sessions, registration,
    the cancel and accept links, the needs form and the evaluation."""

    class Meta:
        verbose_name = _("courses page")
        verbose_name_plural = _("courses pages")

    routes = (
        Route("", ".views.course_list_view", "course_list"),
        Route("behov/", ".views.needs_view", "needs"),
        Route("afmeld/<str:token>/", ".views.cancel_view", "cancel"),
        Route("accepter/<str:token>/", ".views.accept_view", "accept"),
        Route("evaluering/<str:token>/", ".views.evaluation_view", "evaluate"),
        Route("kursusbevis/<int:registration_id>/", ".views.certificate_view", "certificate"),
        Route("<str:slug>/", ".views.course_view", "course"),
        Route("<str:slug>/hold/<int:session_id>/tilmeld/", ".views.register_view", "register"),
    )
