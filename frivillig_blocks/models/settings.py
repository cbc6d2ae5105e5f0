"""The municipality's own details, edited in the admin (Settings → Municipality), so that
no app's code names a municipality; and the site's main menu (Settings → Main menu)."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField

HEX_COLOUR = RegexValidator(
    re.compile(r"^#[0-9a-fA-F]{6}$"), _("Write the colour as # and six hex digits, e.g. #00507a.")
)
WHITE, TEXT = "#ffffff", "#1a1a1a"


def _luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(first: str, second: str) -> float:
    """WCAG 2.1's contrast ratio of two ``#rrggbb`` colours."""
    light, dark = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def darken(colour: str, amount: float = 0.32) -> str:
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{round(c * (1 - amount)):02x}" for c in (r, g, b))


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
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("crest or logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Shown beside the name at the top of every page."),
    )
    primary_colour = models.CharField(
        _("main colour"),
        max_length=7,
        blank=True,
        validators=[HEX_COLOUR],
        help_text=_("The header's colour, e.g. #00507a. White text must be readable on it."),
    )
    accent_colour = models.CharField(
        _("accent colour"),
        max_length=7,
        blank=True,
        validators=[HEX_COLOUR],
        help_text=_("The colour that marks focus, e.g. #ffd23f. Dark text must be readable on it."),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("address"),
        FieldPanel("phone"),
        FieldPanel("opening_hours"),
        FieldPanel("website"),
        FieldPanel("accessibility_statement"),
        MultiFieldPanel(
            [FieldPanel("logo"), FieldPanel("primary_colour"), FieldPanel("accent_colour")],
            _("Look"),
        ),
    ]

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipality")

    def clean(self):
        super().clean()
        errors = {}
        # WCAG 2.1 AA: 4.5:1 for text on the colour.
        if (
            HEX_PATTERN.match(self.primary_colour or "")
            and contrast(self.primary_colour, WHITE) < 4.5
        ):
            errors["primary_colour"] = _(
                "White text is hard to read on this colour: pick a darker one."
            )
        if HEX_PATTERN.match(self.accent_colour or "") and contrast(self.accent_colour, TEXT) < 4.5:
            errors["accent_colour"] = _(
                "Dark text is hard to read on this colour: pick a lighter one."
            )
        if errors:
            raise ValidationError(errors)

    def stylesheet(self) -> str:
        """The CSS that sets the site's colours (the custom properties of site.css)."""
        lines = []
        if HEX_PATTERN.match(self.primary_colour or ""):
            lines += [
                f"--color-primary: {self.primary_colour.lower()};",
                f"--color-primary-dark: {darken(self.primary_colour.lower())};",
            ]
        if HEX_PATTERN.match(self.accent_colour or ""):
            lines.append(f"--color-accent: {self.accent_colour.lower()};")
        return ":root {\n    " + "\n    ".join(lines) + "\n}\n" if lines else ""


HEX_PATTERN = HEX_COLOUR.regex


class MenuItemBlock(blocks.StructBlock):
    page = blocks.PageChooserBlock(label=_("Page"))
    title = blocks.CharBlock(
        label=_("Title in the menu"),
        required=False,
        max_length=60,
        help_text=_("Empty: the page's own title."),
    )

    class Meta:
        icon = "link"
        label = _("Menu item")


@register_setting(icon="list-ul")
class MainMenuSettings(BaseSiteSetting):
    """The main menu at the top of every page, in the editors' order. Empty: the home
    page's children that are shown in menus (Promote → "Show in menus")."""

    items = StreamField(
        [("item", MenuItemBlock())],
        verbose_name=_("menu items"),
        blank=True,
        help_text=_(
            "Empty: the menu shows the home page's subpages that have "
            "“Show in menus” ticked. Unpublished pages are left out."
        ),
    )

    panels = [FieldPanel("items")]

    class Meta:
        verbose_name = _("main menu")
        verbose_name_plural = _("main menu")
