from django.db import migrations


def create(apps, schema_editor):
    from search.service import _embedded

    backend = _embedded(schema_editor.connection.vendor)
    if hasattr(backend, "ensure_schema"):
        backend.ensure_schema()


def drop(apps, schema_editor):
    from search.service import _embedded

    backend = _embedded(schema_editor.connection.vendor)
    if hasattr(backend, "drop_schema"):
        backend.drop_schema()


class Migration(migrations.Migration):
    dependencies = [("circulars", "0003_circularpage_addressed_provinces_and_more")]
    operations = [migrations.RunPython(create, drop)]
