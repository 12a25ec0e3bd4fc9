from django.db import migrations


def load(apps, schema_editor):
    from cms.organisations.provinces import load_provinces

    Province = apps.get_model("organisations", "Province")
    for record in load_provinces():
        Province.objects.update_or_create(
            code=record.code, defaults={"name_th": record.name_th, "name_en": record.name_en}
        )


def unload(apps, schema_editor):
    apps.get_model("organisations", "Province").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("organisations", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
