"""Registration only: the admin (rounds, nominations, jury), the log actions and the one
door's hooks (calendar entries, the personal data registry, demo content)."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.site_summary import SummaryItem

from frivillig_blocks.figures import FIGURE_SOURCES
from frivillig_blocks.hooks import CALENDAR_ENTRIES, PERSONAL_DATA_SOURCES, SEED_DEMO

from . import admin_urls
from .admin_views import is_jury_user
from .viewsets import PrizeViewSetGroup

LOG_ACTIONS = {
    "initiativpris.score": (_("Score"), _("Jury score given")),
    "initiativpris.conflict": (_("Conflict of interest"), _("Conflict of interest declared")),
    "initiativpris.shortlist": (_("Shortlist"), _("Shortlist chosen")),
    "initiativpris.winner": (_("Winner"), _("Winner chosen")),
    "initiativpris.jury_candidate": (_("Jury's candidate"), _("The jury's own candidate added")),
    "initiativpris.paper_vote": (_("Paper vote"), _("Paper vote entered")),
    "initiativpris.voters_deleted": (_("Voters deleted"), _("Voters' identifiers deleted")),
}


@hooks.register("register_admin_urls")
def register_jury_urls():
    return [path("initiativpris-jury/", include(admin_urls, namespace="initiativpris_admin"))]


class JuryMenuItem(MenuItem):
    def is_shown(self, request):
        return is_jury_user(request.user)


@hooks.register("register_admin_menu_item")
def register_jury_menu_item():
    return JuryMenuItem(
        _("Prize jury"), reverse("initiativpris_admin:index"), icon_name="group", order=410
    )


@hooks.register("register_admin_viewset")
def register_prize_viewsets():
    return PrizeViewSetGroup()


@hooks.register("register_log_actions")
def register_prize_log_actions(actions):
    for action, (label, message) in LOG_ACTIONS.items():
        actions.register_action(action, label, message)


class NominationsSummaryItem(SummaryItem):
    """The dashboard: confirmed nominations of the running round, for editors."""

    order = 400
    template_name = "initiativpris/admin/summary_item.html"

    def __init__(self, request):
        super().__init__(request)
        self.round = None

    def is_shown(self):
        from . import services

        if not services.is_editor(self.request.user):
            return False
        self.round = services.current_round()
        return self.round is not None

    def get_context_data(self, parent_context):
        from .models import Nomination

        return {
            "round": self.round,
            "confirmed": Nomination.objects.confirmed().filter(round=self.round).count(),
        }


@hooks.register("construct_homepage_summary_items")
def add_nominations_summary(request, items):
    items.append(NominationsSummaryItem(request))


def calendar_entries(start, end):
    from .calendar import calendar_entries as entries

    return entries(start, end)


def seed_demo(stdout):
    from .demo import seed

    seed(stdout)


def personal_data_sources():
    from .integration import personal_data_sources as sources

    return sources()


hooks.register(CALENDAR_ENTRIES, calendar_entries)
hooks.register(PERSONAL_DATA_SOURCES, personal_data_sources)
hooks.register(SEED_DEMO, seed_demo)


def figure_source():
    from .figures import PrizeFigures

    return PrizeFigures()


hooks.register(FIGURE_SOURCES, figure_source)
