"""The shared base's own implementations of its hooks (registered in wagtail_hooks.py):
its part of Mine sider (associations), its part of the personal data registry (the account,
associations, ideas, grant applications, the mail logs), its admin viewsets and the models
of its own that public pages show (the page cache)."""

import datetime

from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import hooks
from .models import AssociationMembership
from .personal_data import PersonalDataSource

# --- Mine sider ---------------------------------------------------------------------------


def associations_section(request):
    memberships = AssociationMembership.objects.filter(user=request.user).select_related(
        "association"
    )
    return hooks.MineSiderSection(
        title=_("My associations"),
        template_name="frivillig_blocks/accounts/section_associations.html",
        context={"memberships": list(memberships)},
        order=10,
    )


# --- What is on now (the hub) ----------------------------------------------------------------

GRANT_SOON_DAYS = 60


def grants_closing_soon(request, limit):
    """Published grants whose deadline is within GRANT_SOON_DAYS days, the nearest first."""
    from .models import Grant, GrantIndexPage

    index = GrantIndexPage.objects.live().order_by("path").first()
    if index is None:
        return None
    today = timezone.localdate()
    grants = (
        Grant.objects.open(today)
        .filter(deadline__lte=today + datetime.timedelta(days=GRANT_SOON_DAYS))
        .only("name", "slug", "deadline")[:limit]
    )
    base = index.get_url(request) or ""
    return hooks.WhatsOn(
        title=gettext("Grants with a deadline soon"),
        items=[
            hooks.WhatsOnItem(
                title=grant.name,
                url=base + index.reverse_subpage("grant", args=[grant.slug]),
                meta=gettext("Deadline %(date)s")
                % {"date": formats.date_format(grant.deadline, "j. F")},
            )
            for grant in grants
        ],
        more_url=base,
        more_text=gettext("All grants"),
        order=30,
    )


# --- The personal data registry -------------------------------------------------------------


def personal_data_sources():
    from . import mail_log
    from .accounts.personal_data import (
        erase_account,
        erase_associations,
        expire_invitations,
        export_account,
        export_associations,
    )
    from .grants import personal_data as grant_data
    from .ideas import personal_data as idea_data

    return [
        PersonalDataSource(
            key="frivillig_blocks.account",
            label=_("Account"),
            data=_(
                "Name, e-mail addresses (verified or not), user name, when the account was "
                "made and last used; a password hash if the person chose one."
            ),
            purpose=_(
                "To let the person sign in and use Mine sider: loans, courses, the exchange, "
                "associations."
            ),
            legal_basis=_("GDPR art. 6(1)(b) (the agreement the person makes by signing up)."),
            retention=_("Until the person deletes the account on Mine sider."),
            export=export_account,
            erase=erase_account,
        ),
        PersonalDataSource(
            key="frivillig_blocks.associations",
            label=_("Association memberships and invitations"),
            data=_(
                "Which associations the person belongs to and in which role; invitations "
                "to the person's address and the invitations the person sent (the "
                "invitee's address)."
            ),
            purpose=_(
                "To let an association's members act for it (book, register, post) and its "
                "administrators invite new members."
            ),
            legal_basis=_(
                "GDPR art. 6(1)(b) (the person's membership) and 6(1)(f) (the association's "
                "interest in inviting a member)."
            ),
            retention=_(
                "Memberships until the person leaves or deletes the account; invitations "
                "deleted 90 days after they were sent, and with the account."
            ),
            export=export_associations,
            erase=erase_associations,
            expire=expire_invitations,
        ),
        *idea_data.sources(),
        *grant_data.sources(),
        *mail_log.sources(),
    ]


# --- The admin --------------------------------------------------------------------------------


def grant_applications_viewset():
    from .viewsets import GrantApplicationViewSet

    return GrantApplicationViewSet()


def mail_log_viewset():
    from .viewsets import MailViewSetGroup

    return MailViewSetGroup()


# --- The page cache ---------------------------------------------------------------------------


def page_cache_models():
    """The base's own models that public pages show (pagecache.base_models)."""
    from . import pagecache

    return pagecache.base_models()


# --- The site search --------------------------------------------------------------------------


def search_sources():
    """The base's pages and published snippets (search/content.py)."""
    from .search import content

    return content.search_sources()


def admin_texts_script():
    """The admin's ``insert_global_admin_js``: our catalogue of the admin's JavaScript texts
    (views.admin_texts) in the language the admin is shown in, after Wagtail's own. Nothing
    when the site does not serve it."""
    from django.urls import NoReverseMatch, reverse
    from django.utils.html import format_html
    from django.utils.translation import get_language

    from . import __version__

    language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    if language not in dict(settings.LANGUAGES):
        return ""
    try:
        url = reverse("frivillig_admin_texts", args=[language])
    except NoReverseMatch:
        return ""
    return format_html('<script src="{}?v={}"></script>', url, __version__)
