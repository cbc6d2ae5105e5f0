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
    assert client.get(f"{API}/dates", {"category": "findes-ikke"}).status_code == 422
    assert client.get(f"{API}/dates", {"start": "2026-13-01"}).status_code == 422
    assert client.post(f"{API}/dates").status_code == 405
