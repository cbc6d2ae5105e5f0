"""Admin: the routing rules, edited by the Frivilligkoordinator (model permissions)."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel

from frivillig_blocks.admin_viewsets import ModelViewSet

from .models import RoutingRule


class RoutingRuleViewSet(ModelViewSet):
    model = RoutingRule
    icon = "arrow-right-full"
    menu_label = _("Routing rules")
    menu_order = 310
    add_to_admin_menu = True
    url_prefix = "henvendelser-regler"
    name = "henvendelser_routingrule"
    list_display = ["name", "priority", "active", "is_default", "assign_contact_person"]
    list_filter = ["active", "is_default"]
    search_fields = ["name", "keywords", "recipient", "sender_domain"]
    ordering = ["priority", "name"]
    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("priority"), FieldPanel("active"), FieldPanel("is_default")]),
        MultiFieldPanel(
            [
                FieldPanel("recipient"),
                FieldPanel("keywords"),
                FieldPanel("sender_domain"),
                FieldPanel("topic"),
            ],
            heading=_("When"),
        ),
        MultiFieldPanel(
            [FieldPanel("assign_contact_person"), FieldPanel("assign_users")],
            heading=_("Give to"),
        ),
    ]
