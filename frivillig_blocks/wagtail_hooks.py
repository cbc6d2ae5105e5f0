"""Registration only."""

from wagtail import hooks
from wagtail.snippets.models import register_snippet

from .accounts import hooks as account_hooks  # noqa: F401  (registers Mine sider parts)
from .feedback import admin_hooks as feedback_hooks  # noqa: F401  (feedback, theme meetings)
from .report import admin_hooks as report_hooks  # noqa: F401  (the follow-up report)
from .viewsets import GrantApplicationViewSet, MailViewSetGroup, VolunteerSnippets

register_snippet(VolunteerSnippets)


@hooks.register("register_admin_viewset")
def register_grant_applications():
    return GrantApplicationViewSet()


@hooks.register("register_admin_viewset")
def register_mail_log():
    return MailViewSetGroup()
