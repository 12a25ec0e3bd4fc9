"""The workflow's groups, with the Wagtail permissions each needs to do its part."""

from django.db import migrations

GROUPS = {
    "ผู้ร่าง": {"pages": ["add_page", "change_page"], "perms": ["access_admin", "add_document", "change_document", "choose_document"]},
    "ผู้ตรวจ": {"pages": ["change_page"], "perms": ["access_admin"]},
    "ผู้ลงนาม": {"pages": ["change_page"], "perms": ["access_admin"]},
    "สารบรรณ": {"pages": ["change_page"], "perms": ["access_admin", "add_document", "change_document", "choose_document"]},
    "เจ้าหน้าที่จังหวัด": {"pages": [], "perms": ["access_admin"]},
    "ผู้ดูแลระบบ": {
        "pages": ["add_page", "change_page", "lock_page", "unlock_page"],
        "perms": [
            "access_admin", "add_document", "change_document", "delete_document", "choose_document",
            "add_unit", "change_unit", "add_membership", "change_membership", "delete_membership",
            "change_province", "add_endorsementstep", "change_endorsementstep",
            "delete_endorsementstep", "add_delegation", "change_delegation", "delete_delegation",
        ],
    },
}


def create_groups(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    ensure_groups(apps)


def ensure_groups(apps):
    """Create the groups and give them their permissions (also used by the browser tests)."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Page = apps.get_model("wagtailcore", "Page")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    root = Page.objects.filter(depth=1).first()
    page_type = ContentType.objects.get(app_label="wagtailcore", model="page")
    for name, spec in GROUPS.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(*Permission.objects.filter(codename__in=spec["perms"]))
        if root is None:
            continue
        for codename in spec["pages"]:
            permission = Permission.objects.get(content_type=page_type, codename=codename)
            GroupPagePermission.objects.get_or_create(group=group, page=root, permission=permission)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("workflows", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailadmin", "0006_formstate"),
    ]
    operations = [migrations.RunPython(create_groups, remove_groups)]
