"""PostgreSQL's embedded index stores its keys with Thai swapped for two-byte letters: the
tables are made anew, empty, and refilled after migrating."""

from django.db import migrations

from search.service import remake_postgres_index


class Migration(migrations.Migration):
    dependencies = [("wian_search", "0005_postgres_chunks")]
    operations = [migrations.RunPython(remake_postgres_index, migrations.RunPython.noop)]
