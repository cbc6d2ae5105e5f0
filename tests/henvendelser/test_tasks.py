"""The inbox's periodic tasks: the daily summary and the anonymisation of old inquiries."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from wagtail.models import ModelLogEntry

from frivillig_blocks import personal_data
from frivillig_blocks.models import OutboundMessage
from henvendelser import schedule, staff
from henvendelser.models import Attachment, Inquiry, InquiryMessage, InquiryStatus
from henvendelser.tasks import send_daily_summary, subtract_working_days
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def make_inquiry(**kwargs) -> Inquiry:
    kwargs.setdefault("sender_email", "borger@example.org")
    kwargs.setdefault("sender_name", "Bo Borger")
    kwargs.setdefault("subject", "Om frivilligt arbejde")
    inquiry = Inquiry.objects.create(**kwargs)
    InquiryMessage.objects.create(
        inquiry=inquiry,
        kind=InquiryMessage.Kind.INCOMING,
        sender=inquiry.sender_email,
        body_text="Mit CPR er redigeret, men mit navn er Bo Borger.",
    )
    return inquiry


def aged(inquiry, **fields):
    Inquiry.objects.filter(pk=inquiry.pk).update(**fields)
    inquiry.refresh_from_db()
    return inquiry


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (datetime(2026, 11, 25, 9), 2, datetime(2026, 11, 23, 9)),  # Wed → Mon
        (datetime(2026, 11, 23, 9), 2, datetime(2026, 11, 19, 9)),  # Mon → Thu
        (datetime(2026, 11, 29, 9), 1, datetime(2026, 11, 27, 9)),  # Sun → Fri
        (datetime(2026, 11, 24, 9), 0, datetime(2026, 11, 24, 9)),
        # And Danish holidays (issue #19): Easter Monday back over Easter to Tuesday.
        (datetime(2026, 4, 7, 9), 2, datetime(2026, 3, 31, 9)),
        (datetime(2026, 6, 8, 9), 1, datetime(2026, 6, 4, 9)),  # over Grundlovsdag
    ],
)
def test_working_days_skip_weekends_and_holidays(start, days, expected):
    assert subtract_working_days(start, days) == expected


def test_daily_summary_goes_to_coordinators_in_danish(settings):
    settings.HENVENDELSER_UNANSWERED_WORKING_DAYS = 2
    coordinator = UserFactory(groups=["Frivilligkoordinator"])
    UserFactory(groups=["Kommunikatører"])
    old = aged(make_inquiry(subject="Gammel sag"), received_at=timezone.now() - timedelta(days=8))
    aged(
        make_inquiry(subject="Besvaret", status=InquiryStatus.WAITING),
        received_at=timezone.now() - timedelta(days=8),
    )
    make_inquiry(subject="Frisk sag")
    make_inquiry(subject="Spam", is_spam=True)
    result = send_daily_summary.enqueue()
    assert result.return_value == 1
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == [coordinator.email]
    assert sent.subject == "Indbakken i dag: ubesvaret for længe: 1"
    assert "Ny: 2" in sent.body and "Venter på borgeren: 1" in sent.body
    assert "Spam (karantæne): 1" in sent.body
    assert "Ubesvaret i mere end 2 arbejdsdage (mandag–fredag):" in sent.body
    assert old.reference in sent.body and "Frisk sag" not in sent.body
    assert "http://testserver/admin/henvendelser/" in sent.body
    assert OutboundMessage.objects.get().purpose == "inquiry_daily_summary"


def test_daily_summary_without_coordinators_sends_nothing():
    make_inquiry()
    assert send_daily_summary.enqueue().return_value == 0
    assert not mail.outbox


def expire() -> int:
    """The nightly retention run (the personal data registry), the inbox's share of it."""
    return personal_data.expire()["henvendelser.inquiries"]


def test_anonymise_closed_inquiries_after_the_retention(
    settings, django_capture_on_commit_callbacks
):
    settings.HENVENDELSER_RETENTION_DAYS = 730
    coordinator = UserFactory(groups=["Frivilligkoordinator"])
    old = make_inquiry()
    staff.send_reply(inquiry=old, user=coordinator, text="Hej Bo, tak for din mail.")
    message = old.messages.first()
    item = Attachment(message=message, filename="cv.pdf", size=3)
    item.file.save("x", ContentFile(b"abc"), save=False)
    item.save()
    path = item.file.name
    assert item.file.storage.exists(path)  # the private storage
    aged(old, status=InquiryStatus.CLOSED, closed_at=timezone.now() - timedelta(days=731))
    recent = aged(
        make_inquiry(), status=InquiryStatus.CLOSED, closed_at=timezone.now() - timedelta(days=100)
    )
    still_open = aged(make_inquiry(), received_at=timezone.now() - timedelta(days=900))

    with django_capture_on_commit_callbacks(execute=True):
        assert expire() == 1

    old.refresh_from_db()
    assert old.anonymised_at and old.sender_email == "" and old.sender_name == ""
    assert old.subject == "" and old.reference.startswith("H-")
    assert not old.messages.exclude(body_text="").exists()
    assert not old.messages.exclude(sender="").exists()
    assert not Attachment.objects.filter(message__inquiry=old).exists()
    assert not item.file.storage.exists(path) and not default_storage.exists(path)
    outbound = OutboundMessage.objects.get(purpose="inquiry_reply")
    assert outbound.to == [] and outbound.body_text == ""
    assert ModelLogEntry.objects.for_instance(old).filter(action="henvendelser.anonymise").exists()
    for other in (recent, still_open):
        other.refresh_from_db()
        assert other.anonymised_at is None and other.sender_email == "borger@example.org"
    # a second run finds nothing more, and an anonymised inquiry cannot be acted on
    assert expire() == 0
    with pytest.raises(staff.AlreadyAnonymised):
        staff.reopen(inquiry=old, user=coordinator)


def test_schedule_lists_the_periodic_tasks():
    import importlib

    names = {entry["task"] for entry in schedule.PERIODIC_TASKS}
    # The retention runs in the registry's nightly task, not in a task of its own.
    assert names == {"henvendelser.tasks.send_daily_summary"}
    for entry in schedule.PERIODIC_TASKS:
        module, _, name = entry["task"].rpartition(".")
        assert hasattr(importlib.import_module(module), name)
        assert len(entry["cron"].split()) == 5
