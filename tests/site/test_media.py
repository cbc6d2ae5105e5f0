"""Media (#17, finding 5): uploaded images are served in production under random names,
documents only through Wagtail's view, nothing else under MEDIA_URL; production refuses
to start when images would be unserved."""

import io
import subprocess
import sys

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from frivillig_blocks.media import (
    PrivateFileSystemStorage,
    PublicFileSystemStorage,
    private_storage,
    random_name,
)
from tests.factories import UserFactory
from tests.site.test_settings import REPO, clean_env, run_python

UPLOADED_NAME = "Hanne Jensen pasfoto.jpg"
NAME_PARTS = ("hanne", "jensen", "pasfoto")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return tmp_path


@pytest.fixture
def editor(db, client):
    """A communicator (Kommunikatører: all content, images and documents included)."""
    client.force_login(UserFactory(username="redaktoer", groups=["Kommunikatører"]))
    return client


def jpeg(width=120, height=90) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), (200, 30, 30)).save(buffer, "JPEG")
    return buffer.getvalue()


def upload_image(editor) -> object:
    response = editor.post(
        "/admin/images/add/",
        {"title": "Pasfoto", "file": SimpleUploadedFile(UPLOADED_NAME, jpeg(), "image/jpeg")},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return get_image_model().objects.get(title="Pasfoto")


def no_name_in(url: str) -> bool:
    return not any(part in url.lower() for part in NAME_PARTS)


# --- Public images: served, random names -----------------------------------------------------


def test_an_uploaded_image_and_its_rendition_are_served_without_the_uploaders_name(
    media, editor, client
):
    image = upload_image(editor)
    original = image.file.url
    assert original.startswith("/media/original_images/") and original.endswith(".jpg")
    assert no_name_in(original) and no_name_in(image.file.name)

    client.logout()  # a visitor, not the editor
    response = client.get(original)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "max-age=" in response["Cache-Control"] and "public" in response["Cache-Control"]
    with image.file.open("rb") as stored:
        assert b"".join(response.streaming_content) == stored.read()

    rendition = image.get_rendition("fill-60x40")
    assert rendition.url.startswith("/media/images/") and no_name_in(rendition.url)
    response = client.get(rendition.url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    with PILImage.open(io.BytesIO(b"".join(response.streaming_content))) as served:
        assert served.size == (60, 40)


def test_a_served_image_answers_a_conditional_request_with_304(media, client, db):
    name = default_storage.save("original_images/havn.jpg", ContentFile(jpeg()))
    first = client.get(f"/media/{name}")
    assert first.status_code == 200 and first["Last-Modified"]
    first.close()
    again = client.get(f"/media/{name}", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert again.status_code == 304


def test_a_file_that_is_not_an_image_is_a_sandboxed_download(media, client, db):
    name = default_storage.save("images/side.html", ContentFile(b"<script>alert(1)</script>"))
    response = client.get(f"/media/{name}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == b"<script>alert(1)</script>"


def test_a_document_keeps_no_uploaders_name_and_is_served_only_by_wagtails_view(
    media, editor, client
):
    response = editor.post(
        "/admin/documents/add/",
        {
            "title": "Referat",
            "file": SimpleUploadedFile(
                "Referat Hanne Jensen pasfoto.pdf", b"%PDF-1.4 referat", "application/pdf"
            ),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    document = get_document_model().objects.get(title="Referat")
    assert document.file.name.startswith("documents/") and document.file.name.endswith(".pdf")
    assert no_name_in(document.url) and no_name_in(document.file.name)
    client.logout()
    served = client.get(document.url)
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == b"%PDF-1.4 referat"
    # never straight from MEDIA_ROOT (Wagtail's view checks collection privacy)
    assert client.get(f"/media/{document.file.name}").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/media/",
        "/media/original_images/",
        "/media/documents/x.pdf",
        "/media/../db.sqlite3",
        "/media/original_images/../documents/x.pdf",
        "/media/original_images/%2e%2e/documents/x.pdf",
        "/media/images/..%2fdocuments%2fx.pdf",
        "/media/images//etc/passwd",
        "/media/images/./x.jpg",
        "/media/images/..\\documents\\x.pdf",
        "/media/original_images/missing.jpg",
    ],
)
def test_nothing_outside_the_public_folders_is_served(media, client, db, path):
    default_storage.save("documents/x.pdf", ContentFile(b"%PDF- hemmelig"))
    response = client.get(path)
    assert response.status_code == 404
    assert b"hemmelig" not in response.content


def test_post_to_media_is_refused(media, client, db):
    name = default_storage.save("original_images/havn.jpg", ContentFile(jpeg()))
    assert client.post(f"/media/{name}").status_code == 405


# --- Storages --------------------------------------------------------------------------------


def test_random_names_keep_the_folder_and_the_extension():
    name = random_name("original_images/Hanne Jensen pasfoto.JPG")
    folder, _, base = name.rpartition("/")
    assert folder == "original_images" and base.endswith(".jpg") and len(base) == 36
    assert random_name("documents/rapport").startswith("documents/")
    assert "." not in random_name("documents/rapport").rpartition("/")[2]
    assert random_name("a/b.pdf") != random_name("a/b.pdf")


def test_the_site_uses_the_random_name_storage_and_a_private_one_outside_media(media):
    assert isinstance(storages["default"], PublicFileSystemStorage)
    private = private_storage()
    assert isinstance(private, PrivateFileSystemStorage)
    assert private.location == str(media / "private")
    assert not private.location.startswith(storages["default"].location)
    name = private.save("henvendelser/abc", ContentFile(b"x"))
    assert name == "henvendelser/abc"  # private names are the field's own (already random)
    with pytest.raises(NotImplementedError):
        private.url(name)


# --- Production refuses to start when images would be unserved ------------------------------


def check_deploy(**env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "site/manage.py", "check", "--deploy"],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
        env={
            **clean_env(),
            "DJANGO_SETTINGS_MODULE": "dragoer.settings.production",
            "SECRET_KEY": "a-production-like-secret-key-" + "x" * 40,
            "ALLOWED_HOSTS": "frivillig.dragoer.dk",
            "REDIS_URL": "redis://127.0.0.1:6379/0",
            "ANYMAIL_WEBHOOK_SECRET": "anymail:" + "s" * 40,
            **env,
        },
    )


def test_check_deploy_errors_when_media_would_be_unserved(tmp_path):
    off = check_deploy(MEDIA_SERVING="off", MEDIA_ROOT=str(tmp_path / "media"))
    assert off.returncode != 0
    assert "frivillig_blocks.E040" in off.stderr and "MEDIA_SERVING" in off.stderr

    for env in [{}, {"MEDIA_SERVING": "proxy"}, {"MEDIA_SERVING": "off", "S3_BUCKET": "b"}]:
        served = check_deploy(MEDIA_ROOT=str(tmp_path / "media"), **env)
        assert "E040" not in served.stdout + served.stderr, env


def test_check_deploy_errors_when_private_files_lie_inside_media_root(tmp_path):
    result = check_deploy(
        MEDIA_ROOT=str(tmp_path / "media"), PRIVATE_MEDIA_ROOT=str(tmp_path / "media" / "private")
    )
    assert result.returncode != 0
    assert "frivillig_blocks.E041" in result.stderr and "PRIVATE_MEDIA_ROOT" in result.stderr


def test_s3_public_media_get_random_names_and_private_files_a_private_bucket():
    result = run_python(
        "import dragoer.settings.production as s; d, p = s.STORAGES['default'], "
        "s.STORAGES['private']; print(d['BACKEND'], p['BACKEND'], p['OPTIONS']['bucket_name'],"
        " p['OPTIONS']['querystring_auth'], p['OPTIONS']['default_acl'])",
        SECRET_KEY="s" * 50,
        S3_BUCKET="dragoer-media",
        S3_PRIVATE_BUCKET="dragoer-private",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "frivillig_blocks.media.PublicS3Storage",
        "storages.backends.s3.S3Storage",
        "dragoer-private",
        "True",
        "private",
    ]
    on_disk = run_python(
        "import dragoer.settings.production as s; print(s.STORAGES['private']['BACKEND'])",
        SECRET_KEY="s" * 50,
        S3_BUCKET="dragoer-media",
    )
    assert on_disk.stdout.strip() == "frivillig_blocks.media.PrivateFileSystemStorage"
