"""Admin of institutions, resources (with opening hours), closures and declarations:
ModelViewSets behind the model permissions (the Frivilligkoordinator group)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.admin.viewsets.base import ViewSetGroup

from frivillig_blocks.admin_viewsets import ModelViewSet

from .models import Closure, Declaration, DeclineReason, Institution, Resource


def rule_panels():
    return [
        MultiFieldPanel(
            [
                FieldPanel("allowed_purposes"),
                FieldPanel("forbidden_purposes"),
                FieldRowPanel([FieldPanel("min_notice_hours"), FieldPanel("max_advance_days")]),
                FieldRowPanel(
                    [FieldPanel("min_duration_minutes"), FieldPanel("max_duration_minutes")]
                ),
                FieldRowPanel([FieldPanel("buffer_minutes"), FieldPanel("max_loans_per_month")]),
                FieldPanel("who_may_borrow"),
                FieldPanel("named_associations", widget=forms.CheckboxSelectMultiple),
                FieldPanel("approval"),
                FieldPanel("trusted_associations", widget=forms.CheckboxSelectMultiple),
                FieldPanel("cancellation_deadline_hours"),
                FieldPanel("declarations", widget=forms.CheckboxSelectMultiple),
            ],
            heading=_("Rules (empty: as the institution, or the manual's defaults)"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("pickup_times"),
                FieldPanel("return_times"),
                FieldPanel("deposit_text"),
                FieldPanel("condition_check"),
            ],
            heading=_("Equipment"),
        ),
    ]


class InstitutionViewSet(ModelViewSet):
    model = Institution
    icon = "home"
    menu_label = _("Institutions")
    url_prefix = "laan-institutioner"
    name = "booking_institution"
    list_display = ["name", "place"]
    search_fields = ["name"]
    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("place"),
        FieldPanel("description"),
        FieldPanel("email"),
        FieldPanel("leaders", widget=forms.CheckboxSelectMultiple),
        *rule_panels(),
    ]


class ResourceViewSet(ModelViewSet):
    model = Resource
    icon = "table"
    menu_label = _("Rooms and equipment")
    url_prefix = "laan-ressourcer"
    name = "booking_resource"
    list_display = ["name", "institution", "kind", "quantity", "active"]
    list_filter = ["kind", "institution", "active"]
    search_fields = ["name"]
    panels = [
        FieldPanel("institution"),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("active")]),
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldRowPanel([FieldPanel("capacity"), FieldPanel("fire_capacity")]),
        FieldPanel("features"),
        InlinePanel("photos", heading=_("Photos"), label=_("Photo")),
        FieldRowPanel([FieldPanel("quantity"), FieldPanel("lendable_alone")]),
        InlinePanel("opening_hours", heading=_("Opening hours"), label=_("Opening hours")),
        *rule_panels(),
    ]


class ClosureViewSet(ModelViewSet):
    model = Closure
    icon = "calendar"
    menu_label = _("Closures")
    url_prefix = "laan-lukninger"
    name = "booking_closure"
    list_display = ["reason", "institution", "resource", "start_date", "end_date"]
    panels = [
        FieldPanel("institution"),
        FieldPanel("resource"),
        FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
        FieldPanel("reason"),
    ]


class DeclarationViewSet(ModelViewSet):
    model = Declaration
    icon = "doc-full"
    menu_label = _("Declarations")
    url_prefix = "laan-erklaeringer"
    name = "booking_declaration"
    list_display = ["title", "condition"]
    form_fields = ["title", "text", "condition"]


class DeclineReasonViewSet(ModelViewSet):
    """The fixed reasons leaders decline for (the coordinator keeps the list)."""

    model = DeclineReason
    icon = "help"
    menu_label = _("Decline reasons")
    url_prefix = "laan-afslagsgrunde"
    name = "booking_declinereason"
    list_display = ["text", "sort_order", "active"]
    form_fields = ["text", "sort_order", "active"]


class BookingViewSetGroup(ViewSetGroup):
    menu_label = _("Lending setup")
    menu_icon = "home"
    menu_order = 330
    items = (
        InstitutionViewSet,
        ResourceViewSet,
        ClosureViewSet,
        DeclarationViewSet,
        DeclineReasonViewSet,
    )
