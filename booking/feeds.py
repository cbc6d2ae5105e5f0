"""The leaders' secret calendar feeds: one address per leader and institution.

A feed lists the institution's pending and approved loans for a leader's own calendar. Its
address holds a random key of which only a hash is stored, so the address is shown once,
when the leader makes it; making a new one replaces the old at once. The key works only
while its user may still decide the institution's loans: that is checked on every request,
and removing a leader from an institution (or the account) deletes the key as well.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models.signals import m2m_changed
from django.dispatch import receiver
from django.utils.crypto import constant_time_compare
from wagtail.log_actions import log

from .models import Institution, LeaderFeedToken, new_token, token_hash


@dataclass(frozen=True)
class NewFeed:
    """A feed as it is made: the only moment its secret exists outside the mail client."""

    feed: LeaderFeedToken
    token: str

    def path(self, resource_id: int | None = None) -> str:
        """The feed's path below the loans page."""
        tail = f"{resource_id}/" if resource_id else ""
        return f"feed/{self.feed.pk}/{self.token}/{tail}"


def may_follow(user, institution: Institution) -> bool:
    """Whether ``user`` may have a feed of ``institution``'s loans: an active superuser, or
    an active user with the right to decide loans who leads the institution."""
    if not (user and user.is_active):
        return False
    if user.is_superuser:
        return True
    return user.has_perm("booking.decide_loan") and institution.leaders.filter(pk=user.pk).exists()


def institutions_for(user):
    """The institutions whose feed ``user`` may make."""
    from .services import may_decide_all

    institutions = Institution.objects.order_by("name")
    if may_decide_all(user):
        return institutions
    if not (user.is_active and user.has_perm("booking.decide_loan")):
        return institutions.none()
    return institutions.filter(leaders=user)


def renew(*, user, institution: Institution) -> NewFeed:
    """Make the leader's feed of ``institution``, replacing the old one (whose address stops
    working at once). Logged on the institution."""
    from . import exceptions

    with transaction.atomic():
        if not may_follow(user, institution):
            raise exceptions.NotAllowed()
        token = new_token()
        old = LeaderFeedToken.objects.select_for_update().filter(user=user, institution=institution)
        replaced = old.exists()
        old.delete()
        feed = LeaderFeedToken.objects.create(
            user=user, institution=institution, token_hash=token_hash(token)
        )
        log(institution, "booking.feed_renew", user=user, data={"replaced": replaced})
    return NewFeed(feed=feed, token=token)


def authorised(feed_id: int, token: str) -> LeaderFeedToken | None:
    """The feed this address opens, or None. The key is compared in constant time, and the
    feed's user must still be allowed to follow the institution."""
    feed = (
        LeaderFeedToken.objects.select_related("user", "institution", "institution__place")
        .filter(pk=feed_id)
        .first()
    )
    if feed is None or not constant_time_compare(feed.token_hash, token_hash(token or "")):
        return None
    if not may_follow(feed.user, feed.institution):
        return None
    return feed


def revoke(*, user_ids=None, institution_ids=None) -> int:
    """Delete the feeds of these leaders (of these institutions); logged on each institution."""
    feeds = LeaderFeedToken.objects.all()
    if user_ids is not None:
        feeds = feeds.filter(user_id__in=list(user_ids))
    if institution_ids is not None:
        feeds = feeds.filter(institution_id__in=list(institution_ids))
    gone = list(feeds.select_related("institution"))
    for feed in gone:
        log(feed.institution, "booking.feed_revoke", user=None, data={"leader": feed.user_id})
    LeaderFeedToken.objects.filter(pk__in=[f.pk for f in gone]).delete()
    return len(gone)


@receiver(m2m_changed, sender=Institution.leaders.through, dispatch_uid="booking_feed_revoke")
def _leaders_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    """A leader removed from an institution loses that institution's feed."""
    if action == "post_remove" and pk_set:
        if reverse:  # user.led_institutions.remove(...)
            revoke(user_ids=[instance.pk], institution_ids=pk_set)
        else:  # institution.leaders.remove(...) (and the admin form's set())
            revoke(user_ids=pk_set, institution_ids=[instance.pk])
    elif action == "post_clear":
        if reverse:
            revoke(user_ids=[instance.pk])
        else:
            revoke(institution_ids=[instance.pk])
