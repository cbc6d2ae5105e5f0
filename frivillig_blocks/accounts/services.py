"""Use cases of accounts and memberships. Each runs in one transaction and raises the
shared base's exceptions (exceptions.py) with a Danish message."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from .. import exceptions, personal_data
from ..models import Association, AssociationInvitation, AssociationMembership, MembershipRole
from ..outbound import send_templated_mail
from ..signing import read_link, sign_link

INVITATION_SALT = "frivillig_blocks.invitation"
INVITATION_MAX_AGE = 14 * 24 * 60 * 60  # 14 days


def is_association_admin(user, association: Association) -> bool:
    return (
        user.is_authenticated
        and AssociationMembership.objects.filter(
            user=user, association=association, role=MembershipRole.ADMIN
        ).exists()
    )


def invitation_token(invitation: AssociationInvitation) -> str:
    return sign_link(INVITATION_SALT, {"i": invitation.pk})


def invitation_url(invitation: AssociationInvitation) -> str:
    path = reverse("frivillig_blocks:accept_invitation", args=[invitation_token(invitation)])
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


@transaction.atomic
def invite_member(
    *, association: Association, inviter, email: str, role: str = MembershipRole.MEMBER
) -> tuple[AssociationInvitation, bool]:
    """Invite a person by e-mail. Returns (invitation, created); a second invitation to the
    same address while one is open returns the open one and sends nothing."""
    if not is_association_admin(inviter, association):
        raise exceptions.NotAssociationAdmin
    email = email.strip()
    if (
        AssociationMembership.objects.filter(
            association=association, user__emailaddress__email__iexact=email
        ).exists()
        or AssociationMembership.objects.filter(
            association=association, user__email__iexact=email
        ).exists()
    ):
        raise exceptions.AlreadyMember
    existing = AssociationInvitation.objects.filter(
        association=association, email__iexact=email, accepted_at__isnull=True
    ).first()
    if existing:
        return existing, False
    try:
        with transaction.atomic():
            invitation = AssociationInvitation.objects.create(
                association=association, email=email, role=role, invited_by=inviter
            )
    except IntegrityError:  # a double submit raced us
        return (
            AssociationInvitation.objects.get(
                association=association, email__iexact=email, accepted_at__isnull=True
            ),
            False,
        )
    send_templated_mail(
        to=[email],
        template="frivillig_blocks/mail/invitation",
        context={
            "association": association,
            "inviter": inviter,
            "role": invitation.get_role_display(),
        },
        # The link lets its holder join: the log stores it as "[…]".
        secrets={"url": invitation_url(invitation)},
        purpose="invitation",
        related=invitation,
    )
    return invitation, True


def invitation_from_token(token: str) -> AssociationInvitation:
    try:
        data = read_link(INVITATION_SALT, token, max_age=INVITATION_MAX_AGE)
    except exceptions.LinkExpired as exc:
        raise exceptions.InvitationExpired from exc
    except exceptions.LinkInvalid as exc:
        raise exceptions.InvitationInvalid from exc
    pk = data.get("i") if isinstance(data, dict) else None
    invitation = (
        AssociationInvitation.objects.select_related("association").filter(pk=pk).first()
        if isinstance(pk, int)
        else None
    )
    if invitation is None:
        raise exceptions.InvitationInvalid
    return invitation


def _user_has_verified_email(user, email: str) -> bool:
    return EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()


@transaction.atomic
def accept_invitation(*, token: str, user) -> AssociationMembership:
    invitation = invitation_from_token(token)
    invitation = AssociationInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise exceptions.InvitationUsed
    if not _user_has_verified_email(user, invitation.email):
        raise exceptions.InvitationForSomeoneElse
    membership, created = AssociationMembership.objects.get_or_create(
        user=user, association=invitation.association, defaults={"role": invitation.role}
    )
    if not created and invitation.role == MembershipRole.ADMIN:
        membership.role = MembershipRole.ADMIN
        membership.save(update_fields=["role"])
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership


def export_personal_data(user) -> dict:
    """Everything the platform keeps about a person, for download (GDPR art. 15 and 20):
    every source of the personal data registry."""
    return personal_data.export(user)


@transaction.atomic
def delete_account(user) -> None:
    """Delete a person's account; each registered source first removes or anonymises its
    data (personal_data.erase)."""
    personal_data.erase(user)
