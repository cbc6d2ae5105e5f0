"""Mine sider: a person's own things, their associations, their data."""

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from .. import exceptions, hooks
from ..models import Association, AssociationMembership
from . import services
from .forms import DeleteAccountForm, InviteForm, MembershipPrivacyForm


@login_required
def mine_sider(request):
    return render(
        request,
        "frivillig_blocks/accounts/mine_sider.html",
        {"sections": hooks.mine_sider_sections(request)},
    )


def _membership_or_404(request, pk) -> AssociationMembership:
    return get_object_or_404(
        AssociationMembership.objects.select_related("association"),
        association_id=pk,
        user=request.user,
    )


@login_required
def association_detail(request, pk, form=None):
    membership = _membership_or_404(request, pk)
    association = membership.association
    is_admin = membership.role == "admin"
    members = association.memberships.select_related("user").order_by(
        "user__first_name", "user__last_name", "pk"
    )
    context = {
        "association": association,
        "membership": membership,
        "is_admin": is_admin,
        # Names for everyone; an address only where its owner chose to show it, or to the
        # association's administrators (who must be able to reach their members).
        "members": [
            {
                "name": m.user.get_full_name().strip(),
                "email": m.user.email
                if (is_admin or m.show_email or m.pk == membership.pk)
                else "",
                "role": m.get_role_display(),
                "is_you": m.pk == membership.pk,
            }
            for m in members
        ],
        "privacy_form": MembershipPrivacyForm(initial={"show_email": membership.show_email}),
        "open_invitations": association.invitations.filter(accepted_at__isnull=True).order_by(
            "email"
        )
        if is_admin
        else [],
        "form": form or (InviteForm() if is_admin else None),
    }
    return render(
        request, "frivillig_blocks/accounts/association.html", context, status=400 if form else 200
    )


@login_required
@require_POST
def invite(request, pk):
    association = get_object_or_404(Association, pk=pk)
    form = InviteForm(request.POST)
    if not form.is_valid():
        return association_detail(request, pk, form=form)
    try:
        invitation, created = services.invite_member(
            association=association,
            inviter=request.user,
            email=form.cleaned_data["email"],
            role=form.cleaned_data["role"],
        )
    except exceptions.NotAssociationAdmin as exc:
        return render(
            request, "frivillig_blocks/accounts/error.html", {"message": exc.message}, status=403
        )
    except exceptions.FrivilligError as exc:
        form.add_error("email", exc.message)
        return association_detail(request, pk, form=form)
    if created:
        messages.success(
            request, _("The invitation has been sent to %(email)s.") % {"email": invitation.email}
        )
    else:
        messages.info(
            request, _("%(email)s has already been invited.") % {"email": invitation.email}
        )
    return redirect("frivillig_blocks:association", pk=pk)


@login_required
@require_POST
def membership_privacy(request, pk):
    """A member turns on or off that the other members see their e-mail address."""
    membership = _membership_or_404(request, pk)
    form = MembershipPrivacyForm(request.POST)
    form.is_valid()  # a missing or unreadable box means "no"
    membership.show_email = bool(form.cleaned_data.get("show_email"))
    membership.save(update_fields=["show_email"])
    if membership.show_email:
        messages.success(request, _("The other members can now see your e-mail address."))
    else:
        messages.success(request, _("The other members can no longer see your e-mail address."))
    return redirect("frivillig_blocks:association", pk=pk)


@require_http_methods(["GET", "POST"])
def accept_invitation(request, token):
    try:
        invitation = services.invitation_from_token(token)
    except exceptions.FrivilligError as exc:
        return render(
            request, "frivillig_blocks/accounts/error.html", {"message": exc.message}, status=400
        )
    if not request.user.is_authenticated:
        messages.info(
            request,
            _("Log in with %(email)s to accept the invitation.") % {"email": invitation.email},
        )
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    if request.method == "POST":
        try:
            membership = services.accept_invitation(token=token, user=request.user)
        except exceptions.FrivilligError as exc:
            return render(
                request,
                "frivillig_blocks/accounts/error.html",
                {"message": exc.message},
                status=400,
            )
        messages.success(
            request, _("You are now a member of %(name)s.") % {"name": membership.association.name}
        )
        return redirect("frivillig_blocks:association", pk=membership.association_id)
    return render(
        request, "frivillig_blocks/accounts/accept_invitation.html", {"invitation": invitation}
    )


@login_required
def download_data(request):
    data = services.export_personal_data(request.user)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    filename = f"mine-data-{timezone.localdate().isoformat()}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request):
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        services.delete_account(user)
        messages.success(request, _("Your account and your data have been deleted."))
        return redirect("/")
    return render(
        request,
        "frivillig_blocks/accounts/delete_account.html",
        {"form": form},
        status=400 if form.is_bound else 200,
    )
