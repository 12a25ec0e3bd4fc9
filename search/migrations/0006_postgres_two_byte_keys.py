"""PostgreSQL's embedded index stores its keys with Thai swapped for two-byte letters: the
tables are made anew, empty, and refilled after migrating."""

from django.db import migrations


def rebuild(apps, schema_editor):
    from search.service import remake_embedded_tables

    remake_embedded_tables(schema_editor, "postgresql")


class Migration(migrations.Migration):
    dependencies = [("wian_search", "0005_postgres_chunks")]
    operations = [migrations.RunPython(rebuild, migrations.RunPython.noop)]
