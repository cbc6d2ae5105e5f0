"""Courses in a real Chromium, as the issue's "done when" describes: a session with two
seats; A and B register, C waits; B cancels with the link in the mail; C gets an offer,
accepts with the link and is on the participant list in the admin; D registers and waits.
axe passes on the course list, a course, the registration form and the needs form."""

import datetime
import re
from urllib.parse import urlparse

from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from frivillig_blocks import roles
from kurser.models import CompetenceArea, Course, CourseIndexPage, Meeting, Registration, Session
from tests.helpers import last_mail_to

from ..factories import UserFactory

Status = Registration.Status


def build_courses(tree):
    hub = tree.hub.specific
    index = CourseIndexPage(title="Kurser", slug="kurser", intro="<p>Kurser for frivillige.</p>")
    hub.add_child(instance=index)
    index.save_revision().publish()
    course = Course.objects.create(
        title="Førstehjælp for trænere",
        slug="foerstehjaelp-for-traenere",
        summary="Hjerte-lunge-redning og hjertestarter.",
        competence_area=CompetenceArea.objects.get(slug="foerstehjaelp"),
        audience="both",
        teacher="Dansk Førstehjælpsråd",
        published=True,
    )
    start = (timezone.now() + datetime.timedelta(days=14)).replace(microsecond=0)
    session = Session.objects.create(
        course=course,
        label="Aftenhold",
        capacity=2,
        registration_deadline=start - datetime.timedelta(days=2),
    )
    Meeting.objects.create(
        session=session, starts_at=start, ends_at=start + datetime.timedelta(hours=3)
    )
    return course, Session.objects.get(pk=session.pk)


def sign_in(page, user):
    """The person's browser carries a session made for them (login itself is allauth's)."""
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": page.url}]
    )


def register(page, course, user):
    page.goto("/frivillig/kurser/")
    sign_in(page, user)
    page.goto(f"/frivillig/kurser/{course.slug}/")
    page.get_by_role("link", name=re.compile("^(Tilmeld|Skriv dig på ventelisten)$")).click()
    page.get_by_label("Jeg deltager selv").check()
    page.get_by_role("button", name=re.compile("^(Tilmeld|Skriv dig på ventelisten)$")).click()
    page.wait_for_url(f"**/frivillig/kurser/{course.slug}/")


def link_in_mail(address, route):
    message = last_mail_to(address)
    match = re.search(rf"(https?://\S+/frivillig/kurser/{route}/[\w-]+/)", message.body)
    assert match, message.body
    return urlparse(match.group(1)).path


def test_two_seats_a_waiting_list_an_offer_and_the_admin(live_site, page, axe):
    _server, tree = live_site
    course, session = build_courses(tree)
    people = {
        name: UserFactory(username=name, first_name=name.title(), email=f"{name}@example.org")
        for name in ("anne", "bo", "cai", "dina")
    }

    page.goto("/frivillig/kurser/")
    expect(page.get_by_role("heading", name="Kurser", level=1)).to_be_visible()
    expect(page.get_by_text("2 ledige pladser")).to_be_visible()
    axe(page)
    page.get_by_role("link", name="Førstehjælp for trænere").click()
    page.wait_for_url(f"**/frivillig/kurser/{course.slug}/")
    axe(page)

    # The registration form (axe on it), then A and B take the two seats.
    sign_in(page, people["anne"])
    page.goto(f"/frivillig/kurser/{course.slug}/hold/{session.pk}/tilmeld/")
    axe(page)
    register(page, course, people["anne"])
    expect(page.get_by_text("Du er tilmeldt. Vi har sendt dig")).to_be_visible()
    register(page, course, people["bo"])
    # C finds the session full and joins the waiting list.
    register(page, course, people["cai"])
    expect(page.get_by_text("Holdet er fuldt, så du står på ventelisten")).to_be_visible()
    assert [r.status for r in Registration.objects.order_by("queued_at")] == [
        Status.CONFIRMED,
        Status.CONFIRMED,
        Status.WAITING,
    ]

    # B cancels with the link in the mail, signed out.
    page.context.clear_cookies()
    page.goto(link_in_mail("bo@example.org", "afmeld"))
    axe(page)
    page.get_by_role("button", name="Ja, afmeld tilmeldingen").click()
    page.wait_for_url(f"**/frivillig/kurser/{course.slug}/")
    expect(page.get_by_text("Tilmeldingen er afmeldt")).to_be_visible()

    # C is offered the seat by mail and accepts with the link.
    assert "ledig plads" in last_mail_to("cai@example.org").subject
    page.goto(link_in_mail("cai@example.org", "accepter"))
    axe(page)
    page.get_by_role("button", name="Ja, jeg tager pladsen").click()
    page.wait_for_url(f"**/frivillig/kurser/{course.slug}/")
    expect(page.get_by_text("Du har fået en plads på kurset")).to_be_visible()
    assert Registration.objects.get(email="cai@example.org").status == Status.CONFIRMED

    # D registers and waits.
    register(page, course, people["dina"])
    expect(page.get_by_text("Holdet er fuldt, så du står på ventelisten")).to_be_visible()

    # Staff see C among the participants in the admin, D on the waiting list.
    UserFactory(username="kursusansvarlig", groups=[roles.KURSUSANSVARLIGE])
    page.context.clear_cookies()
    page.goto("/admin/login/")
    page.locator("#id_username").fill("kursusansvarlig")
    page.locator("#id_password").fill("correct horse battery staple")
    page.locator("button[type=submit]").click()
    page.wait_for_url("**/admin/")
    page.goto(f"/admin/kurser/hold/{session.pk}/")
    confirmed = page.locator("table[data-list=confirmed]")
    expect(confirmed.get_by_text("cai@example.org")).to_be_visible()
    expect(confirmed.get_by_text("anne@example.org")).to_be_visible()
    assert confirmed.get_by_text("bo@example.org").count() == 0
    expect(page.locator("table[data-list=waiting]").get_by_text("dina@example.org")).to_be_visible()


def test_the_needs_form_passes_axe_and_is_sent(live_site, page, axe):
    _server, tree = live_site
    build_courses(tree)
    page.goto("/frivillig/kurser/behov/")
    axe(page)
    page.get_by_role("button", name="Send dit svar").click()
    expect(page.get_by_text("Fortæl os, hvilket kursus du har brug for.").first).to_be_visible()
    axe(page)
    page.get_by_label("Hvilket kursus har du brug for?").fill("Regnskab for nye kasserere")
    page.get_by_label("Kommunens medarbejdere").check()
    page.get_by_label("Hvilket område drejer det sig om?").select_option(
        label="Bestyrelsesarbejde og regnskab"
    )
    page.get_by_role("button", name="Send dit svar").click()
    page.wait_for_url("**/frivillig/kurser/")
    expect(page.get_by_text("Tak! Dit svar hjælper os")).to_be_visible()
