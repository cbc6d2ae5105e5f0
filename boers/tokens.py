"""Signed links that need no login: renewing a post from the reminder mail and leaving a
saved search from its digest."""

from __future__ import annotations

from frivillig_blocks.exceptions import LinkExpired, LinkInvalid
from frivillig_blocks.signing import read_link, sign_link

from . import conf

RENEW_SALT = "boers.renew"
UNSUBSCRIBE_SALT = "boers.unsubscribe"


def renew_token(post) -> str:
    # The expiry is part of the token: a renewed post's old link no longer renews it again.
    return sign_link(RENEW_SALT, [post.pk, int(post.expires_at.timestamp())])


def post_from_renew_token(token: str):
    """The post a renewal link is for, or None when the link is forged, used or too old."""
    from .models import Post

    try:
        pk, expires = read_link(RENEW_SALT, token, max_age=(conf.lifetime_days() + 30) * 86400)
    except (LinkInvalid, LinkExpired, ValueError, TypeError):
        return None
    post = Post.objects.filter(pk=pk).first()
    if post is None or int(post.expires_at.timestamp()) != expires:
        return None
    return post


def unsubscribe_token(saved_search) -> str:
    return sign_link(UNSUBSCRIBE_SALT, saved_search.pk)


def saved_search_from_token(token: str):
    from .models import SavedSearch

    try:
        pk = read_link(UNSUBSCRIBE_SALT, token)
    except (LinkInvalid, LinkExpired):
        return None
    if not isinstance(pk, int):
        return None
    return SavedSearch.objects.filter(pk=pk).first()
