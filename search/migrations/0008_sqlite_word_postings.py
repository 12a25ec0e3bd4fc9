"""SQLite's embedded index gains word postings and records its dictionary: the new tables are
made; an index already filled keeps searching by its trigrams until `search_index rebuild`."""

from django.db import migrations


def add_tables(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        from search.service import _embedded

        _embedded("sqlite").ensure_schema()


class Migration(migrations.Migration):
    dependencies = [("wian_search", "0007_postgres_word_postings")]
    operations = [migrations.RunPython(add_tables, migrations.RunPython.noop)]
