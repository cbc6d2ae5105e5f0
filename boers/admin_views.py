"""Moderation in the Wagtail admin (/admin/boers/): posts waiting for approval, posts
hidden by reports, open reports of messages; approve, reject, hide, dismiss, block."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from . import services
from .models import Post, PostStatus, Report

#: The queue shows the oldest posts and reports to decide, this many of each (Wagtail's own
#: listings show 20 a page). A coordinator works from the oldest; a decision takes an item off
#: the queue, and the next one comes in, so the page stays the same size however long the queue.
LIMIT = 20


def can_moderate(user) -> bool:
    return user.is_active and user.has_perm("boers.change_post")


def _require(request):
    if not can_moderate(request.user):
        raise PermissionDenied


def open_reports():
    return Report.objects.filter(resolved_at__isnull=True)


def queue_counts() -> dict:
    return {
        "pending": Post.objects.filter(status=PostStatus.PENDING).count(),
        "hidden": Post.objects.filter(status=PostStatus.HIDDEN).count(),
        "message_reports": open_reports().filter(message__isnull=False).count(),
    }


@require_GET
def index(request):
    _require(request)
    reports = Prefetch("reports", queryset=open_reports().select_related("reporter"))
    posts = (
        Post.objects.filter(status__in=[PostStatus.PENDING, PostStatus.HIDDEN])
        .select_related("author", "area", "association", "theme")
        .prefetch_related(reports)
        .order_by("created_at")[:LIMIT]
    )
    message_reports = (
        open_reports()
        .filter(message__isnull=False)
        .select_related("message__sender", "message__conversation__post", "reporter")
        .order_by("created_at")[:LIMIT]
    )
    counts = queue_counts()
    return TemplateResponse(
        request,
        "boers/admin/index.html",
        {
            "posts": posts,
            "posts_total": counts["pending"] + counts["hidden"],
            "message_reports": message_reports,
            "reports_total": counts["message_reports"],
            "limit": LIMIT,
            "counts": counts,
            "title": _("Exchange moderation"),
        },
    )


@require_POST
def post_action(request, pk: int, name: str):
    _require(request)
    post = get_object_or_404(Post, pk=pk)
    user = request.user
    if name == "approve":
        services.approve_post(post=post, user=user)
        messages.success(request, _("The post is published."))
    elif name == "reject":
        services.reject_post(post=post, user=user)
        messages.success(request, _("The post is rejected."))
    elif name == "block":
        if post.author_id == user.pk:
            raise PermissionDenied
        services.block_user(person=post.author, by=user, reason=request.POST.get("reason", ""))
        messages.success(request, _("The person is blocked."))
    else:
        raise PermissionDenied
    return redirect("boers_admin:index")


@require_POST
def report_action(request, pk: int, name: str):
    _require(request)
    report = get_object_or_404(Report.objects.select_related("message__conversation__post"), pk=pk)
    user = request.user
    if name == "dismiss":
        services.dismiss_report(report=report, user=user)
        messages.success(request, _("The report is dismissed."))
    elif name == "hide" and report.message_id:
        services.hide_message(message=report.message, user=user)
        messages.success(request, _("The message is hidden."))
    elif name == "block" and report.message_id:
        services.block_user(person=report.message.sender, by=user)
        services.hide_message(message=report.message, user=user)
        messages.success(request, _("The person is blocked."))
    else:
        raise PermissionDenied
    return redirect("boers_admin:index")
