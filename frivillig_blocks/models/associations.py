"""Associations (foreninger) and the people who belong to them through their accounts."""

from django import forms
from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.models import DraftStateMixin, RevisionMixin
from wagtail.search import index

cvr_validator = RegexValidator(r"^\d{8}$", _("A CVR number is 8 digits."))


class Association(DraftStateMixin, RevisionMixin, index.Indexed, ClusterableModel):
    """A voluntary association; the snippet every app points at. Only published (live)
    associations show in the public directory."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True, allow_unicode=True)
    cvr = models.CharField(_("CVR number"), max_length=8, blank=True, validators=[cvr_validator])
    purpose = models.TextField(_("purpose"), blank=True, max_length=4000)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    age_groups = ParentalManyToManyField(
        "frivillig_blocks.AgeGroup", blank=True, verbose_name=_("age groups")
    )
    themes = ParentalManyToManyField("frivillig_blocks.Theme", blank=True, verbose_name=_("themes"))
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("logo"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="association")

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("cvr"),
        FieldPanel("purpose"),
        FieldPanel("age_groups", widget=forms.CheckboxSelectMultiple),
        FieldPanel("themes", widget=forms.CheckboxSelectMultiple),
        MultiFieldPanel(
            [
                FieldPanel("contact_name"),
                FieldPanel("email"),
                FieldPanel("phone"),
                FieldPanel("website"),
            ],
            _("Contact"),
        ),
        FieldPanel("logo"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("purpose"),
        index.FilterField("live"),
    ]

    class Meta:
        verbose_name = _("association")
        verbose_name_plural = _("associations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def revisions(self):
        return self._revisions

    def admins(self):
        return self.memberships.filter(role=MembershipRole.ADMIN).select_related("user")


class MembershipRole(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    MEMBER = "member", _("Member")


class AssociationMembership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="association_memberships",
        verbose_name=_("user"),
    )
    association = models.ForeignKey(
        Association,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("association"),
    )
    role = models.CharField(_("role"), max_length=10, choices=MembershipRole.choices)
    # The other members see the person's name; their address only when they chose so.
    show_email = models.BooleanField(
        _("show my e-mail address to the other members"), default=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "association"], name="unique_membership"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.association} ({self.get_role_display()})"


class AssociationInvitation(models.Model):
    """An association admin's invitation of a person (by e-mail) to join the association."""

    association = models.ForeignKey(
        Association,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("association"),
    )
    email = models.EmailField(_("e-mail"))
    role = models.CharField(
        _("role"), max_length=10, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            # One open invitation per address and association.
            models.UniqueConstraint(
                "association",
                Lower("email"),
                condition=models.Q(accepted_at__isnull=True),
                name="unique_open_invitation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.association}"
