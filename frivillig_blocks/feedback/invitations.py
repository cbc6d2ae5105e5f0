"""The invitation to a theme meeting: a Danish mail with the meeting as an .ics file,
stored with its Message-ID and sent by the shared mail task (outbound.py)."""

from __future__ import annotations

import base64

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from icalendar import Calendar, Event

from .. import layout
from ..models import OutboundMessage, ThemeMeeting, ThemeMeetingInvitation
from ..outbound import _sanitize_header, new_message_id

TEMPLATE = "frivillig_blocks/feedback/mail/theme_meeting_invitation"
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
    return f"frivillig-theme-meeting-{meeting.pk}@{settings.FRIVILLIG_MESSAGE_ID_DOMAIN}"


def meeting_calendar(meeting: ThemeMeeting, *, url: str = "") -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//frivillig-platform//theme-meeting//DA")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("dtstamp", timezone.now())
    event.add("dtstart", meeting.start)
    event.add("dtend", meeting.end)
    event.add("summary", meeting.title)
    location = meeting_location(meeting)
    if location:
        event.add("location", location)
    if meeting.description:
        event.add("description", meeting.description)
    if url:
        event.add("url", url)
    calendar.add_component(event)
    return calendar.to_ical()


def send_invitation(invitation: ThemeMeetingInvitation, *, url: str = "") -> OutboundMessage:
    meeting = invitation.meeting
    context = {
        "municipality": layout.municipality(None),
        "meeting": meeting,
        "location": meeting_location(meeting),
        "url": url,
        "name": invitation.user.get_full_name() if invitation.user_id else "",
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"{TEMPLATE}_subject.txt", context)
        text = render_to_string(f"{TEMPLATE}_body.txt", context)
        html = render_to_string(f"{TEMPLATE}_body.html", context)
    outbound = OutboundMessage.objects.create(
        message_id=new_message_id(),
        purpose=PURPOSE,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[_sanitize_header(invitation.email)],
        reply_to=[settings.FRIVILLIG_EMAIL],
        headers={},
        subject=_sanitize_header(subject)[:255],
        body_text=text,
        body_html=html,
        attachments=[
            {
                "filename": "moede.ics",
                "mimetype": "text/calendar",
                "content": base64.b64encode(meeting_calendar(meeting, url=url)).decode("ascii"),
            }
        ],
    )
    from ..tasks import send_outbound_message

    send_outbound_message.enqueue(outbound.pk)
    return outbound
