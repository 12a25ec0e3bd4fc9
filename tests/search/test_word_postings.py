"""Word postings: the dictionary words and numbers each circular holds anywhere in its text,
looked up without a recheck, on the embedded index of the database the tests run on (SQLite or
PostgreSQL); each must find exactly what its substring index finds."""

from __future__ import annotations

import random
from io import StringIO

from django.core.management import call_command
from django.db import connection

from search.analysis import normalize
from search.backends import postgres, sqlite_fts, words
from search.backends.base import Scope
from tests.search.test_backend_contract import doc, found, ids, put, run


def test_a_word_is_found_inside_a_longer_word():
    held = words.words_in(normalize("เยี่ยมชมพิพิธภัณฑ์แห่งชาติ"))
    ids_ = words.ids_of([normalize("พิพิธ"), normalize("พิพิธภัณฑ์"), normalize("ชาติ")])
    assert ids_ is not None
    assert set(ids_) <= held
    assert words.ids_of([normalize("มหาดไทย")])[0] not in held


def test_only_dictionary_words_and_plain_numbers_have_ids():
    assert words.ids_of(["ภัยแล้ง ฝนตก"]) is None  # a phrase is not a word
    assert words.ids_of(["ภัยแล้ง"]) is not None
    assert words.ids_of(["ภัยแล้ง", "2564"]) is not None
    for term in ("1,572", "0812/ว271", "12", "123456789", "๒๕๖๔"):  # index form has no ๒
        assert words.ids_of([term]) is None, term
    assert all(len(word) >= words.MIN_CHARS for word in words.vocabulary())
    assert all(n >= 0 for n in words.word_ids().values())  # numbers' ids are negative


def test_a_number_is_found_inside_a_longer_run_of_digits():
    held = words.numbers_in("ปี 25660 โทร 0812-123")
    (year, phone, tail, short), (other,) = (
        words.ids_of(["2566", "0812", "812", "123"]),
        words.ids_of(["2567"]),
    )
    assert {year, phone, tail, short} <= held
    assert other not in held
    assert words.number_id("0812") != words.number_id("812")
    assert words.numbers_in("12 ปี 1,5") == set()


def test_the_keys_tell_the_body_from_the_other_fields():
    keys = postgres.word_keys(doc(1, subject="น้ำท่วม ปี 2565", body="ภัยแล้ง ปี 2564"))
    (flood, year), (drought, last_year) = (
        words.ids_of(["น้ำท่วม", "2565"]),
        words.ids_of(["ภัยแล้ง", "2564"]),
    )
    for body in (drought, last_year):
        assert 2 * body in keys and 2 * body + 1 not in keys
    for other in (flood, year):
        assert 2 * other + 1 in keys and 2 * other not in keys


def test_the_array_copied_holds_the_keys():
    built = doc(1, subject="น้ำท่วมและภัยแล้ง 2565", body="ภัยแล้งในพื้นที่ป่า 12345", extra="ฝนตกหนัก")
    literal = postgres.word_array(built)
    assert literal[0] == "{" and literal[-1] == "}"
    assert sorted(int(key) for key in literal[1:-1].split(",")) == postgres.word_keys(built)
    assert postgres.word_array(doc(2, subject="ก", body="")) == "{}"


def test_sqlite_tokens_hold_the_same_ids():
    built = doc(1, subject="น้ำท่วมและภัยแล้ง 2565", body="ภัยแล้งในพื้นที่ป่า 12345", extra="ฝนตกหนัก")
    tokens = sqlite_fts._tokens(sqlite_fts._joined(built)).split()
    held = {int(t[1:]) if t[0] == "w" else -int(t[1:]) for t in tokens}
    assert len(held) == len(tokens)
    assert held == {key // 2 for key in postgres.word_keys(built)}
    assert words.number_id("12345") in held and words.number_id("2345") in held


def _by_chunks(backend, text, **options):
    backend._words_ready = False
    try:
        return found(backend, text, **options)
    finally:
        backend._words_ready = None


def test_word_postings_find_exactly_the_circulars_holding_the_word(embedded_index):
    """Texts glued from dictionary words with no spaces, so words also occur across the joins
    and inside longer words: the postings must find exactly the substring matches."""
    rng = random.Random(4)
    vocabulary = [w for w in words.vocabulary() if "\u0e00" <= w[0] <= "\u0e7f"]
    pool = rng.sample(vocabulary, 60)
    texts = {n: "".join(rng.choices(pool, k=40)) for n in range(1, 41)}
    put(embedded_index, *(doc(n, body=text) for n, text in texts.items()))
    probes = pool[:25] + [w for w in vocabulary if any(w in t for t in texts.values())][:25]
    for term in probes:
        assert embedded_index._dictionary_ids([term]) is not None
        expected = {n for n, text in texts.items() if term in text}
        assert found(embedded_index, term) == expected, term
        assert _by_chunks(embedded_index, term) == expected, term


def test_number_postings_find_exactly_the_circulars_holding_the_number(embedded_index):
    """Runs of digits of every length, so numbers also occur inside longer ones: the postings
    must find exactly the substring matches, in every field."""
    rng = random.Random(5)
    fields = ("subject", "body", "extra")
    texts = {
        n: {
            name: " ".join("".join(rng.choices("0125", k=rng.randint(1, 11))) for _ in range(4))
            for name in fields
        }
        for n in range(1, 41)
    }
    put(embedded_index, *(doc(n, **parts) for n, parts in texts.items()))
    probes = ["".join(rng.choices("0125", k=rng.randint(3, 8))) for _ in range(40)]
    for term in ["2566", "0125", *probes]:
        assert embedded_index._dictionary_ids([term]) is not None
        expected = {n for n, parts in texts.items() if any(term in t for t in parts.values())}
        assert found(embedded_index, term) == expected, term
        assert _by_chunks(embedded_index, term) == expected, term
        by_postings = run(embedded_index, term, scope=Scope(), limit=40)
        embedded_index._words_ready = False
        by_chunks = run(embedded_index, term, scope=Scope(), limit=40)
        embedded_index._words_ready = None
        assert ids(by_postings) == ids(by_chunks), term


def test_word_postings_rank_like_the_chunks(embedded_index):
    put(
        embedded_index,
        doc(1, body="ภัยแล้ง และน้ำท่วม", issued=doc(1).issued.replace(year=2024)),
        doc(2, subject="ภัยแล้งและน้ำท่วม", issued=doc(1).issued.replace(year=2019)),
        doc(3, number="มท 0812/ว 1", body="ภัยแล้ง", extra="น้ำท่วม"),
        doc(4, body="ภัยแล้ง"),  # one word only
        doc(5, body="น้ำท่วม", extra="ภัยแล้ง", public=False),
    )
    for text in ("ภัยแล้ง น้ำท่วม", "น้ำท่วม"):
        assert embedded_index._dictionary_ids(text.split()) is not None
        by_words = run(embedded_index, text, scope=Scope())
        embedded_index._words_ready = False
        by_chunks = run(embedded_index, text, scope=Scope())
        embedded_index._words_ready = None
        assert ids(by_words) == ids(by_chunks)
        assert by_words.total == by_chunks.total
    assert ids(run(embedded_index, "ภัยแล้ง น้ำท่วม", scope=Scope())) == [2, 1, 3]


def test_an_index_built_with_another_dictionary_is_searched_by_its_chunks(embedded_index):
    put(embedded_index, doc(1, body="ประชุมเรื่องภัยแล้ง"))
    assert embedded_index._dictionary_ids(["ภัยแล้ง"]) is not None
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {embedded_index.meta_table} SET value = 'another' WHERE name = 'dictionary'"
        )
    fresh = type(embedded_index)()
    assert fresh._dictionary_ids(["ภัยแล้ง"]) is None
    assert found(fresh, "ภัยแล้ง") == {1}
    fresh.clear()  # a rebuild takes this dictionary
    assert fresh._dictionary_ids(["ภัยแล้ง"]) is not None


def test_body_bits_are_checked_as_far_as_the_asked_page_needs(embedded_index):
    """The newest match holds the word only in an attachment: it ranks after every body match,
    however many there are, on every page."""
    newest = doc(1, extra="ภัยแล้ง", issued=doc(1).issued.replace(year=2025))
    older = [doc(n, body=f"ภัยแล้ง {n}") for n in range(2, 80)]
    put(embedded_index, newest, *older)
    for offset in (0, 5, 60, 77):
        by_words = ids(run(embedded_index, "ภัยแล้ง", limit=1, offset=offset))
        embedded_index._words_ready = False
        by_chunks = ids(run(embedded_index, "ภัยแล้ง", limit=1, offset=offset))
        embedded_index._words_ready = None
        assert by_words == by_chunks, offset
    assert ids(run(embedded_index, "ภัยแล้ง", limit=1, offset=78)) == [1]


def test_status_tells_whether_the_word_postings_fit_this_dictionary(embedded_index):
    def status() -> str:
        out = StringIO()
        call_command("search_index", "status", stdout=out)
        return out.getvalue()

    assert "search_index rebuild" not in status()
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {embedded_index.meta_table} SET value = 'another' WHERE name = 'dictionary'"
        )
    assert "search_index rebuild" in status()


def test_an_updated_or_deleted_circular_leaves_no_word_behind(embedded_index):
    """The same page on the same day keeps its row key: a posting left by the old text would
    make the new one match."""
    put(embedded_index, doc(1, subject="ภัยแล้ง 2564", body="น้ำท่วม", extra="ฝนตกหนัก"))
    put(embedded_index, doc(1, subject="ไฟป่า", body="หมอกควัน"), doc(2, body="ฝนตกหนัก"))
    for gone in ("ภัยแล้ง", "2564", "น้ำท่วม", "ภัยแล้ง น้ำท่วม"):
        assert found(embedded_index, gone) == set(), gone
    assert found(embedded_index, "ฝนตกหนัก") == {2}
    assert found(embedded_index, "ไฟป่า หมอกควัน") == {1}
    embedded_index.delete([1])
    assert found(embedded_index, "ไฟป่า") == set()
    put(embedded_index, doc(1, body="ไฟป่า"))
    assert found(embedded_index, "ไฟป่า") == {1}
