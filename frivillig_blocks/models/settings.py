"""The municipality's own details, edited in the admin (Settings → Municipality), so that
no app's code names a municipality."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


@register_setting(icon="home")
class MunicipalitySettings(BaseSiteSetting):
    name = models.CharField(_("municipality name"), max_length=100, default="Kommunen")
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    # Not shown: the footer and the contact page show the one volunteer address
    # (FRIVILLIG_EMAIL). The column stays until a migration of its own removes it.
    email = models.EmailField(_("e-mail"), blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=200, blank=True)
    website = models.URLField(_("municipality website"), blank=True)
    accessibility_statement = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("accessibility statement"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("address"),
        FieldPanel("phone"),
        FieldPanel("opening_hours"),
        FieldPanel("website"),
        FieldPanel("accessibility_statement"),
    ]

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipality")
