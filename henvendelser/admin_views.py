"""The staff inbox in the Wagtail admin: thin views (parse → staff use case → render)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.db.models.functions import Coalesce
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from wagtail.models import ModelLogEntry

from frivillig_blocks import inbound_auth
from frivillig_blocks.exceptions import FrivilligError

from . import staff
from .admin_forms import HandOverForm, InboxFilterForm, NoteForm, ReplyForm
from .models import Attachment, Inquiry
from .tasks import state_counts, unanswered_cutoff

PAGE_SIZE = 50


def _require_inbox(request):
    if not staff.is_inbox_user(request.user):
        raise PermissionDenied


def _get_inquiry(request, pk) -> Inquiry:
    return get_object_or_404(staff.visible_inquiries(request.user), pk=pk)


@require_GET
def index(request):
    _require_inbox(request)
    visible = staff.visible_inquiries(request.user)
    form = InboxFilterForm(request.GET or None)
    queryset = visible.select_related("assignee", "topic").annotate(
        waiting_since=Coalesce("last_message_at", "received_at")
    )
    spam = False
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        spam = data["spam"]
        if data["status"]:
            queryset = queryset.filter(status=data["status"])
        if data["assignee"]:
            queryset = queryset.filter(assignee=data["assignee"])
        if data["topic"]:
            queryset = queryset.filter(topic=data["topic"])
        if data["mine"]:
            queryset = queryset.filter(assignee=request.user)
    queryset = queryset.filter(is_spam=spam).order_by("-received_at", "-pk")
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("p"))
    cutoff = unanswered_cutoff()
    rows = [
        {
            "inquiry": inquiry,
            "overdue": inquiry.status in ("new", "assigned")
            and not inquiry.is_spam
            and inquiry.waiting_since < cutoff,
        }
        for inquiry in page.object_list
    ]
    query = request.GET.copy()
    query.pop("p", None)
    return TemplateResponse(
        request,
        "henvendelser/admin/index.html",
        {
            "form": form,
            "counts": state_counts(visible),
            "rows": rows,
            "page_obj": page,
            "spam": spam,
            "query": query.urlencode(),
            "title": _("Inquiries"),
        },
    )


def _detail_response(request, inquiry, *, reply_form=None, note_form=None, handover_form=None):
    thread = list(
        inquiry.messages.select_related("author", "inbound_message")
        .defer("inbound_message__raw")
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.order_by("pk")))
        .order_by("created_at", "pk")
    )
    for message in thread:
        # The mail provider's verdict on who sent each incoming mail (inbound_auth).
        inbound = message.inbound_message
        message.verdict = inbound_auth.verdict_summary(inbound) if inbound else ""
        message.confirmed = bool(inbound and inbound.authenticated)
    history = (
        ModelLogEntry.objects.for_instance(inquiry).select_related("user").order_by("-timestamp")
    )
    return TemplateResponse(
        request,
        "henvendelser/admin/detail.html",
        {
            "inquiry": inquiry,
            "thread": thread,
            "history": history,
            "reply_form": reply_form or ReplyForm(),
            "note_form": note_form or NoteForm(),
            "handover_form": handover_form or HandOverForm(),
            "title": inquiry.reference,
        },
        status=400 if any(f is not None for f in (reply_form, note_form, handover_form)) else 200,
    )


@require_GET
def detail(request, pk: int):
    _require_inbox(request)
    inquiry = _get_inquiry(request, pk)
    return _detail_response(request, inquiry)


@require_POST
def action(request, pk: int, name: str):
    _require_inbox(request)
    inquiry = _get_inquiry(request, pk)
    user = request.user
    try:
        if name == "reply":
            form = ReplyForm(request.POST)
            if not form.is_valid():
                return _detail_response(request, inquiry, reply_form=form)
            try:
                staff.send_reply(inquiry=inquiry, user=user, text=form.cleaned_data["text"])
            except FrivilligError as error:
                form.add_error("text", str(error.message))
                return _detail_response(request, inquiry, reply_form=form)
            messages.success(request, _("The reply has been sent."))
        elif name == "note":
            form = NoteForm(request.POST)
            if not form.is_valid():
                return _detail_response(request, inquiry, note_form=form)
            staff.add_note(inquiry=inquiry, user=user, text=form.cleaned_data["text"])
            messages.success(request, _("The note has been saved."))
        elif name == "hand-over":
            form = HandOverForm(request.POST)
            if not form.is_valid():
                return _detail_response(request, inquiry, handover_form=form)
            colleague = form.cleaned_data["colleague"]
            staff.hand_over(
                inquiry=inquiry,
                user=user,
                colleague_id=colleague.pk,
                note=form.cleaned_data["note"],
            )
            messages.success(request, _("The inquiry has been handed over."))
            if not staff.visible_inquiries(user).filter(pk=inquiry.pk).exists():
                return redirect("henvendelser_admin:index")
        elif name == "close":
            staff.close(inquiry=inquiry, user=user)
            messages.success(request, _("The inquiry has been closed."))
        elif name == "reopen":
            staff.reopen(inquiry=inquiry, user=user)
            messages.success(request, _("The inquiry has been reopened."))
        elif name == "spam":
            staff.set_spam(inquiry=inquiry, user=user, spam=True)
            messages.success(request, _("The inquiry has been moved to quarantine."))
        elif name == "not-spam":
            staff.set_spam(inquiry=inquiry, user=user, spam=False)
            messages.success(request, _("The inquiry has been taken out of quarantine."))
        else:
            raise Http404
    except FrivilligError as error:
        messages.error(request, str(error.message))
    return redirect("henvendelser_admin:detail", pk=inquiry.pk)


@require_GET
def attachment(request, pk: int):
    """Stream an attachment to staff who may see its inquiry (never a public media URL)."""
    _require_inbox(request)
    item = get_object_or_404(
        Attachment.objects.select_related("message"),
        pk=pk,
        message__inquiry__in=staff.visible_inquiries(request.user).values("pk"),
    )
    if not item.file:
        raise Http404
    try:
        handle = item.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=item.filename or "vedhaeftning",
        content_type="application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
