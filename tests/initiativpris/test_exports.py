"""The nominations' list export in the admin (issue #18, item 6): what a citizen wrote in a
nomination (names, the motivation) reaches the editor's spreadsheet as text, never as a
formula, in the Danish dialect (tests/exports.py reads it as Danish Excel would)."""

import pytest

from frivillig_blocks import roles

from ..exports import (
    PAYLOADS,
    assert_no_formula_in_csv,
    assert_payloads_defused,
    body,
    csv_rows,
    xlsx_cells,
)
from ..factories import UserFactory
from .conftest import make_nomination, round_in_phase

URL = "/admin/initiativpris/indstillinger/"


@pytest.fixture
def hostile(db):
    round = round_in_phase("jury")
    return [
        make_nomination(
            round,
            n=n,
            nominee_name=payload,
            nominator_name=payload,
            motivation=payload,
        )
        for n, payload in enumerate(PAYLOADS)
    ]


def test_the_nomination_export_defuses_what_citizens_wrote(client, hostile):
    client.force_login(UserFactory(groups=[roles.FRIVILLIGKOORDINATOR]))

    response = client.get(URL, {"export": "csv"})
    assert 'filename="indstillinger.csv"' in response["Content-Disposition"]
    rows = csv_rows(response)
    assert len(rows) == len(PAYLOADS) + 1
    assert_no_formula_in_csv(rows)
    header = rows[0]
    for column in ("Kandidat", "Begrundelse", "Indstiller"):
        assert_payloads_defused(row[header.index(column)] for row in rows[1:])
    shortlisted = {row[-1] for row in rows[1:]}
    assert shortlisted == {"Nej"}  # a yes/no in words, not True/False

    cells = xlsx_cells(client.get(URL, {"export": "xlsx"}))
    assert_payloads_defused((c.value for c in cells if isinstance(c.value, str)), xlsx=True)


def test_a_juror_gets_no_export(client, hostile):
    juror = UserFactory(groups=["Initiativpris-jury"])
    hostile[0].round.jury.add(juror)
    client.force_login(juror)
    for fmt in ("csv", "xlsx"):
        response = client.get(URL, {"export": fmt})
        assert response.status_code in (302, 403, 404)
        assert PAYLOADS[0].encode() not in body(response)
