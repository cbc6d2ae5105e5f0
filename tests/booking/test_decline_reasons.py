"""Decline reasons (issue #21): a fixed list the coordinator keeps in the admin, with Danish
defaults from a data migration; a leader picks one and may add an internal note, which never
leaves the admin: the borrower's mail names the fixed reason, the council report counts by
it and never prints the note."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import ProtectedError
from django.urls import reverse

from booking import services
from booking.models import DeclineReason, Loan, LoanStatus
from frivillig_blocks import roles
from frivillig_blocks.figures import Period, compute
from tests.conftest import requires_apps
from tests.helpers import last_mail_to

from ..factories import UserFactory
from .conftest import make_request

pytestmark = pytest.mark.django_db

NOTE = "Mads Medlem larmede sidst, så vi siger nej"


def test_the_migration_gives_danish_defaults():
    texts = list(DeclineReason.objects.values_list("text", flat=True))
    assert len(texts) >= 5
    assert "Lokalet eller udstyret er optaget på det ønskede tidspunkt." in texts
    assert all(text.endswith(".") for text in texts)


def test_the_coordinator_keeps_the_list_and_a_leader_may_not(client, world):
    coordinator = UserFactory(groups=[roles.FRIVILLIGKOORDINATOR])
    client.force_login(coordinator)
    add = reverse("booking_declinereason:add")
    response = client.post(add, {"text": "Lokalet males.", "sort_order": 5, "active": "on"})
    assert response.status_code == 302
    reason = DeclineReason.objects.get(text="Lokalet males.")
    assert "Lokalet males." in client.get(reverse("booking_declinereason:index")).content.decode()
    client.force_login(world.leader)
    assert client.post(add, {"text": "Nej.", "sort_order": 1}).status_code in (302, 403)
    assert not DeclineReason.objects.filter(text="Nej.").exists()
    assert client.get(reverse("booking_declinereason:edit", args=[reason.pk])).status_code in (
        302,
        403,
    )


def test_a_leader_declines_for_a_fixed_reason_and_the_note_stays_in_the_admin(
    client, world, booking_page
):
    loan = services.request_loan(user=world.member, req=make_request(world))
    reason = DeclineReason.objects.get(text__startswith="Lokalet eller udstyret er optaget")
    client.force_login(world.leader)
    response = client.post(
        reverse("booking_admin:action", args=[loan.pk, "decline"]),
        {"reason": "", "decline_reason": reason.pk, "internal_note": NOTE},
    )
    assert response.status_code == 302
    loan.refresh_from_db()
    assert loan.status == LoanStatus.DECLINED and loan.decline_reason == reason
    assert loan.internal_note == NOTE
    # The admin shows both; the borrower's mail and receipt the fixed reason only.
    detail = client.get(reverse("booking_admin:detail", args=[loan.pk])).content.decode()
    assert reason.text in detail and NOTE in detail
    message = last_mail_to(world.member.email)
    mail_text = message.body + "".join(content for content, _t in message.alternatives)
    assert reason.text in mail_text and "larmede" not in mail_text
    client.force_login(world.member)
    receipt = client.get(booking_page.url + f"kvittering/{loan.reference}/")
    if receipt.status_code == 200:
        assert "larmede" not in receipt.content.decode()
    # A reason in use cannot be deleted (it is taken out of use instead).
    with pytest.raises(ProtectedError):
        reason.delete()


@requires_apps("opfoelgning")
def test_the_council_report_counts_declines_by_the_fixed_reason_only(client, world):
    busy, closed = DeclineReason.objects.order_by("sort_order")[:2]
    for reason in (busy, busy, closed):
        loan = services.request_loan(user=world.member, req=make_request(world))
        services.decline_loan(loan_id=loan.pk, user=world.leader, reason_id=reason.pk, note=NOTE)
    assert Loan.objects.filter(status=LoanStatus.DECLINED).count() == 3
    today = dt.date.today()
    report = compute(Period(today - dt.timedelta(days=30), today + dt.timedelta(days=1)))
    figure = report.figure("booking.declined")
    assert figure.value == 3
    assert {(row.label, row.value) for row in figure.rows} == {(busy.text, 2), (closed.text, 1)}
    coordinator = UserFactory(groups=[roles.FRIVILLIGKOORDINATOR])
    client.force_login(coordinator)
    for url in (
        reverse("frivillig_report:index"),
        reverse("frivillig_report:export", args=["csv"]),
    ):
        content = client.get(url).content.decode()
        assert "larmede" not in content, url
