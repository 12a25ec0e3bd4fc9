"""PostgreSQL's embedded index keeps, per circular, the dictionary words its texts hold: the
tables are made anew, empty, and refilled after migrating."""

from django.db import migrations

from search.service import remake_postgres_index


class Migration(migrations.Migration):
    dependencies = [("wian_search", "0006_postgres_two_byte_keys")]
    operations = [migrations.RunPython(remake_postgres_index, migrations.RunPython.noop)]
