"""Admin of the prize: rounds (with sponsors, phases and jury) and the nominations, which
editors list, filter and export (CSV/XLSX)."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSetGroup

from frivillig_blocks.admin_viewsets import ModelViewSet

from . import services
from .models import Nomination, PrizeRound


class JuryAccessMixin:
    """A round saved in the admin gives its jury admin access (the jury group) to score."""

    def save_instance(self):
        round = super().save_instance()
        services.give_jury_admin_access(round=round)
        return round


class PrizeRoundCreateView(JuryAccessMixin, generic.CreateView):
    pass


class PrizeRoundEditView(JuryAccessMixin, generic.EditView):
    pass


class PrizeRoundViewSet(ModelViewSet):
    model = PrizeRound
    add_view_class = PrizeRoundCreateView
    edit_view_class = PrizeRoundEditView
    icon = "pick"
    menu_label = _("Prize rounds")
    url_prefix = "initiativpris/runder"
    name = "initiativpris_rounds"
    list_display = ["__str__", "decision_model", "live", "nominations_open", "announcement_at"]
    list_filter = ["live", "decision_model", "year"]
    search_fields = ["prize_name"]
    copy_view_enabled = False


class NominationFilterSet(WagtailFilterSet):
    class Meta:
        model = Nomination
        fields = ["round", "consent", "shortlisted", "nominee_kind"]


class NominationViewSet(ModelViewSet):
    model = Nomination
    icon = "form"
    menu_label = _("Nominations")
    url_prefix = "initiativpris/indstillinger"
    name = "initiativpris_nominations"
    list_display = [
        "nominee_name",
        "round",
        "nominee_kind",
        "nominator_name",
        "confirmed_at",
        "consent",
        "shortlisted",
    ]
    filterset_class = NominationFilterSet
    search_fields = ["nominee_name", "nominator_name", "motivation"]
    list_export = [
        "round",
        "nominee_kind",
        "nominee_name",
        "nominee_email",
        "motivation",
        "nominator_name",
        "nominator_email",
        "created_at",
        "confirmed_at",
        "consent",
        "consent_at",
        "shortlisted",
    ]
    export_filename = "indstillinger"
    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields = ["nominee_name", "nominee_kind", "motivation"]

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(
            queryset=Nomination.objects.select_related("round"), **kwargs
        )


class PrizeViewSetGroup(ViewSetGroup):
    menu_label = _("Initiative prize")
    menu_icon = "pick"
    menu_order = 400
    items = (PrizeRoundViewSet, NominationViewSet)
