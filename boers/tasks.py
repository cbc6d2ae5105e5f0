"""Background work of the exchange (django-tasks); the times are in schedule.py.
Arguments are primary keys."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from . import conf, links, search
from .forms import SearchForm
from .models import (
    Frequency,
    Outcome,
    Post,
    PostStatus,
    SavedSearch,
)

DIGEST_LIMIT = 20
WEEKLY_INTERVAL = timedelta(days=7)


def _due_searches(now):
    daily = Q(frequency=Frequency.DAILY)
    weekly = Q(frequency=Frequency.WEEKLY) & (
        Q(last_sent_at__isnull=True, created_at__lte=now - WEEKLY_INTERVAL + timedelta(hours=1))
        | Q(last_sent_at__lte=now - WEEKLY_INTERVAL + timedelta(hours=1))
    )
    return SavedSearch.objects.filter(daily | weekly).select_related("user")


@task()
def send_digest(saved_search_id: int) -> int:
    """Mail one saved search's new matching posts; returns how many posts were in it."""
    from frivillig_blocks.outbound import send_templated_mail

    now = timezone.now()
    with transaction.atomic():
        saved = (
            SavedSearch.objects.select_for_update()
            .select_related("user")
            .filter(pk=saved_search_id)
            .first()
        )
        if saved is None or not saved.user.is_active or not saved.user.email:
            return 0
        filters = SearchForm.from_stored(saved.query)
        posts = list(
            search.with_display_relations(
                search.filter_posts(filters)
                .filter(published_at__gt=saved.checked_until, published_at__lte=now)
                .exclude(author_id=saved.user_id)
            )[:DIGEST_LIMIT]
        )
        saved.checked_until = now
        if posts:
            saved.last_sent_at = now
            page = links.exchange_page()
            send_templated_mail(
                to=[saved.user.email],
                template="boers/mail/digest",
                context={
                    "saved": saved,
                    "posts": posts,
                    "items": [
                        {"post": p, "url": links.subpage_url("show_post", p.pk, page=page)}
                        for p in posts
                    ],
                    "unsubscribe_url": links.unsubscribe_url(saved),
                },
                purpose="boers_digest",
                related=saved,
                headers={
                    "List-Unsubscribe": f"<{links.unsubscribe_url(saved)}>",
                    "Auto-Submitted": "auto-generated",
                },
            )
        saved.save(update_fields=["checked_until", "last_sent_at"])
    return len(posts)


@task()
def send_digests() -> int:
    """Daily at its time: every daily search, and weekly searches a week after their last."""
    ids = list(_due_searches(timezone.now()).values_list("pk", flat=True))
    return sum(send_digest.call(pk) for pk in ids)


@task()
def send_expiry_reminders() -> int:
    """Remind authors of published posts that expire within BOERS_REMINDER_DAYS, once."""
    from frivillig_blocks.outbound import send_templated_mail

    now = timezone.now()
    ids = list(
        Post.objects.filter(
            status=PostStatus.PUBLISHED,
            reminder_sent_at__isnull=True,
            expires_at__gt=now,
            expires_at__lte=now + timedelta(days=conf.reminder_days()),
        ).values_list("pk", flat=True)
    )
    sent = 0
    for pk in ids:
        with transaction.atomic():
            post = (
                Post.objects.select_for_update()
                .select_related("author")
                .filter(pk=pk, reminder_sent_at__isnull=True)
                .first()
            )
            if post is None or not post.author.email:
                continue
            send_templated_mail(
                to=[post.author.email],
                template="boers/mail/reminder",
                context={"post": post, "post_url": links.post_url(post)},
                # The one-click renewal link acts without a login: staff never read it.
                secrets={"renew_url": links.renew_url(post)},
                purpose="boers_expiry_reminder",
                related=post,
            )
            post.reminder_sent_at = now
            post.save(update_fields=["reminder_sent_at"])
            sent += 1
    return sent


@task()
def expire_posts() -> int:
    """Published posts past their expiry become expired (their outcome: not answered)."""
    from .services import count_outcome

    now = timezone.now()
    expired = 0
    for pk in Post.objects.filter(status=PostStatus.PUBLISHED, expires_at__lte=now).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            post = (
                Post.objects.select_for_update().filter(pk=pk, status=PostStatus.PUBLISHED).first()
            )
            if post is None:
                continue
            post.status = PostStatus.EXPIRED
            post.closed_at = post.expires_at
            post.outcome = Outcome.UNANSWERED
            post.save(update_fields=["status", "closed_at", "outcome"])
            count_outcome(post, Outcome.UNANSWERED)
            expired += 1
    return expired


@task()
def refresh_search_statistics() -> None:
    """Refresh the database's statistics of the exchange's tables, so the query planner
    knows that almost every post is published (SQLite keeps none until ANALYZE runs;
    PostgreSQL's autovacuum does the same, this only makes it timely)."""
    from django.db import connection

    from .models import Post, PostTerm

    tables = [Post._meta.db_table, PostTerm._meta.db_table]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(t) for t in tables))
        else:
            for table in tables:
                cursor.execute("ANALYZE " + connection.ops.quote_name(table))
