"""PostgreSQL's embedded index keeps each text as short chunks (a chunk table beside the entry
table): the old tables are dropped and made anew, and refilled after migrating."""

from django.db import migrations

from search.service import remake_postgres_index


class Migration(migrations.Migration):
    dependencies = [("wian_search", "0004_entry_keyed_by_recency")]
    operations = [migrations.RunPython(remake_postgres_index, migrations.RunPython.noop)]
