"""Helpers for tests that run on a transactional (flushed) database."""

import pytest
from django.conf import settings

# Real concurrency (row locks, many connections) needs a server database.
requires_postgres = pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="row locking under real concurrency needs PostgreSQL (DATABASE_URL)",
)


def restore_migration_rows():
    """Recreate the rows migrations make (locale, root page and collection, provinces, groups).

    live_server needs a transactional database, which is flushed after every test. Django's
    serialized rollback cannot bring these rows back here: with Playwright's loop marked as
    running, the main thread gets other connection objects than the ones that were serialized.
    """
    from django.conf import settings
    from wagtail.coreutils import get_supported_content_language_variant
    from wagtail.models import Collection, Locale, Page

    locale, _ = Locale.objects.get_or_create(
        language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
    )
    if Page.get_first_root_node() is None:
        Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    # Content types and permissions (post-migrate signals), then our own data migrations.
    import importlib

    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.contenttypes.management import create_contenttypes
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    for app_config in apps.get_app_configs():
        create_contenttypes(app_config, verbosity=0)
        create_permissions(app_config, verbosity=0)
    importlib.import_module("cms.organisations.migrations.0002_load_provinces").load(apps, None)
    importlib.import_module("workflows.migrations.0002_groups").ensure_groups(apps)
    # The search index lives in tables Django does not flush: empty them with the rest.
    from search.service import embedded_backend

    embedded_backend().clear()
