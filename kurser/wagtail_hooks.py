"""Registration only: the admin menu and URLs, log actions, and the one door's hooks
(Mine sider, the personal data registry, calendar, demo content)."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.site_summary import SummaryItem

from frivillig_blocks import hooks as frivillig_hooks
from frivillig_blocks.figures import FIGURE_SOURCES

from . import admin_urls, integration
from .figures import CourseFigures
from .staff import ACTIONS, can_view
from .viewsets import CoursesGroup


@hooks.register("register_admin_urls")
def register_course_admin_urls():
    return [path("kurser/", include(admin_urls, namespace="kurser_admin"))]


@hooks.register("register_admin_viewset")
def register_courses():
    return CoursesGroup()


class NeedsSummaryMenuItem(MenuItem):
    def is_shown(self, request):
        user = request.user
        return user.is_superuser or user.has_perm("kurser.view_competenceneed")


@hooks.register("register_admin_menu_item")
def register_needs_summary_item():
    return NeedsSummaryMenuItem(
        _("Competence needs (summary)"),
        reverse("kurser_admin:needs_summary"),
        icon_name="help",
        order=321,
    )


@hooks.register("register_log_actions")
def register_course_log_actions(actions):
    for action, (label, message) in ACTIONS.items():
        actions.register_action(action, label, message)


hooks.register(frivillig_hooks.MINE_SIDER_SECTIONS, integration.mine_sider_section)
hooks.register(frivillig_hooks.PERSONAL_DATA_SOURCES, integration.personal_data_sources)
hooks.register(frivillig_hooks.CALENDAR_ENTRIES, integration.calendar_entries)
hooks.register(frivillig_hooks.SEED_DEMO, integration.seed_demo)


class CoursesSummaryItem(SummaryItem):
    order = 330
    template_name = "kurser/admin/summary.html"

    def get_context_data(self, parent_context):
        from django.db.models import Count, Q
        from django.utils import timezone

        from .models import Registration, Session

        counts = Session.objects.filter(starts_at__gt=timezone.now()).aggregate(
            sessions=Count("pk", distinct=True),
            waiting=Count(
                "registrations",
                filter=Q(registrations__status=Registration.Status.WAITING),
            ),
        )
        return {"counts": counts, "url": reverse("kurser_session:index")}

    def is_shown(self):
        return can_view(self.request.user)


@hooks.register("construct_homepage_summary_items")
def add_courses_summary_item(request, items):
    items.append(CoursesSummaryItem(request))


@hooks.register(FIGURE_SOURCES)
def figure_source():
    return CourseFigures()
