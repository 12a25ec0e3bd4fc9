"""The SQLite entry table is keyed by the FTS rowid (a join is then one b-tree lookup, not two)
and trigram counts are kept for the query plans: rebuilt in place, refilled after migrating."""

from django.db import migrations


def rebuild(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        from search.service import _embedded

        _embedded("sqlite").clear()


class Migration(migrations.Migration):
    dependencies = [("wian_search", "0003_recency_keyed_index")]
    operations = [migrations.RunPython(rebuild, migrations.RunPython.noop)]
