"""The council's follow-up: volunteers' feedback, the coordinator's own text per initiative,
the consent to hear from the municipality, the invitations to the theme meeting, the
searches that found nothing and the public page "Frivilligheden i tal"."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField

from frivillig_blocks.blocks import BaseStreamBlock
from frivillig_blocks.models.pages import SectionIndexPage
from frivillig_blocks.routing import Route


class Feedback(models.Model):
    """An answer to "Fandt du det, du søgte?" on a page of the volunteer section or after a
    completed task. No personal data: no user, no IP address; the comment is plain text
    (every tag stripped with nh3 before it is stored) and escaped again on output."""

    found = models.BooleanField(_("found what they were looking for"))
    comment = models.TextField(_("comment"), max_length=1000, blank=True)
    path = models.CharField(_("page address"), max_length=300)
    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    service = models.CharField(_("service"), max_length=40, db_index=True)
    task = models.CharField(_("completed task"), max_length=40, blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    created_at = models.DateTimeField(_("received"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.path} – {_('yes') if self.found else _('no')}"


class FollowUpNote(models.Model):
    """The coordinator's own text for one service (or the introduction, ``section`` "") in
    the report for one period; it is printed in the PDF for the council."""

    section = models.CharField(_("service"), max_length=40, blank=True)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    text = models.TextField(_("text"), max_length=5000, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("follow-up text")
        verbose_name_plural = _("follow-up texts")
        permissions = [("view_followup_report", "Can see the follow-up report")]
        constraints = [
            models.UniqueConstraint(
                fields=["section", "period_start", "period_end"], name="unique_followup_note"
            )
        ]

    def __str__(self) -> str:
        return f"{self.section or '-'} {self.period_start}–{self.period_end}"


class ContactPreference(models.Model):
    """A person's consent to hear from the municipality (invitations to theme meetings about
    volunteering). Off until the person turns it on in "Mine sider"."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contact_preference"
    )
    invitations = models.BooleanField(
        _("the municipality may invite me to meetings about volunteering"), default=False
    )
    changed_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("contact preference")
        verbose_name_plural = _("contact preferences")

    def __str__(self) -> str:
        return str(self.user)


class ThemeMeeting(models.Model):
    """The council's theme meeting with active citizens (or any meeting staff invite to)."""

    title = models.CharField(_("title"), max_length=200)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    place = models.ForeignKey(
        "frivillig_blocks.Place",
        verbose_name=_("place"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    location = models.CharField(_("address or room"), max_length=200, blank=True)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    public = models.BooleanField(_("show in the shared calendar"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("theme meeting")
        verbose_name_plural = _("theme meetings")
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="theme_meeting_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.title


class ThemeMeetingInvitation(models.Model):
    meeting = models.ForeignKey(ThemeMeeting, on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    email = models.EmailField(_("e-mail"))
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "email"], name="one_invitation_per_address")
        ]

    def __str__(self) -> str:
        return f"{self.meeting} → {self.email}"


class PendingSearchMiss(models.Model):
    """A search that found nothing, waiting for more visitors (see opfoelgning/misses/).
    ``visitor`` is a keyed hash of the visitor's session key or address, keyed with the
    SECRET_KEY and the month, so one visitor's rows of two months cannot be linked; neither
    the session key nor the address is stored. Rows of a past month are deleted by the
    nightly retention task; a query seen by enough visitors moves to ``SearchMiss``."""

    query = models.CharField(_("search term"), max_length=200)
    period = models.DateField(_("month"))  # the first day of the month (Europe/Copenhagen)
    visitor = models.CharField(_("visitor (keyed hash)"), max_length=64)

    class Meta:
        verbose_name = _("search without results (pending)")
        verbose_name_plural = _("searches without results (pending)")
        constraints = [
            models.UniqueConstraint(
                fields=["query", "period", "visitor"], name="one_pending_miss_per_visitor"
            )
        ]

    def __str__(self) -> str:
        return f"{self.query} ({self.period:%Y-%m})"


class SearchMiss(models.Model):
    """A search that found nothing, sent by at least ``misses.rules.VISITORS`` different
    visitors in one month, and how many times it was sent that month (no visitor kept)."""

    query = models.CharField(_("search term"), max_length=200)
    period = models.DateField(_("month"))  # the first day of the month (Europe/Copenhagen)
    count = models.PositiveIntegerField(_("number of searches"))

    class Meta:
        verbose_name = _("search without results")
        verbose_name_plural = _("searches without results")
        constraints = [
            models.UniqueConstraint(fields=["query", "period"], name="one_search_miss_per_month")
        ]
        indexes = [models.Index(fields=["period"], name="search_miss_period")]

    def __str__(self) -> str:
        return f"{self.query} ({self.period:%Y-%m}): {self.count}"


class FiguresPage(SectionIndexPage):
    """ "Frivilligheden i tal" (/frivillig/i-tal/): the follow-up's figures for the
    public, aggregated and anonymised (no figure that describes fewer than five people)."""

    body = StreamField(BaseStreamBlock(), verbose_name=_("content"), blank=True)
    content_panels = [*SectionIndexPage.content_panels, FieldPanel("body")]
    template = "opfoelgning/figures_page.html"

    class Meta:
        verbose_name = _("figures page")
        verbose_name_plural = _("figures pages")

    routes = (Route("", ".report.public.figures_view", "figures"),)


class PublicFigures(models.Model):
    """The public figures page's report ("Frivilligheden i tal": the last twelve months
    against the twelve before), worked out once a day per language (its labels are in that
    language) and read from here the rest of the day (issue #22: the report reads every
    source's history, which grows with the city; the page must not). Aggregated figures
    only, as the page shows them before it withholds the small groups; staff see the live
    report in the admin. One row per language, replaced on the first visit of a new day."""

    language = models.CharField(_("language"), max_length=10, unique=True)
    day = models.DateField(_("day"))
    report = models.JSONField(_("report"), encoder=DjangoJSONEncoder)
    computed_at = models.DateTimeField(_("computed at"), auto_now=True)

    class Meta:
        verbose_name = _("public figures of the day")
        verbose_name_plural = _("public figures of the day")

    def __str__(self) -> str:
        return f"{self.language} {self.day}"
