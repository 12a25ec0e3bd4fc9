"""The SQLite index's query plans: a long term is looked up by a few rare trigrams NEAR each
other and checked on its stored text. The plan decides only how fast an answer comes: these
tests hold it to the answers of the plain phrase, whatever the trigram counts say."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection

from search.backends import sqlite_fts
from search.backends.sqlite_fts import rare_plan
from tests.search.test_backend_contract import doc, ids, put, run

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="SQLite's embedded index only"
)

TERM = "สำนักงานประเทศไทย"


@pytest.fixture
def index(db):
    from search.service import _embedded

    backend = _embedded("sqlite")
    backend.clear()
    yield backend
    backend.clear()


def phrase_only(monkeypatch):
    """No plan pays: every term goes through its full phrase."""
    monkeypatch.setattr(sqlite_fts, "PLAN_CANDIDATES", -1)


def test_a_plan_reads_the_rarest_trigram_of_each_part_near_each_other():
    counts = {TERM[i : i + 3]: 1000 for i in range(len(TERM) - 2)}
    counts.update({"ำนั": 5, "านป": 3, "ะเท": 9, "ศไท": 1, "ไทย": 2})
    # 15 trigrams in four parts of 3, 4, 4 and 4: the rarest of each, in the term's order.
    assert rare_plan(TERM, counts) == 'NEAR("ำนั" "านป" "ะเท" "ศไท", 11)'


def test_a_part_whose_rarest_trigram_is_still_common_is_left_out():
    counts = {TERM[i : i + 3]: 2_000_000 for i in range(len(TERM) - 2)}
    counts.update({"านป": 30, "ะเท": 20, "ศไท": 10})
    # The first part's rarest trigram occurs far more often than the three others together.
    assert rare_plan(TERM, counts) == 'NEAR("านป" "ะเท" "ศไท", 6)'


def test_a_plan_without_counts_still_spreads_over_the_term():
    # Seven trigrams in parts of 1, 2, 2 and 2: with no counts, the first of each part.
    assert rare_plan("ประเมินผล", {}) == 'NEAR("ประ" "ระเ" "เมิ" "ินผ", 4)'


def test_a_plan_quotes_what_fts5_would_read_as_syntax():
    assert rare_plan('ab"cdef', {}) == 'NEAR("ab""" "b""c" """cd" "cde", 2)'


def _archive(backend):
    put(
        backend,
        doc(1, subject=f"ขอเชิญประชุม{TERM}", issued=datetime.date(2020, 1, 1)),
        doc(2, body=f"ตามที่{TERM}แจ้งมา", issued=datetime.date(2021, 1, 1)),
        doc(3, extra=f"หนังสือ{TERM}", issued=datetime.date(2022, 1, 1)),
        doc(4, number="สนง 0812/ว 271", body=f"{TERM} และกรม", issued=datetime.date(2019, 1, 1)),
        # The same trigrams NEAR each other, but not the term: a plan's candidate, not a hit.
        doc(5, body="สำนักงานประเทศ ไทย สำนักงานประเทศไทเ", issued=datetime.date(2023, 1, 1)),
        doc(6, body="ประเทศไทยสำนักงาน", issued=datetime.date(2024, 1, 1)),
        doc(7, body=f"{TERM}", public=False, issued=datetime.date(2025, 1, 1)),
    )


@pytest.mark.parametrize("counted", [False, True], ids=["no counts", "counted"])
def test_a_plan_finds_exactly_what_the_phrase_finds(index, monkeypatch, counted):
    _archive(index)
    if counted:
        index.count_grams()
    planned = run(index, TERM, limit=20)
    assert ids(planned) == [1, 7, 2, 4, 3]  # subject, then body newest first, then attachments
    assert planned.total == 5
    assert dict(planned.facets["be_year"]) == {
        "2563": 1,
        "2568": 1,
        "2564": 1,
        "2562": 1,
        "2565": 1,
    }
    phrase_only(monkeypatch)
    phrased = run(index, TERM, limit=20)
    assert ids(phrased) == ids(planned)
    assert phrased.total == planned.total
    assert phrased.facets == planned.facets


def test_a_plan_respects_the_scope_filters_paging_and_date_order(index):
    _archive(index)
    index.count_grams()
    assert ids(run(index, TERM, scope=sqlite_fts.Scope())) == [1, 2, 4, 3]
    assert ids(run(index, TERM, filters={"be_year": 2564})) == [2]
    assert ids(run(index, TERM, sort="date")) == [7, 3, 2, 1, 4]
    assert ids(run(index, TERM, limit=2, offset=2)) == [2, 4]


def test_terms_anded_with_a_plan_are_each_checked(index, monkeypatch):
    _archive(index)
    index.count_grams()
    expected = {2}
    assert set(ids(run(index, f"{TERM} แจ้งมา"))) == expected  # the whole fails, then AND
    assert set(ids(run(index, f'"{TERM}" แจ้ง'))) == expected
    assert set(ids(run(index, f'"{TERM}" จ้'))) == expected  # a two-character term: LIKE
    phrase_only(monkeypatch)
    assert set(ids(run(index, f'"{TERM}" แจ้ง'))) == expected


def test_too_many_candidates_fall_back_to_the_phrase(index, monkeypatch):
    _archive(index)
    index.count_grams()
    monkeypatch.setattr(sqlite_fts, "PLAN_CANDIDATES", 2)  # seven candidates: too many
    assert ids(run(index, TERM, limit=20)) == [1, 7, 2, 4, 3]


def test_stale_counts_change_no_result(index):
    _archive(index)
    index.count_grams()
    put(index, doc(8, subject=TERM, issued=datetime.date(2026, 1, 1)))
    index.delete([1])
    assert ids(run(index, TERM, limit=20)) == [8, 7, 2, 4, 3]


def test_counts_are_taken_after_a_rebuild(index):
    _archive(index)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {sqlite_fts.GRAMS}")
        assert cursor.fetchone()[0] == 0
        index.optimize()
        cursor.execute(f"SELECT occurrences FROM {sqlite_fts.GRAMS} WHERE gram = %s", [TERM[:3]])
        # สำน: once in each of six documents, twice in document 5.
        assert cursor.fetchone()[0] == 8


def test_the_whole_query_attempt_uses_a_plan_too(index):
    _archive(index)
    index.count_grams()
    assert ids(run(index, "สำนักงานประเทศ ไทย")) == [5]
    assert run(index, "สำนักงานประเทศ ไทย").exact
