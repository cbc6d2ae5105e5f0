"""Admin: the volunteers' feedback (read only) and the theme meetings with their invitations."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import CreateView
from wagtail.permission_policies import ModelPermissionPolicy

from frivillig_blocks.admin_viewsets import IndexView, ModelViewSet

from ..models import Feedback, ThemeMeeting
from . import services
from .forms import InvitationForm


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """Only "view": nobody (not even a superuser) adds, edits or deletes an answer here."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return super().user_has_any_permission(user, [a for a in actions if a == "view"])

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([a for a in actions if a == "view"])


class FeedbackFilterSet(WagtailFilterSet):
    class Meta:
        model = Feedback
        fields = ["service", "found", "task", "page"]


class FeedbackIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("page")


class FeedbackViewSet(ModelViewSet):
    model = Feedback
    icon = "comment"
    menu_label = gettext_lazy("Feedback")
    menu_order = 215
    add_to_admin_menu = True
    url_prefix = "feedback"
    url_namespace = "frivillig_feedback"
    index_view_class = FeedbackIndexView
    list_display = [
        Column("comment", label=gettext_lazy("comment")),
        "found",
        "path",
        "page",
        "service",
        "task",
        "created_at",
    ]
    filterset_class = FeedbackFilterSet
    search_fields = ["comment"]
    inspect_view_enabled = True
    inspect_view_fields = ["created_at", "found", "comment", "path", "page", "service", "task"]
    copy_view_enabled = False
    list_export = ["created_at", "found", "comment", "path", "service", "task", "language"]
    export_filename = "feedback"
    form_fields = ["found"]  # never used: the policy allows no add or edit

    @property
    def permission_policy(self):
        return ReadOnlyPermissionPolicy(self.model)


# -- theme meetings -------------------------------------------------------------------------


class ThemeMeetingCreateView(CreateView):
    def save_instance(self):
        instance = self.form.save(commit=False)
        instance.created_by = self.request.user
        instance.save()
        self.form.save_m2m()
        return instance


class ThemeMeetingIndexView(IndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if self.permission_policy.user_has_permission(self.request.user, "change"):
            buttons.append(
                MenuItem(
                    _("Invite people"),
                    url=reverse("frivillig_theme_meetings:invite", args=[instance.pk]),
                    icon_name="mail",
                    priority=15,
                )
            )
        return buttons


def invite_view(request, pk):
    """Pick people who said yes to invitations and send them the invitation with an .ics."""
    if not request.user.has_perm("opfoelgning.change_thememeeting"):
        raise PermissionDenied
    meeting = get_object_or_404(ThemeMeeting, pk=pk)
    people = list(services.consenting_people())
    invited = {email.casefold() for email in meeting.invitations.values_list("email", flat=True)}
    form = InvitationForm(request.POST if request.method == "POST" else None, people=people)
    if request.method == "POST" and form.is_valid():
        sent = services.invite(meeting=meeting, people=form.chosen(), by=request.user)
        skipped = len(form.chosen()) - len(sent)
        messages.success(
            request,
            _("Invitations sent: %(sent)d. Already invited: %(skipped)d.")
            % {"sent": len(sent), "skipped": skipped},
        )
        return redirect("frivillig_theme_meetings:invite", pk=meeting.pk)
    return TemplateResponse(
        request,
        "opfoelgning/feedback/admin/invite.html",
        {
            "meeting": meeting,
            "form": form,
            "people": people,
            "invited": invited,
            "invitations": meeting.invitations.order_by("email"),
            "index_url": reverse("frivillig_theme_meetings:index"),
            "edit_url": reverse("frivillig_theme_meetings:edit", args=[meeting.pk]),
        },
        status=400 if form.is_bound else 200,
    )


class ThemeMeetingViewSet(ModelViewSet):
    model = ThemeMeeting
    icon = "date"
    menu_label = gettext_lazy("Theme meetings")
    menu_order = 216
    add_to_admin_menu = True
    url_prefix = "theme-meetings"
    url_namespace = "frivillig_theme_meetings"
    index_view_class = ThemeMeetingIndexView
    add_view_class = ThemeMeetingCreateView
    list_display = ["title", "start", "end", "public"]
    list_filter = ["public"]
    search_fields = ["title"]
    copy_view_enabled = False
    form_fields = ["title", "start", "end", "place", "location", "description", "public"]

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("invite/<int:pk>/", invite_view, name="invite"),
        ]
