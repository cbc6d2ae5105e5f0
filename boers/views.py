"""Public views of the exchange (/frivillig/boers/), routed by ``ExchangePage``: parse,
call a service, render. Errors of the services are shown with their Danish message."""

from __future__ import annotations

from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from frivillig_blocks import submissions
from frivillig_blocks.errors import show_on_form
from frivillig_blocks.exceptions import FrivilligError

from . import conf, exceptions, rules, search, services, tokens
from .forms import CloseForm, MessageForm, PostForm, ReportForm, SaveSearchForm, SearchForm
from .models import Conversation, Message, Post, PostStatus, SavedSearch
from .relay import display_name

T = "boers/"
RATE_POST = "boers_post"
RATE_MESSAGE = "boers_message"
RATE_REPORT = "boers_report"


def _url(page, request, name=None, *args) -> str:
    base = page.get_url(request)
    return base if name is None else base + page.reverse_subpage(name, args=args)


def _once(request, form, purpose, create):
    """Run ``create`` once per the form's one-time key (a double submit of the same page is
    neither stored nor counted against the rate limit twice); without a key, as before."""
    key = form.cleaned_data.get("submission_key")
    if not key:
        return create()
    result, _created = submissions.once(
        key=key, purpose=f"{purpose}:{request.user.pk}", create=create
    )
    return result


def _login(request):
    return redirect_to_login(request.get_full_path())


def _is_moderator(user) -> bool:
    return user.is_authenticated and user.has_perm("boers.change_post")


def _render(request, template, context, status=200):
    return TemplateResponse(request, T + template, context, status=status)


def _error(request, page, exc, status=400):
    return _render(
        request,
        "error.html",
        {"page": page, "error": exc.message, "list_url": _url(page, request)},
        status=status,
    )


# --- List and detail --------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD"])
def post_list(request, page):
    form = SearchForm(request.GET or None)
    filters = form.filters()
    queryset = search.with_display_relations(search.filter_posts(filters))
    paginator = Paginator(queryset, conf.page_size())
    page_obj = paginator.get_page(request.GET.get("page"))
    storable = SearchForm.storable(filters)
    filter_query = urlencode(
        {**storable, **({"order": filters["order"]} if "order" in filters else {})}
    )
    return _render(
        request,
        "post_list.html",
        {
            "page": page,
            "form": form,
            "posts": page_obj.object_list,
            "page_obj": page_obj,
            "paginator": paginator,
            "filtered": bool(storable),
            "stored_filters": storable,
            "filter_query": filter_query,
            "save_form": SaveSearchForm() if storable and request.user.is_authenticated else None,
            "list_url": _url(page, request),
            "create_url": _url(page, request, "create_post"),
        },
    )


def _post_for_viewer(request, pk) -> Post:
    post = Post.objects.select_related("area", "association", "theme").filter(pk=pk).first()
    if post is None:
        raise Http404("No such post")
    if post.is_open or post.author_id == request.user.pk or _is_moderator(request.user):
        return post
    raise Http404("No such post")


def _own_post(request, pk) -> Post:
    post = Post.objects.select_related("area", "association", "theme").filter(pk=pk).first()
    if post is None or post.author_id != request.user.pk:
        raise Http404("No such post")
    return post


@require_http_methods(["GET", "HEAD"])
def post_detail(request, page, pk):
    post = _post_for_viewer(request, pk)
    is_author = post.author_id == request.user.pk
    conversations = []
    own_conversation = None
    if is_author:
        conversations = list(post.conversations.select_related("starter"))
        for conversation in conversations:
            conversation.other_name = display_name_for(conversation, conversation.starter, post)
    elif request.user.is_authenticated:
        own_conversation = post.conversations.filter(starter=request.user).first()
    return _render(
        request,
        "post_detail.html",
        {
            "page": page,
            "post": post,
            "is_author": is_author,
            "conversations": conversations,
            "own_conversation": own_conversation,
            "list_url": _url(page, request),
        },
    )


def display_name_for(conversation, user, post):
    conversation.post = post
    return display_name(conversation, user)


# --- Creating and editing ---------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def create_post(request, page):
    if not request.user.is_authenticated:
        return _login(request)
    if services.is_blocked(request.user):
        return _error(request, page, exceptions.Blocked(), status=403)
    status = 200
    if request.method == "POST":
        form = PostForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                if not ratelimit.consume(request, action=RATE_POST):
                    raise exceptions.TooManyPosts
                post = services.create_post(
                    user=request.user,
                    data=form.cleaned_data,
                    submission_key=form.cleaned_data.get("submission_key") or "",
                )
            except exceptions.BoersError as exc:
                status = show_on_form(form, exc)
            else:
                return HttpResponseRedirect(_url(page, request, "matches", post.pk))
        else:
            status = 400
    else:
        form = PostForm(user=request.user)
    return _render(
        request,
        "post_form.html",
        {"page": page, "form": form, "list_url": _url(page, request), "editing": False},
        status=status,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def edit_post(request, page, pk):
    if not request.user.is_authenticated:
        return _login(request)
    post = _own_post(request, pk)
    status = 200
    if request.method == "POST":
        form = PostForm(request.POST, instance=post, user=request.user)
        if form.is_valid():
            try:
                services.update_post(post=post, user=request.user, data=form.cleaned_data)
            except exceptions.BoersError as exc:
                form.add_error(None, exc.message)
                status = 400
            else:
                messages.success(request, _("The post is saved."))
                return HttpResponseRedirect(_url(page, request, "show_post", post.pk))
        else:
            status = 400
    else:
        form = PostForm(instance=post, user=request.user)
    return _render(
        request,
        "post_form.html",
        {
            "page": page,
            "form": form,
            "post": post,
            "list_url": _url(page, request),
            "editing": True,
        },
        status=status,
    )


@require_http_methods(["GET", "HEAD"])
def post_matches(request, page, pk):
    if not request.user.is_authenticated:
        return _login(request)
    post = _own_post(request, pk)
    matches = search.matching_posts(post)
    for match in matches:
        match.reasons = rules.match_reasons(post, match)
    return _render(
        request,
        "post_matches.html",
        {
            "page": page,
            "post": post,
            "matches": matches,
            "pending": post.status == PostStatus.PENDING,
            "list_url": _url(page, request),
        },
    )


# --- Conversations ----------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def answer_post(request, page, pk):
    if not request.user.is_authenticated:
        return _login(request)
    post = Post.objects.select_related("area", "association", "theme").filter(pk=pk).first()
    if post is None:
        raise Http404("No such post")
    if not post.is_open:
        if post.status in (PostStatus.PUBLISHED, PostStatus.CLOSED, PostStatus.EXPIRED):
            # Expired or closed: say so rather than pretend it never existed.
            return _error(request, page, exceptions.PostNotOpen(), status=410)
        raise Http404("No such post")
    existing = post.conversations.filter(starter=request.user).first()
    if existing is not None:
        return HttpResponseRedirect(_url(page, request, "conversation", existing.pk))
    status = 200
    form = MessageForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():

            def start():
                if not ratelimit.consume(request, action=RATE_MESSAGE):
                    raise exceptions.TooManyMessages
                return services.start_conversation(
                    post=post, user=request.user, body=form.cleaned_data["body"]
                )

            try:
                conversation = _once(request, form, "boers.answer", start)
            except FrivilligError as exc:
                status = show_on_form(form, exc)
            else:
                messages.success(request, _("Your message is sent."))
                return HttpResponseRedirect(_url(page, request, "conversation", conversation.pk))
        else:
            status = 400
    return _render(
        request,
        "answer.html",
        {"page": page, "post": post, "form": form, "list_url": _url(page, request)},
        status=status,
    )


def _conversation_for(request, pk) -> Conversation:
    conversation = (
        Conversation.objects.select_related("post__author", "post__area", "starter")
        .filter(pk=pk)
        .first()
    )
    if conversation is None or not conversation.is_participant(request.user):
        raise Http404("No such conversation")
    return conversation


@require_http_methods(["GET", "HEAD", "POST"])
def conversation_view(request, page, pk):
    if not request.user.is_authenticated:
        return _login(request)
    conversation = _conversation_for(request, pk)
    status = 200
    form = MessageForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():

            def send():
                if not ratelimit.consume(request, action=RATE_MESSAGE):
                    raise exceptions.TooManyMessages
                return services.send_message(
                    conversation=conversation, user=request.user, body=form.cleaned_data["body"]
                )

            try:
                _once(request, form, "boers.message", send)
            except FrivilligError as exc:
                status = show_on_form(form, exc)
            else:
                messages.success(request, _("Your message is sent."))
                return HttpResponseRedirect(_url(page, request, "conversation", conversation.pk))
        else:
            status = 400
    user = request.user
    other = conversation.other(user)
    names = {
        user.pk: _("You"),
        other.pk: display_name(conversation, other),
    }
    thread = list(conversation.messages.filter(Q(hidden=False) | Q(sender=user)))
    for message in thread:
        message.sender_name = names.get(message.sender_id, "")
        message.mine = message.sender_id == user.pk
    i_share = (
        conversation.author_shares_contact
        if user.pk == conversation.post.author_id
        else conversation.starter_shares_contact
    )
    return _render(
        request,
        "conversation.html",
        {
            "page": page,
            "conversation": conversation,
            "post": conversation.post,
            "thread": thread,
            "other_name": names[other.pk],
            # The other person's address only once both have agreed to share.
            "other_email": other.email if conversation.contact_shared else "",
            "i_share": i_share,
            "form": form,
            "list_url": _url(page, request),
            "post_url": _url(page, request, "show_post", conversation.post_id),
        },
        status=status,
    )


@require_http_methods(["POST"])
def share_contact(request, page, pk):
    if not request.user.is_authenticated:
        return _login(request)
    conversation = _conversation_for(request, pk)
    conversation = services.share_contact(conversation=conversation, user=request.user)
    if conversation.contact_shared:
        messages.success(request, _("You have both agreed: your e-mail addresses are shown."))
    else:
        messages.success(
            request,
            _("Your e-mail address will be shown once the other person has agreed too."),
        )
    return HttpResponseRedirect(_url(page, request, "conversation", conversation.pk))


# --- Reports, closing, renewal ----------------------------------------------------------------


def _report_view(request, page, *, target_name, do_report, back_url, context):
    status = 200
    form = ReportForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                if not ratelimit.consume(request, action=RATE_REPORT):
                    raise exceptions.TooManyReports
                do_report(form.cleaned_data["reason"], form.cleaned_data["text"])
            except exceptions.BoersError as exc:
                status = show_on_form(form, exc)
            else:
                messages.success(request, _("Thank you. A moderator will look at your report."))
                return HttpResponseRedirect(back_url)
        else:
            status = 400
    return _render(
        request,
        "report.html",
        {"page": page, "form": form, "target_name": target_name, "back_url": back_url, **context},
        status=status,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def report_post(request, page, pk):
    if not request.user.is_authenticated:
        return _login(request)
    post = _post_for_viewer(request, pk)
    return _report_view(
        request,
        page,
        target_name=_("the post “%(title)s”") % {"title": post.title},
        do_report=lambda reason, text: services.report_post(
            post=post, user=request.user, reason=reason, text=text
        ),
        back_url=_url(page, request),
        context={"post": post},
    )


@require_http_methods(["GET", "HEAD", "POST"])
def report_message(request, page, pk, message_pk):
    if not request.user.is_authenticated:
        return _login(request)
    conversation = _conversation_for(request, pk)
    message = Message.objects.filter(pk=message_pk, conversation=conversation).first()
    if message is None or message.sender_id == request.user.pk:
        raise Http404("No such message")
    return _report_view(
        request,
        page,
        target_name=_("a message in the conversation about “%(title)s”")
        % {"title": conversation.post.title},
        do_report=lambda reason, text: services.report_message(
            message=message, user=request.user, reason=reason, text=text
        ),
        back_url=_url(page, request, "conversation", conversation.pk),
        context={},
    )


@require_http_methods(["GET", "HEAD", "POST"])
def close_post(request, page, pk):
    if not request.user.is_authenticated:
        return _login(request)
    post = _own_post(request, pk)
    if post.status in (PostStatus.CLOSED, PostStatus.REJECTED):
        return HttpResponseRedirect(_url(page, request, "show_post", post.pk))
    status = 200
    form = CloseForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.close_post(
                    post=post, user=request.user, outcome=form.cleaned_data["outcome"]
                )
            except exceptions.BoersError as exc:
                form.add_error(None, exc.message)
                status = 400
            else:
                messages.success(request, _("The post is closed. Thank you for answering."))
                return HttpResponseRedirect(_url(page, request, "show_post", post.pk))
        else:
            status = 400
    return _render(
        request,
        "close.html",
        {"page": page, "post": post, "form": form, "list_url": _url(page, request)},
        status=status,
    )


@require_http_methods(["GET", "HEAD"])
def renew_post(request, page, token):
    post = tokens.post_from_renew_token(token)
    if post is None:
        return _error(request, page, exceptions.InvalidLink(), status=404)
    try:
        post = services.renew_post(post=post)
    except exceptions.BoersError as exc:
        return _error(request, page, exc, status=410)
    return _render(
        request,
        "renewed.html",
        {
            "page": page,
            "post": post,
            "list_url": _url(page, request),
            "post_url": _url(page, request, "show_post", post.pk),
        },
    )


# --- Saved searches ---------------------------------------------------------------------------


@require_http_methods(["POST"])
def save_search(request, page):
    if not request.user.is_authenticated:
        return _login(request)
    form = SaveSearchForm(request.POST)
    filters = SearchForm(request.POST).filters()
    stored = SearchForm.storable(filters)
    list_url = _url(page, request)
    if not stored:
        messages.error(request, _("Choose at least one filter or search word before saving."))
        return HttpResponseRedirect(list_url)
    if not form.is_valid():
        return _render(
            request,
            "save_search.html",
            {"page": page, "form": form, "stored_filters": stored, "list_url": list_url},
            status=400,
        )
    services.save_search(
        user=request.user,
        name=form.cleaned_data["name"],
        query=stored,
        frequency=form.cleaned_data["frequency"],
    )
    messages.success(request, _("The search is saved. You get mail when new posts match it."))
    return HttpResponseRedirect(list_url + "?" + urlencode(stored))


@require_http_methods(["POST"])
def delete_search(request, page, pk):
    if not request.user.is_authenticated:
        return _login(request)
    from .integration import delete_saved_searches

    deleted = delete_saved_searches(SavedSearch.objects.filter(pk=pk, user=request.user))
    if not deleted:
        raise Http404("No such saved search")
    messages.success(request, _("The saved search is deleted."))
    from django.urls import reverse

    return HttpResponseRedirect(reverse("frivillig_blocks:mine_sider"))


@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, page, token):
    saved = tokens.saved_search_from_token(token)
    if request.method == "POST":
        if saved is not None:
            from .integration import delete_saved_searches

            delete_saved_searches(SavedSearch.objects.filter(pk=saved.pk))
        return _render(
            request, "unsubscribed.html", {"page": page, "list_url": _url(page, request)}
        )
    if saved is None:
        # Already gone (or a forged link): nothing more is sent either way.
        return _render(
            request, "unsubscribed.html", {"page": page, "list_url": _url(page, request)}
        )
    return _render(
        request,
        "unsubscribe.html",
        {"page": page, "saved": saved, "list_url": _url(page, request)},
    )
