"""The public course pages with the Django test client: list, course, registration, the
links from the mails, the needs form and the evaluation."""

import datetime
import re
import uuid

from django.core import mail
from django.utils import timezone

from frivillig_blocks.models import AgeGroup
from kurser import views
from kurser.models import CompetenceArea, CompetenceNeed, Evaluation, Registration
from kurser.tokens import make_token
from tests.helpers import last_mail_to

Status = Registration.Status
URL = "/frivillig/kurser/"


def register_url(session):
    return f"{URL}{session.course.slug}/hold/{session.pk}/tilmeld/"


def text(response):
    return response.content.decode()


def test_list_shows_published_courses_with_seats(client, course_page, session_factory):
    session = session_factory(capacity=3)
    session.course.title = "Førstehjælp for trænere"
    session.course.save()
    hidden = session_factory()
    hidden.course.published = False
    hidden.course.save()
    response = client.get(URL)
    assert response.status_code == 200
    body = text(response)
    assert "Førstehjælp for trænere" in body
    assert hidden.course.title not in body
    assert "3 ledige pladser" in body
    assert "Antal kurser: 1" in body


def test_list_filters_by_area_and_audience(client, course_page, course_factory, session_factory):
    first_aid = CompetenceArea.objects.get(slug="foerstehjaelp")
    board = CompetenceArea.objects.get(slug="bestyrelse-og-regnskab")
    course_factory(title="Hjertestarter", competence_area=first_aid, audience="volunteers")
    course_factory(title="Regnskab", competence_area=board, audience="volunteers")
    course_factory(title="Frivillige i hverdagen", competence_area=board, audience="staff")
    body = text(client.get(URL, {"area": "foerstehjaelp"}))
    assert "Hjertestarter" in body and "Regnskab" not in body
    body = text(client.get(URL, {"audience": "staff"}))
    assert "Frivillige i hverdagen" in body and "Hjertestarter" not in body
    # Values that are not offered are ignored, not an error.
    response = client.get(URL, {"area": "<script>", "audience": "x" * 500, "page": "999"})
    assert response.status_code == 200
    assert "<script>" not in text(response)


def test_list_query_count_does_not_grow(
    client, course_page, session_factory, django_assert_max_num_queries
):
    session_factory(meetings=2)
    client.get(URL)
    with django_assert_max_num_queries(25) as few:
        client.get(URL)
    for _ in range(15):
        session_factory(meetings=3)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(URL)
    assert "Antal kurser: 16" in text(response)


def test_course_detail_query_count_does_not_grow(
    client, course_page, course_factory, session_factory, django_assert_max_num_queries
):
    course = course_factory()
    session_factory(course)
    client.get(f"{URL}{course.slug}/")
    with django_assert_max_num_queries(25) as few:
        client.get(f"{URL}{course.slug}/")
    for _ in range(8):
        session_factory(course, meetings=3)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(f"{URL}{course.slug}/")
    assert text(response).count("Tilmeld</a>") == 9


def test_course_page_shows_each_upcoming_session_with_its_own_meetings_and_seats(
    client, course_page, course_factory, session_factory, django_assert_num_queries
):
    """Each session's card has its own meetings and its seats: confirmed and open offers
    take a seat, an expired offer and a cancellation do not, a waiting list shows; a
    session that is over and another course's session are not on the page (the course
    page's statements are compiled once per process: kurser.views, issue #22)."""
    now = timezone.now()
    course = course_factory(title="Førstehjælp")
    spring = session_factory(
        course, label="Forår", capacity=5, meetings=3, starts_in=datetime.timedelta(days=3)
    )
    autumn = session_factory(
        course, label="Efterår", capacity=2, meetings=1, starts_in=datetime.timedelta(days=40)
    )
    session_factory(
        course,
        label="Sidste år",
        starts_in=-datetime.timedelta(days=30),
        deadline_in=-datetime.timedelta(days=40),
    )
    session_factory(course_factory(), label="Et andet kursus")
    statuses = {
        spring: [
            (Status.CONFIRMED, None),
            (Status.CONFIRMED, None),
            (Status.OFFERED, now + datetime.timedelta(days=1)),
            (Status.OFFERED, now - datetime.timedelta(hours=1)),  # expired
            (Status.CANCELLED, None),
        ],
        autumn: [(Status.CONFIRMED, None), (Status.CONFIRMED, None), (Status.WAITING, None)],
    }
    for session, rows in statuses.items():
        for n, (status, expires) in enumerate(rows):
            Registration.objects.create(
                session=session,
                name=f"Deltager {n}",
                email=f"deltager{n}-{session.pk}@example.org",
                status=status,
                offer_expires_at=expires,
            )
    html = text(client.get(f"{URL}{course.slug}/"))
    assert "Sidste år" not in html and "Et andet kursus" not in html
    cards = re.findall(
        r'<li class="session card">(.*?)</li>\s*(?=<li class="session|</ul>\s*</article)',
        html,
        re.S,
    )
    assert [re.search(r"<h3[^>]*>(.*?)</h3>", card).group(1) for card in cards] == [
        "Forår",
        "Efterår",
    ]
    spring_card, autumn_card = cards
    for card, session in ((spring_card, spring), (autumn_card, autumn)):
        shown = re.findall(r"<li>([^<]*\d{2}:\d{2}–\d{2}:\d{2})</li>", card)
        assert len(shown) == session.meetings.count()
        for meeting in session.meetings.all():
            assert timezone.localtime(meeting.starts_at).strftime("%H:%M") in card
    # 5 seats: 2 confirmed and 1 open offer take three.
    assert "<dd>2 ledige pladser</dd>" in spring_card and "venteliste" not in spring_card
    assert "Fuldt – du kan skrive dig på ventelisten (1 på ventelisten)" in autumn_card
    assert ">Skriv dig på ventelisten</a>" in autumn_card
    # What the view hands the templates: each session's meetings, answered without a query.
    sessions = views._upcoming_sessions(course, timezone.now())
    expected = [
        [m.pk for m in session.meetings.order_by("starts_at")] for session in (spring, autumn)
    ]
    with django_assert_num_queries(0):
        assert [s.pk for s in sessions] == [spring.pk, autumn.pk]
        assert [s.meetings.count() for s in sessions] == [3, 1]
        assert [[m.pk for m in s.meetings.all()] for s in sessions] == expected


def test_unknown_course_and_forged_session_are_404(client, course_page, session_factory, user):
    session = session_factory()
    other = session_factory()
    client.force_login(user)
    assert client.get(f"{URL}findes-ikke/").status_code == 404
    assert client.get(f"{URL}{session.course.slug}/hold/99999/tilmeld/").status_code == 404
    # A session of another course through this course's URL.
    response = client.post(f"{URL}{session.course.slug}/hold/{other.pk}/tilmeld/", {"who": "me"})
    assert response.status_code == 404
    assert not Registration.objects.exists()


def test_registration_needs_login(client, course_page, session_factory):
    session = session_factory()
    response = client.get(register_url(session))
    assert response.status_code == 302
    assert "/konto/login/" in response["Location"]
    response = client.post(register_url(session), {"who": "me"})
    assert response.status_code == 302
    assert not Registration.objects.exists()


def test_register_yourself_then_twice(client, course_page, session_factory, user_factory):
    person = user_factory(username="karen", first_name="Karen", last_name="Holm")
    session = session_factory()
    client.force_login(person)
    response = client.post(register_url(session), {"who": "me"}, follow=True)
    assert "Du er tilmeldt. Vi har sendt dig en bekræftelse på e-mail." in text(response)
    assert "Karen Holm er tilmeldt" not in text(response)
    assert "Du er tilmeldt dette hold" in text(response)
    assert Registration.objects.get().status == Status.CONFIRMED
    response = client.post(register_url(session), {"who": "me"})
    assert response.status_code == 400
    assert "allerede tilmeldt" in text(response)
    assert Registration.objects.count() == 1


def test_a_person_without_a_name_is_greeted_without_the_username(
    client, course_page, session_factory, user_factory, mailoutbox
):
    """docs/sprog.md: the receipt says "du", the mail says a plain "Hej"; the username the
    person never chose appears nowhere."""
    person = user_factory(username="borger7", first_name="", last_name="", email="b7@example.org")
    session = session_factory()
    client.force_login(person)
    response = client.post(register_url(session), {"who": "me"}, follow=True)
    assert "Du er tilmeldt." in text(response) and "borger7" not in text(response)
    registration = Registration.objects.get()
    assert registration.name == "b7@example.org"
    body = mailoutbox[-1].body
    assert body.startswith("Hej") and "borger7" not in body and "Kære" not in body


def test_register_after_deadline_and_capacity_zero(client, course_page, session_factory, user):
    client.force_login(user)
    late = session_factory(deadline_in=datetime.timedelta(minutes=-1))
    response = client.get(register_url(late))
    assert "fristen er overskredet" in text(response)
    response = client.post(register_url(late), {"who": "me"})
    assert response.status_code == 400
    assert "fristen er overskredet" in text(response)
    empty = session_factory(capacity=0)
    response = client.post(register_url(empty), {"who": "me"})
    assert response.status_code == 400
    assert "tager ikke imod tilmeldinger" in text(response)
    assert not Registration.objects.exists()


def test_register_for_the_association(
    client, course_page, session_factory, user, membership_factory, association_factory
):
    association = association_factory(name="Dragør Roklub")
    membership_factory(user=user, association=association)
    session = session_factory(association_cap=1)
    client.force_login(user)
    form = client.get(register_url(session))
    assert "Dragør Roklub" in text(form)
    # The choice renders as a radio button beside "me" (it was appended after the widget
    # had copied the choices, and never showed).
    radios = re.findall(r'<input type="radio" name="who" value="([a-z]+)"', text(form))
    assert radios == ["me", "association"]
    assert "En fra min forening" in text(form)
    bad = client.post(register_url(session), {"who": "association", "association": association.pk})
    assert bad.status_code == 400
    assert "Skriv deltagerens navn." in text(bad)
    data = {
        "who": "association",
        "association": association.pk,
        "name": "Ole <b>Roer</b>",
        "email": "ole@example.org",
    }
    response = client.post(register_url(session), data, follow=True)
    assert response.status_code == 200
    registration = Registration.objects.get()
    assert registration.association == association and registration.email == "ole@example.org"
    assert registration.user == user
    data.update(name="Per", email="per@example.org")
    response = client.post(register_url(session), data)
    assert response.status_code == 400
    assert "så mange, som én forening må tilmelde" in text(response)
    # A forged association id is refused by the form.
    data.update(association=association_factory().pk)
    assert client.post(register_url(session), data).status_code == 400
    assert Registration.objects.count() == 1


def test_register_rate_limited(client, course_page, session_factory, user, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "kurser_register": "1/h/user"}
    client.force_login(user)
    first, second = session_factory(), session_factory()
    assert client.post(register_url(first), {"who": "me"}).status_code == 302
    response = client.post(register_url(second), {"who": "me"})
    assert response.status_code == 429
    assert "for mange" in text(response)
    assert Registration.objects.count() == 1


def link_from(message, route):
    match = re.search(rf"https?://[^/]+(/frivillig/kurser/{route}/[^/\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_cancel_and_accept_through_the_mail_links(
    client, course_page, session_factory, user_factory, anymail_backend
):
    session = session_factory(capacity=1)
    anne, bo = user_factory(username="anne"), user_factory(username="bo")
    for person in (anne, bo):
        client.force_login(person)
        client.post(register_url(session), {"who": "me"})
    client.logout()
    cancel = link_from(last_mail_to("anne@example.org"), "afmeld")
    page = client.get(cancel)
    assert "Vil du afmelde" in text(page)
    assert 'name="confirm" value="yes"' in text(page)
    # A POST that is not the question's answer (an old one-click button) asks again.
    response = client.post(cancel)
    assert response.status_code == 200 and "Vil du afmelde" in text(response)
    assert Registration.objects.get(email="anne@example.org").status != Status.CANCELLED
    response = client.post(cancel, {"confirm": "yes"}, follow=True)
    assert "Tilmeldingen er afmeldt" in text(response)
    assert Registration.objects.get(email="anne@example.org").status == Status.CANCELLED
    again = client.post(cancel, {"confirm": "yes"})
    assert again.status_code == 400 and "allerede afmeldt" in text(again)
    shown = client.get(cancel)
    assert "allerede afmeldt" in text(shown) and "Vil du afmelde" not in text(shown)
    accept = link_from(last_mail_to("bo@example.org"), "accepter")
    assert "Tag imod pladsen" in text(client.get(accept))
    response = client.post(accept, follow=True)
    assert "Du har fået en plads" in text(response)
    assert Registration.objects.get(email="bo@example.org").status == Status.CONFIRMED


def test_forged_and_expired_links(client, course_page, session_factory, user_factory):
    session = session_factory(capacity=1)
    client.force_login(user_factory(username="anne"))
    client.post(register_url(session), {"who": "me"})
    registration = Registration.objects.get()
    token = make_token(registration, "cancel")
    for bad in (token[:-1] + ("A" if token[-1] != "A" else "B"), "abc", "x" * 500):
        response = client.post(f"{URL}afmeld/{bad}/")
        assert response.status_code == 400
        assert "Linket er ikke gyldigt" in text(response)
    Registration.objects.update(queued_at=timezone.now() - datetime.timedelta(days=1))
    response = client.post(f"{URL}afmeld/{token}/", {"confirm": "yes"})
    assert response.status_code == 400
    assert Registration.objects.get().status == Status.CONFIRMED


def test_needs_form(client, course_page):
    response = client.get(f"{URL}behov/")
    assert "Hvilket kursus har du brug for?" in text(response)
    empty = client.post(f"{URL}behov/", {})
    assert empty.status_code == 400
    assert "Fortæl os, hvilket kursus du har brug for." in text(empty)
    huge = client.post(f"{URL}behov/", {"description": "x" * 3001, "audience": "volunteers"})
    assert huge.status_code == 400 and "højst 3000 tegn" in text(huge)
    forged = client.post(
        f"{URL}behov/",
        {"description": "Regnskab", "audience": "volunteers", "competence_area": "99999"},
    )
    assert forged.status_code == 400
    area = CompetenceArea.objects.get(slug="bestyrelse-og-regnskab")
    response = client.post(
        f"{URL}behov/",
        {
            "description": "<script>alert(1)</script>Regnskab for kasserere",
            "audience": "volunteers",
            "competence_area": area.pk,
            "age_group": AgeGroup.objects.get(code="unge").pk,
            "association_name": "Dragør Boldklub",
            "submission_key": str(uuid.uuid4()),
        },
        follow=True,
    )
    assert "Tak! Dit svar" in text(response)
    need = CompetenceNeed.objects.get()
    assert need.competence_area == area and need.association_name == "Dragør Boldklub"
    assert CompetenceNeed.objects.count() == 1


def test_needs_form_rate_limited(client, course_page, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "kurser_needs": "2/h/ip"}
    data = {"description": "Førstehjælp", "audience": "staff"}
    for _ in range(2):
        data["submission_key"] = str(uuid.uuid4())
        assert client.post(f"{URL}behov/", data).status_code == 302
    data["submission_key"] = str(uuid.uuid4())
    response = client.post(f"{URL}behov/", data)
    assert response.status_code == 429 and "for mange" in text(response)
    assert CompetenceNeed.objects.count() == 2


def test_evaluation_through_the_link(client, course_page, session_factory, user):
    session = session_factory()
    client.force_login(user)
    client.post(register_url(session), {"who": "me"})
    registration = Registration.objects.get()
    url = f"{URL}evaluering/{make_token(registration, 'evaluate')}/"
    early = client.post(url, {"rating": "5", "usefulness": "4"})
    assert early.status_code == 400 and "når kurset er gået i gang" in text(early)
    from kurser.models import Meeting

    Meeting.objects.filter(session=session).update(
        starts_at=timezone.now() - datetime.timedelta(hours=3),
        ends_at=timezone.now() - datetime.timedelta(hours=1),
    )
    session.__class__.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - datetime.timedelta(hours=3),
        ends_at=timezone.now() - datetime.timedelta(hours=1),
    )
    assert client.post(url, {"rating": "9", "usefulness": "3"}).status_code == 400
    response = client.post(
        url, {"rating": "5", "usefulness": "4", "best": "Øvelserne"}, follow=True
    )
    assert "Tak for din evaluering" in text(response)
    again = client.post(url, {"rating": "1", "usefulness": "1"})
    assert again.status_code == 400 and "allerede besvaret" in text(again)
    assert Evaluation.objects.get().rating == 5
    assert client.get(f"{URL}evaluering/forfalsket/").status_code == 400


def test_certificate_only_for_own_attended_course(
    client, course_page, session_factory, user_factory
):
    session = session_factory()
    owner, other = user_factory(username="ejer"), user_factory(username="anden")
    client.force_login(owner)
    client.post(register_url(session), {"who": "me"})
    registration = Registration.objects.get()
    url = f"{URL}kursusbevis/{registration.pk}/"
    assert client.get(url).status_code == 404  # not marked as attended yet
    Registration.objects.update(attended=True)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    client.force_login(other)
    assert client.get(url).status_code == 404
    assert len(mail.outbox) >= 1
