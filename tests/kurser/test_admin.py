"""The staff side in the Wagtail admin: sessions with meetings, the participant list with
attendance, promotion, a message to all, CSV/XLSX export and the evaluation summary, and the
summary of the competence needs. Permissions from the Kursusansvarlige group."""

import csv
import datetime
import io

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from wagtail.models import ModelLogEntry
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from frivillig_blocks import roles
from frivillig_blocks.models import AgeGroup
from kurser import services
from kurser.models import CompetenceArea, CompetenceNeed, Evaluation, Registration, Session

Status = Registration.Status


@pytest.fixture
def course_staff(user_factory):
    return user_factory(username="kursus", groups=[roles.KURSUSANSVARLIGE])


@pytest.fixture
def other_staff(user_factory):
    return user_factory(username="leder", groups=[roles.INSTITUTIONSLEDERE])


@pytest.fixture
def full_session(course_page, session_factory, user_factory):
    session = session_factory(capacity=2)
    for name in ["anne", "bo", "cai"]:
        services.register(
            session_id=session.pk, user=user_factory(username=name, first_name=name.title())
        )
    return session


def test_participants_page_lists_seats_and_waiting_list(client, course_staff, full_session):
    client.force_login(course_staff)
    response = client.get(reverse("kurser_admin:participants", args=[full_session.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "anne@example.org" in body and "cai@example.org" in body
    assert "2 af 2 pladser bekræftet, 0 tilbudt, 1 venter." in body


def test_wrong_account_gets_nothing(client, other_staff, user, full_session):
    for person in (other_staff, user):
        client.force_login(person)
        for name, args in [
            ("participants", [full_session.pk]),
            ("export", [full_session.pk, "csv"]),
            ("message", [full_session.pk]),
            ("needs_summary", []),
        ]:
            response = client.get(reverse(f"kurser_admin:{name}", args=args))
            assert response.status_code in (302, 403), (name, response.status_code)
        response = client.post(
            reverse("kurser_admin:attendance", args=[full_session.pk]),
            {"attended": [r.pk for r in Registration.objects.all()]},
        )
        assert response.status_code in (302, 403)
    assert not Registration.objects.filter(attended=True).exists()


def test_attendance_is_recorded_and_logged(client, course_staff, full_session):
    client.force_login(course_staff)
    anne = Registration.objects.get(email="anne@example.org")
    cai = Registration.objects.get(email="cai@example.org")  # waiting: cannot attend
    response = client.post(
        reverse("kurser_admin:attendance", args=[full_session.pk]),
        {"attended": [anne.pk, cai.pk, "x"]},
        follow=True,
    )
    assert "Fremmødet er gemt: 1 mødte op." in response.content.decode()
    assert list(Registration.objects.filter(attended=True)) == [anne]
    assert Registration.objects.get(email="bo@example.org").attended is False
    assert Registration.objects.get(email="cai@example.org").attended is None
    assert ModelLogEntry.objects.filter(action="kurser.attendance").count() == 1


def test_promote_needs_a_free_seat(client, course_staff, full_session):
    client.force_login(course_staff)
    cai = Registration.objects.get(email="cai@example.org")
    url = reverse("kurser_admin:promote", args=[full_session.pk, cai.pk])
    response = client.post(url, follow=True)
    assert "Holdet er fuldt" in response.content.decode()
    Session.objects.filter(pk=full_session.pk).update(capacity=3)
    response = client.post(url, follow=True)
    assert "Cai har nu en plads" in response.content.decode()
    cai.refresh_from_db()
    assert cai.status == Status.CONFIRMED
    assert ModelLogEntry.objects.filter(action="kurser.promote").count() == 1
    # A registration of another session through this session's URL.
    assert (
        client.post(reverse("kurser_admin:promote", args=[full_session.pk, 99999])).status_code
        == 404
    )


def test_message_to_all_participants(client, course_staff, full_session):
    client.force_login(course_staff)
    url = reverse("kurser_admin:message", args=[full_session.pk])
    assert client.post(url, {"subject": "", "body": ""}).status_code == 400
    mail.outbox.clear()
    response = client.post(
        url, {"subject": "Husk madpakke", "body": "Vi mødes <b>kl. 9</b>."}, follow=True
    )
    assert "Beskeden er sendt til 2 deltagere." in response.content.decode()
    assert sorted(m.to[0] for m in mail.outbox) == ["anne@example.org", "bo@example.org"]
    assert mail.outbox[0].subject == "Husk madpakke"
    html = mail.outbox[0].alternatives[0][0]
    assert "<b>kl. 9</b>" not in html and "&lt;b&gt;" in html


def test_export_csv_and_xlsx(client, course_staff, full_session):
    Registration.objects.filter(email="anne@example.org").update(name="=HYPERLINK(1)")
    client.force_login(course_staff)
    response = client.get(reverse("kurser_admin:export", args=[full_session.pk, "csv"]))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Navn", "E-mail", "Forening", "Status", "Tilmeldt", "Deltog"]
    assert len(rows) == 4
    assert rows[1][0] == "'=HYPERLINK(1)"
    assert {r[3] for r in rows[1:]} == {"Bekræftet", "På ventelisten"}
    response = client.get(reverse("kurser_admin:export", args=[full_session.pk, "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert values[0][0] == "Navn" and len(values) == 4
    assert (
        client.get(reverse("kurser_admin:export", args=[full_session.pk, "pdf"])).status_code == 404
    )


def test_evaluation_summary(client, course_staff, full_session):
    for rating, registration in zip(
        (5, 3), Registration.objects.filter(status=Status.CONFIRMED), strict=True
    ):
        Evaluation.objects.create(
            registration=registration,
            session=full_session,
            rating=rating,
            usefulness=4,
            best="<script>x</script>Øvelserne",
        )
    client.force_login(course_staff)
    body = client.get(reverse("kurser_admin:participants", args=[full_session.pk])).content.decode()
    assert "2 svar." in body
    assert "<strong>4,0</strong> / 5" in body
    assert "<script>x</script>" not in body and "Øvelserne" in body


def test_needs_summary_by_area_age_group_and_association(client, course_staff):
    area = CompetenceArea.objects.get(slug="foerstehjaelp")
    youth = AgeGroup.objects.get(code="unge")
    for n in range(3):
        CompetenceNeed.objects.create(
            competence_area=area,
            description=f"Behov {n}",
            audience="volunteers",
            age_group=youth,
            association_name="Dragør Spejderne",
        )
    CompetenceNeed.objects.create(description="Noget andet", audience="staff")
    client.force_login(course_staff)
    response = client.get(reverse("kurser_admin:needs_summary"))
    body = response.content.decode()
    assert "4 svar på" in body
    assert "<td>Førstehjælp</td><td>3</td>" in body
    assert "<td>Unge</td><td>3</td>" in body
    assert "<td>Dragør Spejderne</td><td>3</td>" in body


def test_staff_create_a_session_with_meetings_in_the_admin(client, course_staff, course_factory):
    course = course_factory()
    client.force_login(course_staff)
    start = timezone.localtime(timezone.now() + datetime.timedelta(days=20)).replace(
        hour=18, minute=0, second=0, microsecond=0
    )
    fmt = "%Y-%m-%d %H:%M"
    data = nested_form_data(
        {
            "course": course.pk,
            "label": "Efterår",
            "location": "Lokale 2",
            "online_url": "",
            "capacity": 12,
            "association_cap": 2,
            "registration_deadline": (start - datetime.timedelta(days=3)).strftime(fmt),
            "meetings": inline_formset(
                [
                    {
                        "starts_at": start.strftime(fmt),
                        "ends_at": (start + datetime.timedelta(hours=2)).strftime(fmt),
                    },
                    {
                        "starts_at": (start + datetime.timedelta(days=7)).strftime(fmt),
                        "ends_at": (start + datetime.timedelta(days=7, hours=2)).strftime(fmt),
                    },
                ]
            ),
        }
    )
    response = client.post(reverse("kurser_session:add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    session = Session.objects.get(label="Efterår")
    assert session.meetings.count() == 2
    assert session.starts_at == start
    assert session.ends_at == start + datetime.timedelta(days=7, hours=2)


def test_other_staff_cannot_edit_courses(client, other_staff, course_factory):
    client.force_login(other_staff)
    assert client.get(reverse("kurser_course:index")).status_code in (302, 403)
    assert client.get(reverse("kurser_session:add")).status_code in (302, 403)


def test_dashboard_summary_for_course_staff(client, course_staff, other_staff, full_session):
    client.force_login(course_staff)
    body = client.get("/admin/").content.decode()
    assert "1 kommende kursushold, 1 på ventelister" in body
    client.force_login(other_staff)
    assert "kommende kursushold" not in client.get("/admin/").content.decode()


@pytest.mark.parametrize(
    "url_name",
    [
        "kurser_course:index",
        "kurser_course:add",
        "kurser_session:index",
        "kurser_session:add",
        "kurser_competencearea:index",
        "kurser_competenceneed:index",
    ],
)
def test_admin_listings_and_forms_open(client, course_staff, full_session, url_name):
    client.force_login(course_staff)
    response = client.get(reverse(url_name))
    assert response.status_code == 200


def test_needs_export_as_xlsx(client, course_staff):
    CompetenceNeed.objects.create(description="Fundraising", audience="volunteers")
    client.force_login(course_staff)
    response = client.get(reverse("kurser_competenceneed:index") + "?export=xlsx")
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    values = list(load_workbook(io.BytesIO(content)).active.values)
    assert any(
        "Fundraising" in (cell or "") for row in values for cell in row if isinstance(cell, str)
    )


def test_course_listing_reads_the_competence_areas_with_the_courses(client, course_staff):
    """The admin's course listing shows each course's competence area, and its queries do
    not grow with the number of courses (#22: one query per row before)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .conftest import CourseFactory

    areas = [
        CompetenceArea.objects.create(name=f"Område {n}", slug=f"omraade-{n}") for n in range(6)
    ]
    CourseFactory(title="Førstehjælp", competence_area=areas[0])
    client.force_login(course_staff)
    client.get("/admin/kurser/kurser/")

    def listing():
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/admin/kurser/kurser/")
        assert response.status_code == 200
        return response.content.decode(), len(queries)

    html, few = listing()
    assert "Førstehjælp" in html and "Område 0" in html
    for n, area in enumerate(areas[1:], start=1):
        CourseFactory(title=f"Kursus i område {n}", competence_area=area)
    html, many = listing()
    assert "Område 5" in html
    assert many == few
