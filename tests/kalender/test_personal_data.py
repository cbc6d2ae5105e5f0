"""The calendar in the personal data registry (#17, findings 8, 9 and 10): the data download
holds a person's events, "Slet konto" leaves no personal datum of theirs in the calendar's
tables (a private person's own event goes; an association's event stays listed under the
association, without them), and the retention anonymises old events only."""

from __future__ import annotations

import datetime
import io
import json

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.utils import timezone
from schedule.models import Event
from wagtail.images import get_image_model
from wagtail.models import ModelLogEntry

from frivillig_blocks import personal_data
from frivillig_blocks.models import OutboundMessage
from kalender.models import (
    ClashNotice,
    EventDetails,
    EventStatus,
    TrustedOrganiser,
    VenueContact,
)

from .conftest import local

pytestmark = pytest.mark.django_db

CREATE = "/frivillig/kalender/opret/"
PHONE = "22 33 44 55"
HOME = "Søndergade 7, 2791 Dragør"


def _png(name="mette.png"):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "blue").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), "image/png")


def _form(**overrides):
    data = {
        "title": "Arrangement",
        "organiser": "me",
        "description": "",
        "date": "2027-03-04",
        "start_time": "19:00",
        "end_time": "21:00",
        "recurrence": "",
        "repeat_until": "",
        "address": "",
        "save": "1",
    }
    data.update(overrides)
    return data


def _text_values(app_labels) -> list[tuple[str, str, str]]:
    """Every value of every text, char and JSON column of the apps' models."""
    found = []
    for label in app_labels:
        for model in apps.get_app_config(label).get_models():
            fields = [
                f.attname
                for f in model._meta.concrete_fields
                if isinstance(f, models.CharField | models.TextField | models.JSONField)
            ]
            if not fields:
                continue
            for row in model.objects.values_list(*fields):
                for name, value in zip(fields, row, strict=True):
                    if value:
                        found.append((model.__name__, name, json.dumps(value, ensure_ascii=False)))
    return found


def _mentions(values, needles):
    return [(m, f, v) for m, f, v in values for n in needles if n.lower() in v.lower()]


@pytest.fixture
def mette(member, association, trusted, place, calendar_page, reviewer, make_event, client):
    """Mette (member of the knitting club) with a private event at her home address (her
    phone in the text, an uploaded image), an event for her association that clashed with
    another at the community centre (the venue was told, her note with her phone), and
    the trust of the calendar staff."""
    member.email = "mette@example.org"
    member.save()
    from allauth.account.models import EmailAddress

    EmailAddress.objects.filter(user=member).update(email="mette@example.org")
    VenueContact.objects.create(place=place, name="Husets vært", email="vaert@example.org")
    make_event(reviewer, title="Bankospil", start=local(2027, 3, 11, 19), place=place)
    TrustedOrganiser.objects.create(user=member, note="Kendt arrangør")
    client.force_login(member)
    response = client.post(
        CREATE,
        _form(
            title="Mettes havefest",
            description=f"Ring til mig på {PHONE}.",
            address=HOME,
            image=_png(),
        ),
    )
    assert response.status_code == 302
    return member


def _make_association_event(client, association, place, django_capture_on_commit_callbacks):
    data = _form(
        title="Strikkecafé",
        organiser=f"a{association.pk}",
        organiser_name="Mette Madsen",
        description="Spørg Mette Madsen om garn.",
        accessibility="Skriv til mette@example.org om kørestol.",
        date="2027-03-11",
        place=place.pk,
        venue_agreed="on",
        venue_agreed_note=f"Birthe sagde ja, ring {PHONE}",
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(CREATE, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return EventDetails.objects.get(event__title="Strikkecafé")


def test_download_holds_every_event_and_clash(
    client, mette, association, place, anymail_backend, django_capture_on_commit_callbacks
):
    _make_association_event(client, association, place, django_capture_on_commit_callbacks)
    client.force_login(mette)
    response = client.get("/mine-sider/data/")
    assert response.status_code == 200
    data = json.loads(response.content)
    events = {e["title"]: e for e in data["kalender.events"]}
    assert set(events) == {"Mettes havefest", "Strikkecafé"}
    private = events["Mettes havefest"]
    assert private["address"] == HOME and PHONE in private["description"]
    assert private["organiser_name"] == "Mette Madsen" and private["organiser_is_you"]
    assert private["image"]["file"].startswith("original_images/")
    assert private["dates"] and private["status"] == EventStatus.PUBLISHED
    shared = events["Strikkecafé"]
    assert shared["association"] == "Dragør Strikkeklub" and shared["created_by_you"]
    assert PHONE in shared["venue_agreed_note"] and shared["venue_agreed"]
    assert "mette@example.org" in shared["accessibility"]
    clashes = data["kalender.clash_notices"]
    assert any(c["event"] == "Strikkecafé" and c["other_event"] == "Bankospil" for c in clashes)
    assert data["kalender.trusted_organisers"][0]["note"] == "Kendt arrangør"


def test_venue_contact_sees_their_entry_in_the_download(client, user_factory, place):
    contact_user = user_factory(username="vaert", email="Vaert@Example.org")
    VenueContact.objects.create(place=place, name="Husets vært", email="vaert@example.org")
    client.force_login(contact_user)
    data = json.loads(client.get("/mine-sider/data/").content)
    assert data["kalender.venue_contacts"] == [
        {"place": place.name, "name": "Husets vært", "email": "vaert@example.org"}
    ]


def test_delete_account_leaves_no_personal_datum_in_the_calendar(
    client,
    mette,
    association,
    place,
    user_factory,
    make_event,
    anymail_backend,
    django_capture_on_commit_callbacks,
):
    shared = _make_association_event(client, association, place, django_capture_on_commit_callbacks)
    private = EventDetails.objects.get(event__title="Mettes havefest")
    image = private.image
    assert image is not None and image.uploaded_by_user == mette
    venue_mail = OutboundMessage.objects.get(purpose="kalender.venue_agreed")
    assert PHONE in venue_mail.body_text
    assert venue_mail.related == f"kalender.eventdetails:{shared.pk}"
    ole = user_factory(username="ole", first_name="Ole", last_name="Olsen")
    theirs = make_event(ole, title="Oles loppemarked", address="Kongevejen 3, 2791 Dragør")
    needles = ["Mette Madsen", "mette@example.org", PHONE, HOME, "Søndergade"]
    assert _mentions(_text_values(["kalender", "schedule"]), needles)

    client.force_login(mette)
    response = client.post("/mine-sider/slet-konto/", {"email": "mette@example.org"})
    assert response.status_code == 302

    assert _mentions(_text_values(["kalender", "schedule"]), needles) == []
    # Her own event, its dates and her image are gone; the stored mail about the shared
    # event (her note) is scrubbed; the history keeps the decision, not her note.
    assert not EventDetails.objects.filter(pk=private.pk).exists()
    assert not Event.objects.filter(title="Mettes havefest").exists()
    assert not get_image_model().objects.filter(pk=image.pk).exists()
    assert not OutboundMessage.objects.filter(pk=venue_mail.pk).exists()
    assert not OutboundMessage.objects.filter(body_text__contains=PHONE).exists()
    assert not [e for e in ModelLogEntry.objects.all() if PHONE in json.dumps(e.data)]
    assert not TrustedOrganiser.objects.filter(user__isnull=False).exists()
    assert not ClashNotice.objects.filter(user__isnull=False).exclude(user=ole).exists()
    # The association's event stays listed, with the association as organiser.
    shared.refresh_from_db()
    assert shared.status == EventStatus.PUBLISHED and shared.association == association
    assert shared.created_by is None and shared.organiser_user is None
    assert shared.organiser_label == "Dragør Strikkeklub"
    assert shared.event.description == "<p>Spørg […] om garn.</p>"
    client.logout()
    page = client.get(f"/frivillig/kalender/arrangement/{shared.event_id}/")
    assert page.status_code == 200 and "Dragør Strikkeklub" in page.content.decode()
    # Another person's event stands.
    theirs.refresh_from_db()
    assert theirs.organiser_user == ole and theirs.address == "Kongevejen 3, 2791 Dragør"


def test_retention_anonymises_old_events_and_keeps_young_ones(
    settings, user_factory, association, member, make_event, reviewer
):
    settings.KALENDER_RETENTION_DAYS = 730
    ole = user_factory(username="ole", first_name="Ole", last_name="Olsen")
    old_private = make_event(
        ole,
        title="Oles gamle loppemarked",
        description=f"Ring {PHONE}",
        address="Kongevejen 3, 2791 Dragør",
        start=local(2027, 1, 10, 10),
    )
    young_private = make_event(
        ole,
        title="Oles nye loppemarked",
        description=f"Ring {PHONE}",
        address="Kongevejen 3, 2791 Dragør",
        start=local(2029, 1, 10, 10),
    )
    old_shared = make_event(
        member,
        title="Gammel strikkecafé",
        association_id=association.pk,
        start=local(2027, 1, 12, 19),
    )
    now = local(2029, 2, 1, 12)  # 750 days after the old events, 22 after the young one
    done = personal_data.expire(now=now)
    assert done["kalender.events"] == 2

    old_private.refresh_from_db()
    assert old_private.organiser_user is None and old_private.created_by is None
    assert old_private.organiser_name == "" and old_private.address == ""
    assert old_private.event.description == "" and old_private.event.creator is None
    assert old_private.event.title == "Oles gamle loppemarked"  # the calendar's history
    old_shared.refresh_from_db()
    assert old_shared.created_by is None and old_shared.association == association
    young_private.refresh_from_db()
    assert young_private.organiser_user == ole and young_private.organiser_name == "Ole Olsen"
    assert young_private.address == "Kongevejen 3, 2791 Dragør"
    assert PHONE in young_private.event.description
    # A second run finds nothing more to do.
    assert personal_data.expire(now=now)["kalender.events"] == 0


def test_retention_setting_is_checked(settings):
    from kalender.checks import check_settings

    settings.KALENDER_RETENTION_DAYS = 0
    assert any("KALENDER_RETENTION_DAYS" in e.msg for e in check_settings())
    settings.KALENDER_RETENTION_DAYS = 730
    assert not check_settings()


def test_record_of_processing_names_the_calendar():
    from django.utils import translation

    with translation.override("en"):
        rows = {r["key"]: r for r in personal_data.register_table()}
    assert "KALENDER_RETENTION_DAYS" in rows["kalender.events"]["retention"]
    assert rows["kalender.events"]["legal_basis"].startswith("GDPR art. 6(1)(e)")
    with translation.override("da"):
        danish = {r["key"]: r for r in personal_data.register_table()}
    assert "litra e" in danish["kalender.events"]["legal_basis"]


def test_never_saved_plans_lose_who_was_shown_them(member, settings):
    import uuid

    settings.KALENDER_RETENTION_DAYS = 730
    old = ClashNotice.objects.create(
        form_key=uuid.uuid4(),
        user=member,
        kind="soft",
        clash_key="event:1",
        shown_at=timezone.now() - datetime.timedelta(days=800),
    )
    young = ClashNotice.objects.create(
        form_key=uuid.uuid4(), user=member, kind="soft", clash_key="event:1"
    )
    personal_data.expire(now=timezone.now())
    old.refresh_from_db()
    young.refresh_from_db()
    assert old.user is None and young.user == member


def test_a_linked_calendar_is_in_the_download_and_stays_with_the_association(
    client, mette, association
):
    """Issue #23: who linked a calendar and its address (a private link may be in it) are in
    the person's download; deleting the account leaves the association's calendar linked,
    without the person."""
    from kalender.models import Subscription

    url = "https://calendar.example.org/private-abc123/basic.ics"
    linked = Subscription.objects.create(association=association, url=url, created_by=mette)
    client.force_login(mette)
    data = json.loads(client.get("/mine-sider/data/").content)
    [entry] = data["kalender.subscriptions"]
    assert entry["association"] == association.name and entry["address"] == url

    response = client.post("/mine-sider/slet-konto/", {"email": "mette@example.org"})
    assert response.status_code == 302
    linked.refresh_from_db()
    assert linked.created_by is None and linked.url == url
