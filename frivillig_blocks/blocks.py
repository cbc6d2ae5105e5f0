"""StreamField blocks of the volunteer section. Every page's body uses ``BaseStreamBlock``."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks, hooks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

from . import hooks as frivillig_hooks
from .models.taxonomy import AGE_GROUP_CHOICES

RICH_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul", "document-link"]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Heading"), max_length=120)
    level = blocks.ChoiceBlock(
        label=_("Level"),
        choices=[("h2", _("Heading 2")), ("h3", _("Heading 3"))],
        default="h2",
    )

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "frivillig_blocks/blocks/heading.html"


class CallToActionBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=120)
    text = blocks.TextBlock(label=_("Text"), required=False, max_length=400)
    page = blocks.PageChooserBlock(label=_("Page"), required=False)
    url = blocks.URLBlock(label=_("Or a web address"), required=False)
    button_text = blocks.CharBlock(label=_("Button text"), max_length=60)

    class Meta:
        icon = "link"
        label = _("Call to action")
        template = "frivillig_blocks/blocks/call_to_action.html"


class ContactPersonBlock(blocks.StructBlock):
    person = SnippetChooserBlock("frivillig_blocks.ContactPerson", label=_("Contact person"))
    heading = blocks.CharBlock(label=_("Heading"), required=False, max_length=120)

    class Meta:
        icon = "user"
        label = _("Contact person")
        template = "frivillig_blocks/blocks/contact_person.html"


class FAQItemBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("Question"), max_length=200)
    answer = blocks.RichTextBlock(label=_("Answer"), features=RICH_TEXT_FEATURES)


class FAQBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), required=False, max_length=120)
    items = blocks.ListBlock(FAQItemBlock(), label=_("Questions"), min_num=1)

    class Meta:
        icon = "help"
        label = _("Questions and answers")
        template = "frivillig_blocks/blocks/faq.html"


class FactBoxBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=120)
    text = blocks.RichTextBlock(label=_("Text"), features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "info-circle"
        label = _("Fact box")
        template = "frivillig_blocks/blocks/fact_box.html"


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    alt_text = blocks.CharBlock(
        label=_("Alternative text"),
        max_length=250,
        help_text=_("What the image shows, for people who cannot see it."),
    )
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=250)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "frivillig_blocks/blocks/image.html"


class DocumentLinkBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Document"))
    title = blocks.CharBlock(label=_("Link text"), required=False, max_length=200)

    class Meta:
        icon = "doc-full"
        label = _("Document")
        template = "frivillig_blocks/blocks/document_link.html"


class StepBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Step"), max_length=120)
    text = blocks.RichTextBlock(label=_("Text"), features=RICH_TEXT_FEATURES, required=False)


class StepByStepBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), required=False, max_length=120)
    steps = blocks.ListBlock(StepBlock(), label=_("Steps"), min_num=1)

    class Meta:
        icon = "list-ol"
        label = _("Step-by-step guide")
        template = "frivillig_blocks/blocks/step_by_step.html"


class AssociationListBlock(blocks.StructBlock):
    """Associations fed from data: by age group and/or theme."""

    heading = blocks.CharBlock(label=_("Heading"), required=False, max_length=120)
    age_group = blocks.ChoiceBlock(label=_("Age group"), choices=AGE_GROUP_CHOICES, required=False)
    theme = SnippetChooserBlock("frivillig_blocks.Theme", label=_("Theme"), required=False)
    limit = blocks.IntegerBlock(label=_("How many"), default=6, min_value=1, max_value=30)

    class Meta:
        icon = "group"
        label = _("List of associations")
        template = "frivillig_blocks/blocks/association_list.html"

    def get_context(self, value, parent_context=None):
        from .models import Association, AssociationIndexPage

        context = super().get_context(value, parent_context)
        context["directory"] = AssociationIndexPage.objects.live().first()
        associations = Association.objects.filter(live=True)
        if value.get("age_group"):
            associations = associations.filter(age_groups__code=value["age_group"])
        if value.get("theme"):
            associations = associations.filter(themes=value["theme"])
        context["associations"] = list(associations.distinct().order_by("name")[: value["limit"]])
        return context


class OpenGrantsBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), required=False, max_length=120)
    limit = blocks.IntegerBlock(label=_("How many"), default=5, min_value=1, max_value=20)

    class Meta:
        icon = "tag"
        label = _("Grants open now")
        template = "frivillig_blocks/blocks/open_grants.html"

    def get_context(self, value, parent_context=None):
        from .models import Grant, GrantIndexPage

        context = super().get_context(value, parent_context)
        context["grants"] = list(Grant.objects.open()[: value["limit"]])
        context["grant_index"] = GrantIndexPage.objects.live().first()
        return context


class UpcomingEventsBlock(blocks.StructBlock):
    """Upcoming events from the calendar app, through the ``frivillig_upcoming_events`` hook
    (``fn(limit) -> list of {"title", "url", "start"}``); empty without a calendar app."""

    heading = blocks.CharBlock(label=_("Heading"), required=False, max_length=120)
    limit = blocks.IntegerBlock(label=_("How many"), default=5, min_value=1, max_value=20)

    class Meta:
        icon = "date"
        label = _("Upcoming events")
        template = "frivillig_blocks/blocks/upcoming_events.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        events = []
        for fn in hooks.get_hooks(frivillig_hooks.UPCOMING_EVENTS):
            events.extend(fn(value["limit"]) or [])
        context["events"] = sorted(events, key=lambda e: e["start"])[: value["limit"]]
        return context


class TaskCardBlock(blocks.StructBlock):
    """A card on the hub: what a volunteer comes to do, and where to do it."""

    title = blocks.CharBlock(label=_("Title"), max_length=80)
    text = blocks.TextBlock(label=_("Text"), max_length=300)
    page = blocks.PageChooserBlock(label=_("Page"), required=False)
    url = blocks.CharBlock(label=_("Or an address"), required=False, max_length=300)

    class Meta:
        icon = "pick"
        label = _("Task card")
        template = "frivillig_blocks/blocks/task_card.html"


class BaseStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Text"),
        features=RICH_TEXT_FEATURES,
        template="frivillig_blocks/blocks/paragraph.html",
    )
    call_to_action = CallToActionBlock()
    contact_person = ContactPersonBlock()
    faq = FAQBlock()
    fact_box = FactBoxBlock()
    image = ImageBlock()
    document = DocumentLinkBlock()
    steps = StepByStepBlock()
    associations = AssociationListBlock()
    open_grants = OpenGrantsBlock()
    upcoming_events = UpcomingEventsBlock()
