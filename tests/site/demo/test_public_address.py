"""One public address (issue #21): on the seeded demo, every page, and every mail the main
flows send, links to the site's one address (WAGTAILADMIN_BASE_URL, which the demo's Wagtail
Site answers at), never to ``localhost``; the login mail names the municipality; the footer
and the contact page show the same address; ``/en/`` marks the Danish content
``lang="da"``; and every demo account the README names leads to work."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, Site

from tests.conftest import code_from_mail, requires_apps

pytestmark = [pytest.mark.django_db, requires_apps("booking", "kurser", "kalender")]

BASE = "http://testserver"
SKIP = ("/admin/", "/konto/", "/media/", "/documents/", "/static/", "/en/")


def seed():
    call_command("seed_demo", stdout=StringIO())
    mail.outbox.clear()


def texts_of(message) -> str:
    parts = [message.subject, message.body]
    parts += [content for content, _type in getattr(message, "alternatives", [])]
    return "\n".join(parts)


def assert_one_address(text: str, where: str) -> None:
    assert "localhost" not in text, where
    assert "Hej fra !" not in text and "Hello from !" not in text, where
    for url in re.findall(r"https?://[^\s\"'<>]+", text):
        host = url.split("/")[2]
        if host.endswith(("testserver", "127.0.0.1")):
            assert url.startswith(BASE + "/"), (where, url)


def test_the_demo_site_answers_at_the_one_address(client):
    seed()
    site = Site.objects.get(is_default_site=True)
    assert site.root_url == BASE
    assert site.site_name == "Dragør Kommune"
    footer_and_contact_page_show_the_one_address(client)
    english_pages_mark_the_danish_content(client)


def test_no_page_of_the_demo_names_localhost(client):
    """Every live page, and the pages its links lead to (the apps' events, posts, grants,
    institutions, courses, feeds), one step deep."""
    seed()
    pages = [p for p in Page.objects.live().public().specific() if p.depth > 1 and p.url]
    assert len(pages) >= 15
    linked = set()
    for page in pages:
        response = client.get(page.url)
        assert response.status_code == 200, page.url
        html = response.content.decode()
        assert_one_address(html, page.url)
        og = re.search(r'<meta property="og:url" content="([^"]+)"', html)
        assert og and og.group(1) == BASE + page.url, page.url
        linked.update(
            href
            for href in re.findall(r'href="(/[^"#?]*)"', html)
            if not href.startswith(SKIP) and not href.startswith("//")
        )
    linked -= {page.url for page in pages}
    assert len(linked) > 50
    for href in sorted(linked):
        response = client.get(href)
        if response.status_code == 200 and not response.streaming:
            assert_one_address(response.content.decode(errors="replace"), href)
        elif response.status_code == 200:
            assert_one_address(b"".join(response.streaming_content).decode(), href)


def footer_and_main(html: str) -> tuple[str, str]:
    footer = html[html.index('<footer class="site-footer"') :]
    main = html[html.index('<main id="main"') : html.index("</main>")]
    return footer, main


def footer_and_contact_page_show_the_one_address(client):
    html = client.get("/frivillig/kontakt/").content.decode()
    footer, main = footer_and_main(html)
    address = settings.FRIVILLIG_EMAIL
    assert re.findall(r'href="mailto:([^"]+)"', footer) == [address]
    assert f'href="mailto:{address}"' in main
    # Every other page's footer says the same.
    footer, _main = footer_and_main(client.get("/").content.decode())
    assert re.findall(r'href="mailto:([^"]+)"', footer) == [address]


def english_pages_mark_the_danish_content(client):
    html = client.get("/en/frivillig/").content.decode()
    assert '<html lang="en">' in html
    _footer, main = footer_and_main(html)
    assert re.search(r'<h1 lang="da">Frivillig i Dragør</h1>', main), main[:500]
    assert '<div class="lead" lang="da">' in main
    # The same page in Danish needs no marks.
    assert 'lang="da"' not in footer_and_main(client.get("/frivillig/").content.decode())[1]


def test_the_mails_of_the_main_flows_link_to_the_one_address(client):
    from booking import services as booking
    from booking.models import DeclineReason, Institution, Loan, LoanStatus
    from frivillig_blocks.accounts import services as accounts
    from frivillig_blocks.models import Association
    from kurser import services as kurser
    from kurser.models import Session

    seed()
    User = get_user_model()
    citizen = User.objects.get(username="borger")
    leader = User.objects.get(username="institutionsleder")

    # Log in by code: the mail names the municipality.
    client.post("/konto/login/", {"login": citizen.email})
    login_mail = mail.outbox[-1]
    assert "Dragør Kommune" in login_mail.body
    client.post("/konto/login/code/confirm/", {"code": code_from_mail(login_mail)})

    # A course: the confirmation and its links.
    now = timezone.now()
    session = (
        Session.objects.filter(registration_deadline__gt=now, capacity__gt=0)
        .order_by("registration_deadline")
        .first()
    )
    kurser.register(session_id=session.pk, user=citizen)

    # Loans: the leader declines one request and approves another.
    pending = list(
        Loan.objects.filter(status=LoanStatus.PENDING, institution__leaders=leader).order_by("pk")
    )
    assert len(pending) >= 1
    reason = DeclineReason.objects.filter(active=True).first()
    booking.decline_loan(
        loan_id=pending[0].pk, user=leader, reason_id=reason.pk, note="Lokalet er lånt ud."
    )
    for loan in pending[1:2]:
        booking.approve_loan(loan_id=loan.pk, user=leader)

    # An invitation to an association.
    association = Association.objects.get(slug="dragoer-soespejdere")
    accounts.invite_member(association=association, inviter=citizen, email="ny@example.org")

    # The leader's calendar address for their institution.
    client.force_login(leader)
    institution = Institution.objects.filter(leaders=leader).first()
    response = client.post(reverse("booking_admin:feed_renew", args=[institution.pk]))
    assert response.status_code == 200
    feed_urls = re.findall(r"https?://[^\s\"'<>]+/feed/[^\s\"'<>]+", response.content.decode())
    assert feed_urls and all(url.startswith(BASE + "/frivillig/laan/feed/") for url in feed_urls)
    assert_one_address(response.content.decode(), "feed addresses")

    assert len(mail.outbox) >= 4  # login, course, decline, invitation
    for message in mail.outbox:
        assert_one_address(texts_of(message), message.subject)
    assert any(BASE + "/" in texts_of(message) for message in mail.outbox)


def test_every_demo_account_of_the_readme_leads_to_work(client):
    from booking.models import Institution, Loan

    seed()
    User = get_user_model()
    work = {
        "kommunikation": reverse("wagtailadmin_explore_root"),
        "koordinator": reverse("henvendelser_admin:index"),
        "institutionsleder": reverse("booking_admin:index") + "?status=all",
        "kursus": reverse("kurser_session:index"),
    }
    for username, url in work.items():
        client.force_login(User.objects.get(username=username))
        home = client.get(reverse("wagtailadmin_home"))
        assert home.status_code == 200, username
        response = client.get(url)
        assert response.status_code == 200, (username, url)
    leader = User.objects.get(username="institutionsleder")
    led = Institution.objects.filter(leaders=leader)
    assert led.exists()
    client.force_login(leader)
    html = client.get(reverse("booking_admin:index") + "?status=all").content.decode()
    loan = Loan.objects.filter(institution__in=led).first()
    assert loan is not None and loan.reference in html
    assert client.get(reverse("booking_admin:detail", args=[loan.pk])).status_code == 200
