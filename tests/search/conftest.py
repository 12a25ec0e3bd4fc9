"""Fixtures for the search tests."""

import pytest
from django.db import connection


def _cleared(vendor: str):
    from search.service import _embedded

    backend = _embedded(vendor)
    backend.clear()
    yield backend
    backend.clear()


@pytest.fixture
def embedded_index(db):
    """The embedded index of the database the tests run on (SQLite or PostgreSQL), empty."""
    yield from _cleared(connection.vendor)


@pytest.fixture
def postgres_index(db):
    """PostgreSQL's embedded index, empty (the test is skipped on another database)."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's embedded index only")
    yield from _cleared("postgresql")
