"""Fixtures shared by the suite: the page tree, units, and a way to make circulars."""

from pathlib import Path

import pytest

SHARED_DIR = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture
def archive(db):
    from cms.circulars.site_setup import ensure_archive

    return ensure_archive()


@pytest.fixture
def units(db):
    from cms.organisations.demo_units import ensure_demo_units
    from cms.organisations.models import Unit

    ensure_demo_units()
    return {unit.code: unit for unit in Unit.objects.all()}


@pytest.fixture
def make_circular(archive):
    from tests.factories import make_circular as factory

    def make(**fields):
        return factory(archive, **fields)

    return make


@pytest.fixture
def shared_dir() -> Path:
    if not SHARED_DIR.is_dir():
        pytest.skip("../shared is not present on this machine")
    return SHARED_DIR


@pytest.fixture
def migrated_rows(transactional_db):
    """A flushed transactional database has lost what data migrations made: remake it."""
    from tests.support import restore_migration_rows

    restore_migration_rows()
