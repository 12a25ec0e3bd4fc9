"""The SQLite index is keyed by recency and gains a subject/number table: rebuilt in place."""

from django.db import migrations


def rebuild(apps, schema_editor):
    from search.service import remake_embedded_tables

    remake_embedded_tables(schema_editor, "sqlite")


class Migration(migrations.Migration):
    dependencies = [("wian_search", "0002_pending_index_operation")]
    operations = [migrations.RunPython(rebuild, migrations.RunPython.noop)]
