"""Registration only."""

from wagtail import hooks
from wagtail.snippets.models import register_snippet

from .accounts import hooks as account_hooks  # noqa: F401  (registers Mine sider parts)
from .viewsets import GrantApplicationViewSet, MailViewSetGroup, VolunteerSnippets

register_snippet(VolunteerSnippets)


@hooks.register("register_admin_viewset")
def register_grant_applications():
    return GrantApplicationViewSet()


@hooks.register("register_admin_viewset")
def register_mail_log():
    return MailViewSetGroup()
