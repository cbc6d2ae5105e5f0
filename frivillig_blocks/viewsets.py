"""Admin: the one door's snippets, grant applications and the mail log."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.views.generic import InspectView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from . import inbound_auth
from .admin_viewsets import ModelViewSet, SnippetViewSet
from .models import (
    Association,
    ContactPerson,
    Grant,
    GrantApplication,
    Idea,
    InboundMessage,
    Initiative,
    OutboundMessage,
    Place,
    Theme,
    Topic,
)


class AssociationViewSet(SnippetViewSet):
    model = Association
    icon = "group"
    menu_label = _("Associations")
    list_display = ["name", "cvr", "email", "live"]
    list_filter = ["live", "age_groups", "themes"]
    search_fields = ["name", "purpose"]


class InitiativeViewSet(SnippetViewSet):
    model = Initiative
    icon = "group"
    list_display = ["name", "contact_name", "live"]
    list_filter = ["live", "age_groups", "themes"]


class ContactPersonViewSet(SnippetViewSet):
    model = ContactPerson
    icon = "user"
    list_display = ["name", "role", "email", "live"]
    list_filter = ["topics"]


class PlaceViewSet(SnippetViewSet):
    model = Place
    icon = "site"
    list_display = ["name", "address", "city"]
    list_filter = ["step_free_access", "accessible_toilet", "hearing_loop"]


class GrantViewSet(SnippetViewSet):
    model = Grant
    icon = "tag"
    list_display = ["name", "deadline", "rolling", "legal_basis", "live"]
    list_filter = ["legal_basis", "rolling", "live"]


class IdeaViewSet(SnippetViewSet):
    model = Idea
    icon = "pick"
    list_display = ["title", "proposed_by_name", "live", "proposed_at"]
    list_filter = ["live", "age_groups", "themes"]
    search_fields = ["title", "description"]
    # The database search backend cannot combine a search with the many-to-many filters
    # (a FilterFieldError, a 500); the ORM's own search can.
    search_backend_name = None


class ThemeViewSet(SnippetViewSet):
    model = Theme
    icon = "tag"
    list_display = ["name", "slug", "sort_order"]


class TopicViewSet(SnippetViewSet):
    model = Topic
    icon = "tag"


class VolunteerSnippets(SnippetViewSetGroup):
    menu_label = _("Volunteering")
    menu_icon = "group"
    menu_order = 200
    items = (
        AssociationViewSet,
        InitiativeViewSet,
        ContactPersonViewSet,
        PlaceViewSet,
        GrantViewSet,
        IdeaViewSet,
        ThemeViewSet,
        TopicViewSet,
    )


class GrantApplicationFilterSet(WagtailFilterSet):
    class Meta:
        model = GrantApplication
        fields = ["grant", "status"]


class GrantApplicationViewSet(ModelViewSet):
    model = GrantApplication
    icon = "form"
    menu_label = _("Grant applications")
    menu_order = 210
    add_to_admin_menu = True
    url_prefix = "grant-applications"
    url_namespace = "frivillig_grant_applications"
    list_display = [
        "reference",
        "project_title",
        "association_name",
        "grant",
        "amount_requested",
        "status",
        "submitted_at",
    ]
    filterset_class = GrantApplicationFilterSet
    search_fields = ["reference", "project_title", "association_name", "applicant_name"]
    list_export = [
        "reference",
        "grant",
        "status",
        "submitted_at",
        "applicant_name",
        "email",
        "phone",
        "association_name",
        "cvr",
        "project_title",
        "description",
        "amount_requested",
        "social_purpose",
        "target_group",
        "budget",
    ]
    export_filename = "ansoegninger"
    inspect_view_enabled = True
    form_fields = ["status"]

    def get_index_view_kwargs(self, **kwargs):
        # One query for the list, not one per row for its grant.
        return super().get_index_view_kwargs(
            queryset=GrantApplication.objects.select_related("grant"), **kwargs
        )


class InboundMessageInspectView(InspectView):
    """The mail provider's verdict on the sender, in words, with a clear mark when the
    sender is not confirmed (``frivillig_blocks.inbound_auth``)."""

    def get_authenticated_display_value(self):
        return inbound_auth.verdict_summary(self.object)

    def get_auth_spf_display_value(self):
        return inbound_auth.result_label(self.object.auth_spf)

    def get_auth_dkim_display_value(self):
        return inbound_auth.result_label(self.object.auth_dkim)

    def get_auth_dmarc_display_value(self):
        return inbound_auth.result_label(self.object.auth_dmarc)


class InboundMessageViewSet(ModelViewSet):
    model = InboundMessage
    icon = "mail"
    url_prefix = "mail-log/inbound"
    url_namespace = "frivillig_inbound_mail"
    menu_label = _("Incoming mail")
    list_display = ["subject", "sender", "authenticated", "received_at", "status", "routed_to"]
    list_filter = ["status", "authenticated", "esp_name", "routed_to"]
    search_fields = ["subject", "sender"]
    inspect_view_enabled = True
    inspect_view_class = InboundMessageInspectView
    inspect_view_fields = [
        "received_at",
        "esp_name",
        "event_id",
        "message_id",
        "sender",
        "authenticated",
        "auth_spf",
        "auth_dkim",
        "auth_dmarc",
        "spam_score",
        "spam_detected",
        "recipients",
        "subject",
        "status",
        "routed_to",
        "attempts",
        "error",
    ]
    form_fields = ["status"]


class OutboundMessageViewSet(ModelViewSet):
    model = OutboundMessage
    icon = "mail"
    url_prefix = "mail-log/outbound"
    url_namespace = "frivillig_outbound_mail"
    menu_label = _("Outgoing mail")
    list_display = ["subject", "purpose", "created_at", "status"]
    list_filter = ["status", "purpose"]
    search_fields = ["subject"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "created_at",
        "sent_at",
        "message_id",
        "esp_message_id",
        "purpose",
        "from_email",
        "to",
        "subject",
        "body_text",
        "status",
        "error",
    ]
    form_fields = ["status"]


class MailViewSetGroup(ViewSetGroup):
    menu_label = _("Mail log")
    menu_icon = "mail"
    menu_order = 900
    items = (InboundMessageViewSet, OutboundMessageViewSet)
