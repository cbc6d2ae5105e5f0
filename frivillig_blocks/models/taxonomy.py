"""The small vocabularies the directory, the idea catalogue and the inbox filter by."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

AGE_GROUP_CHOICES = [
    ("boern", _("Children")),
    ("unge", _("Youth")),
    ("voksne", _("Adults")),
    ("seniorer", _("Seniors")),
    ("paa-tvaers", _("Across generations")),
]


class AgeGroup(models.Model):
    """Children, youth, adults, seniors, across generations (rows made by a migration)."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=60)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("age group")
        verbose_name_plural = _("age groups")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class Theme(models.Model):
    """What an association, initiative, idea, calendar event or exchange post is about
    (sport, culture, social work …): the site's one subject list (``frivillig_blocks.themes``)."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True, allow_unicode=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("sort_order")]

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class Topic(models.Model):
    """What a volunteer asks the municipality about; contact persons handle topics and the
    inbox routes by them."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True, allow_unicode=True)

    panels = [FieldPanel("name"), FieldPanel("slug")]

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
