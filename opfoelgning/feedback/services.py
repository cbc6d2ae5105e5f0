"""Feedback and theme meeting invitations: the use cases, no HTTP."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import translation
from wagtail.log_actions import log
from wagtail.models import Page

from ..models import ContactPreference, Feedback, ThemeMeeting, ThemeMeetingInvitation

# -- where feedback is asked ---------------------------------------------------------------


def hub_paths() -> list[str]:
    """The tree paths of the volunteer hubs, cached with the layout (its version changes
    whenever a page changes or moves), so serving a page costs no extra query."""
    from frivillig_blocks import layout
    from frivillig_blocks.models import VolunteerHubPage

    return layout.NAMESPACE.remembered(
        layout.NAMESPACE.key("feedback-hubs"),
        lambda: list(VolunteerHubPage.objects.values_list("path", flat=True)),
        layout.TIMEOUT,
    )


def in_volunteer_section(page) -> bool:
    """The volunteer hub or a page below it."""
    return any(page.path.startswith(path) for path in hub_paths())


def service_of(page) -> str:
    """The service a page belongs to: the app label of its specific class
    ("frivillig_blocks" for the one door's own pages)."""
    return page.specific_class._meta.app_label if page.specific_class else "frivillig_blocks"


class FeedbackSlot:
    """Set on the request for each Wagtail page served (``before_serve_page``): the page the
    feedback belongs to, whether it is in the volunteer section, and the one form per page
    (a receipt's include takes it first, so the layout's own form is then left out)."""

    def __init__(self, *, page, in_section: bool, next_url: str):
        self.page_id = page.pk
        self.in_section = in_section
        self.next = next_url
        self._taken = False

    def take(self) -> bool:
        """True the first time (the form is shown), False after that."""
        if self._taken:
            return False
        self._taken = True
        return True


# -- recording an answer ---------------------------------------------------------------


def feedback_page(page_id: int, *, task: str):
    """The live page an answer is about, or None when it may not receive one: it must be in
    the volunteer section, or (after a completed task) any live page."""
    page = Page.objects.live().filter(pk=page_id).first()
    if page is None:
        return None
    if task or in_volunteer_section(page):
        return page
    return None


def record_feedback(
    *, page, found: bool, comment: str, next_url: str, page_url: str, task: str
) -> Feedback:
    """Store one anonymous answer. The path is the page's own address unless ``next_url``
    (already checked to be ours) is a sub-page of it."""
    path = urlsplit(next_url).path if next_url else ""
    if not path.startswith(page_url):
        path = page_url
    # Feedback is not among the models the app registers for the page cache
    # (integration.page_cache_models): an answer shows on no public page as such, so storing
    # one does not retire the anonymous page cache.
    return Feedback.objects.create(
        found=found,
        comment=comment,
        path=path[:300],
        page=page,
        service=service_of(page),
        task=task,
        language=(translation.get_language() or "")[:10],
    )


#: The signed link from an answer to its comment step: its purpose and how long it works.
COMMENT_LINK_PURPOSE = "opfoelgning.feedback.comment"
COMMENT_LINK_MAX_AGE = 60 * 60


def comment_token(feedback: Feedback) -> str:
    from frivillig_blocks.signing import sign_link

    return sign_link(COMMENT_LINK_PURPOSE, feedback.pk)


def feedback_for_comment(token: str) -> Feedback | None:
    """The answer a comment link is for; raises ``LinkInvalid``/``LinkExpired``."""
    from frivillig_blocks.signing import read_link

    pk = read_link(COMMENT_LINK_PURPOSE, token, max_age=COMMENT_LINK_MAX_AGE)
    return Feedback.objects.filter(pk=pk).first() if isinstance(pk, int) else None


def add_comment(feedback: Feedback, comment: str) -> bool:
    """Add the comment to an answer that has none yet (a link adds one comment, once)."""
    if not comment:
        return False
    return bool(Feedback.objects.filter(pk=feedback.pk, comment="").update(comment=comment))


# -- consent and invitations --------------------------------------------------------------


def wants_invitations(user) -> bool:
    return ContactPreference.objects.filter(user=user, invitations=True).exists()


def set_invitations(user, allowed: bool) -> ContactPreference:
    preference, _created = ContactPreference.objects.update_or_create(
        user=user, defaults={"invitations": allowed}
    )
    return preference


def consenting_people():
    """Active people who said yes to invitations, with an address."""
    return (
        get_user_model()
        .objects.filter(contact_preference__invitations=True, is_active=True)
        .exclude(email="")
        .order_by("email")
    )


def invite(*, meeting: ThemeMeeting, people, by, url: str = "") -> list[ThemeMeetingInvitation]:
    """Send the invitation (with the meeting's .ics) to each person who consented and has
    not been invited to this meeting at that address; returns the new invitations. Anyone
    who has not consented is skipped, whatever the caller passed."""
    from .invitations import send_invitation

    allowed = {user.pk for user in consenting_people().filter(pk__in=[p.pk for p in people])}
    already = {
        email.casefold()
        for email in ThemeMeetingInvitation.objects.filter(meeting=meeting).values_list(
            "email", flat=True
        )
    }
    sent = []
    for person in people:
        email = person.email.strip()
        if person.pk not in allowed or email.casefold() in already:
            continue
        try:
            with transaction.atomic():
                invitation = ThemeMeetingInvitation.objects.create(
                    meeting=meeting, user=person, email=email
                )
                send_invitation(invitation, url=url)
        except IntegrityError:  # invited at the same moment by someone else
            continue
        already.add(email.casefold())
        sent.append(invitation)
    if sent:
        log(
            instance=meeting,
            action="frivillig_blocks.invitations_sent",
            user=by,
            data={"count": len(sent)},
        )
    return sent
