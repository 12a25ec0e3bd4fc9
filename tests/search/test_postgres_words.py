"""PostgreSQL's word postings: the dictionary words each circular holds anywhere in its text,
looked up without a recheck. Finding the words is tested everywhere; the rest on PostgreSQL."""

from __future__ import annotations

import random
from io import StringIO

from django.core.management import call_command
from django.db import connection

from search.analysis import normalize
from search.backends import postgres, words
from search.backends.base import Scope
from tests.search.test_backend_contract import doc, found, ids, put, run


def test_a_word_is_found_inside_a_longer_word():
    held = words.words_in(normalize("เยี่ยมชมพิพิธภัณฑ์แห่งชาติ"))
    ids_ = words.ids_of([normalize("พิพิธ"), normalize("พิพิธภัณฑ์"), normalize("ชาติ")])
    assert ids_ is not None
    assert set(ids_) <= held
    assert words.ids_of([normalize("มหาดไทย")])[0] not in held


def test_only_dictionary_words_have_ids():
    assert words.ids_of(["ภัยแล้ง", "2564"]) is None  # a number is not a dictionary word
    assert words.ids_of(["ภัยแล้ง ฝนตก"]) is None  # nor is a phrase
    assert words.ids_of(["ภัยแล้ง"]) is not None
    assert all(len(word) >= words.MIN_CHARS for word in words.vocabulary())


def test_the_keys_tell_the_body_from_the_other_fields():
    keys = postgres.word_keys(doc(1, subject="น้ำท่วม", body="ภัยแล้ง"))
    (flood,), (drought,) = words.ids_of(["น้ำท่วม"]), words.ids_of(["ภัยแล้ง"])
    assert 2 * drought in keys and 2 * drought + 1 not in keys
    assert 2 * flood + 1 in keys and 2 * flood not in keys


def test_the_array_copied_holds_the_keys():
    built = doc(1, subject="น้ำท่วมและภัยแล้ง", body="ภัยแล้งในพื้นที่ป่า", extra="ฝนตกหนัก")
    literal = postgres.word_array(built)
    assert literal[0] == "{" and literal[-1] == "}"
    assert sorted(int(key) for key in literal[1:-1].split(",")) == postgres.word_keys(built)
    assert postgres.word_array(doc(2, subject="ก", body="")) == "{}"


def _by_chunks(backend, text, **options):
    backend._words_ready = False
    try:
        return found(backend, text, **options)
    finally:
        backend._words_ready = None


def test_word_postings_find_exactly_the_circulars_holding_the_word(postgres_index):
    """Texts glued from dictionary words with no spaces, so words also occur across the joins
    and inside longer words: the postings must find exactly the substring matches."""
    rng = random.Random(4)
    vocabulary = [w for w in words.vocabulary() if "\u0e00" <= w[0] <= "\u0e7f"]
    pool = rng.sample(vocabulary, 60)
    texts = {n: "".join(rng.choices(pool, k=40)) for n in range(1, 41)}
    put(postgres_index, *(doc(n, body=text) for n, text in texts.items()))
    probes = pool[:25] + [w for w in vocabulary if any(w in t for t in texts.values())][:25]
    for term in probes:
        assert postgres_index._dictionary_ids([term]) is not None
        expected = {n for n, text in texts.items() if term in text}
        assert found(postgres_index, term) == expected, term
        assert _by_chunks(postgres_index, term) == expected, term


def test_word_postings_rank_like_the_chunks(postgres_index):
    put(
        postgres_index,
        doc(1, body="ภัยแล้ง และน้ำท่วม", issued=doc(1).issued.replace(year=2024)),
        doc(2, subject="ภัยแล้งและน้ำท่วม", issued=doc(1).issued.replace(year=2019)),
        doc(3, number="มท 0812/ว 1", body="ภัยแล้ง", extra="น้ำท่วม"),
        doc(4, body="ภัยแล้ง"),  # one word only
        doc(5, body="น้ำท่วม", extra="ภัยแล้ง", public=False),
    )
    for text in ("ภัยแล้ง น้ำท่วม", "น้ำท่วม"):
        assert postgres_index._dictionary_ids(text.split()) is not None
        by_words = run(postgres_index, text, scope=Scope())
        postgres_index._words_ready = False
        by_chunks = run(postgres_index, text, scope=Scope())
        postgres_index._words_ready = None
        assert ids(by_words) == ids(by_chunks)
        assert by_words.total == by_chunks.total
    assert ids(run(postgres_index, "ภัยแล้ง น้ำท่วม", scope=Scope())) == [2, 1, 3]


def test_an_index_built_with_another_dictionary_is_searched_by_its_chunks(postgres_index):
    put(postgres_index, doc(1, body="ประชุมเรื่องภัยแล้ง"))
    assert postgres_index._dictionary_ids(["ภัยแล้ง"]) is not None
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {postgres.META} SET value = 'another' WHERE name = 'dictionary'")
    fresh = postgres.PostgresBackend()
    assert fresh._dictionary_ids(["ภัยแล้ง"]) is None
    assert found(fresh, "ภัยแล้ง") == {1}
    fresh.clear()  # a rebuild takes this dictionary
    assert fresh._dictionary_ids(["ภัยแล้ง"]) is not None


def test_body_bits_are_checked_as_far_as_the_asked_page_needs(postgres_index):
    """The newest match holds the word only in an attachment: it ranks after every body match,
    however many there are, on every page."""
    newest = doc(1, extra="ภัยแล้ง", issued=doc(1).issued.replace(year=2025))
    older = [doc(n, body=f"ภัยแล้ง {n}") for n in range(2, 80)]
    put(postgres_index, newest, *older)
    for offset in (0, 5, 60, 77):
        by_words = ids(run(postgres_index, "ภัยแล้ง", limit=1, offset=offset))
        postgres_index._words_ready = False
        by_chunks = ids(run(postgres_index, "ภัยแล้ง", limit=1, offset=offset))
        postgres_index._words_ready = None
        assert by_words == by_chunks, offset
    assert ids(run(postgres_index, "ภัยแล้ง", limit=1, offset=78)) == [1]


def test_status_tells_whether_the_word_postings_fit_this_dictionary(postgres_index):
    def status() -> str:
        out = StringIO()
        call_command("search_index", "status", stdout=out)
        return out.getvalue()

    assert "search_index rebuild" not in status()
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {postgres.META} SET value = 'another' WHERE name = 'dictionary'")
    assert "search_index rebuild" in status()
