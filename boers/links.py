"""Absolute links into the exchange's page, for mails (which have no request)."""

from __future__ import annotations

from django.conf import settings


def exchange_page():
    from .models import ExchangePage

    return ExchangePage.objects.live().order_by("path").first()


def subpage_url(name: str, *args, page=None) -> str:
    page = page or exchange_page()
    if page is None:
        return settings.WAGTAILADMIN_BASE_URL
    base = page.get_full_url() or (settings.WAGTAILADMIN_BASE_URL.rstrip("/") + page.url_path)
    return base.rstrip("/") + "/" + page.reverse_subpage(name, args=args).lstrip("/")


def conversation_url(conversation) -> str:
    return subpage_url("conversation", conversation.pk)


def post_url(post) -> str:
    return subpage_url("show_post", post.pk)


def renew_url(post) -> str:
    from .tokens import renew_token

    return subpage_url("renew", renew_token(post))


def unsubscribe_url(saved_search) -> str:
    from .tokens import unsubscribe_token

    return subpage_url("unsubscribe", unsubscribe_token(saved_search))
