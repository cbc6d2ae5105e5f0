"""Page types of the one door. Parent and child types are restricted so that editors can
only create each type where it belongs."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from ..blocks import BaseStreamBlock


class SocialMixin(models.Model):
    """A social image beside Wagtail's own search description, on every page."""

    social_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("social image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Shown when the page is shared on social media (1200×630 px)."),
    )

    promote_panels = [
        MultiFieldPanel(Page.promote_panels, _("Common page configuration")),
        FieldPanel("social_image"),
    ]

    class Meta:
        abstract = True


class HomePage(SocialMixin, Page):
    """The site's front page (the reference site's root; another site keeps its own)."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    body = StreamField(BaseStreamBlock(), verbose_name=_("content"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["frivillig_blocks.VolunteerHubPage", "frivillig_blocks.TopicPage"]
    template = "frivillig_blocks/home_page.html"

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")


class VolunteerHubPage(SocialMixin, Page):
    """The one door for volunteers (/frivillig/)."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    body = StreamField(BaseStreamBlock(), verbose_name=_("content"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["frivillig_blocks.HomePage"]
    subpage_types = ["frivillig_blocks.TopicPage"]
    max_count_per_parent = 1
    template = "frivillig_blocks/volunteer_hub_page.html"

    class Meta:
        verbose_name = _("volunteer hub")
        verbose_name_plural = _("volunteer hubs")


class TopicPage(SocialMixin, Page):
    """A page of information in the volunteer section (also the accessibility statement)."""

    intro = models.TextField(_("introduction"), blank=True, max_length=600)
    body = StreamField(BaseStreamBlock(), verbose_name=_("content"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = [
        "frivillig_blocks.HomePage",
        "frivillig_blocks.VolunteerHubPage",
        "frivillig_blocks.TopicPage",
    ]
    subpage_types = ["frivillig_blocks.TopicPage"]
    template = "frivillig_blocks/topic_page.html"

    class Meta:
        verbose_name = _("topic page")
        verbose_name_plural = _("topic pages")
