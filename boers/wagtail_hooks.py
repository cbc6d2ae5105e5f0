"""Registration only: moderation menu and URLs, the admin viewsets, log actions, the
dashboard summary, and the one door's hooks (Mine sider, the personal data registry,
demo content)."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.site_summary import SummaryItem

from frivillig_blocks import hooks as frivillig_hooks
from frivillig_blocks.figures import FIGURE_SOURCES

from . import admin_urls
from .admin_views import can_moderate, queue_counts
from .viewsets import ExchangeViewSetGroup

ACTIONS = {
    "boers.approve": (_("Approve post"), _("Post approved")),
    "boers.restore": (_("Show post again"), _("Post shown again after review")),
    "boers.reject": (_("Reject post"), _("Post rejected")),
    "boers.hidden_by_reports": (_("Hidden by reports"), _("Post hidden by reports")),
    "boers.hide_message": (_("Hide message"), _("A message was hidden")),
    "boers.dismiss_report": (_("Dismiss report"), _("A report was dismissed")),
    "boers.block": (_("Block person"), _("Person blocked")),
    "boers.unblock": (_("Unblock person"), _("Person unblocked")),
    "boers.verify": (_("Verify association"), _("Association verified")),
    "boers.unverify": (_("Remove verification"), _("Association verification removed")),
}


@hooks.register("register_admin_urls")
def register_moderation_urls():
    return [path("boers/", include(admin_urls, namespace="boers_admin"))]


class ModerationMenuItem(MenuItem):
    def is_shown(self, request):
        return can_moderate(request.user)


@hooks.register("register_admin_menu_item")
def register_moderation_menu_item():
    return ModerationMenuItem(
        _("Exchange moderation"), reverse("boers_admin:index"), icon_name="warning", order=315
    )


@hooks.register("register_admin_viewset")
def register_viewsets():
    return ExchangeViewSetGroup()


@hooks.register("register_log_actions")
def register_log_actions(actions):
    for action, (label, message) in ACTIONS.items():
        actions.register_action(action, label, message)


class ModerationSummaryItem(SummaryItem):
    order = 320
    template_name = "boers/admin/summary.html"

    def get_context_data(self, parent_context):
        return {"counts": queue_counts(), "url": reverse("boers_admin:index")}

    def is_shown(self):
        return can_moderate(self.request.user)


@hooks.register("construct_homepage_summary_items")
def add_summary_item(request, items):
    items.append(ModerationSummaryItem(request))


@hooks.register(frivillig_hooks.MINE_SIDER_SECTIONS)
def mine_sider_section(request):
    from .links import exchange_page
    from .models import Conversation, Post, SavedSearch

    page = exchange_page()
    if page is None:
        return None
    user = request.user
    conversations = (
        Conversation.objects.filter(post__author=user) | Conversation.objects.filter(starter=user)
    ).select_related("post")
    return frivillig_hooks.MineSiderSection(
        title=_("The exchange"),
        template_name="boers/section_mine_sider.html",
        context={
            "base_url": page.get_url(request),
            "posts": list(Post.objects.filter(author=user).order_by("-created_at")[:50]),
            "conversations": list(conversations.order_by("-last_message_at")[:50]),
            "searches": list(SavedSearch.objects.filter(user=user)),
        },
        order=40,
    )


@hooks.register(frivillig_hooks.PERSONAL_DATA_SOURCES)
def personal_data_sources():
    from .integration import personal_data_sources as sources

    return sources()


@hooks.register(frivillig_hooks.SEED_DEMO)
def seed_demo(stdout):
    from .demo import seed

    seed(stdout)


@hooks.register(FIGURE_SOURCES)
def figure_source():
    from .figures import ExchangeFigures

    return ExchangeFigures()
