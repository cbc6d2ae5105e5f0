"""Admin: the shared snippets and the mail log."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Association, InboundMessage, OutboundMessage


class AssociationViewSet(SnippetViewSet):
    model = Association
    icon = "group"
    menu_label = _("Associations")
    menu_order = 200
    add_to_admin_menu = True
    list_display = ["name", "cvr", "email"]
    search_fields = ["name", "purpose"]


class InboundMessageViewSet(ModelViewSet):
    model = InboundMessage
    icon = "mail"
    url_prefix = "mail-log/inbound"
    url_namespace = "frivillig_inbound_mail"
    menu_label = _("Incoming mail")
    list_display = ["subject", "sender", "received_at", "status", "routed_to"]
    list_filter = ["status", "esp_name", "routed_to"]
    search_fields = ["subject", "sender"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "received_at",
        "esp_name",
        "event_id",
        "message_id",
        "sender",
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
