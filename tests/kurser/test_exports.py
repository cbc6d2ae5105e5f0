"""The courses' exports (issue #18, item 6): a session's participants (CSV and XLSX, staff
views of kurser) and the answers about needs (Wagtail's list export). A participant's
name and an association's name as written are a citizen's words: they reach the staff's
spreadsheet as text, never as a formula, in the Danish dialect."""

import pytest
from django.urls import reverse

from frivillig_blocks import roles
from kurser.models import CompetenceNeed, Registration

from ..exports import (
    PAYLOADS,
    assert_no_formula_in_csv,
    assert_payloads_defused,
    body,
    csv_rows,
    xlsx_cells,
)


@pytest.fixture
def course_staff(user_factory):
    return user_factory(username="kursus", groups=[roles.KURSUSANSVARLIGE])


@pytest.fixture
def hostile_session(course_page, session_factory):
    session = session_factory(capacity=len(PAYLOADS))
    for n, payload in enumerate(PAYLOADS):
        Registration.objects.create(
            session=session,
            name=payload,
            email=f"p{n}@example.org",
            status=Registration.Status.CONFIRMED,
        )
    return session


def test_the_participants_export_is_danish_and_defused(client, course_staff, hostile_session):
    client.force_login(course_staff)
    url = reverse("kurser_admin:export", args=[hostile_session.pk, "csv"])
    response = client.get(url)
    assert f'filename="deltagere-{hostile_session.pk}.csv"' in response["Content-Disposition"]
    rows = csv_rows(response)
    assert rows[0] == ["Navn", "E-mail", "Forening", "Status", "Tilmeldt", "Deltog"]
    assert len(rows) == len(PAYLOADS) + 1, "Anna;=1+2; split a row"
    assert all(len(row) == 6 for row in rows)
    assert_no_formula_in_csv(rows)
    assert_payloads_defused(row[0] for row in rows[1:])

    url = reverse("kurser_admin:export", args=[hostile_session.pk, "xlsx"])
    cells = xlsx_cells(client.get(url))
    assert_payloads_defused((c.value for c in cells if c.column == 1), xlsx=True)


def test_the_participants_export_is_refused_to_other_staff(client, user_factory, hostile_session):
    client.force_login(user_factory(groups=[roles.INSTITUTIONSLEDERE]))
    for fmt in ("csv", "xlsx"):
        response = client.get(reverse("kurser_admin:export", args=[hostile_session.pk, fmt]))
        assert response.status_code in (302, 403)
        assert PAYLOADS[0].encode() not in body(response)


def test_the_needs_list_export_is_danish_and_defused(client, course_staff):
    for payload in PAYLOADS:
        CompetenceNeed.objects.create(description=payload, association_name=payload)
    client.force_login(course_staff)
    url = reverse("kurser_competenceneed:index")

    response = client.get(url, {"export": "csv"})
    assert 'filename="kompetencebehov.csv"' in response["Content-Disposition"]
    rows = csv_rows(response)
    assert len(rows) == len(PAYLOADS) + 1
    assert_no_formula_in_csv(rows)
    for column in (1, 4):  # description, association as written
        assert_payloads_defused(row[column] for row in rows[1:])

    cells = xlsx_cells(client.get(url, {"export": "xlsx"}))
    assert_payloads_defused((c.value for c in cells if c.column == 2), xlsx=True)
