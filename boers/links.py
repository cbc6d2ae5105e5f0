"""Absolute links into the exchange's page, for mails (which have no request)."""

from __future__ import annotations

from frivillig_blocks.links import section_page, section_url


def exchange_page():
    from .models import ExchangePage

    return section_page(ExchangePage)


def subpage_url(name: str, *args, page=None) -> str:
    from .models import ExchangePage

    return section_url(ExchangePage, name, *args, page=page)


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
