"""Mine sider shows the organiser's events with their status, through the calendar's
MINE_SIDER_SECTIONS hook: published, awaiting review, held for a clash, cancelled."""

import re

from kalender.models import EventStatus, TrustedOrganiser

from .conftest import local


def _rows(html):
    section = html[html.index('class="mine-events"') :]
    section = section[: section.index("</ul>")]
    return dict(re.findall(r'<a href="[^"]+">([^<]+)</a>.*?class="status status--(\w+)"', section))


def test_mine_sider_lists_the_organisers_events_with_their_status(
    client, calendar_page, member, association, reviewer, make_event, place, user_factory
):
    make_event(reviewer, title="Byfest", place=place, start=local(2026, 3, 4, 19))
    make_event(member, title="Strikkeaften", association_id=association.pk)
    make_event(
        member,
        title="Strik i salen",
        association_id=association.pk,
        place=place,
        start=local(2026, 3, 4, 19),
        venue_agreed=True,
        venue_agreed_note="Huset har sagt ja",
    )
    cancelled = make_event(member, title="Sommertur", association_id=association.pk)
    cancelled.status = EventStatus.CANCELLED
    cancelled.save()
    TrustedOrganiser.objects.create(association=association)
    make_event(member, title="Julestrik", association_id=association.pk)
    # Someone else's event is not the member's.
    make_event(user_factory(username="anden"), title="Andres møde")

    client.force_login(member)
    html = client.get("/mine-sider/").content.decode()
    assert "Mine arrangementer" in html
    assert _rows(html) == {
        "Strikkeaften": "review",
        "Strik i salen": "held",
        "Sommertur": "cancelled",
        "Julestrik": "published",
    }
    assert "Afventer godkendelse" in html and "Offentliggjort" in html and "Aflyst" in html
    assert 'href="/frivillig/kalender/opret/"' in html


def test_mine_sider_without_events_offers_to_create_one(client, calendar_page, member):
    client.force_login(member)
    html = client.get("/mine-sider/").content.decode()
    assert "Du har ikke oprettet nogen arrangementer endnu." in html
    assert 'href="/frivillig/kalender/opret/"' in html


def test_my_events_page_shows_the_same_status(
    client, calendar_page, member, association, make_event
):
    make_event(member, title="Strikkeaften", association_id=association.pk)
    client.force_login(member)
    html = client.get("/frivillig/kalender/mine/").content.decode()
    assert "Strikkeaften" in html and "Afventer godkendelse" in html
