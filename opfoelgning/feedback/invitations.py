"""The invitation to a theme meeting: a Danish mail with the meeting as an .ics file,
stored with its Message-ID and sent by the shared mail task (outbound.py)."""

from __future__ import annotations

from frivillig_blocks.conf import app_settings as base_settings
from frivillig_blocks.ics import IcsEvent, ics_calendar, uid
from frivillig_blocks.models import OutboundMessage
from frivillig_blocks.outbound import send_templated_mail

from ..models import ThemeMeeting, ThemeMeetingInvitation

TEMPLATE = "opfoelgning/feedback/mail/theme_meeting_invitation"
PURPOSE = "frivillig_blocks.theme_meeting_invitation"


def meeting_location(meeting: ThemeMeeting) -> str:
    parts = []
    if meeting.place_id:
        place = meeting.place
        parts.append(", ".join(p for p in (place.name, getattr(place, "address", "")) if p))
    if meeting.location:
        parts.append(meeting.location)
    return " – ".join(parts)


def meeting_uid(meeting: ThemeMeeting) -> str:
    return uid("frivillig-theme-meeting", meeting.pk)


def meeting_calendar(meeting: ThemeMeeting, *, url: str = "") -> bytes:
    return ics_calendar(
        [
            IcsEvent(
                uid=meeting_uid(meeting),
                start=meeting.start,
                end=meeting.end,
                summary=meeting.title,
                location=meeting_location(meeting),
                description=meeting.description,
                url=url,
            )
        ],
        prodid="-//frivillig-platform//theme-meeting//DA",
    )


def send_invitation(invitation: ThemeMeetingInvitation, *, url: str = "") -> OutboundMessage:
    meeting = invitation.meeting
    return send_templated_mail(
        to=[invitation.email],
        template=TEMPLATE,
        context={
            "meeting": meeting,
            "location": meeting_location(meeting),
            "url": url,
            "name": invitation.user.get_full_name() if invitation.user_id else "",
        },
        purpose=PURPOSE,
        reply_to=[base_settings.EMAIL],
        attachments=[("moede.ics", meeting_calendar(meeting, url=url), "text/calendar")],
    )
