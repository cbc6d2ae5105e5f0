"""The shared toolbox: templated mail with files, and .ics files over icalendar."""

import datetime
import zoneinfo

import icalendar
import pytest
from django.core import mail

from frivillig_blocks.ics import IcsEvent, ics_calendar, uid
from frivillig_blocks.models import OutboundMessage
from frivillig_blocks.outbound import REDACTED, sanitize_header, send_templated_mail

UTC = datetime.UTC
CPH = zoneinfo.ZoneInfo("Europe/Copenhagen")


def test_a_header_never_carries_a_line_break():
    assert sanitize_header("Hej\r\nBcc: alle@example.org\n") == "Hej Bcc: alle@example.org"


@pytest.mark.django_db
def test_a_templated_mail_goes_out_with_its_files_and_keeps_its_secret_out_of_the_log(
    anymail_backend, association_factory, user
):
    association = association_factory(name="Søspejderne")
    outbound = send_templated_mail(
        to=["ny@example.org"],
        template="frivillig_blocks/mail/invitation",
        context={"association": association, "inviter": user, "role": "medlem"},
        secrets={"url": "https://x.test/hemmelig"},
        purpose="invitation",
        reply_to=["svar@example.org"],
        attachments=[("moede.ics", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")],
    )
    outbound.refresh_from_db()
    assert outbound.status == OutboundMessage.Status.SENT
    assert outbound.attachments[0]["filename"] == "moede.ics"
    assert "hemmelig" not in outbound.body_text and REDACTED in outbound.body_text
    sent = mail.outbox[-1]
    assert sent.to == ["ny@example.org"] and sent.reply_to == ["svar@example.org"]
    assert sent.subject == "Invitation til Søspejderne"
    assert "https://x.test/hemmelig" in sent.body
    [(filename, content, mimetype)] = sent.attachments
    assert filename == "moede.ics" and mimetype == "text/calendar"
    assert "BEGIN:VCALENDAR" in (content.decode() if isinstance(content, bytes) else content)


def _only_event(data: bytes) -> icalendar.Event:
    calendar = icalendar.Calendar.from_ical(data)
    [event] = calendar.walk("VEVENT")
    return event


def test_an_event_in_utc_reads_back_with_every_field(settings):
    settings.FRIVILLIG_MESSAGE_ID_DOMAIN = "kommune.test"
    start = datetime.datetime(2026, 6, 5, 16, 0, tzinfo=UTC)
    data = ics_calendar(
        [
            IcsEvent(
                uid=uid("lan", "B-12", 7),
                start=start,
                end=start + datetime.timedelta(hours=2),
                summary="Sommerfest",
                location="Rådhuset, Kirkevej 7",
                url="https://kommune.test/fest/",
                description="Med musik",
                status="CONFIRMED",
            )
        ],
        name="Fester",
        prodid="-//test//DA",
    )
    calendar = icalendar.Calendar.from_ical(data)
    assert str(calendar["x-wr-calname"]) == "Fester"
    assert str(calendar["prodid"]) == "-//test//DA"
    event = _only_event(data)
    assert str(event["uid"]) == "lan-B-12-7@kommune.test"
    assert event.decoded("dtstart") == start
    assert event.decoded("dtend") == start + datetime.timedelta(hours=2)
    assert b"DTSTART:20260605T160000Z" in data
    assert str(event["summary"]) == "Sommerfest"
    assert str(event["location"]) == "Rådhuset, Kirkevej 7"
    assert str(event["url"]) == "https://kommune.test/fest/"
    assert str(event["description"]) == "Med musik"
    assert str(event["status"]) == "CONFIRMED"
    assert "dtstamp" in event


def test_an_event_in_a_zone_carries_its_tzid_and_the_zone():
    start = datetime.datetime(2026, 6, 5, 16, 0, tzinfo=UTC)
    data = ics_calendar(
        [IcsEvent(uid="a@b", start=start, end=start + datetime.timedelta(hours=1), summary="X")],
        tz=CPH,
    )
    assert b"DTSTART;TZID=Europe/Copenhagen:20260605T180000" in data
    calendar = icalendar.Calendar.from_ical(data)
    assert [str(z["tzid"]) for z in calendar.walk("VTIMEZONE")] == ["Europe/Copenhagen"]
    event = _only_event(data)
    assert event.decoded("dtstart") == start  # the same moment
    # Empty fields are left out, not written empty.
    assert "location" not in event and "url" not in event and "description" not in event


def test_extra_properties_keep_their_order_and_zone():
    start = datetime.datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    data = ics_calendar(
        [
            IcsEvent(
                uid="r@b",
                start=start,
                end=start + datetime.timedelta(hours=1),
                summary="Strikkeklub",
                extra=[
                    ("rrule", {"FREQ": "WEEKLY"}),
                    ("exdate", start + datetime.timedelta(days=7)),
                    ("exdate", start + datetime.timedelta(days=14)),
                ],
            )
        ],
        tz=CPH,
    )
    event = _only_event(data)
    assert event["rrule"]["FREQ"] == ["WEEKLY"]
    assert len(event["exdate"]) == 2
    assert b"EXDATE;TZID=Europe/Copenhagen:20260112T100000" in data


def test_the_greeting_names_a_person_or_says_hej():
    from django.template import Context, Template
    from django.utils import translation

    template = Template("{% load frivillig_mail %}{% greeting name %}")
    with translation.override("da"):
        assert template.render(Context({"name": "Søren Ærbø"})) == "Kære Søren Ærbø"
        assert template.render(Context({"name": "s@example.org"})) == "Hej"
        assert template.render(Context({"name": "  "})) == "Hej"
        assert template.render(Context({"name": "<b>Bo</b>"})) == "Kære &lt;b&gt;Bo&lt;/b&gt;"
