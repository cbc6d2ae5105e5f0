"""Page types of the one door. Parent and child types are restricted so that editors can
only create each type where it belongs."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail import hooks as wagtail_hooks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from ..blocks import BaseStreamBlock, TaskCardBlock
from ..conf import app_settings
from ..hooks import CONTACT_FORM
from ..routing import DirectChildRoutingMixin, Route, RouteTableMixin
from ..serving import KeptRestrictionsMixin


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


class HomePage(KeptRestrictionsMixin, DirectChildRoutingMixin, SocialMixin, Page):
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


class VolunteerHubPage(KeptRestrictionsMixin, DirectChildRoutingMixin, SocialMixin, Page):
    """The one door for volunteers (/frivillig/): an introduction and task cards for what a
    volunteer comes to do, each linking to its section."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    cards = StreamField(
        [("card", TaskCardBlock())],
        verbose_name=_("task cards"),
        blank=True,
    )
    body = StreamField(BaseStreamBlock(), verbose_name=_("content"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("cards"),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["frivillig_blocks.HomePage"]
    # No subpage_types: each page type that belongs below the hub says so in its own
    # parent_page_types, so the section pages of other installed apps (loans, calendar,
    # exchange, prize, courses) can be created here without this app naming them.
    max_count_per_parent = 1
    template = "frivillig_blocks/volunteer_hub_page.html"

    class Meta:
        verbose_name = _("volunteer hub")
        verbose_name_plural = _("volunteer hubs")


class TopicPage(KeptRestrictionsMixin, SocialMixin, Page):
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


class SectionIndexPage(KeptRestrictionsMixin, RouteTableMixin, SocialMixin, Page):
    """Base of the data-fed pages below the hub: one of each per hub, no children; their
    views live in the app's modules (directory, grants, ideas)."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["frivillig_blocks.VolunteerHubPage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        abstract = True


class AssociationIndexPage(SectionIndexPage):
    """The directory of associations and initiatives (/frivillig/foreninger/)."""

    class Meta:
        verbose_name = _("directory of associations")
        verbose_name_plural = _("directories of associations")

    routes = (
        Route("", ".directory.directory_view", "directory"),
        Route("<str:slug>/", ".directory.association_view", "association"),
    )


class GrantIndexPage(SectionIndexPage):
    """Grants open now and an application form per grant (/frivillig/puljer/)."""

    class Meta:
        verbose_name = _("grants page")
        verbose_name_plural = _("grants pages")

    routes = (
        Route("", ".grants.grant_list_view", "grants"),
        Route("<str:slug>/", ".grants.grant_view", "grant"),
        Route("<str:slug>/kvittering/<str:reference>/", ".grants.receipt_view", "receipt"),
    )


class IdeaCatalogPage(SectionIndexPage):
    """The idea catalogue with a public "propose an idea" form (/frivillig/idekatalog/)."""

    class Meta:
        verbose_name = _("idea catalogue")
        verbose_name_plural = _("idea catalogues")

    routes = (
        Route("", ".ideas.idea_list_view", "ideas"),
        Route("foreslaa/", ".ideas.propose_view", "propose"),
        Route("<str:slug>/", ".ideas.idea_view", "idea"),
    )


class ContactPage(SectionIndexPage):
    """The named staff members, the one mail address and their topics (/frivillig/kontakt/)."""

    class Meta:
        verbose_name = _("contact page")
        verbose_name_plural = _("contact pages")

    body = StreamField(BaseStreamBlock(), verbose_name=_("content"), blank=True)
    content_panels = [*SectionIndexPage.content_panels, FieldPanel("body")]
    template = "frivillig_blocks/contact_page.html"

    def get_context(self, request, *args, **kwargs):
        from .snippets import ContactPerson

        context = super().get_context(request, *args, **kwargs)
        context["contact_persons"] = (
            ContactPerson.objects.filter(live=True)
            .select_related("photo")
            .prefetch_related("topics")
        )
        context["volunteer_email"] = app_settings.EMAIL
        # The inbox app (henvendelser) puts its contact form here, when it is installed.
        context["contact_forms"] = [
            html for fn in wagtail_hooks.get_hooks(CONTACT_FORM) if (html := fn(request, self))
        ]
        return context

    @path("")
    def contact(self, request):
        return self.render(request)
