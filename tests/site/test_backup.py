"""Backup and restore as the hosting partner runs them: back up the demo site, wipe the
database, the media and the private files, restore, and find every row and the site serving again."""

import io
import shutil

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client

from frivillig_blocks.backup import row_counts

TRANSACTIONAL = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def wipe_database():
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE")
            cursor.execute("CREATE SCHEMA public")
    else:
        with connection.cursor() as cursor:
            tables = connection.introspection.table_names(cursor)
            cursor.execute("PRAGMA foreign_keys = OFF")
            for table in tables:
                cursor.execute(f'DROP TABLE IF EXISTS "{table}"')
    connection.close()


@pytest.fixture
def warm_content_types():
    """The restore clears Django's content-type cache (ids may differ in another database).
    Here they are the test database's own: warm the cache again before the next test's
    serialized rollback reloads the rows, or a signal would insert one twice."""
    yield
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType

    for model in apps.get_models():
        ContentType.objects.get_for_model(model, for_concrete_model=False)


@TRANSACTIONAL
def test_backup_wipe_restore_brings_every_row_and_the_site_back(
    tmp_path, settings, warm_content_types
):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    (tmp_path / "media" / "original_images").mkdir(parents=True)
    (tmp_path / "media" / "original_images" / "havn.txt").write_text("billede af havnen")
    (tmp_path / "private" / "henvendelser").mkdir(parents=True)
    (tmp_path / "private" / "henvendelser" / "a1b2").write_bytes(b"%PDF- ansoegning")
    call_command("seed_demo", admin_password="backup-test", stdout=io.StringIO())
    before = row_counts()
    assert before["frivillig_blocks_association"] > 20
    hub_before = Client().get("/frivillig/").content.decode()

    call_command("backup", output=str(tmp_path / "backup"), stdout=io.StringIO())
    assert (tmp_path / "backup" / "manifest.json").exists()

    wipe_database()
    shutil.rmtree(tmp_path / "media")
    shutil.rmtree(tmp_path / "private")
    with connection.cursor() as cursor:
        assert "frivillig_blocks_association" not in connection.introspection.table_names(cursor)

    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(tmp_path / "backup"))
    call_command("restore", str(tmp_path / "backup"), yes=True, stdout=io.StringIO())

    assert row_counts() == before
    assert (tmp_path / "media" / "original_images" / "havn.txt").read_text() == "billede af havnen"
    # the private files (inbox attachments) too, back in their own folder, not in media
    assert (tmp_path / "private" / "henvendelser" / "a1b2").read_bytes() == b"%PDF- ansoegning"
    assert not (tmp_path / "media" / "henvendelser").exists()
    response = Client().get("/frivillig/")
    assert response.status_code == 200
    assert "Frivillig i Dragør" in response.content.decode()
    assert response.content.decode().count("<a ") == hub_before.count("<a ")


@pytest.mark.django_db
def test_restore_refuses_a_folder_that_is_not_a_backup(tmp_path):
    with pytest.raises(CommandError, match=r"manifest\.json"):
        call_command("restore", str(tmp_path), yes=True)
