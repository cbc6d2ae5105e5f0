"""Input parsed at the edge (#18, item 4): dates out of range, 20-digit numbers and '²' in
the calendar's list, month and day paths, feed, PDF, API and clash check answer 400 or
404, never a 500."""

import pytest

from kalender.models import EventDetails

from .test_form import form_data

pytestmark = pytest.mark.django_db

BIG = "9" * 20
CAL = "/frivillig/kalender/"


@pytest.mark.parametrize(
    "url",
    [
        f"{CAL}maaned/{BIG}/1/",
        f"{CAL}dag/{BIG}/1/1/",
        f"{CAL}uge/{BIG}/1/",
        f"{CAL}arrangement/{BIG}/",
        f"{CAL}arrangement/{BIG}/ical/",
        f"{CAL}sted/{BIG}/",
    ],
)
def test_a_20_digit_id_or_year_in_a_path_is_a_404(client, calendar_page, url):
    client.raise_request_exception = False
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("query", ["til=9999-12-31", "fra=0001-01-01", f"fra={BIG}-01-01"])
@pytest.mark.parametrize("route", ["", "ical/", "program/"])
def test_a_date_out_of_range_in_the_list_feed_and_pdf_is_refused_with_a_danish_message(
    client, calendar_page, route, query
):
    client.raise_request_exception = False
    response = client.get(f"{CAL}{route}?{query}", HTTP_ACCEPT_LANGUAGE="da")
    assert response.status_code == 400
    message = (
        "Indtast en gyldig dato."  # not a date at all: Django's own message
        if query.startswith("fra=999")
        else "Skriv en dato mellem 1900-01-01 og 2100-12-31."
    )
    assert message in response.content.decode()


@pytest.mark.parametrize(
    "query", ["start=0001-01-01", "end=9999-12-31", f"offset={BIG}", f"place={2**40}"]
)
def test_the_api_answers_a_date_out_of_range_or_a_huge_number_with_a_4xx(client, query):
    client.raise_request_exception = False
    response = client.get(f"/api/kalender/dates?{query}")
    assert response.status_code in (400, 422), response.status_code


@pytest.mark.parametrize("url", [f"/api/kalender/events/{BIG}", f"/api/kalender/events/{2**40}"])
def test_the_api_answers_a_huge_event_id_with_a_4xx(client, url):
    """The API's schema (its own bounds, documented) answers 422 for an id out of range."""
    client.raise_request_exception = False
    assert client.get(url).status_code in (404, 422)


@pytest.mark.parametrize("event_id", ["²", BIG, "-1"])
def test_the_clash_check_refuses_a_strange_event_id(
    client, calendar_page, member, association, event_id
):
    client.raise_request_exception = False
    client.force_login(member)
    response = client.post(f"{CAL}tjek/", {**form_data(association), "event_id": event_id})
    assert response.status_code == 403
    assert EventDetails.objects.count() == 0
