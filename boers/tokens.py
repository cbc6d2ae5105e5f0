"""Signed links that need no login: renewing a post from the reminder mail and leaving a
saved search from its digest."""

from __future__ import annotations

from django.core import signing
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from . import conf


def _wrap(signed: str) -> str:
    # Wagtail serves page paths of letters, digits, "_" and "-" only: no ":".
    return urlsafe_base64_encode(signed.encode())


def _unwrap(token: str) -> str:
    try:
        return urlsafe_base64_decode(token).decode()
    except (ValueError, UnicodeDecodeError):
        return ""


RENEW_SALT = "boers.renew"
UNSUBSCRIBE_SALT = "boers.unsubscribe"


def renew_token(post) -> str:
    # The expiry is part of the token: a renewed post's old link no longer renews it again.
    return _wrap(signing.dumps([post.pk, int(post.expires_at.timestamp())], salt=RENEW_SALT))


def post_from_renew_token(token: str):
    """The post a renewal link is for, or None when the link is forged, used or too old."""
    from .models import Post

    try:
        pk, expires = signing.loads(
            _unwrap(token), salt=RENEW_SALT, max_age=(conf.lifetime_days() + 30) * 86400
        )
    except (signing.BadSignature, ValueError, TypeError):
        return None
    post = Post.objects.filter(pk=pk).first()
    if post is None or int(post.expires_at.timestamp()) != expires:
        return None
    return post


def unsubscribe_token(saved_search) -> str:
    return _wrap(signing.dumps(saved_search.pk, salt=UNSUBSCRIBE_SALT))


def saved_search_from_token(token: str):
    from .models import SavedSearch

    try:
        pk = signing.loads(_unwrap(token), salt=UNSUBSCRIBE_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(pk, int):
        return None
    return SavedSearch.objects.filter(pk=pk).first()
