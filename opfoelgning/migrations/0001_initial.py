"""The council follow-up moves out of frivillig_blocks into this app, keeping its rows.

The models are taken over as they are (state only, on the old tables), the content types
are renamed (so the pages of the figures page type, the permissions and the log entries
follow), and then the tables are renamed to this app's names. frivillig_blocks 0013 runs
after this and drops the models from its own state.
"""

import django.db.models.deletion
import wagtail.contrib.routable_page.models
import wagtail.fields
from django.conf import settings
from django.db import migrations, models


MODELS = (
    "contactpreference",
    "feedback",
    "figurespage",
    "thememeeting",
    "thememeetinginvitation",
    "followupnote",
)
# The order a table can be made in (an invitation points at its meeting).
CREATE_ORDER = (
    "ContactPreference",
    "Feedback",
    "FiguresPage",
    "ThemeMeeting",
    "ThemeMeetingInvitation",
    "FollowUpNote",
)


def _rename_content_types(apps, old_label, new_label):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if ContentType.objects.filter(app_label=new_label, model=model).exists():
            continue
        ContentType.objects.filter(app_label=old_label, model=model).update(app_label=new_label)


def content_types_forward(apps, schema_editor):
    _rename_content_types(apps, "frivillig_blocks", "opfoelgning")


def content_types_backward(apps, schema_editor):
    _rename_content_types(apps, "opfoelgning", "frivillig_blocks")


def move_tables(apps, schema_editor):
    """frivillig_blocks_x -> opfoelgning_x; a table frivillig_blocks 0013 already dropped
    (the base ran without this app and had no rows) is made afresh."""
    existing = set(schema_editor.connection.introspection.table_names())
    for name in CREATE_ORDER:
        model = apps.get_model("opfoelgning", name)
        old = model._meta.db_table
        new = f"opfoelgning_{model._meta.model_name}"
        if new in existing:
            continue
        if old not in existing:
            schema_editor.create_model(model)
        schema_editor.alter_db_table(model, old, new)


def unmove_tables(apps, schema_editor):
    existing = set(schema_editor.connection.introspection.table_names())
    for name in CREATE_ORDER:
        model = apps.get_model("opfoelgning", name)
        old = model._meta.db_table
        new = f"opfoelgning_{model._meta.model_name}"
        if new in existing and old not in existing:
            schema_editor.alter_db_table(model, new, old)


class Migration(migrations.Migration):

    initial = True

    run_before = [('frivillig_blocks', '0013_followup_moved_to_opfoelgning')]

    dependencies = [
        ('frivillig_blocks', '0012_submissions'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('wagtailcore', '0097_baselogentry_uuid_action_timestamp_indexes'),
        ('wagtailimages', '0027_image_description'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ContactPreference',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('invitations', models.BooleanField(default=False, verbose_name='the municipality may invite me to meetings about volunteering')),
                        ('changed_at', models.DateTimeField(auto_now=True, verbose_name='changed')),
                        ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='contact_preference', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'frivillig_blocks_contactpreference',
                        'verbose_name': 'contact preference',
                        'verbose_name_plural': 'contact preferences',
                    },
                ),
                migrations.CreateModel(
                    name='Feedback',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('found', models.BooleanField(verbose_name='found what they were looking for')),
                        ('comment', models.TextField(blank=True, max_length=1000, verbose_name='comment')),
                        ('path', models.CharField(max_length=300, verbose_name='page address')),
                        ('service', models.CharField(db_index=True, max_length=40, verbose_name='service')),
                        ('task', models.CharField(blank=True, max_length=40, verbose_name='completed task')),
                        ('language', models.CharField(blank=True, max_length=10, verbose_name='language')),
                        ('created_at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='received')),
                        ('page', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='wagtailcore.page', verbose_name='page')),
                    ],
                    options={
                        'db_table': 'frivillig_blocks_feedback',
                        'verbose_name': 'feedback',
                        'verbose_name_plural': 'feedback',
                        'ordering': ['-created_at'],
                    },
                ),
                migrations.CreateModel(
                    name='FiguresPage',
                    fields=[
                        ('page_ptr', models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to='wagtailcore.page')),
                        ('intro', wagtail.fields.RichTextField(blank=True, verbose_name='introduction')),
                        ('body', wagtail.fields.StreamField([('heading', 2), ('paragraph', 3), ('call_to_action', 9), ('contact_person', 12), ('faq', 17), ('fact_box', 19), ('image', 23), ('document', 26), ('steps', 31), ('associations', 35), ('open_grants', 37), ('upcoming_events', 37)], blank=True, block_lookup={0: ('wagtail.blocks.CharBlock', (), {'label': 'Heading', 'max_length': 120}), 1: ('wagtail.blocks.ChoiceBlock', [], {'choices': [('h2', 'Heading 2'), ('h3', 'Heading 3')], 'label': 'Level'}), 2: ('wagtail.blocks.StructBlock', [[('text', 0), ('level', 1)]], {}), 3: ('wagtail.blocks.RichTextBlock', (), {'features': ['bold', 'italic', 'link', 'ol', 'ul', 'document-link'], 'label': 'Text', 'template': 'frivillig_blocks/blocks/paragraph.html'}), 4: ('wagtail.blocks.CharBlock', (), {'label': 'Title', 'max_length': 120}), 5: ('wagtail.blocks.TextBlock', (), {'label': 'Text', 'max_length': 400, 'required': False}), 6: ('wagtail.blocks.PageChooserBlock', (), {'label': 'Page', 'required': False}), 7: ('wagtail.blocks.URLBlock', (), {'label': 'Or a web address', 'required': False}), 8: ('wagtail.blocks.CharBlock', (), {'label': 'Button text', 'max_length': 60}), 9: ('wagtail.blocks.StructBlock', [[('title', 4), ('text', 5), ('page', 6), ('url', 7), ('button_text', 8)]], {}), 10: ('wagtail.snippets.blocks.SnippetChooserBlock', ('frivillig_blocks.ContactPerson',), {'label': 'Contact person'}), 11: ('wagtail.blocks.CharBlock', (), {'label': 'Heading', 'max_length': 120, 'required': False}), 12: ('wagtail.blocks.StructBlock', [[('person', 10), ('heading', 11)]], {}), 13: ('wagtail.blocks.CharBlock', (), {'label': 'Question', 'max_length': 200}), 14: ('wagtail.blocks.RichTextBlock', (), {'features': ['bold', 'italic', 'link', 'ol', 'ul', 'document-link'], 'label': 'Answer'}), 15: ('wagtail.blocks.StructBlock', [[('question', 13), ('answer', 14)]], {}), 16: ('wagtail.blocks.ListBlock', (15,), {'label': 'Questions', 'min_num': 1}), 17: ('wagtail.blocks.StructBlock', [[('heading', 11), ('items', 16)]], {}), 18: ('wagtail.blocks.RichTextBlock', (), {'features': ['bold', 'italic', 'link', 'ol', 'ul', 'document-link'], 'label': 'Text'}), 19: ('wagtail.blocks.StructBlock', [[('title', 4), ('text', 18)]], {}), 20: ('wagtail.images.blocks.ImageChooserBlock', (), {'label': 'Image'}), 21: ('wagtail.blocks.CharBlock', (), {'help_text': 'What the image shows, for people who cannot see it.', 'label': 'Alternative text', 'max_length': 250}), 22: ('wagtail.blocks.CharBlock', (), {'label': 'Caption', 'max_length': 250, 'required': False}), 23: ('wagtail.blocks.StructBlock', [[('image', 20), ('alt_text', 21), ('caption', 22)]], {}), 24: ('wagtail.documents.blocks.DocumentChooserBlock', (), {'label': 'Document'}), 25: ('wagtail.blocks.CharBlock', (), {'label': 'Link text', 'max_length': 200, 'required': False}), 26: ('wagtail.blocks.StructBlock', [[('document', 24), ('title', 25)]], {}), 27: ('wagtail.blocks.CharBlock', (), {'label': 'Step', 'max_length': 120}), 28: ('wagtail.blocks.RichTextBlock', (), {'features': ['bold', 'italic', 'link', 'ol', 'ul', 'document-link'], 'label': 'Text', 'required': False}), 29: ('wagtail.blocks.StructBlock', [[('title', 27), ('text', 28)]], {}), 30: ('wagtail.blocks.ListBlock', (29,), {'label': 'Steps', 'min_num': 1}), 31: ('wagtail.blocks.StructBlock', [[('heading', 11), ('steps', 30)]], {}), 32: ('wagtail.blocks.ChoiceBlock', [], {'choices': [('boern', 'Children'), ('unge', 'Youth'), ('voksne', 'Adults'), ('seniorer', 'Seniors'), ('paa-tvaers', 'Across generations')], 'label': 'Age group', 'required': False}), 33: ('wagtail.snippets.blocks.SnippetChooserBlock', ('frivillig_blocks.Theme',), {'label': 'Theme', 'required': False}), 34: ('wagtail.blocks.IntegerBlock', (), {'default': 6, 'label': 'How many', 'max_value': 30, 'min_value': 1}), 35: ('wagtail.blocks.StructBlock', [[('heading', 11), ('age_group', 32), ('theme', 33), ('limit', 34)]], {}), 36: ('wagtail.blocks.IntegerBlock', (), {'default': 5, 'label': 'How many', 'max_value': 20, 'min_value': 1}), 37: ('wagtail.blocks.StructBlock', [[('heading', 11), ('limit', 36)]], {})}, verbose_name='content')),
                        ('social_image', models.ForeignKey(blank=True, help_text='Shown when the page is shared on social media (1200×630 px).', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='wagtailimages.image', verbose_name='social image')),
                    ],
                    options={
                        'db_table': 'frivillig_blocks_figurespage',
                        'verbose_name': 'figures page',
                        'verbose_name_plural': 'figures pages',
                    },
                    bases=(wagtail.contrib.routable_page.models.RoutablePageMixin, 'wagtailcore.page', models.Model),
                ),
                migrations.CreateModel(
                    name='ThemeMeeting',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('title', models.CharField(max_length=200, verbose_name='title')),
                        ('start', models.DateTimeField(verbose_name='start')),
                        ('end', models.DateTimeField(verbose_name='end')),
                        ('location', models.CharField(blank=True, max_length=200, verbose_name='address or room')),
                        ('description', models.TextField(blank=True, max_length=5000, verbose_name='description')),
                        ('public', models.BooleanField(default=True, verbose_name='show in the shared calendar')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('place', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, to='frivillig_blocks.place', verbose_name='place')),
                    ],
                    options={
                        'db_table': 'frivillig_blocks_thememeeting',
                        'verbose_name': 'theme meeting',
                        'verbose_name_plural': 'theme meetings',
                        'ordering': ['-start'],
                    },
                ),
                migrations.CreateModel(
                    name='ThemeMeetingInvitation',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('email', models.EmailField(max_length=254, verbose_name='e-mail')),
                        ('sent_at', models.DateTimeField(auto_now_add=True, verbose_name='sent')),
                        ('meeting', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='invitations', to='opfoelgning.thememeeting')),
                        ('user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'frivillig_blocks_thememeetinginvitation',
                        'verbose_name': 'invitation',
                        'verbose_name_plural': 'invitations',
                    },
                ),
                migrations.CreateModel(
                    name='FollowUpNote',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('section', models.CharField(blank=True, max_length=40, verbose_name='service')),
                        ('period_start', models.DateField(verbose_name='from')),
                        ('period_end', models.DateField(verbose_name='to')),
                        ('text', models.TextField(blank=True, max_length=5000, verbose_name='text')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                        ('updated_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'frivillig_blocks_followupnote',
                        'verbose_name': 'follow-up text',
                        'verbose_name_plural': 'follow-up texts',
                        'permissions': [('view_followup_report', 'Can see the follow-up report')],
                        'constraints': [models.UniqueConstraint(fields=('section', 'period_start', 'period_end'), name='unique_followup_note')],
                    },
                ),
                migrations.AddConstraint(
                    model_name='thememeeting',
                    constraint=models.CheckConstraint(condition=models.Q(('end__gt', models.F('start'))), name='theme_meeting_ends_after_start'),
                ),
                migrations.AddConstraint(
                    model_name='thememeetinginvitation',
                    constraint=models.UniqueConstraint(fields=('meeting', 'email'), name='one_invitation_per_address'),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_types_forward, content_types_backward),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterModelTable(name='contactpreference', table=None),
                migrations.AlterModelTable(name='feedback', table=None),
                migrations.AlterModelTable(name='figurespage', table=None),
                migrations.AlterModelTable(name='thememeeting', table=None),
                migrations.AlterModelTable(name='thememeetinginvitation', table=None),
                migrations.AlterModelTable(name='followupnote', table=None),
            ],
            database_operations=[migrations.RunPython(move_tables, unmove_tables)],
        ),
    ]
