"""Input parsed at the edge (#18): hostile mail and ids answered 4xx or stored, never a 500."""

import base64
import copy
import json
from pathlib import Path

import pytest

from frivillig_blocks.models import InboundMessage
from frivillig_blocks.parsers import MAX_ID, parse_date, parse_id, parse_int

URL = "/anymail/postmark/inbound/"
PAYLOAD = json.loads(
    (Path(__file__).parent.parent / "fixtures" / "postmark_inbound.json").read_text("utf-8")
)


def auth(secret="anymail:test-webhook-secret"):
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(secret.encode()).decode()}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("12", 12),
        ("²", None),
        ("١٢", None),  # Arabic-Indic digits: isdigit() is true, they are not our ids
        ("9" * 20, None),
        (str(MAX_ID), MAX_ID),
        (str(MAX_ID + 1), None),
        ("0", None),
        ("-1", None),
        ("", None),
        (None, None),
        (" 7 ", 7),
        ("7\x00", None),
    ],
)
def test_ids_are_ascii_digits_within_range(value, expected):
    assert parse_id(value) == expected


def test_integers_and_dates_are_bounded():
    assert parse_int("1000000") == 1_000_000 and parse_int("1000001") is None
    assert parse_int("-5", minimum=-10) == -5 and parse_int("-5") is None
    assert str(parse_date("2026-12-02")) == "2026-12-02"
    for bad in ("9999-12-31", "0001-01-01", "9" * 20 + "-01-01", "2026-02-30", "２０２６-01-01"):
        assert parse_date(bad) is None, bad


@pytest.mark.django_db
def test_a_raw_mail_with_cr_lf_in_the_encoded_from_name_is_stored_for_staff(client):
    """#18 item 5: the encoded From name decodes to a CR/LF; the mail is stored raw (and
    shown to staff), not refused with a 400 and lost."""
    payload = copy.deepcopy(PAYLOAD)
    payload["MessageID"] = "crlf-from-name"
    payload["RawEmail"] = payload["RawEmail"].replace(
        "From: =?utf-8?q?Karen_S=C3=B8rensen?= <karen@example.org>",
        "From: =?utf-8?q?Karen=0D=0ABcc:_victim@example.org?= <karen@example.org>",
    )
    payload["FromName"] = "Karen\r\nBcc: victim@example.org"
    payload["FromFull"] = {**payload["FromFull"], "Name": payload["FromName"]}
    response = client.post(URL, data=json.dumps(payload), content_type="application/json", **auth())
    assert response.status_code == 200
    inbound = InboundMessage.objects.get(event_id="crlf-from-name")
    assert b"Karen=0D=0ABcc" in bytes(inbound.raw)
    assert "\r" not in inbound.sender and "\n" not in inbound.sender
