"""The exchange's data: posts (needs and offers), the areas they are in, conversations
relayed through the site, reports, blocks, verified associations, saved searches and the
outcome counts kept for the council after the posts themselves are gone."""

from __future__ import annotations

import re

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.search import index

from frivillig_blocks.models.pages import SectionIndexPage
from frivillig_blocks.routing import Route


class Side(models.TextChoices):
    NEED = "need", _("Need")
    OFFER = "offer", _("Offer")


class Kind(models.TextChoices):
    TASK = "task", _("Volunteer task")
    ONE_OFF = "one_off", _("One-off help")
    RECURRING = "recurring", _("Recurring help or buddy")
    EQUIPMENT = "equipment", _("Equipment to lend")
    GENERATIONS = "generations", _("Reserve grandparent / across generations")


class WhenKind(models.TextChoices):
    DATE = "date", _("On a date")
    PERIOD = "period", _("In a period")
    RECURRING = "recurring", _("Recurring")
    FLEXIBLE = "flexible", _("Flexible, by agreement")


class TimeNeeded(models.TextChoices):
    HOURS = "hours", _("A few hours")
    HALF_DAY = "half_day", _("Half a day")
    DAY = "day", _("A whole day or more")
    WEEKLY = "weekly", _("A few hours a week")
    MONTHLY = "monthly", _("A few hours a month")


class AgeSuitability(models.TextChoices):
    ALL = "all", _("All ages")
    CHILDREN = "children", _("Children")
    YOUTH = "youth", _("Young people")
    ADULTS = "adults", _("Adults")
    SENIORS = "seniors", _("Seniors")


class PostStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    PUBLISHED = "published", _("Published")
    HIDDEN = "hidden", _("Hidden until reviewed")
    REJECTED = "rejected", _("Rejected")
    CLOSED = "closed", _("Closed")
    EXPIRED = "expired", _("Expired")


class Outcome(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNANSWERED = "unanswered", _("Not answered")


class Area(models.Model):
    """A part of the municipality (a town, a neighbourhood); neighbouring areas count as
    nearby when posts are matched. The rows are the municipality's own (demo content makes
    them for the reference site)."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True, allow_unicode=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    neighbours = models.ManyToManyField(
        "self", blank=True, symmetrical=True, verbose_name=_("neighbouring areas")
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("sort_order"),
        FieldPanel("neighbours"),
    ]

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class PostQuerySet(models.QuerySet):
    def visible(self, now=None):
        """Published and not expired: what anyone may see and answer."""
        now = now or timezone.now()
        return self.filter(status=PostStatus.PUBLISHED, expires_at__gt=now)


class Post(index.Indexed, models.Model):
    side = models.CharField(_("need or offer"), max_length=10, choices=Side.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # The site's one subject list. A theme the coordinator deletes leaves its posts without
    # one (the post stays); the form requires a theme.
    theme = models.ForeignKey(
        "frivillig_blocks.Theme",
        verbose_name=_("theme"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="boers_posts",
    )
    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(_("text"), max_length=4000)
    area = models.ForeignKey(
        Area,
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="posts",
        help_text=_("Empty: the whole municipality."),
    )
    when_kind = models.CharField(
        _("when"), max_length=10, choices=WhenKind.choices, default=WhenKind.FLEXIBLE
    )
    date_from = models.DateField(_("from"), null=True, blank=True)
    date_to = models.DateField(_("to"), null=True, blank=True)
    recurrence = models.CharField(_("how often"), max_length=120, blank=True)
    time_needed = models.CharField(
        _("how much time"), max_length=10, choices=TimeNeeded.choices, default=TimeNeeded.HOURS
    )
    age_suitability = models.CharField(
        _("suitable for"), max_length=10, choices=AgeSuitability.choices, default=AgeSuitability.ALL
    )
    involves_children = models.BooleanField(_("children are involved"), default=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("posted by"),
        on_delete=models.CASCADE,
        related_name="boers_posts",
    )
    association = models.ForeignKey(
        "frivillig_blocks.Association",
        verbose_name=_("on behalf of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="boers_posts",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=PostStatus.choices, default=PostStatus.PUBLISHED
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"))
    reminder_sent_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed or expired"), null=True, blank=True)
    outcome = models.CharField(
        _("found someone"), max_length=12, choices=Outcome.choices, blank=True
    )
    report_count = models.PositiveIntegerField(_("open reports"), default=0)
    verified_badge = models.BooleanField(
        _("verified association"),
        default=False,
        help_text=_("Set from the association's verification when the post is saved."),
    )
    submission_key = models.CharField(max_length=64, blank=True, editable=False)

    objects = PostQuerySet.as_manager()

    # Only what the post shows: never the poster (author), their address, e-mail or phone.
    search_fields = [
        index.SearchField("title", boost=2),
        index.AutocompleteField("title"),
        index.SearchField("body"),
        index.SearchField("kind_words"),
        index.RelatedFields("area", [index.SearchField("name")]),
        index.RelatedFields("association", [index.SearchField("name")]),
        index.FilterField("id"),
        index.FilterField("status"),
        index.FilterField("expires_at"),
    ]

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["-published_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "expires_at"], name="boers_post_status_exp"),
            models.Index(fields=["status", "published_at"], name="boers_post_status_pub"),
            models.Index(fields=["status", "side", "kind", "theme"], name="boers_post_match"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "submission_key"],
                condition=~Q(submission_key=""),
                name="boers_post_unique_submission",
            ),
            models.CheckConstraint(
                condition=Q(date_to__isnull=True)
                | Q(date_from__isnull=True)
                | Q(date_to__gte=models.F("date_from")),
                name="boers_post_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == PostStatus.PUBLISHED and self.expires_at > timezone.now()

    @property
    def date_end(self):
        return self.date_to or self.date_from

    def kind_words(self) -> str:
        """Need or offer, kind and theme in the site's language, for the site search."""
        with translation.override(settings.LANGUAGE_CODE):
            return " ".join(
                str(label)
                for label in (
                    self.get_side_display(),
                    self.get_kind_display(),
                    self.theme.name if self.theme_id else "",
                )
                if label
            )

    @property
    def safety_note_needed(self) -> bool:
        return self.involves_children or self.kind == Kind.GENERATIONS


_WORD = re.compile(r"[\wæøåÆØÅ]{2,40}", re.UNICODE)
MAX_TERMS = 200


def terms_of(*texts: str) -> list[str]:
    """The searchable words of a text: lower case, 2–40 letters, each once."""
    found: dict[str, None] = {}
    for text in texts:
        for word in _WORD.findall((text or "").lower()):
            found.setdefault(word, None)
            if len(found) >= MAX_TERMS:
                return list(found)
    return list(found)


class PostTerm(models.Model):
    """The words of a post's title and text: free-text search goes through an index on
    these instead of scanning every post's text."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="terms")
    term = models.CharField(max_length=40)

    class Meta:
        indexes = [models.Index(fields=["term", "post"], name="boers_term_lookup")]
        constraints = [
            models.UniqueConstraint(fields=["post", "term"], name="boers_term_unique"),
        ]

    def __str__(self) -> str:
        return self.term


class Conversation(models.Model):
    """A person answering a post ("Svar"); messages go between the post's author and the
    person who answered, relayed by mail without either address."""

    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, related_name="conversations", verbose_name=_("post")
    )
    starter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="boers_conversations",
        verbose_name=_("answered by"),
    )
    created_at = models.DateTimeField(_("started"), default=timezone.now)
    last_message_at = models.DateTimeField(_("last message"), default=timezone.now)
    starter_shares_contact = models.BooleanField(default=False)
    author_shares_contact = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        ordering = ["-last_message_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["post", "starter"], name="boers_one_conversation"),
        ]

    def __str__(self) -> str:
        return f"{self.post} #{self.pk}"

    @property
    def contact_shared(self) -> bool:
        return self.starter_shares_contact and self.author_shares_contact

    def participants(self):
        return (self.post.author_id, self.starter_id)

    def is_participant(self, user) -> bool:
        return user.is_authenticated and user.pk in self.participants()

    def other(self, user):
        return self.starter if user.pk == self.post.author_id else self.post.author


class Message(models.Model):
    class Via(models.TextChoices):
        WEB = "web", _("The site")
        MAIL = "mail", _("Mail reply")

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="boers_messages"
    )
    body = models.TextField(_("message"), max_length=4000)
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    via = models.CharField(max_length=4, choices=Via.choices, default=Via.WEB)
    inbound_message = models.ForeignKey(
        "frivillig_blocks.InboundMessage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hidden = models.BooleanField(_("hidden by a moderator"), default=False)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["inbound_message"],
                condition=Q(inbound_message__isnull=False),
                name="boers_message_one_per_inbound",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.conversation_id}: {self.body[:40]}"


class ReportReason(models.TextChoices):
    OFFENSIVE = "offensive", _("Offensive or hateful")
    SCAM = "scam", _("Fraud, spam or advertising")
    UNSAFE = "unsafe", _("Unsafe, especially for children")
    PRIVACY = "privacy", _("Shares someone's personal data")
    OTHER = "other", _("Something else")


class Report(models.Model):
    post = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.CASCADE, related_name="reports"
    )
    message = models.ForeignKey(
        Message, null=True, blank=True, on_delete=models.CASCADE, related_name="reports"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="boers_reports",
        verbose_name=_("reported by"),
    )
    reason = models.CharField(_("reason"), max_length=12, choices=ReportReason.choices)
    text = models.TextField(_("details"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("reported"), default=timezone.now)
    resolved_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("reviewed by"),
    )

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(post__isnull=False, message__isnull=True)
                | Q(post__isnull=True, message__isnull=False),
                name="boers_report_one_target",
            ),
            models.UniqueConstraint(
                fields=["post", "reporter"],
                condition=Q(post__isnull=False, reporter__isnull=False, resolved_at__isnull=True),
                name="boers_report_once_per_post",
            ),
            models.UniqueConstraint(
                fields=["message", "reporter"],
                condition=Q(
                    message__isnull=False, reporter__isnull=False, resolved_at__isnull=True
                ),
                name="boers_report_once_per_message",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} ({self.created_at:%Y-%m-%d})"


class Block(models.Model):
    """A person moderators have blocked from posting and messaging."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="boers_block",
        verbose_name=_("person"),
    )
    reason = models.TextField(_("reason"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("blocked"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("blocked by"),
    )

    panels = [FieldPanel("user"), FieldPanel("reason")]

    class Meta:
        verbose_name = _("blocked person")
        verbose_name_plural = _("blocked persons")

    def __str__(self) -> str:
        return str(self.user)


class VerifiedAssociation(models.Model):
    """Staff have checked the association: its posts carry a badge."""

    association = models.OneToOneField(
        "frivillig_blocks.Association",
        on_delete=models.CASCADE,
        related_name="boers_verification",
        verbose_name=_("association"),
    )
    note = models.CharField(_("how it was verified"), max_length=200, blank=True)
    verified_at = models.DateTimeField(_("verified"), default=timezone.now)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("verified by"),
    )

    panels = [FieldPanel("association"), FieldPanel("note")]

    class Meta:
        verbose_name = _("verified association")
        verbose_name_plural = _("verified associations")

    def __str__(self) -> str:
        return str(self.association)


class Frequency(models.TextChoices):
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")


class SavedSearch(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="boers_saved_searches"
    )
    name = models.CharField(_("name"), max_length=120)
    query = models.JSONField(_("filters"), default=dict)
    frequency = models.CharField(
        _("how often"), max_length=6, choices=Frequency.choices, default=Frequency.WEEKLY
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_sent_at = models.DateTimeField(null=True, blank=True)
    # Posts published after this moment are "new" for the next digest.
    checked_until = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.name


class OutcomeTally(models.Model):
    """The answers to "did you find someone?", counted per month, side and kind. Kept when
    the posts are deleted, for the council's follow-up."""

    month = models.DateField(_("month"))
    side = models.CharField(_("need or offer"), max_length=10, choices=Side.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    outcome = models.CharField(_("found someone"), max_length=12, choices=Outcome.choices)
    count = models.PositiveIntegerField(_("count"), default=0)

    class Meta:
        verbose_name = _("outcome count")
        verbose_name_plural = _("outcome counts")
        ordering = ["-month", "side", "kind", "outcome"]
        constraints = [
            models.UniqueConstraint(
                fields=["month", "side", "kind", "outcome"], name="boers_outcome_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.side} {self.kind} {self.outcome}: {self.count}"


class ExchangePage(SectionIndexPage):
    """The exchange (/frivillig/boers/): needs and offers, answered through the site."""

    class Meta:
        verbose_name = _("volunteer exchange")
        verbose_name_plural = _("volunteer exchanges")

    routes = (
        Route("", ".views.post_list", "post_list"),
        Route("opret/", ".views.create_post", "create_post"),
        Route("<int:pk>/", ".views.post_detail", "show_post"),
        Route("<int:pk>/ret/", ".views.edit_post", "edit_post"),
        Route("<int:pk>/match/", ".views.post_matches", "matches"),
        Route("<int:pk>/svar/", ".views.answer_post", "answer"),
        Route("<int:pk>/anmeld/", ".views.report_post", "report_post"),
        Route("<int:pk>/luk/", ".views.close_post", "close_post"),
        Route("forny/<str:token>/", ".views.renew_post", "renew"),
        Route("samtaler/<int:pk>/", ".views.conversation_view", "conversation"),
        Route("samtaler/<int:pk>/del-kontakt/", ".views.share_contact", "share_contact"),
        Route(
            "samtaler/<int:pk>/anmeld/<int:message_pk>/", ".views.report_message", "report_message"
        ),
        Route("soegninger/gem/", ".views.save_search", "save_search"),
        Route("soegninger/<int:pk>/slet/", ".views.delete_search", "delete_search"),
        Route("afmeld/<str:token>/", ".views.unsubscribe", "unsubscribe"),
    )
