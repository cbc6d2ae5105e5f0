# Inbox attachments move to the private storage (#17): out of MEDIA_ROOT, no URL.
from django.core.files.storage import storages
from django.db import migrations, models

import frivillig_blocks.media
import henvendelser.models


def move_files(apps, source, target) -> int:
    """Move each attachment's file from one storage to the other under the same name."""
    Attachment = apps.get_model("henvendelser", "Attachment")
    moved = 0
    for pk, name in Attachment.objects.exclude(file="").values_list("pk", "file").iterator():
        if not source.exists(name):
            continue  # moved by an earlier run, or lost before this migration
        if not target.exists(name):
            with source.open(name, "rb") as handle:
                stored = target.save(name, handle)
            if stored != name:
                Attachment.objects.filter(pk=pk).update(file=stored)
        source.delete(name)
        moved += 1
    return moved


def to_private(apps, schema_editor):
    move_files(apps, storages["default"], frivillig_blocks.media.private_storage())


def to_public(apps, schema_editor):
    move_files(apps, frivillig_blocks.media.private_storage(), storages["default"])


class Migration(migrations.Migration):
    dependencies = [("henvendelser", "0004_generic_help_texts")]

    operations = [
        migrations.AlterField(
            model_name="attachment",
            name="file",
            field=models.FileField(
                storage=frivillig_blocks.media.private_storage,
                upload_to=henvendelser.models.attachment_path,
                verbose_name="file",
            ),
        ),
        migrations.RunPython(to_private, to_public, elidable=False),
    ]
