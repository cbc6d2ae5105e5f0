"""The contact form on /frivillig/kontakt/: shown through the CONTACT_FORM hook, posted to
/henvendelser/kontakt/, received as a routed inquiry; bad input gets Danish messages."""

from __future__ import annotations

import re
import uuid

import pytest
from django.core.cache import cache
from playwright.sync_api import expect
from wagtail import hooks as wagtail_hooks

from frivillig_blocks import hooks
from frivillig_blocks.models import ContactPage, ContactPerson, Topic
from henvendelser import contact
from henvendelser.models import Inquiry, InquiryMessage, InquiryStatus, RoutingRule
from tests.helpers import error_summary_of, html_of

from ..factories import UserFactory

PAGE = "/frivillig/kontakt/"
POST = "/henvendelser/kontakt/"
THANKS = "Tak for din henvendelse. Vi har modtaget den og svarer dig på e-mail."


@pytest.fixture
def contact_page(site_tree):
    page = site_tree.hub.add_child(instance=ContactPage(title="Kontakt os", slug="kontakt"))
    # The inbox registers its form on the one door's hook (henvendelser/wagtail_hooks.py);
    # register it here only while that registration is missing (never twice).
    registered = any(
        getattr(fn, "__module__", "").startswith("henvendelser.")
        for fn in wagtail_hooks.get_hooks(hooks.CONTACT_FORM)
    )
    if registered:
        yield page
    else:
        with wagtail_hooks.register_temporarily(hooks.CONTACT_FORM, contact.render_contact_form):
            yield page


@pytest.fixture
def topic(db):
    return Topic.objects.get_or_create(slug="lokaler", defaults={"name": "Lokaler"})[0]


def form_data(contact_page, **overrides):
    data = {
        "name": "Karen Jensen",
        "email": "karen@example.org",
        "topic": "",
        "subject": "Spørgsmål om lokaler",
        "message": "Kan vi låne et lokale til strikkeklubben?",
        "submission_key": str(uuid.uuid4()),
        "page": str(contact_page.pk),
    }
    data.update(overrides)
    return data


def only_our_forms(html: str) -> int:
    return html.count('action="/henvendelser/kontakt/"')


@pytest.mark.django_db
def test_the_contact_page_shows_an_accessible_form(client, contact_page, topic):
    response = client.get(PAGE)
    assert response.status_code == 200
    html = html_of(response)
    assert html.count("<h1>") == 1
    assert '<h2 id="contact-form-heading">Skriv til os</h2>' in html
    assert only_our_forms(html) == 1
    assert html.count('id="id_email"') == 1
    assert 'method="post"' in html and "csrfmiddlewaretoken" in html
    for field in ("name", "email", "topic", "subject", "message"):
        assert f'<label for="id_{field}">' in html
    assert "Dit navn" in html and "Emne (valgfrit)" in html and "Din besked" in html
    assert '<option value="lokaler">Lokaler</option>' in html
    assert 'type="hidden" name="submission_key"' in html
    assert f'name="page" value="{contact_page.pk}"' in html
    assert "Send besked" in html


@pytest.mark.django_db
def test_a_message_becomes_a_routed_inquiry_with_a_reference(client, contact_page, topic):
    staff = UserFactory(username="mette", first_name="Mette", is_staff=True)
    person = ContactPerson.objects.create(
        name="Mette Holm", role="Koordinator", email="mette@dragoer.test", user=staff
    )
    RoutingRule.objects.create(name="Standard", is_default=True)
    by_topic = RoutingRule.objects.create(
        name="Lokaler", topic=topic, assign_contact_person=person, priority=10
    )
    data = form_data(contact_page, topic="lokaler")

    response = client.post(POST, data)

    assert response.status_code == 302 and response["Location"] == PAGE
    inquiry = Inquiry.objects.get()
    assert inquiry.sender_email == "karen@example.org"
    assert inquiry.sender_name == "Karen Jensen"
    assert inquiry.subject == "Spørgsmål om lokaler"
    assert inquiry.topic == topic
    assert inquiry.routed_by == by_topic
    assert inquiry.assignee == staff
    assert inquiry.contact_person == person
    assert inquiry.status == InquiryStatus.ASSIGNED
    assert inquiry.routing_decisions.count() == 1
    message = inquiry.messages.get(kind=InquiryMessage.Kind.INCOMING)
    assert message.body_text == data["message"]
    assert message.message_id == contact.message_id_for(data["submission_key"])

    html = html_of(client.get(PAGE))
    assert THANKS in html
    assert f"Dit referencenummer er {inquiry.reference}." in html


@pytest.mark.django_db
def test_without_a_topic_the_default_rule_decides(client, contact_page):
    default = RoutingRule.objects.create(name="Standard", is_default=True)
    assert client.post(POST, form_data(contact_page)).status_code == 302
    inquiry = Inquiry.objects.get()
    assert inquiry.topic is None
    assert inquiry.routed_by == default


@pytest.mark.django_db
def test_a_double_submit_makes_one_inquiry(client, contact_page):
    data = form_data(contact_page)
    first = client.post(POST, data)
    second = client.post(POST, data)
    assert first.status_code == second.status_code == 302
    assert Inquiry.objects.count() == 1
    assert InquiryMessage.objects.filter(kind=InquiryMessage.Kind.INCOMING).count() == 1
    reference = Inquiry.objects.get().reference
    assert html_of(client.get(PAGE)).count(f"Dit referencenummer er {reference}.") == 2


@pytest.mark.django_db
def test_missing_fields_get_danish_messages_and_nothing_is_saved(client, contact_page):
    response = client.post(
        POST, {"submission_key": str(uuid.uuid4()), "page": str(contact_page.pk)}
    )
    assert response.status_code == 400
    html = html_of(response)
    for message in (
        "Skriv dit navn.",
        "Skriv din e-mailadresse.",
        "Skriv en overskrift.",
        "Skriv din besked.",
    ):
        assert message in html
    assert 'aria-describedby="id_name_error"' in html
    assert "<h1>Kontakt os</h1>" in html  # the contact page, shown again with the errors
    # The form the hook renders into the page has the one error summary as well: first in
    # the page, "Fejl:" in the title, each message linked to its field.
    summary = error_summary_of(html)
    for field, message in (("name", "Skriv dit navn."), ("message", "Skriv din besked.")):
        assert f'<a href="#id_{field}">' in summary and message in summary
        assert f'id="id_{field}"' in html
    # No browser bubbles: the form asks the server.
    assert re.search(r'<form method="post" action="/henvendelser/kontakt/"[^>]*novalidate', html)
    assert Inquiry.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"email": "ikke-en-adresse"}, "Skriv en gyldig e-mailadresse, fx navn@eksempel.dk."),
        ({"email": "a@b@c.dk"}, "Skriv en gyldig e-mailadresse, fx navn@eksempel.dk."),
        (
            {"subject": "Hej\r\nBcc: alle@example.org"},
            "Skriv overskriften på én linje uden linjeskift.",
        ),
        ({"subject": "Hej\nTo: x@example.org"}, "Skriv overskriften på én linje uden linjeskift."),
        ({"subject": "x" * 201}, "Skriv en overskrift på højst 200 tegn."),
        ({"name": "   "}, "Skriv dit navn."),
        ({"topic": "findes-ikke"}, "Vælg et emne fra listen."),
        ({"topic": "' OR 1=1 --"}, "Vælg et emne fra listen."),
        ({"submission_key": "ikke-en-uuid"}, "Formularen var ufuldstændig."),
        ({"submission_key": ""}, "Formularen var ufuldstændig."),
    ],
)
def test_bad_input_gets_a_danish_message(client, contact_page, overrides, message):
    response = client.post(POST, form_data(contact_page, **overrides))
    assert response.status_code == 400
    assert message in html_of(response)
    assert Inquiry.objects.count() == 0
    # The form shown again carries a valid key, so sending it again works.
    key = re.search(r'name="submission_key" value="([^"]*)"', html_of(response)).group(1)
    assert uuid.UUID(key)


@pytest.mark.django_db
def test_a_10_mb_message_gets_a_danish_message_and_is_not_sent_back(client, contact_page):
    response = client.post(POST, form_data(contact_page, message="a" * (10 * 1024 * 1024)))
    assert response.status_code == 400
    html = html_of(response)
    assert "Skriv en besked på højst 10000 tegn." in html
    assert len(html) < 100_000
    assert Inquiry.objects.count() == 0


@pytest.mark.django_db
def test_html_and_script_are_shown_escaped(client, contact_page):
    hostile = '<script>alert("x")</script><b>fed</b>'
    response = client.post(
        POST, form_data(contact_page, name=hostile, message=hostile, email="nope")
    )
    assert response.status_code == 400
    html = html_of(response)
    assert "<script>alert" not in html and "<b>fed</b>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    # Stored as written (never executed) when the rest is valid.
    assert client.post(POST, form_data(contact_page, message=hostile)).status_code == 302
    assert Inquiry.objects.get().messages.get(kind="in").body_text == hostile


@pytest.mark.django_db
def test_control_characters_are_dropped_not_a_500(client, contact_page):
    response = client.post(POST, form_data(contact_page, name="Bo\x07", message="Hej\x00 der"))
    assert response.status_code == 302
    inquiry = Inquiry.objects.get()
    assert inquiry.sender_name == "Bo"
    assert inquiry.messages.get(kind="in").body_text == "Hej der"


@pytest.mark.django_db
def test_a_forged_page_id_falls_back_to_the_contact_page(client, contact_page):
    response = client.post(POST, form_data(contact_page, page="999999999"))
    assert response.status_code == 302 and response["Location"] == PAGE
    response = client.post(POST, form_data(contact_page, page="<x>" * 1000, name=""))
    assert response.status_code == 400
    html = html_of(response)
    assert "Skriv dit navn." in html
    assert f'name="page" value="{contact_page.pk}"' in html and "&lt;x&gt;" not in html


@pytest.mark.django_db
def test_get_is_not_allowed_and_no_contact_page_is_a_404(client, site_tree):
    assert client.get(POST).status_code == 405
    assert client.post(POST, {"name": "x"}).status_code == 404


@pytest.mark.django_db
def test_messages_are_rate_limited_when_configured(client, contact_page, settings):
    cache.clear()
    settings.ACCOUNT_RATE_LIMITS = {
        **settings.ACCOUNT_RATE_LIMITS,
        "henvendelser_contact": "2/h/ip",
    }
    assert client.post(POST, form_data(contact_page)).status_code == 302
    assert client.post(POST, form_data(contact_page)).status_code == 302
    response = client.post(POST, form_data(contact_page))
    assert response.status_code == 429
    assert "Du har sendt mange beskeder på kort tid." in html_of(response)
    assert Inquiry.objects.count() == 2
    cache.clear()


@pytest.mark.django_db
def test_the_form_answers_in_english(client, contact_page):
    html = html_of(client.get("/en" + PAGE))
    assert "Write to us" in html and "Your message" in html
    assert 'action="/en/henvendelser/kontakt/"' in html


@pytest.mark.django_db
def test_query_count_does_not_grow_with_topics(client, contact_page, django_assert_max_num_queries):
    client.get(PAGE)  # warm the caches
    for i in range(20):
        Topic.objects.create(name=f"Emne {i}", slug=f"emne-{i}")
    with django_assert_max_num_queries(30) as few:
        client.get(PAGE)
    for i in range(20, 40):
        Topic.objects.create(name=f"Emne {i}", slug=f"emne-{i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(PAGE)


@pytest.mark.django_db
def test_a_long_page_value_is_no_hidden_error(client, contact_page):
    response = client.post(POST, form_data(contact_page, page="9" * 5000))
    assert response.status_code == 302
    assert Inquiry.objects.count() == 1


def test_the_form_works_in_a_browser_and_passes_axe(live_site, page, axe):
    _server, tree = live_site
    contact_page = tree.hub.add_child(instance=ContactPage(title="Kontakt os", slug="kontakt"))
    contact_page.save_revision().publish()
    Topic.objects.get_or_create(slug="kurser", defaults={"name": "Kurser"})
    page.goto(PAGE)
    axe(page)
    page.get_by_label("Dit navn").fill("Karen Jensen")
    page.get_by_label("Din e-mailadresse").fill("karen@eksempel")
    page.get_by_label("Emne (valgfrit)").select_option("kurser")
    page.get_by_label("Overskrift").fill("Kursus")
    page.get_by_label("Din besked").fill("Hvornår er der næste kursus?")
    page.get_by_role("button", name="Send besked").click()
    # The error summary is first and has the focus; its message links to the field.
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(
        summary.get_by_role("link", name=re.compile("Skriv en gyldig e-mailadresse"))
    ).to_be_visible()
    assert page.locator("#id_email_error").get_by_text("Skriv en gyldig e-mailadresse").is_visible()
    axe(page)  # the error state, too
    page.get_by_label("Din e-mailadresse").fill("karen@eksempel.dk")
    page.get_by_role("button", name="Send besked").click()
    page.wait_for_url(f"**{PAGE}")
    inquiry = Inquiry.objects.get()
    assert page.get_by_text(f"Dit referencenummer er {inquiry.reference}.").is_visible()
    assert inquiry.topic.slug == "kurser"
    axe(page)
