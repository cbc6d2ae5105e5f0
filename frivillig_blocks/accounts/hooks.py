"""The shared base's own parts of Mine sider, the data download and account deletion."""

from allauth.account.models import EmailAddress
from django.utils.translation import gettext_lazy as _
from wagtail import hooks as wagtail_hooks

from .. import hooks
from ..models import (
    AssociationInvitation,
    AssociationMembership,
    ContactPreference,
    GrantApplication,
    Idea,
    ThemeMeetingInvitation,
)


@wagtail_hooks.register(hooks.MINE_SIDER_SECTIONS)
def associations_section(request):
    memberships = AssociationMembership.objects.filter(user=request.user).select_related(
        "association"
    )
    return hooks.MineSiderSection(
        title=_("My associations"),
        template_name="frivillig_blocks/accounts/section_associations.html",
        context={"memberships": list(memberships)},
        order=10,
    )


@wagtail_hooks.register(hooks.MINE_SIDER_SECTIONS)
def invitations_section(request):
    from .forms import ContactPreferenceForm

    preference = ContactPreference.objects.filter(user=request.user).first()
    return hooks.MineSiderSection(
        title=_("Invitations from the municipality"),
        template_name="frivillig_blocks/accounts/section_contact_preference.html",
        context={
            "form": ContactPreferenceForm(
                initial={"invitations": bool(preference and preference.invitations)}
            )
        },
        order=90,
    )


@wagtail_hooks.register(hooks.PERSONAL_DATA_EXPORT)
def contact_preference_data(user):
    preference = ContactPreference.objects.filter(user=user).first()
    return {
        "contact_preference": {
            "invitations": bool(preference and preference.invitations),
            "changed": preference.changed_at if preference else None,
        },
        "theme_meeting_invitations": [
            {
                "meeting": i.meeting.title,
                "start": i.meeting.start,
                "email": i.email,
                "sent": i.sent_at,
            }
            for i in ThemeMeetingInvitation.objects.filter(user=user).select_related("meeting")
        ],
    }


@wagtail_hooks.register(hooks.PERSONAL_DATA_EXPORT)
def account_data(user):
    return {
        "account": {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
            "email_addresses": list(
                EmailAddress.objects.filter(user=user).values("email", "verified", "primary")
            ),
        },
        "associations": [
            {"association": m.association.name, "role": m.role, "since": m.created_at}
            for m in AssociationMembership.objects.filter(user=user).select_related("association")
        ],
        "grant_applications": [
            {
                "reference": a.reference,
                "grant": a.grant.name,
                "project_title": a.project_title,
                "status": a.status,
                "submitted": a.submitted_at,
            }
            for a in GrantApplication.objects.filter(user=user).select_related("grant")
        ],
        "idea_proposals": [
            {"title": i.title, "published": i.live, "proposed": i.proposed_at}
            for i in Idea.objects.filter(proposed_by_email__iexact=user.email).exclude(
                proposed_by_email=""
            )
        ],
        "invitations_sent": [
            {"association": i.association.name, "email": i.email, "created": i.created_at}
            for i in AssociationInvitation.objects.filter(invited_by=user).select_related(
                "association"
            )
        ],
    }


@wagtail_hooks.register(hooks.BEFORE_ACCOUNT_DELETE)
def forget_invitations(user):
    # The consent goes with the user (CASCADE); the theme meeting invitations sent to the
    # person go too (they hold the address).
    ThemeMeetingInvitation.objects.filter(user=user).delete()
    # Open invitations to the person's addresses go; memberships go with the user (CASCADE).
    addresses = list(EmailAddress.objects.filter(user=user).values_list("email", flat=True))
    for address in {*addresses, user.email}:
        if address:
            AssociationInvitation.objects.filter(
                email__iexact=address, accepted_at__isnull=True
            ).delete()
