"""The exchange's implementations of the base's hooks (registered in wagtail_hooks.py): the
moderation admin, Mine sider, the figures and the one door's personal data registry
(``frivillig_blocks.personal_data``): a person's posts, conversations and messages,
reports, saved searches and block, each with its export, erasure and retention.

Erasure removes the person's posts (with every conversation on them), the conversations
they started (with the other side's messages: a conversation is the two of them), their
saved searches, and the stored mails about all of these (the relayed copies of the
messages too). Reports they made stay for the moderators without their name. The
retention deletes ended posts with their conversations ``BOERS_RETENTION_DAYS`` after they
ended, and settled reports as long after they were settled."""

from __future__ import annotations

import datetime
import re

from django.db.models import Q
from django.urls import include, path, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem
from wagtail.admin.site_summary import SummaryItem

from frivillig_blocks import hooks as frivillig_hooks
from frivillig_blocks import layout
from frivillig_blocks.personal_data import Person, PersonalDataSource, scrub_mail
from frivillig_blocks.search.sources import Entry, Hit, SearchSource
from frivillig_blocks.search.text import summary

from . import conf, links
from .models import (
    Block,
    Conversation,
    ExchangePage,
    Message,
    Post,
    PostStatus,
    Report,
    SavedSearch,
)

REDACTED = "[…]"
ENDED = (PostStatus.CLOSED, PostStatus.EXPIRED, PostStatus.REJECTED)
# Never published or taken down: they end when they would have expired.
WAITING = (PostStatus.PENDING, PostStatus.HIDDEN)


def _redact(text: str, person: Person) -> str:
    """``text`` without the person's addresses and full name (whole words)."""
    if not text:
        return text
    needles = set(person.emails)
    full_name = (person.user.get_full_name() or "").strip()
    if len(full_name) >= 3:
        needles.add(full_name)
    for needle in sorted(needles, key=len, reverse=True):
        text = re.sub(rf"(?<!\w){re.escape(needle)}(?!\w)", REDACTED, text, flags=re.IGNORECASE)
    return text


def _forget_log(posts) -> None:
    """The moderators' history of deleted posts keeps the decisions, not the titles."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import F, Value
    from django.db.models.functions import Concat
    from wagtail.models import ModelLogEntry

    ids = [str(pk) for pk in posts]
    if ids:
        ModelLogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Post), object_id__in=ids
        ).update(label=Concat(Value("#"), F("object_id")), data={})


def delete_conversations(conversations) -> int:
    """Delete conversations with their messages, the relayed mails and the replies that
    came in by mail (they quote the other side's message)."""
    from frivillig_blocks.models import InboundMessage

    ids = list(conversations.values_list("pk", flat=True))
    if not ids:
        return 0
    inbound = list(
        Message.objects.filter(conversation_id__in=ids, inbound_message__isnull=False)
        .values_list("inbound_message_id", flat=True)
        .distinct()
    )
    scrub_mail(f"boers.conversation:{pk}" for pk in ids)
    deleted = Conversation.objects.filter(pk__in=ids).delete()[1].get("boers.Conversation", 0)
    InboundMessage.objects.filter(pk__in=inbound).delete()
    return deleted


def delete_posts(posts) -> int:
    """Delete posts with their conversations, reports, words and stored mails."""
    ids = list(posts.values_list("pk", flat=True))
    if not ids:
        return 0
    delete_conversations(Conversation.objects.filter(post_id__in=ids))
    scrub_mail(f"boers.post:{pk}" for pk in ids)
    _forget_log(ids)
    return Post.objects.filter(pk__in=ids).delete()[1].get("boers.Post", 0)


# --- Posts ------------------------------------------------------------------------------------


def export_posts(person: Person) -> list:
    return [
        {
            "title": p.title,
            "text": p.body,
            "side": p.side,
            "kind": p.kind,
            "theme": p.theme.name if p.theme_id else "",
            "area": p.area.name if p.area_id else "",
            "when": p.when_kind,
            "from": p.date_from,
            "to": p.date_to,
            "how_often": p.recurrence,
            "time_needed": p.time_needed,
            "suitable_for": p.age_suitability,
            "involves_children": p.involves_children,
            "on_behalf_of": p.association.name if p.association_id else "",
            "status": p.status,
            "created": p.created_at,
            "published": p.published_at,
            "expires": p.expires_at,
            "closed": p.closed_at,
            "outcome": p.outcome,
        }
        for p in Post.objects.filter(author=person.user)
        .select_related("area", "association", "theme")
        .order_by("created_at", "pk")
    ]


def erase_posts(person: Person) -> None:
    delete_posts(Post.objects.filter(author=person.user))


def expire_posts(now: datetime.datetime) -> int:
    """Ended posts, and posts that waited for a moderator past their expiry, are deleted
    with their conversations BOERS_RETENTION_DAYS later. The outcome counts stay."""
    cutoff = now - datetime.timedelta(days=conf.retention_days())
    old = Post.objects.filter(
        Q(status__in=ENDED, closed_at__lt=cutoff) | Q(status__in=WAITING, expires_at__lt=cutoff)
    )
    return delete_posts(old)


# --- Conversations and messages ------------------------------------------------------------------


def _conversations_of(user):
    return Conversation.objects.filter(Q(starter=user) | Q(post__author=user))


def export_conversations(person: Person) -> list:
    from .relay import display_name

    user = person.user
    result = []
    for c in (
        _conversations_of(user)
        .select_related("post__author", "starter")
        .prefetch_related("messages")
        .order_by("created_at", "pk")
    ):
        other = c.other(user)
        result.append(
            {
                "post": c.post.title,
                "your_role": "author" if c.post.author_id == user.pk else "answered",
                "other_person": display_name(c, other),
                "started": c.created_at,
                "you_share_contact": c.starter_shares_contact
                if c.starter_id == user.pk
                else c.author_shares_contact,
                "messages": [
                    {
                        "from": "you" if m.sender_id == user.pk else "other_person",
                        "text": m.body,
                        "sent": m.created_at,
                        "via": m.via,
                        "hidden_by_moderator": m.hidden,
                    }
                    for m in c.messages.all()
                    # A message a moderator hid is not handed on to the other person.
                    if m.sender_id == user.pk or not m.hidden
                ],
            }
        )
    return result


def erase_conversations(person: Person) -> None:
    delete_conversations(_conversations_of(person.user))


# --- Reports --------------------------------------------------------------------------------


def export_reports(person: Person) -> list:
    return [
        {
            "post": r.post.title if r.post_id else "",
            "message": r.message.body if r.message_id else "",
            "reason": r.reason,
            "text": r.text,
            "reported": r.created_at,
            "reviewed": r.resolved_at,
        }
        for r in Report.objects.filter(reporter=person.user)
        .select_related("post", "message")
        .order_by("created_at", "pk")
    ]


def erase_reports(person: Person) -> None:
    """A report stays for the moderators, without who made it."""
    for report in Report.objects.filter(reporter=person.user):
        report.reporter = None
        report.text = _redact(report.text, person)
        report.save(update_fields=["reporter", "text"])


def expire_reports(now: datetime.datetime) -> int:
    """Settled reports go BOERS_RETENTION_DAYS after they were settled (an open one stays
    until a moderator settles it or its post goes)."""
    cutoff = now - datetime.timedelta(days=conf.retention_days())
    return Report.objects.filter(resolved_at__lt=cutoff).delete()[1].get("boers.Report", 0)


# --- Saved searches and blocks ------------------------------------------------------------------


def export_saved_searches(person: Person) -> list:
    return [
        {
            "name": s.name,
            "filters": s.query,
            "frequency": s.frequency,
            "created": s.created_at,
            "last_sent": s.last_sent_at,
        }
        for s in SavedSearch.objects.filter(user=person.user).order_by("created_at", "pk")
    ]


def delete_saved_searches(searches) -> int:
    ids = list(searches.values_list("pk", flat=True))
    scrub_mail(f"boers.savedsearch:{pk}" for pk in ids)
    return SavedSearch.objects.filter(pk__in=ids).delete()[1].get("boers.SavedSearch", 0)


def erase_saved_searches(person: Person) -> None:
    delete_saved_searches(SavedSearch.objects.filter(user=person.user))


def export_block(person: Person) -> list:
    return [
        {"blocked": b.created_at, "reason": b.reason}
        for b in Block.objects.filter(user=person.user)
    ]


def erase_block(person: Person) -> None:
    Block.objects.filter(user=person.user).delete()


# --- The record -------------------------------------------------------------------------------

PUBLIC_TASK = _(
    "GDPR art. 6(1)(e) (public authority task: the municipality's support of voluntary "
    "work, the Social Services Act § 18)"
)


def personal_data_sources() -> list[PersonalDataSource]:
    return [
        PersonalDataSource(
            key="boers.posts",
            label=_("Posts on the volunteer exchange"),
            data=_(
                "Title and text, need or offer, kind, area, when and how often, on behalf "
                "of which association, status, dates, whether the person found someone"
            ),
            purpose=_("Showing needs and offers so volunteers and associations find each other"),
            legal_basis=PUBLIC_TASK,
            retention=_(
                "Deleted with the account, or BOERS_RETENTION_DAYS (default 365) days after "
                "the post was closed, expired or rejected (a post waiting for a moderator: "
                "after it would have expired). Only the monthly count of outcomes stays."
            ),
            export=export_posts,
            erase=erase_posts,
            expire=expire_posts,
        ),
        PersonalDataSource(
            key="boers.conversations",
            label=_("Conversations and messages on the volunteer exchange"),
            data=_(
                "Messages between a post's author and the person who answered, relayed by "
                "mail without either address; whether each agreed to share contact details"
            ),
            purpose=_("Letting the two people agree on the help without sharing addresses"),
            legal_basis=PUBLIC_TASK,
            retention=_(
                "Deleted with the post it is about (see posts), or when either person "
                "deletes their account; the relayed mails go with it."
            ),
            export=export_conversations,
            erase=erase_conversations,
        ),
        PersonalDataSource(
            key="boers.reports",
            label=_("Reports of posts and messages on the volunteer exchange"),
            data=_("Who reported, the reason and the details written"),
            purpose=_("Moderating the exchange: taking down harmful posts and messages"),
            legal_basis=PUBLIC_TASK,
            retention=_(
                "Deleted with the reported post or message; a settled report "
                "BOERS_RETENTION_DAYS after it was settled. Kept without the reporter's "
                "name when they delete their account."
            ),
            export=export_reports,
            erase=erase_reports,
            expire=expire_reports,
        ),
        PersonalDataSource(
            key="boers.saved_searches",
            label=_("Saved searches of the volunteer exchange"),
            data=_("The search's name and filters, how often to mail new matches"),
            purpose=_("Mailing the person new posts that match their search"),
            legal_basis=_("GDPR art. 6(1)(a) (consent: the person saved the search)"),
            retention=_(
                "Until the person deletes it, unsubscribes from the mail, or deletes their "
                "account; its mails go with it."
            ),
            export=export_saved_searches,
            erase=erase_saved_searches,
        ),
        PersonalDataSource(
            key="boers.blocks",
            label=_("People blocked on the volunteer exchange"),
            data=_("That the person may not post or write, since when, the moderator's reason"),
            purpose=_("Keeping people who misuse the exchange out of it"),
            legal_basis=PUBLIC_TASK,
            retention=_("Until a moderator lifts the block or the account is deleted."),
            export=export_block,
            erase=erase_block,
        ),
    ]


# --- Mine sider ---------------------------------------------------------------------------


def mine_sider_section(request):
    from .links import exchange_page

    page = exchange_page()
    if page is None:
        return None
    user = request.user
    conversations = (
        Conversation.objects.filter(post__author=user) | Conversation.objects.filter(starter=user)
    ).select_related("post")
    return frivillig_hooks.MineSiderSection(
        title=_("The exchange"),
        template_name="boers/section_mine_sider.html",
        context={
            "base_url": page.get_url(request),
            "posts": list(Post.objects.filter(author=user).order_by("-created_at")[:50]),
            "conversations": list(conversations.order_by("-last_message_at")[:50]),
            "searches": list(SavedSearch.objects.filter(user=user)),
        },
        order=40,
    )


def figure_source():
    from .figures import ExchangeFigures

    return ExchangeFigures()


# --- The admin: moderation menu and URLs, viewsets, log actions, dashboard -----------------

ACTIONS = {
    "boers.approve": (_("Approve post"), _("Post approved")),
    "boers.restore": (_("Show post again"), _("Post shown again after review")),
    "boers.reject": (_("Reject post"), _("Post rejected")),
    "boers.hidden_by_reports": (_("Hidden by reports"), _("Post hidden by reports")),
    "boers.hidden_by_block": (
        _("Hidden: author blocked"),
        _("Post hidden as its author was blocked"),
    ),
    "boers.hide_message": (_("Hide message"), _("A message was hidden")),
    "boers.dismiss_report": (_("Dismiss report"), _("A report was dismissed")),
    "boers.block": (_("Block person"), _("Person blocked")),
    "boers.unblock": (_("Unblock person"), _("Person unblocked")),
    "boers.verify": (_("Verify association"), _("Association verified")),
    "boers.unverify": (_("Remove verification"), _("Association verification removed")),
}


def admin_urls():
    from . import admin_urls

    return [path("boers/", include(admin_urls, namespace="boers_admin"))]


class ModerationMenuItem(MenuItem):
    def is_shown(self, request):
        from .admin_views import can_moderate

        return can_moderate(request.user)


def admin_menu_item():
    return ModerationMenuItem(
        _("Exchange moderation"), reverse("boers_admin:index"), icon_name="warning", order=315
    )


def admin_viewset():
    from .viewsets import ExchangeViewSetGroup

    return ExchangeViewSetGroup()


def log_actions(actions):
    for action, (label, message) in ACTIONS.items():
        actions.register_action(action, label, message)


class ModerationSummaryItem(SummaryItem):
    order = 320
    template_name = "boers/admin/summary.html"

    def get_context_data(self, parent_context):
        from .admin_views import queue_counts

        return {"counts": queue_counts(), "url": reverse("boers_admin:index")}

    def is_shown(self):
        from .admin_views import can_moderate

        return can_moderate(self.request.user)


def add_summary_item(request, items):
    items.append(ModerationSummaryItem(request))


def page_cache_models():
    """The page cache is retired by writes to every model of the exchange (posts, areas, the outcome tally)."""
    return ["boers"]


# --- Site search (frivillig_blocks.search) ----------------------------------------------------
#
# A post is found while anyone may see and answer it (``Post.objects.visible()``: approved
# and published, not expired, not hidden by moderation, not closed). The index holds the
# post's own words (title, text, its kind, area and association), never the poster's.


def searchable_posts():
    return Post.objects.visible()


def post_entry(post) -> Entry:
    return Entry(post.title, summary(post.body))


def post_hits(request, objects) -> list[Hit | None]:
    objects = list(objects)
    if not objects:
        return []
    # The section's URL from the layout's cache; its routes are its class's.
    base = layout.section_url(request, ExchangePage)
    if not base:
        return [None] * len(objects)
    routes = ExchangePage.get_resolver()
    today = timezone.localdate()
    hits = []
    for post in objects:
        end = post.date_end
        hits.append(
            Hit(
                title=post.title,
                url=base + routes.reverse("show_post", post.pk),
                summary=summary(post.body),
                date=post.date_from if end and end >= today else None,
            )
        )
    return hits


def newest_needs(request, limit):
    """What is on now (the hub): the newest published needs, with their area."""
    from .models import Side

    page = links.exchange_page()
    if page is None:
        return None
    posts = (
        Post.objects.visible()
        .filter(side=Side.NEED)
        .select_related("area", "association")
        .order_by("-published_at", "-pk")[:limit]
    )
    base = page.get_url(request) or ""
    return frivillig_hooks.WhatsOn(
        title=gettext("Newest needs in the exchange"),
        items=[
            frivillig_hooks.WhatsOnItem(
                title=post.title,
                url=base + page.reverse_subpage("show_post", args=[post.pk]),
                meta=post.association.name
                if post.association_id
                else (post.area.name if post.area_id else ""),
            )
            for post in posts
        ],
        more_url=base,
        more_text=gettext("All posts in the exchange"),
        order=20,
    )


def search_sources():
    return [
        SearchSource(
            key="posts",
            label=_("Exchange posts"),
            queryset=searchable_posts,
            hits=post_hits,
            order=40,
            entry=post_entry,
        )
    ]
