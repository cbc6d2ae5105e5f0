"""Registration only."""

from wagtail import hooks
from wagtail.snippets.models import register_snippet

from .accounts import hooks as account_hooks  # noqa: F401  (registers Mine sider parts)
from .viewsets import AssociationViewSet, MailViewSetGroup

register_snippet(AssociationViewSet)


@hooks.register("register_admin_viewset")
def register_mail_log():
    return MailViewSetGroup()
