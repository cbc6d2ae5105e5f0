"""Inbox attachments are private (#17, finding 5): stored outside MEDIA_ROOT, never under
a public URL (not even the demo's), reachable only through the inbox's permission-checked
admin view; existing files move there in the migration."""

from __future__ import annotations

import importlib
import secrets

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import clear_url_caches, reverse

from frivillig_blocks.media import private_storage
from henvendelser.models import Attachment, Inquiry, InquiryMessage
from tests.factories import UserFactory
from tests.henvendelser.test_receiving import AUTH, MAILGUN_URL, SIGNING_KEY, mailgun_form

pytestmark = pytest.mark.django_db

PDF_START = b"%PDF-1.4"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    (tmp_path / "media").mkdir()
    return tmp_path


@pytest.fixture
def received(client, settings, media, anymail_backend) -> Attachment:
    """A citizen's mail with a PDF attachment, through Mailgun's real inbound webhook."""
    settings.ANYMAIL = {**settings.ANYMAIL, "MAILGUN_WEBHOOK_SIGNING_KEY": SIGNING_KEY}
    response = client.post(MAILGUN_URL, data=mailgun_form(), **AUTH)
    assert response.status_code == 200
    return Attachment.objects.get()


@pytest.fixture
def demo_urls(settings):
    """The URLconf of the demo (`make run`: DEBUG on), built as the demo builds it."""
    import dragoer.urls

    settings.DEBUG = True
    importlib.reload(dragoer.urls)
    clear_url_caches()
    yield
    settings.DEBUG = False
    importlib.reload(dragoer.urls)
    clear_url_caches()


def media_variants(name: str) -> list[str]:
    return [
        f"/media/{name}",
        f"/media/{name}/",
        f"/media/original_images/../{name}",
        f"/media/images/%2e%2e/{name}",
        f"/media/images/..%2f{name}",
        f"/media/../private/{name}",
        f"/media/images/../../private/{name}",
        f"/media//{name}",
    ]


def assert_unreachable(client, name: str) -> None:
    for url in media_variants(name):
        response = client.get(url, follow=True)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert response.status_code == 404, url
        assert PDF_START not in body, url


def test_an_attachment_is_stored_outside_media_root(received, media):
    name = received.file.name
    assert name.startswith("henvendelser/")
    assert (media / "private" / name).read_bytes().startswith(PDF_START)
    assert not (media / "media" / name).exists()
    assert not default_storage.exists(name)
    assert received.file.storage is private_storage()
    with pytest.raises(NotImplementedError):
        received.file.url  # noqa: B018 - a private file has no URL


def test_an_attachment_is_never_under_a_media_url(received, client):
    assert_unreachable(client, received.file.name)


def test_the_demo_does_not_serve_an_attachment_to_whoever_has_its_name(received, client, demo_urls):
    assert_unreachable(client, received.file.name)


# --- The admin view is the only way, and it checks the permission --------------------------


def refused(response) -> bool:
    if response.status_code in (403, 404):
        return True
    location = response.get("Location", "")
    return response.status_code == 302 and (
        location == "/admin/" or location.startswith("/admin/login/")
    )


def test_only_staff_of_the_inbox_download_an_attachment(received, client):
    url = reverse("henvendelser_admin:attachment", args=[received.pk])

    response = client.get(url)  # anonymous
    assert response.status_code == 302 and "/admin/login/" in response["Location"]

    staff_without_inbox = UserFactory(username="ansat", is_staff=True, groups=["Kommunikatører"])
    leader = UserFactory(username="leder", groups=["Institutionsledere"])
    for user in (leader, staff_without_inbox):
        client.force_login(user)
        response = client.get(url)
        assert refused(response), user
        assert PDF_START not in response.content

    client.force_login(UserFactory(username="koordinator", groups=["Frivilligkoordinator"]))
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(PDF_START)
    assert response["Content-Disposition"].startswith("attachment")
    assert "no-store" in response["Cache-Control"]


# --- The migration moves the files that were in MEDIA_ROOT ---------------------------------


def test_the_migration_moves_old_attachments_out_of_media_root(media):
    migration = importlib.import_module("henvendelser.migrations.0005_private_attachments")
    inquiry = Inquiry.objects.create(sender_email="bo@example.org", subject="Bilag")
    message = InquiryMessage.objects.create(
        inquiry=inquiry, kind=InquiryMessage.Kind.INCOMING, sender="bo@example.org"
    )
    names = []
    for n in range(2):
        # where attachments were stored before: the public storage, in MEDIA_ROOT
        name = default_storage.save(
            f"henvendelser/{secrets.token_hex(16)}", ContentFile(PDF_START + b" nr %d" % n)
        )
        item = Attachment.objects.create(message=message, filename=f"bilag{n}.pdf", size=12)
        Attachment.objects.filter(pk=item.pk).update(file=name)
        names.append(name)
    lost = Attachment.objects.create(message=message, filename="væk.pdf", size=1)
    Attachment.objects.filter(pk=lost.pk).update(file="henvendelser/gone")

    migration.to_private(apps, None)

    for n, name in enumerate(names):
        assert not (media / "media" / name).exists()
        assert (media / "private" / name).read_bytes() == PDF_START + b" nr %d" % n
        with Attachment.objects.get(file=name).file.open("rb") as stored:
            assert stored.read() == PDF_START + b" nr %d" % n
    # a second run (or a file lost before) changes nothing
    migration.to_private(apps, None)
    assert (media / "private" / names[0]).exists()
    # and back, when the migration is reversed
    migration.to_public(apps, None)
    assert (media / "media" / names[0]).exists() and not (media / "private" / names[0]).exists()
