"""Grants (puljer): the open grants at /frivillig/puljer/, an application form per grant,
the receipt only for the browser that sent it, the Danish receipt mail, and the staff's
list, filter and export in the Wagtail admin."""

from __future__ import annotations

import datetime
import re
import threading
import uuid

import pytest
from django.core import mail
from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from frivillig_blocks import roles
from frivillig_blocks.grants import exceptions, services
from frivillig_blocks.models import Grant, GrantApplication, GrantIndexPage, OutboundMessage

ADMIN_LIST = "/admin/grant-applications/"
REFERENCE_RE = re.compile(r"^PUL-[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$")


def today() -> datetime.date:
    return timezone.localdate()


def make_grant(**kwargs) -> Grant:
    n = Grant.objects.count()
    defaults = {
        "name": f"Pulje {n}",
        "slug": f"pulje-{n}",
        "summary": "Støtte til lokale projekter.",
        "who_may_apply": "Foreninger i Dragør Kommune.",
        "amount": "op til 25.000 kr.",
        "deadline": today() + datetime.timedelta(days=30),
        "rolling": False,
        "legal_basis": Grant.LegalBasis.MUNICIPAL,
        "live": True,
    }
    return Grant.objects.create(**{**defaults, **kwargs})


@pytest.fixture
def grants_page(site_tree) -> GrantIndexPage:
    page = site_tree.hub.add_child(instance=GrantIndexPage(title="Puljer", slug="puljer"))
    page.save_revision().publish()
    return page


@pytest.fixture
def grant(grants_page) -> Grant:
    return make_grant(
        name="Frivilligpuljen",
        slug="frivilligpuljen",
        how_to_apply="<p>Send en <b>kort</b> beskrivelse.</p>",
    )


@pytest.fixture
def section_18_grant(grants_page) -> Grant:
    return make_grant(
        name="§ 18-midler 2026",
        slug="paragraf-18",
        legal_basis=Grant.LegalBasis.SECTION_18,
        rolling=True,
        deadline=None,
    )


def url(grant_or_slug) -> str:
    slug = getattr(grant_or_slug, "slug", grant_or_slug)
    return f"/frivillig/puljer/{slug}/"


def application_data(**overrides) -> dict:
    data = {
        "applicant_name": "Søren Ærbø",
        "email": "soeren@example.org",
        "phone": "32 89 01 00",
        "association_name": "Dragør Søspejdere",
        "cvr": "12345678",
        "project_title": "Sommerlejr på Amager",
        "description": "En uge i telt for 30 børn.\nMed bål og kano.",
        "amount_requested": "25000",
        "submission_key": str(uuid.uuid4()),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def section_18_data(**overrides) -> dict:
    return application_data(
        social_purpose="Vi bekæmper ensomhed blandt ældre.",
        target_group="Ældre over 70 år i Dragør, ca. 40 personer.",
        budget="Bus: 4.000 kr.\nMad: 6.000 kr.",
        **overrides,
    )


def field_tag(html: str, name: str) -> str:
    """The opening tag of the form field ``name``."""
    match = re.search(rf'<(?:input|textarea)[^>]*\bid="id_{name}"[^>]*>', html)
    assert match, f"no field {name}"
    return match.group(0)


def errors_of(response) -> str:
    return response.content.decode()


# --- The list of open grants -------------------------------------------------------------


@pytest.mark.django_db
def test_the_list_shows_open_grants_by_deadline_with_rolling_ones_last(client, grants_page):
    later = make_grant(name="Senere pulje", deadline=today() + datetime.timedelta(days=40))
    soon = make_grant(name="Snart-pulje", deadline=today())  # the deadline is today: still open
    rolling = make_grant(
        name="Løbende § 18-pulje",
        rolling=True,
        deadline=None,
        legal_basis=Grant.LegalBasis.SECTION_18,
        amount="op til 50.000 kr.",
        who_may_apply="Frivillige sociale foreninger.",
    )
    make_grant(name="Lukket pulje", deadline=today() - datetime.timedelta(days=1))
    make_grant(name="Kladdepulje", live=False)

    response = client.get("/frivillig/puljer/")
    assert response.status_code == 200
    html = response.content.decode()
    positions = [html.index(f">{g.name}</a></h2>") for g in (soon, later, rolling)]
    assert positions == sorted(positions)
    assert "Lukket pulje" not in html and "Kladdepulje" not in html
    assert "3 puljer er åbne nu." in html
    assert f'href="/frivillig/puljer/{rolling.slug}/"' in html
    assert "Løbende: du kan søge når som helst" in html
    assert "§ 18-pulje: frivilligt socialt arbejde" in html
    assert "<strong>§ 18 i serviceloven (frivilligt socialt arbejde)</strong>" in html
    assert "Kommunens egen pulje" in html
    assert "op til 50.000 kr." in html and "Frivillige sociale foreninger." in html
    assert soon.deadline.strftime("%Y-%m-%d") in html  # <time datetime="…">
    assert html.count("<h1") == 1


@pytest.mark.django_db
def test_the_list_says_so_when_no_grant_is_open(client, grants_page):
    make_grant(name="Lukket pulje", deadline=today() - datetime.timedelta(days=1))
    html = client.get("/frivillig/puljer/").content.decode()
    assert "Ingen puljer er åbne lige nu." in html


@pytest.mark.django_db
def test_the_list_query_count_does_not_grow_with_the_grants(client, grants_page):
    make_grant()
    client.get("/frivillig/puljer/")  # warm the site caches
    with CaptureQueriesContext(connection) as one:
        client.get("/frivillig/puljer/")
    for _ in range(12):
        make_grant()
    with CaptureQueriesContext(connection) as many:
        response = client.get("/frivillig/puljer/")
    assert response.content.decode().count('class="card grant-card"') == 13
    assert len(many) == len(one)


@pytest.mark.django_db
def test_the_list_shows_twenty_grants_a_page_and_counts_them_all(client, grants_page):
    """A city's hundreds of grants come twenty a page (issue #22), the count names them all,
    and a hostile page number shows a page, not an error."""
    for i in range(25):
        make_grant(name=f"Pulje {i:02d}", deadline=today() + datetime.timedelta(days=i + 1))
    first = client.get("/frivillig/puljer/").content.decode()
    assert first.count('class="card grant-card"') == 20
    assert "25 puljer er åbne nu." in first
    assert ">Pulje 00</a></h2>" in first and ">Pulje 20</a></h2>" not in first
    assert 'href="?page=2" rel="next"' in first
    second = client.get("/frivillig/puljer/", {"page": "2"}).content.decode()
    assert second.count('class="card grant-card"') == 5
    assert ">Pulje 24</a></h2>" in second and ">Pulje 00</a></h2>" not in second
    for hostile in ["0", "-1", "abc", "9" * 40, "<script>", "2.5"]:
        response = client.get("/frivillig/puljer/", {"page": hostile})
        assert response.status_code == 200, hostile
        assert response.content.decode().count('class="card grant-card"') in (5, 20)


# --- One grant and its form ----------------------------------------------------------------


@pytest.mark.django_db
def test_a_grant_shows_its_details_and_an_accessible_form(client, grant):
    response = client.get(url(grant))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Frivilligpuljen</h1>" in html and html.count("<h1") == 1
    assert "<p>Send en <b>kort</b> beskrivelse.</p>" in html  # rich text, rendered
    assert "Sådan søger du" in html
    for name, label in [
        ("applicant_name", "Dit navn"),
        ("email", "Din e-mailadresse"),
        ("phone", "Telefon (valgfrit)"),
        ("association_name", "Foreningens navn"),
        ("cvr", "Foreningens CVR-nummer (valgfrit)"),
        ("project_title", "Projektets titel"),
        ("description", "Beskriv projektet"),
        ("amount_requested", "Beløb, du søger (kr.)"),
    ]:
        assert f'<label for="id_{name}">{label}</label>' in html
    assert "<legend>Om dig</legend>" in html and "<legend>Projektet</legend>" in html
    # § 18 fields only for § 18 grants.
    assert 'name="social_purpose"' not in html and 'name="budget"' not in html
    key = re.search(r'name="submission_key" value="([0-9a-f-]{36})"', html)
    assert key and uuid.UUID(key.group(1)).version == 4
    # A fresh key every time the form is rendered.
    again = client.get(url(grant)).content.decode()
    assert key.group(1) not in again


@pytest.mark.django_db
def test_a_logged_in_person_finds_name_and_email_filled_in(client, grant, user_factory):
    user = user_factory(first_name="Karen", last_name="Blixen", email="karen@example.org")
    client.force_login(user)
    html = client.get(url(grant)).content.decode()
    assert 'value="Karen Blixen"' in html and 'value="karen@example.org"' in html
    response = client.post(url(grant), application_data(email="karen@example.org"))
    assert response.status_code == 302
    assert GrantApplication.objects.get().user == user


@pytest.mark.django_db
def test_the_grant_page_query_count_is_bounded(client, grant, django_assert_max_num_queries):
    client.get(url(grant))
    with django_assert_max_num_queries(12):
        assert client.get(url(grant)).status_code == 200


@pytest.mark.django_db
def test_a_section_18_grant_asks_for_what_section_18_requires(client, section_18_grant):
    html = client.get(url(section_18_grant)).content.decode()
    assert "<legend>Det kræver § 18</legend>" in html
    assert '<label for="id_social_purpose">Foreningens sociale formål</label>' in html
    assert '<label for="id_target_group">Målgruppe</label>' in html
    assert '<label for="id_budget">Budget</label>' in html

    response = client.post(url(section_18_grant), application_data())
    assert response.status_code == 400
    html = response.content.decode()
    assert "Beskriv foreningens sociale formål." in html
    assert "Beskriv målgruppen." in html
    assert "Skriv et budget for projektet." in html
    assert not GrantApplication.objects.exists()

    response = client.post(url(section_18_grant), section_18_data())
    assert response.status_code == 302
    application = GrantApplication.objects.get()
    assert application.social_purpose == "Vi bekæmper ensomhed blandt ældre."
    assert application.target_group.startswith("Ældre over 70 år")
    assert application.budget == "Bus: 4.000 kr.\nMad: 6.000 kr."


@pytest.mark.django_db
def test_section_18_answers_sent_to_another_grant_are_not_stored(client, grant):
    response = client.post(url(grant), section_18_data())
    assert response.status_code == 302
    application = GrantApplication.objects.get()
    assert application.social_purpose == application.target_group == application.budget == ""


# --- Sending an application ------------------------------------------------------------------


@pytest.mark.django_db
def test_an_application_is_saved_mailed_in_danish_and_the_receipt_shown(client, grant):
    response = client.post(url(grant), application_data())
    assert response.status_code == 302
    application = GrantApplication.objects.get()
    assert REFERENCE_RE.match(application.reference)
    assert response["Location"] == (
        f"/frivillig/puljer/{grant.slug}/kvittering/{application.reference}/"
    )
    assert application.grant == grant
    assert application.applicant_name == "Søren Ærbø"
    assert application.amount_requested == 25000
    assert application.cvr == "12345678"
    assert application.status == GrantApplication.Status.RECEIVED
    assert application.user is None

    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["soeren@example.org"]
    assert sent.reply_to == ["frivillig@dragoer.test"]
    assert sent.subject == (
        f"Kvittering for din ansøgning til Frivilligpuljen ({application.reference})"
    )
    assert "Kære Søren Ærbø" in sent.body
    assert f"Din reference: {application.reference}" in sent.body
    assert "Hvad sker der nu?" in sent.body
    assert "Kommunen behandler ansøgningerne efter ansøgningsfristen den" in sent.body
    assert "Ansøgt beløb: 25.000 kr." in sent.body
    html_body = sent.alternatives[0][0]
    assert "Sommerlejr på Amager" in html_body and application.reference in html_body
    outbound = OutboundMessage.objects.get()
    assert outbound.purpose == "grant_receipt"
    assert outbound.status == OutboundMessage.Status.SENT

    receipt = client.get(response["Location"])
    assert receipt.status_code == 200
    html = receipt.content.decode()
    assert "<h1>Vi har modtaget din ansøgning</h1>" in html
    assert application.reference in html
    assert "Vi har sendt en kvittering til soeren@example.org." in html
    assert "frivillig@dragoer.test" in html
    assert "25.000" in html


@pytest.mark.django_db
def test_a_rolling_grant_says_it_reviews_on_a_rolling_basis(client, section_18_grant):
    client.post(url(section_18_grant), section_18_data())
    assert "Kommunen behandler ansøgningerne løbende." in mail.outbox[0].body


@pytest.mark.django_db
def test_the_receipt_is_only_for_the_browser_that_sent_it(client, grant):
    response = client.post(url(grant), application_data())
    receipt_url = response["Location"]
    reference = GrantApplication.objects.get().reference
    assert client.get(receipt_url).status_code == 200

    stranger = Client()
    assert stranger.get(receipt_url).status_code == 404
    # Neither a guessed reference nor the right reference under another grant.
    other = make_grant(name="Anden pulje", slug="anden")
    assert client.get(f"/frivillig/puljer/{other.slug}/kvittering/{reference}/").status_code == 404
    guessed = f"/frivillig/puljer/{grant.slug}/kvittering/PUL-00000-00000/"
    assert client.get(guessed).status_code == 404


@pytest.mark.django_db
def test_a_double_submit_makes_one_application_and_one_mail(client, grant):
    data = application_data()
    first = client.post(url(grant), data)
    second = client.post(url(grant), data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert GrantApplication.objects.count() == 1
    assert len(mail.outbox) == 1
    assert OutboundMessage.objects.count() == 1


@pytest.mark.django_db
def test_a_double_submit_that_races_past_the_check_returns_the_first_application(
    grant, monkeypatch
):
    key = uuid.uuid4()
    data = {**application_data(), "amount_requested": 1000}
    first = services.submit_application(grant=grant, data=data, submission_key=key)

    real = services._existing_application
    calls = []

    def misses_once(reference):  # the other request has not committed when we look
        calls.append(reference)
        return None if len(calls) == 1 else real(reference)

    monkeypatch.setattr(services, "_existing_application", misses_once)
    second = services.submit_application(grant=grant, data=data, submission_key=str(key))
    assert second.pk == first.pk
    assert len(calls) == 2  # the IntegrityError path looked again
    assert GrantApplication.objects.count() == 1
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_key_reused_for_another_grant_or_person_gets_nothing(client, grant):
    data = application_data()
    client.post(url(grant), data)
    other = make_grant(name="Anden pulje", slug="anden")
    response = client.post(url(other), data)
    assert response.status_code == 400
    assert "Formularen kunne ikke sendes. Genindlæs siden" in errors_of(response)
    response = client.post(url(grant), {**data, "email": "mallory@example.org"})
    assert response.status_code == 400
    assert GrantApplication.objects.count() == 1
    assert len(mail.outbox) == 1


@pytest.mark.django_db
@pytest.mark.parametrize("key", [None, "", "not-a-uuid", "'; DROP TABLE grants; --"])
def test_a_missing_or_forged_submission_key_is_refused_with_a_fresh_one(client, grant, key):
    data = application_data(submission_key=key)
    if key is None:
        data.pop("submission_key", None)
    response = client.post(url(grant), data)
    assert response.status_code == 400
    html = errors_of(response)
    assert "Formularen er forældet. Tjek dine svar, og send den igen." in html
    fresh = re.search(r'name="submission_key" value="([0-9a-f-]{36})"', html)
    assert fresh and uuid.UUID(fresh.group(1))
    assert 'value="Søren Ærbø"' in html  # the answers are kept
    assert not GrantApplication.objects.exists()
    assert client.post(url(grant), {**data, "submission_key": fresh.group(1)}).status_code == 302


@pytest.mark.django_db
def test_danish_thousand_separators_are_understood(client, grant):
    response = client.post(url(grant), application_data(amount_requested="25.000 kr."))
    assert response.status_code == 302
    assert GrantApplication.objects.get().amount_requested == 25000


@pytest.mark.django_db
def test_the_form_works_in_english_too(client, grant):
    html = client.get(f"/en{url(grant)}").content.decode()
    assert (
        "Apply for the grant" in html and '<label for="id_applicant_name">Your name</label>' in html
    )
    response = client.post(f"/en{url(grant)}", application_data(email="nope"))
    assert "Write a valid e-mail address, e.g. navn@eksempel.dk." in response.content.decode()
    response = client.post(f"/en{url(grant)}", application_data())
    assert response["Location"].startswith(f"/en/frivillig/puljer/{grant.slug}/kvittering/")
    assert "We have received your application" in client.get(response["Location"]).content.decode()
    assert "Kvittering for din ansøgning" in mail.outbox[0].subject  # the mail is Danish


# --- Grants that take no applications ----------------------------------------------------------


@pytest.mark.django_db
def test_closed_unpublished_and_unknown_grants_take_no_applications(client, grants_page):
    closed = make_grant(name="Lukket pulje", deadline=today() - datetime.timedelta(days=1))
    draft = make_grant(name="Kladdepulje", live=False)

    response = client.get(url(closed))
    assert response.status_code == 404
    html = response.content.decode()
    assert "Puljen er lukket: den modtager ikke ansøgninger nu." in html
    # No application form (the page's feedback box has a key of its own).
    assert 'name="project_title"' not in html and 'name="applicant_name"' not in html
    assert client.post(url(closed), application_data()).status_code == 404

    for slug in (draft.slug, "findes-ikke", "1%20OR%201=1", str(draft.pk)):
        assert client.get(url(slug)).status_code == 404
        assert client.post(url(slug), application_data()).status_code == 404
    assert not GrantApplication.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_grant_that_closes_while_the_form_is_open_takes_no_application(grant):
    Grant.objects.filter(pk=grant.pk).update(deadline=today() - datetime.timedelta(days=1))
    with pytest.raises(exceptions.GrantNotOpen) as error:
        services.submit_application(
            grant=grant,
            data={**application_data(), "amount_requested": 10},
            submission_key=uuid.uuid4(),
        )
    assert "Puljen er ikke åben for ansøgninger" in str(error.value.message)
    assert not GrantApplication.objects.exists()


@pytest.mark.django_db
def test_the_service_enforces_section_18_and_the_amount(section_18_grant):
    data = {**application_data(), "amount_requested": 1000}
    with pytest.raises(exceptions.MissingSection18Information):
        services.submit_application(grant=section_18_grant, data=data, submission_key=uuid.uuid4())
    for amount in (0, -5, "100", 10_000_001, True):
        with pytest.raises(exceptions.InvalidApplication):
            services.submit_application(
                grant=section_18_grant,
                data={**section_18_data(), "amount_requested": amount},
                submission_key=uuid.uuid4(),
            )
    with pytest.raises(exceptions.InvalidApplication):  # the model's own rules
        services.submit_application(
            grant=section_18_grant,
            data={**section_18_data(), "amount_requested": 5, "email": "ikke en adresse"},
            submission_key=uuid.uuid4(),
        )
    assert not GrantApplication.objects.exists()


# --- Bad input ---------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("applicant_name", "", "Skriv dit navn."),
        ("applicant_name", "   ", "Skriv dit navn."),
        ("email", "", "Skriv din e-mailadresse."),
        ("email", "ikke-en-adresse", "Skriv en gyldig e-mailadresse, fx navn@eksempel.dk."),
        ("email", "a@b.dk\nBcc: alle@example.org", "Skriv en gyldig e-mailadresse"),
        ("association_name", "", "Skriv foreningens navn."),
        ("cvr", "1234", "Et CVR-nummer består af 8 cifre."),
        ("cvr", "abcdefgh", "Et CVR-nummer består af 8 cifre."),
        ("phone", "ring til mig", "Skriv telefonnummeret med cifre"),
        ("project_title", "", "Skriv en titel på projektet."),
        ("project_title", "x" * 201, "Titlen må højst være på 200 tegn."),
        ("description", "", "Beskriv projektet."),
        ("amount_requested", "", "Skriv det beløb, du søger, i hele kroner."),
        ("amount_requested", "-500", "Beløbet skal være mindst 1 kr."),
        ("amount_requested", "0", "Beløbet skal være mindst 1 kr."),
        ("amount_requested", "mange penge", "Skriv beløbet som et helt antal kroner"),
        ("amount_requested", "25,50", "Skriv beløbet som et helt antal kroner"),
        ("amount_requested", "1e9", "Skriv beløbet som et helt antal kroner"),
        ("amount_requested", "10000001", "Beløbet kan højst være 10.000.000 kr."),
        ("amount_requested", "9" * 400, "Beløbet kan højst være 10.000.000 kr."),
    ],
)
def test_bad_input_gets_a_danish_message_and_saves_nothing(client, grant, field, value, message):
    response = client.post(url(grant), application_data(**{field: value}))
    assert response.status_code == 400
    html = errors_of(response)
    assert message in html
    assert "Ansøgningen blev ikke sendt. Ret følgende:" in html
    # The message is tied to its field.
    assert f'id="id_{field}_error"' in html
    widget = field_tag(html, field)
    assert 'aria-invalid="true"' in widget
    assert f"id_{field}_error" in re.search(r'aria-describedby="([^"]*)"', widget).group(1)
    assert f'href="#id_{field}"' in html  # the summary links to the field
    assert not GrantApplication.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_ten_megabytes_of_description_are_refused_without_echoing_them(client, grant):
    response = client.post(
        url(grant), application_data(description="æ" + "x" * (10 * 1024 * 1024 - 100))
    )
    assert response.status_code == 400
    html = errors_of(response)
    assert "Beskrivelsen må højst være på 10.000 tegn." in html
    assert len(response.content) < 200_000
    assert not GrantApplication.objects.exists()


@pytest.mark.django_db
def test_html_and_script_are_stored_as_text_and_shown_escaped(client, grant):
    script = '<script>alert("x")</script>'
    response = client.post(
        url(grant),
        application_data(
            project_title=f"Projekt {script}",
            description="<b>fed</b> & <img src=x onerror=alert(1)>",
            association_name="Foreningen <i>Ø</i>",
        ),
    )
    assert response.status_code == 302
    application = GrantApplication.objects.get()
    assert application.project_title == f"Projekt {script}"
    assert application.description == "<b>fed</b> & <img src=x onerror=alert(1)>"
    html = client.get(response["Location"]).content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html and "<b>fed" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "&lt;b&gt;fed&lt;/b&gt; &amp; &lt;img src=x onerror=alert(1)&gt;" in html
    sent = mail.outbox[0]
    assert f"Projekt: Projekt {script}" in sent.body  # plain text: as written
    html_body = sent.alternatives[0][0]
    assert "<script>" not in html_body and "&lt;script&gt;" in html_body
    assert "Foreningen &lt;i&gt;Ø&lt;/i&gt;" in html_body


@pytest.mark.django_db
def test_a_form_with_errors_echoes_hostile_input_escaped(client, grant):
    response = client.post(
        url(grant), application_data(project_title='"><script>alert(1)</script>', email="x")
    )
    assert response.status_code == 400
    html = errors_of(response)
    assert "<script>alert(1)</script>" not in html
    assert "&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.django_db
def test_header_injection_in_the_name_has_no_effect_on_the_mail(client, grant):
    response = client.post(
        url(grant),
        application_data(
            applicant_name="Eve\r\nBcc: alle@example.org\r\nSubject: Vundet",
            association_name="Forening\nTo: alle@example.org",
        ),
    )
    assert response.status_code == 302
    application = GrantApplication.objects.get()
    assert application.applicant_name == "Eve Bcc: alle@example.org Subject: Vundet"
    assert application.association_name == "Forening To: alle@example.org"
    sent = mail.outbox[0]
    assert sent.to == ["soeren@example.org"] and sent.cc == [] and sent.bcc == []
    assert sent.subject.startswith("Kvittering for din ansøgning til Frivilligpuljen")
    message = sent.message()
    assert message["Bcc"] is None and message["To"] == "soeren@example.org"
    assert "alle@example.org" not in str(message["Subject"])


@pytest.mark.django_db
def test_if_the_receipt_cannot_be_queued_nothing_is_saved(client, grant, monkeypatch):
    from frivillig_blocks import outbound

    real_queue = outbound.queue_email

    def queue_then_fail(message, **kwargs):
        real_queue(message, **kwargs)  # the stored mail must go with the application
        raise RuntimeError("the queue is down")

    monkeypatch.setattr(outbound, "queue_email", queue_then_fail)
    response = client.post(url(grant), application_data())
    assert response.status_code == 400
    assert "Vi kunne ikke modtage din ansøgning lige nu, og intet er gemt." in errors_of(response)
    assert not GrantApplication.objects.exists()
    assert not OutboundMessage.objects.exists()

    monkeypatch.setattr(outbound, "queue_email", real_queue)
    # The same form sent again now goes through.
    data = application_data()
    assert client.post(url(grant), data).status_code == 302
    assert GrantApplication.objects.count() == 1


@pytest.mark.django_db
def test_only_get_and_post_are_answered(client, grant):
    assert client.put(url(grant), "x").status_code == 405
    assert client.delete(url(grant)).status_code == 405


# --- Concurrency (PostgreSQL, real connections) ---------------------------------------------


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL: real concurrent connections"
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_double_submit_racing_on_two_connections_makes_one_application(site_tree):
    page = site_tree.hub.add_child(instance=GrantIndexPage(title="Puljer", slug="puljer"))
    page.save_revision().publish()
    grant = make_grant(name="Kapløbspulje", slug="kaploeb")
    key = uuid.uuid4()
    data = {**application_data(), "amount_requested": 1000}
    barrier = threading.Barrier(4)
    results, errors = [], []

    def submit():
        try:
            barrier.wait()
            results.append(
                services.submit_application(grant=grant, data=data, submission_key=key).pk
            )
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(set(results)) == 1
    assert GrantApplication.objects.count() == 1
    assert OutboundMessage.objects.filter(purpose="grant_receipt").count() == 1


# --- Staff in the Wagtail admin ----------------------------------------------------------------


@pytest.fixture
def applications(section_18_grant, grant):
    first = services.submit_application(
        grant=section_18_grant,
        data={
            **section_18_data(association_name="Ældresagen Dragør", project_title="Æblehøst"),
            "amount_requested": 15000,
        },
        submission_key=uuid.uuid4(),
    )
    second = services.submit_application(
        grant=grant,
        data={**application_data(project_title="Ølejr for unge"), "amount_requested": 5000},
        submission_key=uuid.uuid4(),
    )
    return first, second


@pytest.mark.django_db
def test_the_coordinator_lists_filters_and_exports_applications(
    client, user_factory, applications, section_18_grant
):
    first, second = applications
    client.force_login(user_factory(groups=[roles.FRIVILLIGKOORDINATOR]))
    response = client.get(ADMIN_LIST)
    assert response.status_code == 200
    html = response.content.decode()
    assert first.reference in html and second.reference in html
    assert "Æblehøst" in html and "Ølejr for unge" in html

    filtered = client.get(ADMIN_LIST, {"grant": section_18_grant.pk}).content.decode()
    assert first.reference in filtered and second.reference not in filtered

    export = client.get(ADMIN_LIST, {"export": "csv", "grant": section_18_grant.pk})
    assert export.status_code == 200
    assert "ansoegninger" in export["Content-Disposition"]
    csv = b"".join(export.streaming_content).decode("utf-8")
    assert first.reference in csv and second.reference not in csv
    assert "Ældresagen Dragør" in csv and "Æblehøst" in csv
    assert "Vi bekæmper ensomhed blandt ældre." in csv
    assert "Ældre over 70 år i Dragør" in csv
    assert "Bus: 4.000 kr." in csv
    header = csv.splitlines()[0].lower()
    assert "foreningens sociale formål" in header and "målgruppe" in header
    assert "budget" in header

    xlsx = client.get(ADMIN_LIST, {"export": "xlsx"})
    assert xlsx.status_code == 200

    inspect = client.get(f"{ADMIN_LIST}inspect/{first.pk}/")
    assert inspect.status_code == 200
    assert "Vi bekæmper ensomhed blandt ældre." in inspect.content.decode()


@pytest.mark.django_db
def test_the_coordinator_sets_the_status(client, user_factory, applications):
    first, _second = applications
    client.force_login(user_factory(groups=[roles.FRIVILLIGKOORDINATOR]))
    response = client.post(f"{ADMIN_LIST}edit/{first.pk}/", {"status": "in_review"})
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.status == GrantApplication.Status.IN_REVIEW
    assert first.project_title == "Æblehøst"  # the applicant's answers stay as sent


def denied(response) -> bool:
    return response.status_code == 403 or (
        response.status_code == 302 and "/admin/" in response["Location"]
    )


@pytest.mark.django_db
@pytest.mark.parametrize("group", [roles.INSTITUTIONSLEDERE, roles.KURSUSANSVARLIGE])
def test_other_staff_cannot_see_the_applications(client, user_factory, applications, group):
    first, _second = applications
    client.force_login(user_factory(groups=[group]))
    assert denied(client.get(ADMIN_LIST))
    export = client.get(ADMIN_LIST, {"export": "csv"})
    assert denied(export)
    assert (
        first.reference
        not in (b"".join(export.streaming_content) if export.streaming else export.content).decode()
    )
    assert denied(client.get(f"{ADMIN_LIST}inspect/{first.pk}/"))
    assert denied(client.post(f"{ADMIN_LIST}edit/{first.pk}/", {"status": "granted"}))
    first.refresh_from_db()
    assert first.status == GrantApplication.Status.RECEIVED


# --- In a real browser ---------------------------------------------------------------------------


def test_apply_in_a_real_browser_and_pass_axe(live_site, page, axe):
    _server, tree = live_site
    index = tree.hub.add_child(instance=GrantIndexPage(title="Puljer", slug="puljer"))
    index.save_revision().publish()
    make_grant(
        name="§ 18-midler",
        slug="paragraf-18",
        legal_basis=Grant.LegalBasis.SECTION_18,
        how_to_apply="<ul><li>Udfyld formularen.</li></ul>",
    )
    page.goto("/frivillig/puljer/")
    axe(page)
    page.get_by_role("link", name="§ 18-midler", exact=True).click()
    page.wait_for_url("**/frivillig/puljer/paragraf-18/")
    axe(page)
    page.get_by_role("button", name="Send ansøgningen").click()  # empty: errors
    assert page.get_by_text("Ansøgningen blev ikke sendt. Ret følgende:").is_visible()
    axe(page)
    page.get_by_label("Dit navn").fill("Søren Ærbø")
    page.get_by_label("Din e-mailadresse").fill("soeren@example.org")
    page.get_by_label("Foreningens navn").fill("Dragør Besøgsvenner")
    page.get_by_label("Projektets titel").fill("Besøg hos ensomme")
    page.get_by_label("Beskriv projektet").fill("Vi besøger ensomme ældre hver uge.")
    page.get_by_label("Beløb, du søger (kr.)").fill("12.000")
    page.get_by_label("Foreningens sociale formål").fill("At bryde ensomhed.")
    page.get_by_label("Målgruppe").fill("Ældre, der bor alene.")
    page.get_by_label("Budget").fill("Kaffe og kage: 12.000 kr.")
    page.get_by_role("button", name="Send ansøgningen").click()
    page.wait_for_url("**/kvittering/**")
    assert page.get_by_role("heading", level=1).inner_text() == "Vi har modtaget din ansøgning"
    reference = GrantApplication.objects.get().reference
    assert page.locator(".reference").inner_text() == reference
    axe(page)
