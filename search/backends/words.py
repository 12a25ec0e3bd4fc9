"""Which dictionary words a text holds: PostgreSQL's exact word postings.

Every word of the segmentation dictionary (pythainlp's and the government vocabulary, in index
form, at least MIN_CHARS characters) gets an id, its place in the sorted list. A text holds a
word wherever the word occurs in it as a substring: an Aho-Corasick automaton over the whole
dictionary finds every occurrence in one pass (about 12 million characters a second), so
พิพิธ inside พิพิธภัณฑ์ counts, and no segmenter decides where words begin. A lookup of a
term's id therefore answers exactly what the substring index answers, for every term that is
a dictionary word; other terms (phrases, numbers, names) go to the substring index.

The ids depend on the dictionary: an index built with another dictionary has another
`fingerprint`, and its word postings must not be used until it is rebuilt.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from operator import itemgetter

from search.analysis import normalize

MIN_CHARS = 3


@lru_cache(maxsize=1)
def vocabulary() -> tuple[str, ...]:
    """The dictionary's words in index form, sorted: a word's id is its place here."""
    from cms.thai.segment import dictionary

    words = {normalize(word) for word in dictionary()}
    return tuple(
        sorted(w for w in words if len(w) >= MIN_CHARS and w.isprintable() and " " not in w)
    )


@lru_cache(maxsize=1)
def word_ids() -> dict[str, int]:
    return {word: n for n, word in enumerate(vocabulary())}


@lru_cache(maxsize=1)
def fingerprint() -> str:
    return hashlib.sha1("\n".join(vocabulary()).encode("utf-8")).hexdigest()[:16]


@lru_cache(maxsize=1)
def _automaton():
    import ahocorasick

    automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
    for n, word in enumerate(vocabulary()):
        automaton.add_word(word, n)
    automaton.make_automaton()
    return automaton


_ID = itemgetter(1)  # of the automaton's (end, id) pairs


def words_in(text: str) -> set[int]:
    """The ids of the dictionary words that occur in `text` (in index form)."""
    if len(text) < MIN_CHARS:
        return set()
    return set(map(_ID, _automaton().iter(text)))


def ids_of(terms: list[str]) -> list[int] | None:
    """Each term's id, or None when a term is not a dictionary word."""
    ids = word_ids()
    found = [ids.get(term) for term in terms]
    return None if None in found else found  # type: ignore[return-value]
