"""The council follow-up now lives in its own app (opfoelgning), whose 0001 runs before this
and takes the models with their rows. Here they leave the base's state; a table the app did
not take (the base running without it) is dropped when it is empty, and kept otherwise
(installing the app later takes it over).
"""

from django.db import migrations


# Children before their parents (an invitation points at its meeting).
MODELS = (
    "ThemeMeetingInvitation",
    "ThemeMeeting",
    "Feedback",
    "FollowUpNote",
    "ContactPreference",
    "FiguresPage",
)


def drop_unmoved_tables(apps, schema_editor):
    existing = set(schema_editor.connection.introspection.table_names())
    models = [apps.get_model("frivillig_blocks", name) for name in MODELS]
    left = [model for model in models if model._meta.db_table in existing]
    if any(model._base_manager.exists() for model in left):
        return
    for model in left:
        schema_editor.delete_model(model)


def restore_unmoved_tables(apps, schema_editor):
    existing = set(schema_editor.connection.introspection.table_names())
    for name in reversed(MODELS):
        model = apps.get_model("frivillig_blocks", name)
        new = f"opfoelgning_{model._meta.model_name}"
        if model._meta.db_table not in existing and new not in existing:
            schema_editor.create_model(model)


class Migration(migrations.Migration):

    dependencies = [
        ('frivillig_blocks', '0012_submissions'),
    ]

    operations = [
        migrations.RunPython(drop_unmoved_tables, restore_unmoved_tables),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='feedback',
                    name='page',
                ),
                migrations.RemoveField(
                    model_name='figurespage',
                    name='page_ptr',
                ),
                migrations.RemoveField(
                    model_name='figurespage',
                    name='social_image',
                ),
                migrations.RemoveField(
                    model_name='followupnote',
                    name='updated_by',
                ),
                migrations.RemoveField(
                    model_name='thememeeting',
                    name='created_by',
                ),
                migrations.RemoveField(
                    model_name='thememeeting',
                    name='place',
                ),
                migrations.RemoveField(
                    model_name='thememeetinginvitation',
                    name='meeting',
                ),
                migrations.RemoveField(
                    model_name='thememeetinginvitation',
                    name='user',
                ),
                migrations.DeleteModel(
                    name='ContactPreference',
                ),
                migrations.DeleteModel(
                    name='Feedback',
                ),
                migrations.DeleteModel(
                    name='FiguresPage',
                ),
                migrations.DeleteModel(
                    name='FollowUpNote',
                ),
                migrations.DeleteModel(
                    name='ThemeMeeting',
                ),
                migrations.DeleteModel(
                    name='ThemeMeetingInvitation',
                ),
            ],
            database_operations=[],
        ),
    ]
