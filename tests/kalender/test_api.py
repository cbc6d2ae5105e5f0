"""The read-only JSON API and its OpenAPI description."""

from __future__ import annotations

import datetime

import pytest

from .conftest import local

pytestmark = pytest.mark.django_db

API = "/api/kalender"


def test_openapi_description(client):
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200
    spec = response.json()
    assert spec["openapi"].startswith("3.")
    assert {"/api/kalender/dates", "/api/kalender/events/{event_id}"} <= set(spec["paths"])
    # Read-only: no write methods anywhere.
    methods = {m for item in spec["paths"].values() for m in item}
    assert methods == {"get"}
    assert client.get(f"{API}/docs", follow=True).status_code == 404


def test_dates_and_event(client, calendar_page, reviewer, member, make_event, place):
    details = make_event(
        reviewer,
        title="Korsang",
        start=local(2026, 3, 18, 19),
        recurrence="weekly",
        repeat_until=datetime.date(2026, 4, 8),
        place=place,
    )
    make_event(member, title="Ikke godkendt", start=local(2026, 3, 19, 19))
    data = client.get(f"{API}/dates", {"start": "2026-03-16", "end": "2026-04-10"}).json()
    assert [d["title"] for d in data] == ["Korsang"] * 4
    assert [d["start"][11:19] for d in data] == ["19:00:00"] * 4
    assert data[0]["start"].endswith("+01:00") and data[-1]["start"].endswith("+02:00")
    assert data[0]["url"].endswith(f"/frivillig/kalender/arrangement/{details.event_id}/")
    one = client.get(f"{API}/events/{details.event_id}").json()
    assert one["recurrence"] == "weekly" and one["place"]["name"] == place.name
    assert client.get(f"{API}/events/999999").status_code == 404
    assert client.get(f"{API}/dates", {"category": "findes-ikke"}).status_code == 404
    assert client.get(f"{API}/dates", {"start": "2026-13-01"}).status_code == 422
    assert client.post(f"{API}/dates").status_code == 405


def test_every_status_and_rule_is_in_the_description(client):
    spec = client.get(f"{API}/openapi.json").json()
    dates = spec["paths"]["/api/kalender/dates"]["get"]
    one = spec["paths"]["/api/kalender/events/{event_id}"]["get"]
    assert set(dates["responses"]) == {"200", "404", "422"}
    assert set(one["responses"]) == {"200", "404", "422"}
    for operation in (dates, one):
        assert operation["responses"]["404"]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/ErrorOut"
        }
        assert operation["responses"]["422"]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/ValidationErrorOut"
        }
    params = {p["name"]: p["schema"] for p in dates["parameters"]}
    for name in ("start", "end"):
        assert params[name]["type"] == "string" and params[name]["format"] == "date"
        assert params[name]["pattern"].startswith("^(19[0-9]{2}|20[0-9]{2}|2100)-")
    assert (params["limit"]["minimum"], params["limit"]["maximum"]) == (1, 500)
    assert params["offset"]["minimum"] == 0 and params["place"]["maximum"] == 2**31 - 1
    id_schema = one["parameters"][0]["schema"]
    assert (id_schema["minimum"], id_schema["maximum"]) == (1, 2**31 - 1)
    # The rule JSON Schema cannot say is in the operation's description.
    assert "not before ``start``" in dates["description"]


def test_start_zero_is_not_a_unix_timestamp(client, calendar_page):
    for value in ("0", "1700000000", "2026-3-1", " 2026-03-01", "2026-03-01T00:00", "²⁰²⁶-03-01"):
        response = client.get(f"{API}/dates", {"start": value})
        assert response.status_code == 422, value
        error = response.json()["detail"][0]
        assert error["loc"] == ["query", "start"]
        assert error["msg"] == "Skriv datoen som ÅÅÅÅ-MM-DD, mellem 1900-01-01 og 2100-12-31."
    for value in ("1899-12-31", "2101-01-01", "9999-12-31", "0001-01-01", "20260301"):
        assert client.get(f"{API}/dates", {"end": value}).status_code == 422, value


def test_end_before_start_and_too_long_periods_are_refused_in_danish(client, calendar_page):
    response = client.get(f"{API}/dates", {"start": "2026-03-10", "end": "2026-03-09"})
    assert response.status_code == 422
    assert response.json() == {
        "detail": [
            {
                "loc": ["query", "end"],
                "msg": "Slutdatoen må ikke ligge før startdatoen.",
                "type": "period",
            }
        ]
    }
    response = client.get(f"{API}/dates", {"start": "2026-01-01", "end": "2027-12-31"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["msg"] == "Perioden kan højst være 400 dage."
    ok = client.get(f"{API}/dates", {"start": "2026-03-10", "end": "2026-03-10"})
    assert ok.status_code == 200 and ok.json() == []


def test_bad_numbers_and_names_answer_as_documented(client, calendar_page):
    for query in ({"limit": "0"}, {"limit": "501"}, {"offset": "-1"}, {"limit": "1.0"}):
        assert client.get(f"{API}/dates", query).status_code == 422, query
    for query in ({"offset": "9" * 20}, {"place": "²"}, {"place": "9" * 20}, {"q": "x" * 101}):
        response = client.get(f"{API}/dates", query)
        assert response.status_code == 422, query
        assert response.json()["detail"][0]["msg"].startswith(("Skriv", "Søg")), query
    assert client.get(f"{API}/events/{'9' * 20}").status_code == 422
    assert client.get(f"{API}/events/0").status_code == 422
    response = client.get(f"{API}/events/2147483647")
    assert response.status_code == 404
    assert response.json() == {"detail": "Der er intet offentligt arrangement med det nummer."}
    for name in ("category", "age_group", "theme", "organiser"):
        for value in ("findes-ikke", "nul\x00byte", "'; DROP TABLE x; --"):
            response = client.get(f"{API}/dates", {name: value})
            assert response.status_code == 404, (name, value)
            assert response.json()["detail"].endswith("findes ikke.")
    assert client.get(f"{API}/dates", {"place": "2147483647"}).status_code == 404
    assert client.get(f"{API}/dates", {"category": ""}).status_code == 422


def test_an_event_has_themes_and_the_old_category_is_the_first(
    client, calendar_page, reviewer, make_event, place
):
    from frivillig_blocks.models import Theme

    culture, sport = Theme.objects.get(slug="kultur"), Theme.objects.get(slug="idraet-og-motion")
    details = make_event(
        reviewer,
        title="Sankthans",
        start=local(2026, 6, 23, 20),
        place=place,
        theme_ids=[culture.pk, sport.pk],
    )
    make_event(reviewer, title="Uden tema", start=local(2026, 6, 23, 10), place=place)
    period = {"start": "2026-06-23", "end": "2026-06-23"}
    data = {d["title"]: d for d in client.get(f"{API}/dates", period).json()}
    # In the themes' order (sport_order: Idræt og motion before Kultur).
    assert data["Sankthans"]["themes"] == ["idraet-og-motion", "kultur"]
    assert data["Sankthans"]["category"] == "idraet-og-motion"
    assert data["Uden tema"]["themes"] == [] and data["Uden tema"]["category"] is None
    one = client.get(f"{API}/events/{details.event_id}").json()
    assert one["themes"] == ["idraet-og-motion", "kultur"]
    assert one["category"] == "idraet-og-motion"
    # ``theme`` filters; ``category`` is its deprecated alias and knows the old slugs.
    for query in ({"theme": "kultur"}, {"category": "kultur"}, {"category": "sport"}):
        titles = [d["title"] for d in client.get(f"{API}/dates", {**period, **query}).json()]
        assert titles == ["Sankthans"], query
    themes = client.get(f"{API}/themes").json()
    assert {"slug": "kultur", "name": "Kultur"} in themes
    assert client.get(f"{API}/categories").json() == themes
    spec = client.get(f"{API}/openapi.json").json()
    assert spec["paths"]["/api/kalender/categories"]["get"]["deprecated"] is True
    params = {p["name"]: p for p in spec["paths"]["/api/kalender/dates"]["get"]["parameters"]}
    assert params["category"]["schema"].get("deprecated") or params["category"].get("deprecated")
