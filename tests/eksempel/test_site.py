"""Eksempel Kommune from the wheel: its pages answer with its own name, colours and logo, a
staff login works, and nothing it shows or mails names the reference municipality."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import OTHER_MUNICIPALITY, PASSWORD, REPO, seed
from django.core import mail
from django.utils import timezone

NAME = "Eksempel Kommune"


def test_the_apps_come_from_the_installed_wheel_and_the_site_from_site_eksempel():
    import eksempel
    import frivillig_blocks
    import kalender
    import kurser

    for module in (frivillig_blocks, kalender, kurser):
        path = Path(module.__file__).resolve()
        assert "site-packages" in path.parts, path
        assert not path.is_relative_to(REPO / module.__name__), path  # not the source tree
    assert Path(eksempel.__file__).resolve().is_relative_to(REPO / "site" / "eksempel")


def test_only_the_two_apps_are_installed():
    from django.apps import apps

    for app in ("frivillig_blocks", "kalender", "kurser"):
        assert apps.is_installed(app)
    for app in ("booking", "boers", "initiativpris", "henvendelser"):
        assert not apps.is_installed(app)


def _course_and_session():
    from kurser.models import Session

    session = Session.objects.filter(starts_at__gte=timezone.now()).select_related("course")[0]
    return session.course, session


def _public_urls() -> list[str]:
    from kalender.models import EventDetails

    course, _session = _course_and_session()
    event = EventDetails.objects.select_related("event").first()
    assert event is not None, "the demo made no event"
    return [
        "/",
        "/frivillig/",
        "/frivillig/kalender/",
        "/frivillig/kalender/maaned/",
        f"/frivillig/kalender/arrangement/{event.event_id}/",
        "/frivillig/kurser/",
        f"/frivillig/kurser/{course.slug}/",
        "/frivillig/kurser/behov/",
        "/tilgaengelighedserklaering/",
        "/soeg/?q=kursus",
        "/konto/login/",
        "/en/",
        "/en/frivillig/kurser/",
    ]


def test_every_page_answers_with_eksempels_name_logo_and_colours(client, seeded):
    for url in _public_urls():
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert NAME in html, url
        assert "/static/eksempel/logo.svg" in html, url
        assert "/static/eksempel/eksempel.css" in html, url
        assert "/static/eksempel/favicon.svg" in html, url
        assert "frivillig_blocks/favicon.svg" not in html, url
        found = OTHER_MUNICIPALITY.search(html)
        assert found is None, f"{url} says {found.group(0)!r}"
    footer = client.get("/").content.decode()
    assert "frivillig@eksempel.dk" in footer and "Torvet 1, 9990 Eksempelby" in footer


def test_the_sites_stylesheet_sets_its_own_colours(client):
    response = client.get("/static/eksempel/eksempel.css")
    css = b"".join(response.streaming_content).decode()
    response.close()
    assert "--color-primary: #1d5c3a" in css
    logo = client.get("/static/eksempel/logo.svg")
    logo.close()
    assert logo.status_code == 200 and logo["Content-Type"].startswith("image/svg")


def test_the_calendars_feeds_and_api_name_no_other_municipality(client, seeded):
    from kalender.models import EventDetails

    event_id = EventDetails.objects.values_list("event_id", flat=True)[0]
    for url in (
        "/api/kalender/dates",
        "/frivillig/kalender/ical/",
        f"/frivillig/kalender/arrangement/{event_id}/ical/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        body = (
            b"".join(response.streaming_content) if response.streaming else response.content
        ).decode()
        assert "Eksempel" in body, url
        found = OTHER_MUNICIPALITY.search(body)
        assert found is None, f"{url} says {found.group(0)!r}"


def test_a_staff_editor_logs_in_at_the_admin(client, seeded):
    response = client.post("/admin/login/", {"username": "redaktoer", "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == "/admin/"
    dashboard = client.get("/admin/")
    assert dashboard.status_code == 200
    html = dashboard.content.decode()
    assert NAME in html
    assert OTHER_MUNICIPALITY.search(html) is None
    wrong = client.post("/admin/login/", {"username": "redaktoer", "password": "forkert"})
    assert wrong.status_code == 200  # the form again, not in


def _mail_text(message) -> str:
    parts = [message.subject, message.body, message.from_email, *message.reply_to]
    parts += [content for content, _type in getattr(message, "alternatives", [])]
    for attachment in message.attachments:
        content = attachment[1] if isinstance(attachment, tuple) else attachment.get_payload()
        parts.append(content.decode() if isinstance(content, bytes) else str(content))
    return "\n".join(parts)


def test_a_course_registration_mails_from_eksempels_address(client, seeded, django_user_model):
    course, session = _course_and_session()
    citizen = django_user_model.objects.create_user(
        username="borger", email="borger@example.net", password=PASSWORD
    )
    client.force_login(citizen)
    mail.outbox.clear()
    url = f"/frivillig/kurser/{course.slug}/hold/{session.pk}/tilmeld/"
    response = client.post(url, {"who": "me"}, follow=True)
    assert response.status_code == 200
    assert session.registrations.filter(email="borger@example.net").exists()
    (confirmation,) = [m for m in mail.outbox if "borger@example.net" in m.to]
    assert "frivillig@eksempel.dk" in confirmation.from_email
    assert confirmation.reply_to == ["frivillig@eksempel.dk"]
    text = _mail_text(confirmation)
    assert course.title in text
    found = OTHER_MUNICIPALITY.search(text)
    assert found is None, f"the confirmation says {found.group(0)!r}"


def test_the_login_code_mail_names_no_other_municipality(client, seeded, django_user_model):
    django_user_model.objects.create_user(username="kode", email="kode@example.net")
    mail.outbox.clear()
    response = client.post("/konto/login/code/", {"email": "kode@example.net"})
    assert response.status_code in (200, 302)
    (message,) = [m for m in mail.outbox if "kode@example.net" in m.to]
    assert "frivillig@eksempel.dk" in message.from_email
    found = OTHER_MUNICIPALITY.search(_mail_text(message))
    assert found is None, f"the login mail says {found.group(0)!r}"


@pytest.mark.django_db
def test_the_demo_can_run_again_without_doubling_anything():
    from wagtail.models import Page

    from kalender.models import EventDetails
    from kurser.models import Course, Session

    seed()
    counts = (
        Page.objects.count(),
        EventDetails.objects.count(),
        Course.objects.count(),
        Session.objects.count(),
    )
    seed()
    assert counts == (
        Page.objects.count(),
        EventDetails.objects.count(),
        Course.objects.count(),
        Session.objects.count(),
    )
    assert counts[1] >= 3 and counts[2] == 2
