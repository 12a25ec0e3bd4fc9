"""PostgreSQL's embedded index: texts cut into overlapping chunks, a few rare trigrams asked of
the GIN index, strpos deciding. The cutting is tested everywhere; the rest on PostgreSQL."""

from __future__ import annotations

import random

import pytest
from django.db import connection

from search.analysis import parse_query
from search.backends import postgres
from search.backends.base import SearchQuery
from search.backends.plans import plan_offsets
from search.backends.postgres import CHUNK_CHARS, MAX_TERM, chunks, joined, tier
from tests.search.test_backend_contract import EVERYTHING, doc, ids, put, run

THAI = "กขคงจฉชซญดตถทธนบปผพฟภมยรลวศสหอฮะาิีึืุูเแโใไ่้๊๋็์ั"


@pytest.mark.parametrize("length", [0, 1, CHUNK_CHARS, CHUNK_CHARS + 1, 3 * CHUNK_CHARS + 17])
def test_chunks_hold_every_short_substring_and_join_back(length):
    rng = random.Random(length)
    text = "".join(rng.choice(THAI) for _ in range(length))
    pieces = chunks(text)
    assert joined(pieces) == text
    assert all(len(piece) <= CHUNK_CHARS for piece in pieces)
    for start in range(0, max(0, length - MAX_TERM + 1)):
        term = text[start : start + MAX_TERM]
        assert any(term in piece for piece in pieces), start


@pytest.mark.parametrize("seed", range(6))
def test_the_fast_swap_is_the_character_table(seed):
    """Text of ASCII and Thai is swapped with byte operations, anything else through the table:
    both give what the table gives, and swapping twice gives the text back."""
    rng = random.Random(seed)
    alphabet = [
        *THAI,
        *"abcXYZ019 .,/-_%\\\"'",
        *postgres._PUNCTUATION,
        *postgres._STAND_INS,  # unassigned in the Thai block: the stand-ins' own code points
        *"éš\u0627\u0710\u0e7f\u0e80\U0001f600",  # Latin-1 and beyond, partners, Lao, emoji
    ]
    common = THAI + " " + postgres._PUNCTUATION
    for size in (0, 1, 5, 80, 700):
        for _ in range(40):
            pool = alphabet if rng.random() < 0.3 else common
            text = "".join(rng.choice(pool) for _ in range(size))
            assert postgres.swapped(text) == text.translate(postgres._SWAP), repr(text)
            assert postgres.swapped(postgres.swapped(text)) == text


def test_the_tier_is_the_first_field_holding_every_term():
    assert tier(0b0001) == 0  # subject
    assert tier(0b0110) == 1  # number (and body)
    assert tier(0b0100) == 2  # body
    assert tier(0b1000) == 3  # attachments only
    assert tier(0) == 3  # terms split between fields


def _pieces(head: str, counts: dict[str, int]) -> list[str]:
    _clause, (pattern,) = postgres.PostgresBackend._candidates(head, counts)
    return [postgres.swapped(piece) for piece in pattern.strip("%").split("%")]


def test_overlapping_rare_trigrams_do_not_pull_in_the_common_ones_between():
    """pg_trgm reads every trigram of a LIKE piece: of two planned trigrams that overlap around
    a common one only the rarer is kept; trigrams alike in count make one piece."""
    head = "กขคงจฉชซฌ"
    grams = [head[i : i + 3] for i in range(len(head) - 2)]
    counts = dict(zip(grams, [10, 50_000, 20, 50_000, 30, 50_000, 15], strict=True))
    assert plan_offsets(head, counts) == [0, 2, 4, 6]
    assert _pieces(head, counts) == [grams[0], grams[6]]
    alike = dict.fromkeys(grams, 9_000)
    (piece,) = _pieces(head, alike)
    assert len(piece) > 3 and piece in head


def _padding(n: int) -> str:
    return "ข้อความ" * (n // 7 + 1)


def test_a_term_across_a_chunk_boundary_is_found(postgres_index):
    step = CHUNK_CHARS - postgres.CHUNK_OVERLAP
    body = _padding(step)[: step - 3] + "ภัยแล้ง" + _padding(CHUNK_CHARS)
    put(postgres_index, doc(1, body=body), doc(2, body=_padding(2000)))
    assert ids(run(postgres_index, "ภัยแล้ง")) == [1]


def test_a_term_longer_than_a_chunk_overlap_is_found_whole(postgres_index):
    term = "การป้องกันและบรรเทาสาธารณภัย" * 3  # longer than MAX_TERM
    assert len(term) > MAX_TERM
    decoy = term[:MAX_TERM] + "อื่น" + term[MAX_TERM:]  # the head, then something else
    step = CHUNK_CHARS - postgres.CHUNK_OVERLAP
    put(
        postgres_index,
        doc(1, body=_padding(step - 20)[: step - 20] + term + _padding(900)),
        doc(2, body=decoy),
        doc(3, subject=term),
    )
    result = run(postgres_index, term)
    assert ids(result) == [3, 1]
    assert result.total == 2


def test_terms_in_different_chunks_of_one_field_rank_with_that_field(postgres_index):
    far_apart = "ภัยแล้ง" + _padding(3 * CHUNK_CHARS) + "น้ำท่วม"
    put(
        postgres_index,
        doc(1, body=far_apart),
        doc(2, body="ภัยแล้ง", extra="น้ำท่วม", issued=doc(9).issued.replace(year=2022)),
    )
    assert ids(run(postgres_index, "ภัยแล้ง น้ำท่วม")) == [1, 2]


def test_a_far_commoner_term_is_checked_on_the_rarer_terms_circulars(postgres_index):
    """With trigram counts taken, the rare term drives and the common one is looked for in the
    chunks of its circulars (a short term likewise): the same hits either way."""
    common = [doc(n, body="ประชาชน " + _padding(50)) for n in range(1, 120)]
    rare = [
        doc(200, body="ประชาชน" + _padding(CHUNK_CHARS) + "จีโนม"),
        doc(201, body="จีโนม ไม่มีอีกคำ"),
        doc(202, subject="จีโนม", body=_padding(CHUNK_CHARS) + "ประชาชน ปี"),
    ]
    put(postgres_index, *common, *rare)
    postgres_index.count_grams()
    occurrences = postgres_index._occurrences(["ประชาชน", "จีโนม"])
    assert postgres_index._estimate("ประชาชน", occurrences) > 3 * postgres_index._estimate(
        "จีโนม", occurrences
    )
    assert ids(run(postgres_index, "จีโนม ประชาชน")) == [200, 202]  # 202: split between fields
    assert ids(run(postgres_index, "จีโนม ปี")) == [202]
    assert run(postgres_index, "ประชาชน").total == 121


def test_a_term_about_as_common_as_the_driver_is_checked_on_its_circulars(postgres_index):
    """Only the driver's candidate chunks are read (one LIKE); the other term, though about as
    common, is looked for in the chunks of the driver's circulars."""
    put(
        postgres_index,
        *(doc(n, body="ภัยแล้ง " + _padding(50)) for n in range(1, 40)),
        *(doc(n, body="น้ำท่วม " + _padding(50)) for n in range(40, 80)),
        doc(90, body="ภัยแล้ง" + _padding(3 * CHUNK_CHARS) + "น้ำท่วม"),
        doc(91, subject="น้ำท่วม", body="ภัยแล้ง"),
    )
    postgres_index.count_grams()
    occurrences = postgres_index._occurrences(["ภัยแล้ง", "น้ำท่วม"])
    estimates = [postgres_index._estimate(t, occurrences) for t in ("ภัยแล้ง", "น้ำท่วม")]
    assert max(estimates) <= 3 * min(estimates)
    query = SearchQuery(parsed=parse_query("ภัยแล้ง น้ำท่วม"), scope=EVERYTHING)
    sql, _params = postgres_index._match_sql(["ภัยแล้ง", "น้ำท่วม"], "ภัยแล้ง", occurrences, query)
    assert sql.count(" LIKE ") == 1
    assert ids(run(postgres_index, "ภัยแล้ง น้ำท่วม")) == [90, 91]
    assert ids(run(postgres_index, "น้ำท่วม ภัยแล้ง")) == [90, 91]


def test_chunk_rows_survive_copys_text_format(postgres_index):
    body = "แฟ้ม C:\\งาน\\ปี 2564\tแนบ\\N ท้าย"
    put(postgres_index, doc(1, body=body))
    assert postgres.chunk_lines(doc(1, body=body)).count("\n") == 1
    for term in ("c:\\งาน\\ปี", "\\n ท้าย", "แฟ้ม"):
        assert ids(run(postgres_index, term)) == [1], term


def test_the_size_counts_every_table_and_index(postgres_index):
    put(postgres_index, doc(1, body="ข้อความ" * 400))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_total_relation_size(%s::regclass) + pg_total_relation_size(%s::regclass)",
            [postgres.ENTRY, f"{postgres.CHUNK}_0"],
        )
        (part,) = cursor.fetchone()
    assert postgres_index.size_bytes() > part


def test_counts_come_from_a_sample_of_the_chunks(postgres_index, monkeypatch):
    monkeypatch.setattr(postgres, "GRAM_SAMPLE", 50)
    put(postgres_index, *(doc(n, body="ภัยแล้ง " + _padding(CHUNK_CHARS)) for n in range(1, 80)))
    postgres_index.count_grams()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT chunks FROM {postgres.GRAMS} WHERE gram = %s", ["ภัย"])
        (counted,) = cursor.fetchone()
    assert 40 <= counted <= 160  # 79 chunks hold it; the sample is scaled to the table


@pytest.mark.django_db(transaction=True)
def test_a_bulk_load_builds_each_partitions_indexes_on_its_own_connection():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's embedded index only")
    from search.service import _embedded

    backend = _embedded("postgresql")
    backend.clear()
    try:
        backend.begin_bulk()
        assert backend.index([doc(n, body=f"ภัยแล้ง {n} " + _padding(900)) for n in range(40)])
        assert not connection.in_atomic_block  # the indexes are built by threads of their own
        backend.optimize()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexname FROM pg_indexes WHERE tablename LIKE %s", ["wian_search_%"]
            )
            names = {row[0] for row in cursor.fetchall()}
        built = {
            statement.split(" IF NOT EXISTS ")[1].split(" ")[0] for statement in postgres.INDEXES
        }
        assert built <= names
        assert run(backend, "ภัยแล้ง 7").total == 1
        assert run(backend, "ภัยแล้ง").total == 40
    finally:
        backend.clear()


def test_a_swapped_thai_text_is_one_pg_trgm_word(postgres_index):
    """pg_trgm makes trigrams only inside runs of word characters: swapped, a Thai phrase with
    tone marks, spaces and punctuation is one run, and each character two bytes."""
    text = "ท้องถิ่น ๆ (มท ๐๘๑๒/ว ๒๗๑) “ด่วนที่สุด” – ฯลฯ"
    key = postgres.swapped(text)
    assert postgres.swapped(key) == text
    assert all(len(ch.encode()) == 2 for ch in key)
    with connection.cursor() as cursor:
        cursor.execute("SELECT show_trgm(%s)", [key])
        (grams,) = cursor.fetchone()
    # One word of n characters gives n + 1 padded trigrams, fewer only where one repeats.
    distinct = {("  " + key + " ")[i : i + 3] for i in range(len(key) + 1)}
    assert len(grams) == len(distinct)
