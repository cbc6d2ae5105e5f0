"""The .ics file of a session (one event per meeting), attached to the confirmation."""

from __future__ import annotations

from frivillig_blocks.ics import IcsEvent, ics_calendar, uid

PRODID = "-//frivillig-platform//kurser//DA"


def session_location(session) -> str:
    parts = []
    if session.place_id:
        parts.append(f"{session.place.name}, {session.place.address}")
    if session.location:
        parts.append(session.location)
    if session.online_url:
        parts.append(session.online_url)
    return " – ".join(parts)


def session_calendar(session, *, url: str = "") -> bytes:
    location = session_location(session)
    return ics_calendar(
        [
            IcsEvent(
                uid=uid("kurser-meeting", meeting.pk),
                start=meeting.starts_at,
                end=meeting.ends_at,
                summary=session.course.title,
                location=location,
                url=url,
                description=session.course.summary,
            )
            for meeting in session.meetings.all()
        ],
        prodid=PRODID,
    )
