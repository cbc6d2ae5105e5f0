"""The exchange's use cases: keyword-only, one transaction each, raising the app's errors.
Staff decisions are recorded in Wagtail's action log (``boers.*``, see wagtail_hooks)."""

from __future__ import annotations

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from wagtail.log_actions import log

from frivillig_blocks.models import AssociationMembership

from . import conf, exceptions, relay
from .models import (
    Block,
    Conversation,
    Message,
    Outcome,
    OutcomeTally,
    Post,
    PostStatus,
    PostTerm,
    Report,
    SavedSearch,
    VerifiedAssociation,
    WhenKind,
    terms_of,
)

POST_FIELDS = [
    "side",
    "kind",
    "theme",
    "title",
    "body",
    "area",
    "when_kind",
    "date_from",
    "date_to",
    "recurrence",
    "time_needed",
    "age_suitability",
    "involves_children",
    "association",
]
MAX_MESSAGE = 4000
DOUBLE_SUBMIT_SECONDS = 120
# Replies by mail have no request for allauth's limiter: the same limits, counted in the
# cache (Redis in production) per person.
MAIL_LIMITS = ((60, 10), (3600, 100))


def mail_quota_left(user) -> bool:
    """Count one message by mail; False when the person is over a limit."""
    from django.core.cache import cache

    # Each window starts with the person's first message in it (the counter's key expires
    # with the window), not at a clock boundary that would let a burst straddle two.
    allowed = True
    for seconds, limit in MAIL_LIMITS:
        key = f"boers:mail-messages:{user.pk}:{seconds}"
        cache.add(key, 0, timeout=seconds)
        try:
            count = cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout=seconds)
            count = 1
        allowed = allowed and count <= limit
    return allowed


def is_blocked(user) -> bool:
    return Block.objects.filter(user_id=user.pk).exists()


def ensure_not_blocked(user) -> None:
    if is_blocked(user):
        raise exceptions.Blocked


def is_verified(association) -> bool:
    return (
        bool(association)
        and VerifiedAssociation.objects.filter(association_id=association.pk).exists()
    )


def index_terms(post: Post) -> None:
    PostTerm.objects.filter(post=post).delete()
    PostTerm.objects.bulk_create(
        [PostTerm(post=post, term=term) for term in terms_of(post.title, post.body)]
    )


def _apply(post: Post, data: dict) -> None:
    for name in POST_FIELDS:
        if name in data:
            setattr(post, name, data[name])
    if post.when_kind == WhenKind.DATE:
        post.date_to = post.date_from
    elif post.when_kind != WhenKind.PERIOD:
        post.date_from = post.date_to = None
    if post.when_kind != WhenKind.RECURRING:
        post.recurrence = ""


def _check_association(user, association) -> None:
    if (
        association is not None
        and not AssociationMembership.objects.filter(
            user_id=user.pk, association_id=association.pk
        ).exists()
    ):
        raise exceptions.NotAssociationMember


def needs_approval(user) -> bool:
    """A person's first post waits for a moderator (when configured so)."""
    if not conf.first_post_needs_approval():
        return False
    return not Post.objects.filter(author_id=user.pk, published_at__isnull=False).exists()


def create_post(*, user, data: dict, submission_key: str = "") -> Post:
    ensure_not_blocked(user)
    _check_association(user, data.get("association"))
    if submission_key:
        existing = Post.objects.filter(author_id=user.pk, submission_key=submission_key).first()
        if existing:
            return existing
    now = timezone.now()
    post = Post(author=user, submission_key=submission_key[:64], created_at=now)
    _apply(post, data)
    post.status = PostStatus.PENDING if needs_approval(user) else PostStatus.PUBLISHED
    post.published_at = now if post.status == PostStatus.PUBLISHED else None
    post.expires_at = now + timedelta(days=conf.lifetime_days())
    post.verified_badge = is_verified(post.association)
    try:
        with transaction.atomic():
            post.save()
            index_terms(post)
    except IntegrityError:
        # The same form sent twice at once: the other request made the post.
        existing = Post.objects.filter(author_id=user.pk, submission_key=submission_key).first()
        if existing is None:
            raise
        return existing
    return post


@transaction.atomic
def update_post(*, post: Post, user, data: dict) -> Post:
    ensure_not_blocked(user)
    if post.author_id != user.pk:
        raise exceptions.NotAllowed
    if post.status in (PostStatus.CLOSED, PostStatus.EXPIRED, PostStatus.REJECTED):
        raise exceptions.PostNotOpen
    _check_association(user, data.get("association"))
    _apply(post, data)
    post.verified_badge = is_verified(post.association)
    post.save()
    index_terms(post)
    return post


# --- Moderation -----------------------------------------------------------------------------


@transaction.atomic
def approve_post(*, post: Post, user) -> Post:
    post = Post.objects.select_for_update().get(pk=post.pk)
    now = timezone.now()
    was_new = post.published_at is None
    post.status = PostStatus.PUBLISHED
    if was_new:
        post.published_at = now
        post.expires_at = now + timedelta(days=conf.lifetime_days())
    post.report_count = 0
    post.save()
    Report.objects.filter(post=post, resolved_at__isnull=True).update(
        resolved_at=now, resolved_by=user
    )
    log(post, "boers.approve" if was_new else "boers.restore", user=user)
    if was_new:
        _tell_author(post, approved=True)
    return post


def _tell_author(post: Post, *, approved: bool) -> None:
    """The decision on a post waiting for approval, by mail to its author."""
    from frivillig_blocks.outbound import send_templated_mail

    from .links import post_url

    if not post.author.email:
        return
    send_templated_mail(
        to=[post.author.email],
        template="boers/mail/decision",
        context={"post": post, "approved": approved, "url": post_url(post)},
        purpose="boers_decision",
        related=post,
    )


@transaction.atomic
def reject_post(*, post: Post, user) -> Post:
    post = Post.objects.select_for_update().get(pk=post.pk)
    now = timezone.now()
    was_waiting = post.status == PostStatus.PENDING
    post.status = PostStatus.REJECTED
    post.closed_at = now
    post.report_count = 0
    post.save()
    Report.objects.filter(post=post, resolved_at__isnull=True).update(
        resolved_at=now, resolved_by=user
    )
    log(post, "boers.reject", user=user)
    if was_waiting:
        _tell_author(post, approved=False)
    return post


@transaction.atomic
def hide_message(*, message: Message, user) -> Message:
    message.hidden = True
    message.save(update_fields=["hidden"])
    Report.objects.filter(message=message, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=user
    )
    log(message.conversation.post, "boers.hide_message", user=user)
    return message


@transaction.atomic
def dismiss_report(*, report: Report, user) -> Report:
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.resolved_at is None:
        report.resolved_at = timezone.now()
        report.resolved_by = user
        report.save(update_fields=["resolved_at", "resolved_by"])
        if report.post_id:
            Post.objects.filter(pk=report.post_id, report_count__gt=0).update(
                report_count=F("report_count") - 1
            )
        log(report.post or report.message.conversation.post, "boers.dismiss_report", user=user)
    return report


@transaction.atomic
def block_user(*, person, by, reason: str = "") -> Block:
    block, created = Block.objects.get_or_create(
        user=person, defaults={"created_by": by, "reason": reason[:2000]}
    )
    if created:
        log(block, "boers.block", user=by)
    hide_posts_of_blocked_user(block=block, by=by)
    return block


@transaction.atomic
def hide_posts_of_blocked_user(*, block: Block, by) -> int:
    """The blocked person's open posts (published or waiting) leave the exchange: each is
    hidden with an entry in its history naming who blocked. Called wherever a block is
    decided (the moderation queue, the admin's blocked persons). Returns how many."""
    posts = list(
        Post.objects.select_for_update().filter(
            author_id=block.user_id, status__in=[PostStatus.PUBLISHED, PostStatus.PENDING]
        )
    )
    for post in posts:
        post.status = PostStatus.HIDDEN
        post.save(update_fields=["status"])
        log(post, "boers.hidden_by_block", user=by)
    return len(posts)


@transaction.atomic
def unblock_user(*, person, by) -> None:
    block = Block.objects.filter(user=person).first()
    if block is not None:
        log(block, "boers.unblock", user=by)
        block.delete()


@transaction.atomic
def set_association_verified(*, association, by, verified: bool, note: str = ""):
    if verified:
        record, _ = VerifiedAssociation.objects.get_or_create(
            association=association, defaults={"verified_by": by, "note": note[:200]}
        )
        log(record, "boers.verify", user=by)
    else:
        record = VerifiedAssociation.objects.filter(association=association).first()
        if record is not None:
            log(record, "boers.unverify", user=by)
            record.delete()
    Post.objects.filter(association=association).update(verified_badge=verified)


def _report(*, user, reason: str, text: str, **target) -> Report:
    try:
        with transaction.atomic():
            return Report.objects.create(reporter=user, reason=reason, text=text[:2000], **target)
    except IntegrityError as exc:
        raise exceptions.AlreadyReported from exc


@transaction.atomic
def report_post(*, post: Post, user, reason: str, text: str = "") -> Report:
    post = Post.objects.select_for_update().get(pk=post.pk)
    report = _report(user=user, reason=reason, text=text, post=post)
    post.report_count = F("report_count") + 1
    post.save(update_fields=["report_count"])
    post.refresh_from_db(fields=["report_count"])
    if post.status == PostStatus.PUBLISHED and post.report_count >= conf.report_threshold():
        post.status = PostStatus.HIDDEN
        post.save(update_fields=["status"])
        log(post, "boers.hidden_by_reports", user=None)
    return report


def report_message(*, message: Message, user, reason: str, text: str = "") -> Report:
    if not message.conversation.is_participant(user):
        raise exceptions.NotAllowed
    return _report(user=user, reason=reason, text=text, message=message)


# --- Conversations ----------------------------------------------------------------------------


def clean_body(body: str) -> str:
    body = (body or "").replace("\r\n", "\n").strip()
    if not body:
        raise exceptions.BoersError(exceptions.BoersError.message)
    return body[:MAX_MESSAGE]


@transaction.atomic
def start_conversation(*, post: Post, user, body: str) -> Conversation:
    ensure_not_blocked(user)
    post = Post.objects.select_for_update().get(pk=post.pk)
    if post.author_id == user.pk:
        raise exceptions.OwnPost
    if not post.is_open:
        raise exceptions.PostNotOpen
    conversation, _ = Conversation.objects.get_or_create(post=post, starter=user)
    send_message(conversation=conversation, user=user, body=body)
    return conversation


@transaction.atomic
def send_message(
    *, conversation: Conversation, user, body: str, via=Message.Via.WEB, inbound=None
) -> Message:
    ensure_not_blocked(user)
    if not conversation.is_participant(user):
        raise exceptions.NotAllowed
    post = conversation.post
    if post.status in (PostStatus.HIDDEN, PostStatus.REJECTED, PostStatus.PENDING):
        raise exceptions.PostNotOpen
    body = clean_body(body)
    # The conversation's row lock makes a double submit (or two racing ones) one message.
    Conversation.objects.select_for_update().filter(pk=conversation.pk).first()
    last = (
        Message.objects.filter(conversation=conversation, sender=user)
        .order_by("-created_at", "-pk")
        .first()
    )
    if (
        last is not None
        and last.body == body
        and last.created_at > timezone.now() - timedelta(seconds=DOUBLE_SUBMIT_SECONDS)
    ):
        return last
    if via == Message.Via.MAIL and not mail_quota_left(user):
        raise exceptions.TooManyMessages
    message = Message.objects.create(
        conversation=conversation,
        sender=user,
        body=body,
        via=via,
        inbound_message=inbound,
    )
    Conversation.objects.filter(pk=conversation.pk).update(last_message_at=message.created_at)
    relay.relay_message(message)
    return message


@transaction.atomic
def share_contact(*, conversation: Conversation, user) -> Conversation:
    conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
    if not conversation.is_participant(user):
        raise exceptions.NotAllowed
    if user.pk == conversation.starter_id:
        conversation.starter_shares_contact = True
    if user.pk == conversation.post.author_id:
        conversation.author_shares_contact = True
    conversation.save(update_fields=["starter_shares_contact", "author_shares_contact"])
    return conversation


# --- Life cycle -------------------------------------------------------------------------------


def _month(moment):
    return timezone.localtime(moment).date().replace(day=1)


def count_outcome(post: Post, outcome: str) -> None:
    tally, _ = OutcomeTally.objects.get_or_create(
        month=_month(timezone.now()), side=post.side, kind=post.kind, outcome=outcome
    )
    OutcomeTally.objects.filter(pk=tally.pk).update(count=F("count") + 1)


@transaction.atomic
def close_post(*, post: Post, user, outcome: str) -> Post:
    post = Post.objects.select_for_update().get(pk=post.pk)
    if post.author_id != user.pk:
        raise exceptions.NotAllowed
    if post.status in (PostStatus.CLOSED, PostStatus.REJECTED):
        raise exceptions.PostNotOpen
    outcome = outcome if outcome in Outcome.values else Outcome.UNANSWERED
    post.status = PostStatus.CLOSED
    post.closed_at = timezone.now()
    post.outcome = outcome
    post.save(update_fields=["status", "closed_at", "outcome"])
    count_outcome(post, outcome)
    return post


@transaction.atomic
def renew_post(*, post: Post) -> Post:
    post = Post.objects.select_for_update().get(pk=post.pk)
    if post.status not in (PostStatus.PUBLISHED, PostStatus.EXPIRED):
        raise exceptions.PostNotOpen
    post.status = PostStatus.PUBLISHED
    post.expires_at = timezone.now() + timedelta(days=conf.lifetime_days())
    post.reminder_sent_at = None
    post.closed_at = None
    post.save(update_fields=["status", "expires_at", "reminder_sent_at", "closed_at"])
    return post


def save_search(*, user, name: str, query: dict, frequency: str) -> SavedSearch:
    return SavedSearch.objects.create(user=user, name=name[:120], query=query, frequency=frequency)
