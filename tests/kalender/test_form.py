"""The organiser's form on the public site: who may create and edit, the clash checks
after submit, review and trust, and bad input."""

from __future__ import annotations

import datetime
import io
import re
from urllib.parse import unquote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from wagtail.models import ModelLogEntry

from kalender.models import EventDetails, EventStatus, Slot
from kalender.services import publish

from ..helpers import danish, error_summary_of
from .conftest import CPH, local

pytestmark = pytest.mark.django_db

URL = "/frivillig/kalender/opret/"


def form_data(association=None, **overrides):
    data = {
        "title": "Strikkeaften",
        "organiser": f"a{association.pk}" if association else "me",
        "description": "Vi strikker sammen.",
        "date": "2026-03-04",
        "start_time": "19:00",
        "end_time": "21:00",
        "recurrence": "",
        "repeat_until": "",
        "address": "Strandlinien 1, 2791 Dragør",
        "save": "1",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_anonymous_cannot_create(client, calendar_page):
    response = client.get(URL)
    assert response.status_code == 302 and "/konto/login/" in response["Location"]
    response = client.post(URL, form_data())
    assert response.status_code == 302 and "/konto/login/" in response["Location"]
    assert EventDetails.objects.count() == 0


def test_member_creates_event_that_waits_for_review(
    client, calendar_page, member, association, place
):
    client.force_login(member)
    response = client.post(URL, form_data(association, address="", place=place.pk, room="Salen"))
    assert response.status_code == 302
    details = EventDetails.objects.get()
    assert details.status == EventStatus.REVIEW
    assert details.association == association
    # Not in the public calendar yet, but the organiser sees it.
    assert not Slot.objects.filter(public=True).exists()
    page = client.get(response["Location"])
    assert "afventer godkendelse" in page.content.decode()
    client.logout()
    assert client.get(response["Location"]).status_code == 404


def test_trusted_organiser_publishes_directly(client, calendar_page, member, association, trusted):
    client.force_login(member)
    response = client.post(URL, form_data(association))
    assert response.status_code == 302
    details = EventDetails.objects.get()
    assert details.status == EventStatus.PUBLISHED
    assert Slot.objects.filter(public=True).count() == 1


def test_untrusted_edit_of_published_event_goes_back_to_review(
    client, calendar_page, member, association, reviewer
):
    client.force_login(member)
    client.post(URL, form_data(association))
    details = EventDetails.objects.get()
    assert publish(user=reviewer, details=details)
    details.refresh_from_db()
    assert details.status == EventStatus.PUBLISHED
    edit = f"/frivillig/kalender/arrangement/{details.event_id}/ret/"
    response = client.post(edit, form_data(association, title="Strikkeaften – ny tid"))
    assert response.status_code == 302
    details.refresh_from_db()
    assert details.status == EventStatus.REVIEW
    assert details.event.title == "Strikkeaften – ny tid"
    assert not Slot.objects.filter(public=True).exists()
    actions = set(ModelLogEntry.objects.values_list("action", flat=True))
    assert {"kalender.create", "kalender.publish", "kalender.edit"} <= actions


def test_member_of_a_cannot_edit_bs_event(
    client,
    calendar_page,
    member,
    association,
    user_factory,
    association_factory,
    membership_factory,
):
    other = user_factory(username="bmedlem")
    b = association_factory(name="Forening B", slug="b")
    membership_factory(user=other, association=b)
    client.force_login(other)
    client.post(URL, form_data(b))
    details = EventDetails.objects.get()
    client.force_login(member)
    edit = f"/frivillig/kalender/arrangement/{details.event_id}/ret/"
    assert client.get(edit).status_code == 403
    assert client.post(edit, form_data(association, title="Overtaget")).status_code == 403
    dates = f"/frivillig/kalender/arrangement/{details.event_id}/datoer/"
    assert (
        client.post(
            dates, {"action": "cancel", "original_start": details.event.start.isoformat()}
        ).status_code
        == 403
    )
    # Nor create an event in B's name.
    response = client.post(URL, form_data(b, title="I B's navn"))
    assert response.status_code == 400
    assert "Vælg en af dine egne foreninger" in response.content.decode()
    details.refresh_from_db()
    assert details.event.title == "Strikkeaften"
    assert details.event.occurrence_set.count() == 0
    assert EventDetails.objects.count() == 1


def test_forged_event_id_is_404(client, calendar_page, member):
    client.force_login(member)
    assert client.get("/frivillig/kalender/arrangement/99999/").status_code == 404
    assert client.get("/frivillig/kalender/arrangement/99999/ret/").status_code == 404
    assert (
        client.post(
            "/frivillig/kalender/arrangement/99999/datoer/", {"action": "cancel"}
        ).status_code
        == 404
    )


def test_hard_clash_blocks_until_date_cancelled(
    client, calendar_page, member, association, reviewer, make_event, place, seniors
):
    make_event(reviewer, title="Bankospil", start=local(2026, 3, 18, 19), place=place, room="Salen")
    soft = make_event(
        reviewer,
        title="Seniordans",
        start=local(2026, 3, 11, 20),
        address="Hallen",
        age_group_ids=[seniors.pk],
    )
    assert soft.status == EventStatus.PUBLISHED
    client.force_login(member)
    data = form_data(
        association,
        address="",
        place=place.pk,
        room="salen",
        recurrence="weekly",
        repeat_until="2026-04-01",
        age_groups=[seniors.pk],
    )
    response = client.post(URL, data)
    assert response.status_code == 200
    html = response.content.decode()
    # The clashes are part of the error summary, first in the page, in plain words, with
    # links to what puts them right (a series may cancel the dates that clash).
    summary = error_summary_of(html)
    assert f"<h3>{danish('The room is taken')}</h3>" in summary and "Bankospil" in summary
    assert danish("Other events for the same audience at the same time") in summary
    assert "Seniordans" in summary
    assert 'href="#cancel-1"' in summary and 'id="cancel-1"' in html
    assert 'href="#id_venue_agreed"' in summary and 'id="id_venue_agreed"' in html
    assert 'href="#id_accept_warnings"' in summary and 'id="id_accept_warnings"' in html
    assert "Hård konflikt" not in html and "Blød konflikt" not in html
    assert EventDetails.objects.count() == 2
    # Cancel the clashing date (the form offers it) and accept the soft warning.
    data["cancelled_dates"] = [local(2026, 3, 18, 19).isoformat()]
    response = client.post(URL, data)
    assert response.status_code == 200  # the soft clash still needs the acknowledgement
    summary = error_summary_of(response.content.decode())
    assert danish("The room is taken") not in summary and "Seniordans" in summary
    data["accept_warnings"] = "on"
    response = client.post(URL, data)
    assert response.status_code == 302
    details = EventDetails.objects.latest("pk")
    cancelled = details.event.occurrence_set.get()
    assert cancelled.cancelled and cancelled.original_start == local(2026, 3, 18, 19)
    assert details.slots.count() == 4


def test_venue_agreement_lets_a_hard_clash_through_logged_and_told(
    client,
    calendar_page,
    member,
    association,
    reviewer,
    make_event,
    place,
    anymail_backend,
    django_capture_on_commit_callbacks,
):
    from kalender.models import VenueContact

    VenueContact.objects.create(place=place, name="Husets vært", email="vaert@example.org")
    make_event(reviewer, title="Bankospil", start=local(2026, 3, 4, 19), place=place)
    client.force_login(member)
    data = form_data(association, address="", place=place.pk, venue_agreed="on")
    response = client.post(URL, data)
    assert response.status_code == 400
    assert "Skriv, hvem på stedet der har sagt ja" in response.content.decode()
    data["venue_agreed_note"] = "Birthe i huset sagde ja 1. marts"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, data)
    assert response.status_code == 302
    details = EventDetails.objects.latest("pk")
    assert details.venue_agreed
    assert ModelLogEntry.objects.filter(
        action="kalender.venue_agreed", object_id=str(details.pk)
    ).exists()
    assert any("vaert@example.org" in m.to for m in anymail_backend)


def test_duplicate_asks_is_this_the_same(
    client, calendar_page, member, association, reviewer, make_event, place
):
    make_event(
        reviewer, title="Strikkeaften", start=local(2026, 3, 4, 19), place=place, room="Sal 1"
    )
    client.force_login(member)
    response = client.post(URL, form_data(association, address="", place=place.pk, room="Sal 2"))
    assert response.status_code == 200
    assert "Er det det samme som" in response.content.decode()
    assert EventDetails.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"end_time": "18:00"}, "Arrangementet skal slutte, efter det begynder."),
        (
            {"recurrence": "daily", "repeat_until": "2036-03-04"},
            "Arrangementet gentages for ofte eller for længe.",
        ),
        (
            {"recurrence": "WEEKLY;BYHOUR=1,2,3", "repeat_until": "2026-04-01"},
            "Vælg en af de tilbudte gentagelser.",
        ),
        ({"recurrence": "weekly", "repeat_until": ""}, "Angiv den sidste dato for gentagelsen."),
        ({"title": "   "}, "Giv arrangementet en titel."),
        ({"title": "x" * 500}, "Skriv en titel på højst"),
        ({"address": ""}, "Vælg et sted, eller skriv adressen."),
        ({"date": "2026-02-30"}, "Angiv en gyldig dato."),
        ({"registration_url": "javascript:alert(1)"}, "Skriv en gyldig webadresse"),
        ({"cancelled_dates": "not-a-date"}, "En valgt dato er ikke gyldig."),
    ],
)
def test_bad_input_gets_a_danish_message_and_saves_nothing(
    client, calendar_page, member, overrides, message
):
    client.force_login(member)
    response = client.post(URL, form_data(**overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert EventDetails.objects.count() == 0


def test_html_and_script_in_description_are_cleaned(
    client, calendar_page, member, trusted, association
):
    client.force_login(member)
    description = '<p onclick="x()">Hej <strong>alle</strong><script>alert(1)</script><img src=x onerror=alert(2)> <a href="javascript:alert(3)">link</a></p>'
    response = client.post(
        URL, form_data(association, description=description, title="<b>Fest</b>")
    )
    assert response.status_code == 302
    details = EventDetails.objects.get()
    assert (
        details.event.description
        == '<p>Hej <strong>alle</strong> <a rel="noopener noreferrer nofollow">link</a></p>'
    )
    page = client.get(response["Location"]).content.decode()
    assert "<script>alert" not in page and "onerror" not in page
    assert "&lt;b&gt;Fest&lt;/b&gt;" in page


def test_huge_image_is_refused(client, calendar_page, member, settings):
    settings.KALENDER_MAX_IMAGE_MB = 5
    client.force_login(member)
    data = form_data()
    data["image"] = SimpleUploadedFile(
        "stor.jpg", b"\xff\xd8\xff" + b"\0" * (50 * 1024 * 1024), "image/jpeg"
    )
    response = client.post(URL, data)
    assert response.status_code == 400
    assert "Billedet er for stort" in response.content.decode()
    assert EventDetails.objects.count() == 0


def test_image_upload_is_stored(client, calendar_page, member, trusted, association):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(buffer, "PNG")
    client.force_login(member)
    data = form_data(association)
    data["image"] = SimpleUploadedFile("lille.png", buffer.getvalue(), "image/png")
    assert client.post(URL, data).status_code == 302
    assert EventDetails.objects.get().image is not None


def test_rate_limit(client, calendar_page, member, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "kalender_event": "1/h/user"}
    client.force_login(member)
    assert client.post(URL, form_data(title="Første")).status_code == 302
    response = client.post(URL, form_data(title="Anden", date="2026-03-05"))
    assert response.status_code == 429
    assert "mange arrangementer" in response.content.decode()
    assert EventDetails.objects.count() == 1


def test_cancel_a_date_on_the_dates_page(client, calendar_page, member, association, trusted):
    client.force_login(member)
    # A series in the future (the dates page lists the coming dates).
    first = timezone.localdate() + datetime.timedelta(days=7)
    data = form_data(
        association,
        date=first.isoformat(),
        recurrence="weekly",
        repeat_until=(first + datetime.timedelta(days=21)).isoformat(),
    )
    assert client.post(URL, data).status_code == 302
    details = EventDetails.objects.get()
    url = f"/frivillig/kalender/arrangement/{details.event_id}/datoer/"
    page = client.get(url)
    assert page.status_code == 200
    second = first + datetime.timedelta(days=7)
    target = datetime.datetime(second.year, second.month, second.day, 19, tzinfo=CPH)
    # The dates page links to a question; it has no button that cancels at one click.
    links = re.findall(r'href="(\?aflys=[^"]+)"', page.content.decode())
    assert len(links) == 4
    asking = next(
        link
        for link in links
        if datetime.datetime.fromisoformat(unquote(link.removeprefix("?aflys="))) == target
    )
    assert 'value="cancel"' not in page.content.decode()
    question = client.get(url + asking)
    html = question.content.decode()
    assert question.status_code == 200 and "Strikkeaften" in html
    assert 'name="confirm" value="yes"' in html and f'href="{url}"' in html
    # The old one-click POST lands on the same question and cancels nothing.
    data = {"action": "cancel", "original_start": target.isoformat()}
    response = client.post(url, data)
    assert response.status_code == 200 and 'name="confirm" value="yes"' in response.content.decode()
    assert details.slots.count() == 4
    # The question's answer cancels.
    response = client.post(url, {**data, "confirm": "yes"})
    assert response.status_code == 302
    assert details.slots.count() == 3
    # A date the series does not have is refused, asked or answered.
    other = (target + datetime.timedelta(days=1)).isoformat()
    for data in (
        {"action": "cancel", "original_start": other, "confirm": "yes"},
        {"action": "cancel", "original_start": other},
    ):
        response = client.post(url, data)
        assert response.status_code == 400
        assert "Arrangementet har ikke den dato." in response.content.decode()
    assert client.get(url + "?aflys=not-a-date").status_code == 400


def test_hard_clash_with_a_loan_through_venue_bookings(
    client, calendar_page, member, association, place
):
    from wagtail import hooks

    from frivillig_blocks.hooks import VENUE_BOOKINGS, VenueBooking

    asked = []

    def bookings(place_id, start, end):
        asked.append(place_id)
        return [
            VenueBooking(
                start=local(2026, 3, 4, 18),
                end=local(2026, 3, 4, 20),
                room="Salen",
                label="Udlån til spejderne",
            )
        ]

    client.force_login(member)
    with hooks.register_temporarily(VENUE_BOOKINGS, bookings):
        response = client.post(
            URL, form_data(association, address="", place=place.pk, room="Salen")
        )
        assert response.status_code == 200
        html = response.content.decode()
        summary = error_summary_of(html)
        assert "Udlån til spejderne" in summary and danish("The room is taken") in summary
        # Another room of the place is free.
        response = client.post(
            URL, form_data(association, address="", place=place.pk, room="Mødelokale 2")
        )
        assert response.status_code == 302
    assert set(asked) == {place.pk}
    assert EventDetails.objects.count() == 1


def test_live_clash_check_returns_the_same_check_as_json(
    client, calendar_page, member, association, reviewer, make_event, place
):
    make_event(reviewer, title="Bankospil", start=local(2026, 3, 4, 19), place=place, room="Salen")
    url = "/frivillig/kalender/tjek/"
    data = form_data(association, address="", place=place.pk, room="Salen")
    assert client.post(url, data).status_code == 403  # anonymous
    client.force_login(member)
    result = client.post(url, data).json()
    assert result["ready"] is True
    assert [c["title"] for c in result["hard"]] == ["Bankospil"]
    assert result["hard"][0]["start"] == "04.03.2026 19:00"
    assert client.post(url, {**data, "title": ""}).json() == {"ready": False}
    assert EventDetails.objects.count() == 1


# --- Bounded cost of edits (#18, item 7) --------------------------------------------------


def png(colour="red") -> SimpleUploadedFile:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(buffer, "PNG")
    return SimpleUploadedFile(f"{colour}.png", buffer.getvalue(), "image/png")


def edit_url(details) -> str:
    return f"/frivillig/kalender/arrangement/{details.event_id}/ret/"


def test_32_edits_with_a_new_image_leave_one_image(
    client,
    calendar_page,
    member,
    association,
    trusted,
    settings,
    django_capture_on_commit_callbacks,
):
    """Each edit with an image used to store a new one: 32 edits left 31 orphans."""
    from wagtail.images import get_image_model

    Image = get_image_model()
    Rendition = Image.get_rendition_model()
    settings.ACCOUNT_RATE_LIMITS = {
        **settings.ACCOUNT_RATE_LIMITS,
        "kalender_event_edit": "100/h/user",
    }
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(URL, {**form_data(association), "image": png()}).status_code == 302
    details = EventDetails.objects.get()
    storage = details.image.file.storage
    files = []
    for n in range(32):
        image = EventDetails.objects.get().image
        rendition = image.get_rendition("fill-20x20")
        files += [image.file.name, rendition.file.name]
        data = {**form_data(association, title=f"Strikkeaften {n}"), "image": png("blue")}
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(edit_url(details), data).status_code == 302
    assert Image.objects.count() == 1
    assert Rendition.objects.count() == 0
    assert EventDetails.objects.get().image == Image.objects.get()
    assert not [name for name in files if storage.exists(name)]


def test_an_edit_without_an_image_keeps_the_image(
    client, calendar_page, member, association, trusted
):
    client.force_login(member)
    assert client.post(URL, {**form_data(association), "image": png()}).status_code == 302
    details = EventDetails.objects.get()
    image_id = details.image_id
    assert client.post(edit_url(details), form_data(association, title="Ny")).status_code == 302
    details.refresh_from_db()
    assert details.image_id == image_id


def test_a_replaced_image_that_something_else_uses_stays(
    client, calendar_page, member, association, trusted, user_factory, make_event
):
    from wagtail.images import get_image_model

    Image = get_image_model()
    client.force_login(member)
    assert client.post(URL, {**form_data(association), "image": png()}).status_code == 302
    details = EventDetails.objects.get()
    shared = details.image
    other = make_event(member, title="Andet", association_id=association.pk)
    EventDetails.objects.filter(pk=other.pk).update(image=shared)
    response = client.post(edit_url(details), {**form_data(association), "image": png("blue")})
    assert response.status_code == 302
    assert Image.objects.filter(pk=shared.pk).exists()
    # An image someone else put in the library (staff chose it in the admin) stays too.
    library = Image.objects.create(
        title="Byens logo", file=png("green"), uploaded_by_user=user_factory()
    )
    EventDetails.objects.filter(pk=details.pk).update(image=library)
    response = client.post(edit_url(details), {**form_data(association), "image": png()})
    assert response.status_code == 302
    assert Image.objects.filter(pk=library.pk).exists()


def test_edits_are_rate_limited_per_user(
    client, calendar_page, member, association, trusted, settings, reviewer
):
    settings.ACCOUNT_RATE_LIMITS = {
        **settings.ACCOUNT_RATE_LIMITS,
        "kalender_event_edit": "2/h/user",
    }
    client.force_login(member)
    assert client.post(URL, form_data(association)).status_code == 302
    details = EventDetails.objects.get()
    for n in range(2):
        data = form_data(association, title=f"Ændring {n}")
        assert client.post(edit_url(details), data).status_code == 302
    refused = client.post(edit_url(details), form_data(association, title="Tredje"))
    assert refused.status_code == 429
    assert "ændret arrangementer mange gange" in refused.content.decode()
    details.refresh_from_db()
    assert details.event.title == "Ændring 1"
    # The limit is the member's own: a reviewer may still change the event.
    client.force_login(reviewer)
    data = form_data(association, title="Rettet af kommunen")
    assert client.post(edit_url(details), data).status_code == 302


def test_a_clashing_submit_with_an_image_stores_no_image(
    client, calendar_page, member, association, reviewer, make_event, place
):
    """The upload, the clash check and the rate limit are one use case
    (``services.submit_event``): a submit the clashes stop stores nothing but its notice."""
    from wagtail.images import get_image_model

    from kalender.models import ClashNotice

    make_event(reviewer, title="Bankospil", start=local(2026, 3, 4, 19), place=place, room="Salen")
    client.force_login(member)
    data = form_data(association, address="", place=place.pk, room="Salen")
    response = client.post(URL, {**data, "image": png()})
    assert response.status_code == 200
    html = response.content.decode()
    summary = error_summary_of(html)
    assert f"<h3>{danish('The room is taken')}</h3>" in summary and "Bankospil" in summary
    # A one-off event has one date: it is never offered "cancel these dates".
    assert 'name="cancelled_dates"' not in html and "#cancel-1" not in summary
    assert danish("Cancel these dates of the event") not in html
    assert not get_image_model().objects.exists()
    assert EventDetails.objects.count() == 1
    assert ClashNotice.objects.exists()
    # With the venue's agreement the same submit goes through, and only then is it stored.
    data.update(venue_agreed="on", venue_agreed_note="Aftalt med huset")
    response = client.post(URL, {**data, "image": png()})
    assert response.status_code == 302
    assert get_image_model().objects.count() == 1
    assert EventDetails.objects.latest("pk").image == get_image_model().objects.get()


def test_the_rate_limit_is_asked_only_for_a_submit_that_would_be_saved(
    calendar_page, member, association, reviewer, make_event, place
):
    from kalender import services
    from kalender.exceptions import RateLimited

    make_event(reviewer, title="Bankospil", start=local(2026, 3, 4, 19), place=place, room="Salen")
    asked = []

    def refuse(action):
        asked.append(action)
        return False

    data = services.EventData(
        title="Korprøve",
        start=local(2026, 3, 4, 20),
        end=local(2026, 3, 4, 22),
        place_id=place.pk,
        room="Salen",
        association_id=association.pk,
        notice_key="6d1f4d1c-3a52-4c51-9a8e-1b6f0f0d2a11",
    )
    submitted = services.submit_event(user=member, data=data, within_rate_limit=refuse)
    assert not submitted.saved and submitted.report.hard and asked == []
    data.venue_agreed, data.venue_agreed_note = True, "Aftalt med huset"
    with pytest.raises(RateLimited) as refused:
        services.submit_event(user=member, data=data, within_rate_limit=refuse)
    assert asked == [services.CREATE_RATE_LIMIT]
    assert refused.value.status == 429 and refused.value.report.hard
    assert EventDetails.objects.count() == 1
