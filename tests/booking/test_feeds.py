"""The leaders' calendar feeds (#17, finding 6: "Leader feed tokens list borrowers' names and
cannot be rotated: a leader who leaves an institution keeps access"). A feed is per leader
and institution, made (and made anew) by the leader in the admin, stored only as a hash;
it stops working when the leader is removed from the institution, and one institution's
leader cannot read another's."""

import re

from django.contrib.auth.models import Group
from icalendar import Calendar
from wagtail.models import ModelLogEntry

from booking import rules as R
from booking import services
from booking.models import Institution, LeaderFeedToken
from frivillig_blocks import roles

from ..factories import UserFactory
from .conftest import make_request

FEED = re.compile(r"<code>https?://[^/<]+(/frivillig/laan/feed/\d+/[^/<]+/)</code>")


def make_feed(client, user, institution) -> str:
    """The leader presses "Lav ny adresse" in the admin; the path of the new feed."""
    client.force_login(user)
    response = client.post(f"/admin/laan/kalender/{institution.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Vi viser den kun denne ene gang" in html
    return FEED.search(html).group(1)


def events(response) -> list:
    assert response.status_code == 200, response.status_code
    return Calendar.from_ical(response.content).walk("VEVENT")


def test_the_feed_lists_what_a_leader_needs_and_no_private_borrowers_name(
    client, world, booking_page, user_factory
):
    services.request_loan(user=world.member, req=make_request(world))
    world.library.who_may_borrow = R.CITIZENS
    world.library.save()
    private = user_factory(username="privat", first_name="Petra", last_name="Privat")
    services.request_loan(
        user=private,
        req=make_request(
            world,
            association=None,
            purpose="meeting",
            title="Læsekreds",
            responsible_name="Petra Privat",
            items=[(world.tables, 3)],
        ),
    )
    services.request_loan(user=world.member, req=make_request(world, items=[(world.gym, 1)]))
    feed = make_feed(client, world.leader, world.library)
    client.logout()
    found = events(client.get(feed))
    texts = sorted(str(e["summary"]) for e in found)
    assert texts == ["Læsekreds (?)", "Spejdermøde (?) – Dragør Spejderne"]
    whole = b"".join(e.to_ical() for e in found).decode()
    assert "3 × Borde" in whole and "/admin/laan/" in whole
    assert "Petra" not in whole and "Privat" not in whole and "Mads" not in whole
    # One room's own feed under the same key.
    hall = events(client.get(f"{feed}{world.hall.pk}/"))
    assert [str(e["summary"]) for e in hall] == ["Spejdermøde (?) – Dragør Spejderne"]
    # The key is stored as a hash only and not shown again.
    token = feed.rstrip("/").rsplit("/", 1)[1]
    stored = LeaderFeedToken.objects.get(user=world.leader, institution=world.library)
    assert token not in stored.token_hash
    client.force_login(world.leader)
    index = client.get("/admin/laan/").content.decode()
    assert token not in index and "Lav ny adresse" in index


def test_the_old_address_is_a_404_once_the_leader_makes_a_new_one(client, world, booking_page):
    services.request_loan(user=world.member, req=make_request(world))
    old = make_feed(client, world.leader, world.library)
    assert len(events(client.get(old))) == 1
    new = make_feed(client, world.leader, world.library)
    assert new != old
    client.logout()
    assert client.get(old).status_code == 404
    assert client.get(f"{old}{world.hall.pk}/").status_code == 404
    assert len(events(client.get(new))) == 1
    assert LeaderFeedToken.objects.filter(user=world.leader).count() == 1
    history = ModelLogEntry.objects.for_instance(world.library)
    assert [e.action for e in history] == ["booking.feed_renew", "booking.feed_renew"]
    assert all(e.user_id == world.leader.pk for e in history)


def institution_form(institution, **overrides):
    data = {
        "name": institution.name,
        "slug": institution.slug,
        "place": institution.place_id,
        "description": institution.description,
        "email": institution.email,
        "leaders": [u.pk for u in institution.leaders.all()],
        "declarations": [d.pk for d in institution.declarations.all()],
        "min_notice_hours": "",
        "max_advance_days": "",
        "min_duration_minutes": "",
        "max_duration_minutes": institution.max_duration_minutes or "",
        "buffer_minutes": "",
        "max_loans_per_month": "",
        "who_may_borrow": "",
        "approval": "",
        "cancellation_deadline_hours": "",
        "pickup_times": "",
        "return_times": "",
        "deposit_text": "",
        "condition_check": "unknown",
    }
    data.update(overrides)
    return data


def test_a_leader_removed_from_the_institution_in_the_admin_loses_the_feed(
    client, world, booking_page
):
    services.request_loan(user=world.member, req=make_request(world))
    second = UserFactory(username="nyleder", groups=[roles.INSTITUTIONSLEDERE])
    world.library.leaders.add(second)
    leaving = make_feed(client, world.leader, world.library)
    staying = make_feed(client, second, world.library)
    coordinator = UserFactory(username="koordinator", groups=[roles.FRIVILLIGKOORDINATOR])
    client.force_login(coordinator)
    response = client.post(
        f"/admin/laan-institutioner/edit/{world.library.pk}/",
        institution_form(world.library, leaders=[second.pk]),
    )
    assert response.status_code == 302, response.context["form"].errors
    assert list(world.library.leaders.all()) == [second]
    client.logout()
    assert client.get(leaving).status_code == 404
    assert not LeaderFeedToken.objects.filter(user=world.leader).exists()
    assert len(events(client.get(staying))) == 1
    assert "booking.feed_revoke" in [
        e.action for e in ModelLogEntry.objects.for_instance(world.library)
    ]


def test_the_feed_is_checked_against_the_leaders_on_every_request(client, world, booking_page):
    """Even where the removal bypassed the signal (a raw delete), or the leader left the
    leaders' group or was deactivated, the key opens nothing."""
    services.request_loan(user=world.member, req=make_request(world))
    feed = make_feed(client, world.leader, world.library)
    client.logout()
    assert client.get(feed).status_code == 200
    through = Institution.leaders.through
    through.objects.filter(institution=world.library, user=world.leader).delete()
    assert LeaderFeedToken.objects.filter(user=world.leader).exists()  # the signal never ran
    assert client.get(feed).status_code == 404
    world.library.leaders.add(world.leader)
    assert client.get(feed).status_code == 200
    world.leader.groups.remove(Group.objects.get(name=roles.INSTITUTIONSLEDERE))
    assert client.get(feed).status_code == 404
    world.leader.groups.add(Group.objects.get(name=roles.INSTITUTIONSLEDERE))
    world.leader.is_active = False
    world.leader.save()
    assert client.get(feed).status_code == 404


def test_another_institutions_leader_cannot_read_this_institutions_feed(
    client, world, booking_page
):
    services.request_loan(user=world.member, req=make_request(world))
    library_feed = make_feed(client, world.leader, world.library)
    school_feed = make_feed(client, world.other_leader, world.school)
    # The school's leader cannot make a feed of the library...
    assert client.post(f"/admin/laan/kalender/{world.library.pk}/").status_code == 404
    assert not LeaderFeedToken.objects.filter(
        user=world.other_leader, institution=world.library
    ).exists()
    # ...nor read the library's rooms through the school's key, nor pair the school's key
    # with the library feed's number.
    client.logout()
    assert client.get(f"{school_feed}{world.hall.pk}/").status_code == 404
    assert events(client.get(school_feed)) == []
    library_id = library_feed.split("/feed/")[1].split("/")[0]
    school_token = school_feed.rstrip("/").rsplit("/", 1)[1]
    assert client.get(f"/frivillig/laan/feed/{library_id}/{school_token}/").status_code == 404
    # A citizen cannot make one at all.
    client.force_login(world.member)
    assert client.post(f"/admin/laan/kalender/{world.library.pk}/").status_code in (302, 403)
    assert client.get(f"/admin/laan/kalender/{world.school.pk}/").status_code in (302, 403, 405)


def test_a_wrong_key_or_the_old_resource_address_is_a_404(client, world, booking_page):
    feed = make_feed(client, world.leader, world.library)
    feed_id = feed.split("/feed/")[1].split("/")[0]
    client.logout()
    assert client.get(f"/frivillig/laan/feed/{feed_id}/wrong/").status_code == 404
    assert client.get(f"/frivillig/laan/feed/{world.hall.pk}/").status_code == 404
    assert client.get(f"/frivillig/laan/feed/{int(feed_id) + 1}/x/").status_code == 404
