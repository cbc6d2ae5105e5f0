"""Registration only: the inbox menu item and URLs, the routing rules, the log actions and
the one door's hooks (the contact form, the demo content, the follow-up's figures and the
personal data registry)."""

from importlib import import_module

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from frivillig_blocks.figures import FIGURE_SOURCES
from frivillig_blocks.hooks import PERSONAL_DATA_SOURCES

from . import admin_urls
from .figures import InquiryFigures
from .integration import personal_data_sources
from .staff import ACTIONS, is_inbox_user
from .viewsets import RoutingRuleViewSet


@hooks.register("register_admin_urls")
def register_inbox_urls():
    return [path("henvendelser/", include(admin_urls, namespace="henvendelser_admin"))]


class InboxMenuItem(MenuItem):
    def is_shown(self, request):
        return is_inbox_user(request.user)


@hooks.register("register_admin_menu_item")
def register_inbox_menu_item():
    return InboxMenuItem(
        _("Inquiries"), reverse("henvendelser_admin:index"), icon_name="mail", order=300
    )


@hooks.register("register_admin_viewset")
def register_routing_rules():
    return RoutingRuleViewSet()


@hooks.register("register_log_actions")
def register_inquiry_log_actions(actions):
    for action, (label, message) in ACTIONS.items():
        actions.register_action(action, label, message)


def _optional(module: str):
    """The module, or None while it is not there yet (a missing part never breaks startup)."""
    try:
        return import_module(module)
    except ModuleNotFoundError as error:
        if error.name == module:
            return None
        raise


def render_contact_form(request, contact_page):
    contact = _optional("henvendelser.contact")
    return contact.render_contact_form(request, contact_page) if contact else None


def seed_demo(stdout):
    demo = _optional("henvendelser.demo")
    if demo is not None:
        demo.seed(stdout)


@hooks.register(FIGURE_SOURCES)
def figure_source():
    return InquiryFigures()


hooks.register(PERSONAL_DATA_SOURCES, personal_data_sources)
hooks.register("frivillig_contact_form", render_contact_form)
hooks.register("frivillig_seed_demo", seed_demo)
