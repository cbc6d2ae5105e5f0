"""Admin registration of the follow-up report (imported by frivillig_blocks.wagtail_hooks)."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import urls
from .views import VIEW_PERMISSION


@hooks.register("register_admin_urls")
def register_report_urls():
    return [path("opfoelgning/", include(urls, namespace="frivillig_report"))]


class ReportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(VIEW_PERMISSION)


@hooks.register("register_admin_menu_item")
def register_report_menu_item():
    return ReportMenuItem(
        _("Follow-up"), reverse("frivillig_report:index"), icon_name="table", order=900
    )
