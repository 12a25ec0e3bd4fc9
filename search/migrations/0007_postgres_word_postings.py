"""PostgreSQL's embedded index keeps, per circular, the dictionary words its texts hold: the
tables are made anew, empty, and refilled after migrating."""

from django.db import migrations


def rebuild(apps, schema_editor):
    from search.service import remake_embedded_tables

    remake_embedded_tables(schema_editor, "postgresql")


class Migration(migrations.Migration):
    dependencies = [("wian_search", "0006_postgres_two_byte_keys")]
    operations = [migrations.RunPython(rebuild, migrations.RunPython.noop)]
