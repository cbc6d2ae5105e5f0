"""The prize's data: rounds (with sponsors), nominations, the jury's scores and conflicts of
interest, and votes. The invariants that must hold under concurrency are constraints:
one confirmed nomination per nominator and slot, one confirmed vote per voter key."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
)
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable
from wagtail.search import index

from frivillig_blocks.blocks import BaseStreamBlock
from frivillig_blocks.models.pages import SectionIndexPage
from frivillig_blocks.routing import Route

from . import rules

MOTIVATION_MAX = 5000
JURY_GROUP = "Initiativpris-jury"  # made by migration 0002: admin access only
NAME_MAX = 200


class PrizeModel(models.TextChoices):
    JURY = rules.JURY_ONLY, _("Jury only")
    SHORTLIST_VOTE = rules.SHORTLIST_AND_VOTE, _("Jury shortlist, then public vote")
    VOTE = rules.VOTE_ONLY, _("Public vote only")


class PrizeRoundQuerySet(models.QuerySet):
    def live(self):
        return self.filter(live=True)

    def announced(self, now=None):
        return self.live().filter(announcement_at__lte=now or timezone.now())


class PrizeRound(index.Indexed, ClusterableModel):
    """One year's round of a prize, with its phases and the model of deciding."""

    prize_name = models.CharField(_("prize name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2200)]
    )
    amount = models.PositiveIntegerField(_("amount (kr.)"), default=0, blank=True)
    rules = RichTextField(_("rules"), blank=True, features=["bold", "italic", "link", "ol", "ul"])
    decision_model = models.CharField(
        _("how the winner is found"),
        max_length=20,
        choices=PrizeModel.choices,
        default=PrizeModel.SHORTLIST_VOTE,
    )
    live = models.BooleanField(
        _("published"), default=False, help_text=_("Only published rounds show on the site.")
    )
    nominations_open = models.DateTimeField(_("nominations open"))
    nominations_close = models.DateTimeField(_("nominations close"))
    vote_open = models.DateTimeField(_("public vote opens"), null=True, blank=True)
    vote_close = models.DateTimeField(_("public vote closes"), null=True, blank=True)
    announcement_at = models.DateTimeField(
        _("announcement at the ceremony"),
        help_text=_("The result is shown on the site from this moment."),
    )
    ceremony_place = models.CharField(_("place of the ceremony"), max_length=200, blank=True)
    frivillig_fredag_override = models.DateField(
        _("Frivillig Fredag (set by hand)"),
        null=True,
        blank=True,
        help_text=_("Empty: the last Friday of September of the round's year."),
    )
    max_nominations_per_nominator = models.PositiveSmallIntegerField(
        _("confirmed nominations per nominator"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
    )
    jury = ParentalManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("jury members"),
        blank=True,
        related_name="initiativpris_jury_rounds",
        help_text=_("They score the nominations in the admin (they need access to the admin)."),
    )
    winner = models.ForeignKey(
        "Nomination",
        verbose_name=_("winner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    voter_identifiers_deleted_at = models.DateTimeField(
        _("voters' identifiers deleted"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = PrizeRoundQuerySet.as_manager()

    # The round's own public text; never a nominee, a nominator or a jury member.
    search_fields = [
        index.SearchField("title", boost=2),
        index.AutocompleteField("title"),
        index.SearchField("rules"),
        index.SearchField("ceremony_place"),
        index.FilterField("id"),
        index.FilterField("live"),
    ]

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("prize_name"),
                FieldPanel("slug"),
                FieldRowPanel([FieldPanel("year"), FieldPanel("amount")]),
                FieldPanel("decision_model"),
                FieldPanel("live"),
                FieldPanel("rules"),
            ],
            heading=_("The prize"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("nominations_open"), FieldPanel("nominations_close")]),
                FieldRowPanel([FieldPanel("vote_open"), FieldPanel("vote_close")]),
                FieldRowPanel([FieldPanel("announcement_at"), FieldPanel("ceremony_place")]),
                FieldPanel("frivillig_fredag_override"),
            ],
            heading=_("Phases"),
        ),
        MultiFieldPanel(
            [FieldPanel("max_nominations_per_nominator"), FieldPanel("jury")],
            heading=_("Nominations and jury"),
        ),
        InlinePanel("sponsors", heading=_("Sponsors"), label=_("Sponsor")),
    ]

    class Meta:
        verbose_name = _("prize round")
        verbose_name_plural = _("prize rounds")
        ordering = ["-nominations_open", "-pk"]
        permissions = [("enter_paper_votes", "Can enter paper votes")]

    def __str__(self) -> str:
        return self.name_of(self.prize_name, self.year)

    @staticmethod
    def name_of(prize_name: str, year: int) -> str:
        """A round's name (its ``__str__``) from its prize's name and its year."""
        return f"{prize_name} {year}"

    @property
    def title(self) -> str:
        """The prize and year, as the site search's title."""
        return f"{self.prize_name} {self.year}"

    PHASE_MESSAGES = {
        "after_open": _("Nominations must close after they open."),
        "required": _("A round with a public vote needs the voting dates."),
        "after_vote_open": _("The vote must close after it opens."),
        "after_nominations": _("This must come after the nominations close."),
        "after_vote": _("The announcement must come after the vote closes."),
    }

    def clean(self):
        super().clean()
        errors = rules.phase_errors(
            model=self.decision_model,
            nominations_open=self.nominations_open,
            nominations_close=self.nominations_close,
            vote_open=self.vote_open,
            vote_close=self.vote_close,
            announcement_at=self.announcement_at,
        )
        if errors:
            raise ValidationError(
                {field: self.PHASE_MESSAGES[code] for field, code in errors.items()}
            )

    @property
    def frivillig_fredag(self) -> datetime.date:
        return self.frivillig_fredag_override or rules.last_friday_of_september(self.year)

    def phase(self, now=None) -> str:
        return rules.phase_at(
            model=self.decision_model,
            now=now or timezone.now(),
            nominations_open=self.nominations_open,
            nominations_close=self.nominations_close,
            vote_open=self.vote_open if self.has_vote else None,
            vote_close=self.vote_close if self.has_vote else None,
            announcement_at=self.announcement_at,
        )

    @property
    def has_vote(self) -> bool:
        return self.decision_model != PrizeModel.JURY

    @property
    def has_shortlist(self) -> bool:
        return self.decision_model == PrizeModel.SHORTLIST_VOTE

    def is_announced(self, now=None) -> bool:
        return (now or timezone.now()) >= self.announcement_at

    def nominations_are_open(self, now=None) -> bool:
        return self.phase(now) == rules.Phase.NOMINATIONS

    def vote_is_open(self, now=None) -> bool:
        return self.has_vote and self.phase(now) == rules.Phase.VOTE


class Sponsor(Orderable):
    round = ParentalKey(PrizeRound, on_delete=models.CASCADE, related_name="sponsors")
    name = models.CharField(_("name"), max_length=200)
    url = models.URLField(_("web address"), blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [FieldPanel("name"), FieldPanel("url"), FieldPanel("logo")]

    class Meta(Orderable.Meta):
        verbose_name = _("sponsor")
        verbose_name_plural = _("sponsors")

    def __str__(self) -> str:
        return self.name


class NomineeKind(models.TextChoices):
    PERSON = "person", _("A person")
    GROUP = "group", _("A group of people")
    ASSOCIATION = "association", _("An association")


class Consent(models.TextChoices):
    PENDING = "pending", _("Not answered")
    GIVEN = "given", _("Given")
    DECLINED = "declined", _("Declined")


class NominationQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)

    def public(self):
        """Confirmed and consented: the only nominations whose names may be shown."""
        return self.confirmed().filter(consent=Consent.GIVEN)


class Nomination(models.Model):
    round = models.ForeignKey(
        PrizeRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="nominations"
    )
    nominee_kind = models.CharField(_("the nominee is"), max_length=20, choices=NomineeKind.choices)
    nominee_name = models.CharField(_("nominee"), max_length=NAME_MAX)
    nominee_email = models.EmailField(_("nominee's e-mail"))
    motivation = models.TextField(_("motivation"), max_length=MOTIVATION_MAX)
    nominator_name = models.CharField(_("nominator"), max_length=NAME_MAX)
    nominator_email = models.EmailField(_("nominator's e-mail"))
    nominator_key = models.CharField(_("nominator key"), max_length=64, editable=False)
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    slot = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    consent = models.CharField(
        _("nominee's consent"), max_length=10, choices=Consent.choices, default=Consent.PENDING
    )
    consent_at = models.DateTimeField(_("consent answered"), null=True, blank=True)
    shortlisted = models.BooleanField(_("shortlisted"), default=False)

    objects = NominationQuerySet.as_manager()

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        ordering = ["round", "created_at", "pk"]
        constraints = [
            # A nominator's confirmed nominations take numbered slots 1..max of the round:
            # two confirmations racing for the same slot cannot both be saved.
            models.UniqueConstraint(
                fields=["round", "nominator_key", "slot"],
                condition=Q(slot__isnull=False),
                name="initiativpris_one_nomination_per_slot",
            ),
            models.CheckConstraint(
                condition=Q(slot__isnull=True) | Q(slot__gte=1),
                name="initiativpris_slot_positive",
            ),
            models.CheckConstraint(
                condition=Q(shortlisted=False) | Q(consent=Consent.GIVEN),
                name="initiativpris_shortlist_needs_consent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.nominee_name} ({self.round})"

    @property
    def is_public(self) -> bool:
        return self.confirmed_at is not None and self.consent == Consent.GIVEN


class JuryScore(models.Model):
    nomination = models.ForeignKey(
        Nomination, verbose_name=_("nomination"), on_delete=models.CASCADE, related_name="scores"
    )
    juror = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("jury member"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("jury score")
        verbose_name_plural = _("jury scores")
        constraints = [
            models.UniqueConstraint(
                fields=["nomination", "juror"], name="initiativpris_one_score_per_juror"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=1) & Q(score__lte=5), name="initiativpris_score_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.score} – {self.nomination.nominee_name}"


class ConflictOfInterest(models.Model):
    nomination = models.ForeignKey(
        Nomination,
        verbose_name=_("nomination"),
        on_delete=models.CASCADE,
        related_name="conflicts",
    )
    juror = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("jury member"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    reason = models.TextField(_("reason"), max_length=2000)
    declared_at = models.DateTimeField(_("declared"), auto_now_add=True)

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        constraints = [
            models.UniqueConstraint(
                fields=["nomination", "juror"], name="initiativpris_one_conflict_per_juror"
            )
        ]

    def __str__(self) -> str:
        return self.reason[:60]


class Vote(models.Model):
    class Source(models.TextChoices):
        ONLINE = "online", _("Online")
        PAPER = "paper", _("Paper")

    round = models.ForeignKey(
        PrizeRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="votes"
    )
    nomination = models.ForeignKey(
        Nomination, verbose_name=_("nomination"), on_delete=models.CASCADE, related_name="votes"
    )
    # NULL, not "": a deleted key must not collide with the other deleted keys.
    voter_key = models.CharField(  # noqa: DJ001
        _("voter key"),
        max_length=64,
        null=True,
        blank=True,
        help_text=_("HMAC of the normalised e-mail address; deleted after the result."),
    )
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.ONLINE
    )
    created_at = models.DateTimeField(_("requested"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            # One counted vote per person and round, whatever the code above it does.
            models.UniqueConstraint(
                fields=["round", "voter_key"],
                condition=Q(confirmed_at__isnull=False) & Q(voter_key__isnull=False),
                name="initiativpris_one_vote_per_voter",
            ),
            models.CheckConstraint(
                condition=Q(source="paper")
                | Q(voter_key__isnull=False)
                | Q(confirmed_at__isnull=False),
                name="initiativpris_online_vote_has_voter",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()} – {self.nomination.nominee_name}"


# --- Pages ------------------------------------------------------------------------------


class PrizePage(SectionIndexPage):
    """The prize (/frivillig/initiativpris/): the current round with its rules and sponsors,
    the nomination form, the consent link, the vote, the result and the archive."""

    body = StreamField(BaseStreamBlock(), verbose_name=_("content"), blank=True)
    content_panels = [*SectionIndexPage.content_panels, FieldPanel("body")]

    class Meta:
        verbose_name = _("prize page")
        verbose_name_plural = _("prize pages")

    def route_url(self, request, name, *args) -> str:
        return self.get_url(request) + self.reverse_subpage(name, args=list(args))

    routes = (
        Route("", ".views.overview", "overview"),
        Route("indstil/", ".views.nominate", "nominate"),
        Route("indstil/tak/", ".views.nominate_sent", "nominate_sent"),
        Route("indstil/bekraeft/<str:token>/", ".views.nominate_confirm", "nominate_confirm"),
        Route("samtykke/<str:token>/", ".views.consent", "consent"),
        Route("stem/", ".views.vote", "vote"),
        Route("stem/tak/", ".views.vote_sent", "vote_sent"),
        Route("stem/bekraeft/<str:token>/", ".views.vote_confirm", "vote_confirm"),
        Route("resultat/", ".views.result", "result", {"slug": None}),
        Route("arkiv/", ".views.archive", "archive"),
        Route("arkiv/<slug:slug>/", ".views.result", "archived_round"),
    )


class FrivilligFredagPage(SectionIndexPage):
    """Frivillig Fredag (/frivillig/frivillig-fredag/): the day's programme from the calendar,
    the ceremony, earlier winners and a call to nominate while nominations are open."""

    body = StreamField(BaseStreamBlock(), verbose_name=_("content"), blank=True)
    content_panels = [*SectionIndexPage.content_panels, FieldPanel("body")]

    class Meta:
        verbose_name = _("Frivillig Fredag page")
        verbose_name_plural = _("Frivillig Fredag pages")

    routes = (Route("", ".views.frivillig_fredag", "day"),)
