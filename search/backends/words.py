"""Which dictionary words and numbers a text holds: the embedded indexes' exact word postings.

Every word of the segmentation dictionary (pythainlp's and the government vocabulary, in index
form, at least MIN_CHARS characters) gets an id, its place in the sorted list. A text holds a
word wherever the word occurs in it as a substring: an Aho-Corasick automaton over the whole
dictionary finds every occurrence in one pass (about 12 million characters a second), so
พิพิธ inside พิพิธภัณฑ์ counts, and no segmenter decides where words begin. A lookup of a
term's id therefore answers exactly what the substring index answers, for every term that is
a dictionary word; other terms (phrases, names, numbers with separators) go to the substring
index.

Numbers are posted the same way: every piece of MIN_CHARS to MAX_DIGITS digits of each run of
digits gets a negative id (a year such as 2566 is in most circulars' texts, and through the
substring index a common number cost tens of milliseconds to count).

The ids depend on the dictionary and on how numbers are keyed: an index built otherwise has
another `fingerprint`, and its postings must not be used until it is rebuilt.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from operator import itemgetter

from search.analysis import normalize

MIN_CHARS = 3
MAX_DIGITS = 8  # keys are 32-bit: 2 * -(10**8 + 99999999) - 1 still fits
_DIGIT_RUN = re.compile(f"[0-9]{{{MIN_CHARS},}}")  # in index form every digit is ASCII
_NUMBER_KEYING = "numbers: 10**len + value, negated, 3 to 8 digits"


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
    text = "\n".join([_NUMBER_KEYING, *vocabulary()])
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


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


def number_id(digits: str) -> int:
    """The id of a string of MIN_CHARS to MAX_DIGITS ASCII digits: negative, so never a word's,
    and its length counts ("0812" is not "812")."""
    return -(10 ** len(digits) + int(digits))


def numbers_in(text: str) -> set[int]:
    """The ids of every piece of MIN_CHARS to MAX_DIGITS digits of each run of digits in `text`
    (in index form): 2566 is found inside 25660, as the substring index finds it."""
    found: set[int] = set()
    for run in _DIGIT_RUN.findall(text):
        for size in range(MIN_CHARS, min(MAX_DIGITS, len(run)) + 1):
            found.update(number_id(run[i : i + size]) for i in range(len(run) - size + 1))
    return found


def ids_in(text: str) -> set[int]:
    """The ids of the dictionary words and the numbers in `text`."""
    return words_in(text) | numbers_in(text)


def other_text(doc) -> str:
    """A document's texts posted apart from its body: subject, number and attachments."""
    return f"{doc.subject or ''}\n{doc.doc_number or ''}\n{doc.extra or ''}"


def _is_number(term: str) -> bool:
    return term.isascii() and term.isdigit() and MIN_CHARS <= len(term) <= MAX_DIGITS


def ids_of(terms: list[str]) -> list[int] | None:
    """Each term's id, or None when a term is neither a dictionary word nor a number of
    MIN_CHARS to MAX_DIGITS digits."""
    ids = word_ids()
    found = [number_id(term) if _is_number(term) else ids.get(term) for term in terms]
    return None if None in found else found  # type: ignore[return-value]
