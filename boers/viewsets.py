"""Admin: areas, blocked persons, verified associations, all posts and the outcome counts
(model permissions of the Frivilligkoordinator group)."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSetGroup

from frivillig_blocks.admin_viewsets import ModelViewSet

from . import services
from .models import Area, Block, OutcomeTally, Post, VerifiedAssociation


class AreaViewSet(ModelViewSet):
    model = Area
    icon = "site"
    menu_label = _("Areas")
    url_prefix = "boers-omraader"
    name = "boers_area"
    list_display = ["name", "sort_order"]
    ordering = ["sort_order", "name"]
    form_fields = ["name", "slug", "sort_order", "neighbours"]


class BlockCreateView(generic.CreateView):
    """Blocking from the admin's list of blocked persons is the moderators' decision: it
    goes through the service (logged, the person's open posts hidden)."""

    def save_instance(self):
        return services.block_user(
            person=self.form.cleaned_data["user"],
            by=self.request.user,
            reason=self.form.cleaned_data.get("reason", ""),
        )


class BlockEditView(generic.EditView):
    """A block moved to another person hides that person's open posts too."""

    def save_instance(self):
        block = super().save_instance()
        services.hide_posts_of_blocked_user(block=block, by=self.request.user)
        return block


class BlockViewSet(ModelViewSet):
    model = Block
    add_view_class = BlockCreateView
    edit_view_class = BlockEditView
    icon = "lock"
    menu_label = _("Blocked persons")
    url_prefix = "boers-blokeringer"
    name = "boers_block"
    list_display = ["user", "created_at", "created_by"]
    search_fields = ["user__email", "reason"]
    panels = [FieldPanel("user"), FieldPanel("reason")]


class VerifiedAssociationViewSet(ModelViewSet):
    model = VerifiedAssociation
    icon = "tick-inverse"
    menu_label = _("Verified associations")
    url_prefix = "boers-verificerede"
    name = "boers_verified"
    list_display = ["association", "verified_at", "verified_by", "note"]
    panels = [FieldPanel("association"), FieldPanel("note")]


class PostViewSet(ModelViewSet):
    model = Post
    icon = "doc-full"
    menu_label = _("Posts")
    url_prefix = "boers-opslag"
    name = "boers_post"
    list_display = ["title", "side", "kind", "status", "report_count", "expires_at"]
    list_filter = ["status", "side", "kind", "theme"]
    search_fields = ["title", "body"]
    ordering = ["-created_at"]
    inspect_view_enabled = True
    add_to_admin_menu = False
    form_fields = ["title", "body", "theme", "area", "status"]


class OutcomeTallyViewSet(ModelViewSet):
    model = OutcomeTally
    icon = "list-ul"
    menu_label = _("Outcomes")
    url_prefix = "boers-udfald"
    name = "boers_outcome"
    list_display = ["month", "side", "kind", "outcome", "count"]
    list_filter = ["side", "kind", "outcome"]
    list_export = ["month", "side", "kind", "outcome", "count"]
    export_filename = "boers-udfald"
    form_fields = ["month", "side", "kind", "outcome", "count"]


class ExchangeViewSetGroup(ViewSetGroup):
    menu_label = _("Exchange")
    menu_icon = "group"
    menu_order = 320
    items = (
        PostViewSet,
        AreaViewSet,
        BlockViewSet,
        VerifiedAssociationViewSet,
        OutcomeTallyViewSet,
    )
