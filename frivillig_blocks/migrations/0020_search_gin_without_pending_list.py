from django.db import migrations

#: The tables whose GIN indexes the site search reads on every query: Wagtail's index
#: (its title, body and autocomplete vectors) and the search's vocabulary (its trigrams).
TABLES = ("wagtailsearch_indexentry", "frivillig_blocks_searchword")


def _gin_indexes(schema_editor) -> list[str]:
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.relname FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
            "JOIN pg_class t ON t.oid = x.indrelid JOIN pg_am a ON a.oid = i.relam "
            "WHERE a.amname = 'gin' AND t.relname = ANY(%s) ORDER BY i.relname",
            [list(TABLES)],
        )
        return [name for (name,) in cursor.fetchall()]


def without_pending_list(apps, schema_editor):
    """On PostgreSQL: the search's GIN indexes take each new entry at once (``fastupdate``
    off). With fastupdate on, new entries wait in the index's pending list until autovacuum
    merges them, and every search reads that list through (up to 4 MB): after an
    ``update_index`` the whole index is in it and the search scans the table instead."""
    if schema_editor.connection.vendor != "postgresql":
        return
    quote = schema_editor.quote_name
    for name in _gin_indexes(schema_editor):
        schema_editor.execute(f"ALTER INDEX {quote(name)} SET (fastupdate = off)")
        # What waits in the list already goes into the index now.
        schema_editor.execute("SELECT gin_clean_pending_list(%s::regclass)", [quote(name)])


def with_pending_list(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in _gin_indexes(schema_editor):
        schema_editor.execute(f"ALTER INDEX {schema_editor.quote_name(name)} RESET (fastupdate)")


class Migration(migrations.Migration):
    dependencies = [
        ("frivillig_blocks", "0019_search_entry"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(without_pending_list, with_pending_list)]
