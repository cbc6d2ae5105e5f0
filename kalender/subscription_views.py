"""The organiser's pages for linking an association's own calendar (issue #23), routed by
``CalendarPage`` under /frivillig/kalender/abonnementer/: the association's linked
calendars with their state, the form (with a preview of the next ten events before
saving) and one calendar's page (its state, unlinking). Thin: parse, call the fetcher,
the parser or the importer, render. Staff pause calendars in the admin (viewsets.py)."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.utils import timezone
from django.utils.translation import gettext as _

from frivillig_blocks.accounts.limits import consume_with_default

from . import conf, services
from .exceptions import FeedError
from .forms import SubscriptionForm
from .models import EventDetails, EventStatus, Subscription
from .views import _login, _render, _urls

#: How many of the feed's coming events the preview shows.
PREVIEW_SIZE = 10


def _own(request):
    """The subscriptions of the associations the person is a member of."""
    return Subscription.objects.filter(
        association_id__in=services.member_association_ids(request.user)
    ).select_related("association", "default_place")


def list_view(request, page):
    if not request.user.is_authenticated:
        return _login(request)
    subscriptions = list(_own(request).order_by("association__name", "created_at"))
    return _render(
        request,
        page,
        "subscriptions.html",
        {
            "subscriptions": subscriptions,
            "may_link": bool(services.member_association_ids(request.user)),
        },
    )


def _preview(url: str, now: datetime.datetime) -> list:
    """The feed's next ``PREVIEW_SIZE`` dates from now (cancelled ones left out); raises
    ``FeedError`` with a Danish message when the address cannot be fetched or read."""
    from .subscriptions.fetch import fetch
    from .subscriptions.parse import parse

    fetched = fetch(url)
    dates = parse(
        fetched.body,
        start=now,
        end=now + datetime.timedelta(days=conf.app_settings.MAX_RECURRENCE_DAYS),
        max_occurrences=conf.app_settings.MAX_OCCURRENCES,
    )
    coming = sorted((d for d in dates if not d.cancelled and d.end > now), key=lambda d: d.start)
    return coming[:PREVIEW_SIZE]


def create_view(request, page):
    if not request.user.is_authenticated:
        return _login(request)
    urls = _urls(request, page)
    context = {"preview": None, "error": None}
    if not services.member_association_ids(request.user):
        context["not_member"] = True
        return _render(request, page, "subscription_form.html", context, status=403)
    if request.method != "POST":
        form = SubscriptionForm(user=request.user)
        return _render(request, page, "subscription_form.html", {**context, "form": form})
    form = SubscriptionForm(request.POST, user=request.user)
    context["form"] = form
    if not form.is_valid():
        return _render(request, page, "subscription_form.html", context, status=400)
    # Both steps fetch the address (a request from our server to another): limited per person.
    if not consume_with_default(
        request,
        action="kalender_subscription",
        default=conf.app_settings.SUBSCRIPTION_RATE_LIMIT,
    ):
        context["error"] = _(
            "You have tried many calendar addresses in a short time. Try again later."
        )
        return _render(request, page, "subscription_form.html", context, status=429)
    data = form.cleaned_data
    now = timezone.now()
    try:
        preview = _preview(data["url"], now)
    except FeedError as error:
        context["error"] = error.message
        return _render(request, page, "subscription_form.html", context, status=400)
    if "save" not in request.POST:
        context["preview"] = preview
        return _render(request, page, "subscription_form.html", context)
    with transaction.atomic():
        subscription = Subscription.objects.create(
            association_id=data["association"],
            url=data["url"],
            default_place=data["default_place"],
            created_by=request.user,
        )
        subscription.themes.set(data["themes"])
        subscription.age_groups.set(data["age_groups"])
        transaction.on_commit(lambda: _first_fetch(subscription.pk))
    messages.success(
        request,
        _("The calendar is linked. Its events arrive within a few minutes and then every hour."),
    )
    return HttpResponseRedirect(urls["subscriptions"] + f"{subscription.pk}/")


def _first_fetch(subscription_id: int) -> None:
    from .tasks import refresh_subscription

    refresh_subscription.enqueue(subscription_id)


def detail_view(request, page, subscription_id):
    if not request.user.is_authenticated:
        return _login(request)
    subscription = _own(request).filter(pk=subscription_id).first()
    if subscription is None:
        # Another association's calendar looks like one that does not exist.
        raise Http404
    urls = _urls(request, page)
    if request.method == "POST" and "unlink" in request.POST:
        from .subscriptions.importer import unlink

        cancelled = unlink(subscription, user=request.user)
        messages.success(
            request,
            _("The calendar is no longer linked. %(count)d coming dates were cancelled.")
            % {"count": cancelled},
        )
        return HttpResponseRedirect(urls["subscriptions"])
    events = EventDetails.objects.filter(subscription=subscription)
    now = timezone.now()
    return _render(
        request,
        page,
        "subscription.html",
        {
            "subscription": subscription,
            "themes": list(subscription.themes.all()),
            "age_groups": list(subscription.age_groups.all()),
            "coming": events.filter(event__end__gt=now)
            .exclude(status=EventStatus.CANCELLED)
            .count(),
            "held": events.filter(status=EventStatus.REVIEW).count(),
        },
    )
