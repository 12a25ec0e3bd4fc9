"""The SQLite index is keyed by recency and gains a subject/number table: rebuilt in place."""

from django.db import migrations


def rebuild(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    from search.service import _embedded

    backend = _embedded("sqlite")
    backend.drop_schema()
    backend.ensure_schema()
    # The circulars are re-indexed after migrating (search.signals.reindex_if_empty).


class Migration(migrations.Migration):
    dependencies = [("wian_search", "0002_pending_index_operation")]
    operations = [migrations.RunPython(rebuild, migrations.RunPython.noop)]
