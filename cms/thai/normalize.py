"""Thai spelling normalisation (pythainlp's `normalize`), applied only where it changes something.

pythainlp runs some twenty regular expressions over the whole text, which dominated indexing
time. Its rules only ever act on short shapes: a zero-width character, a dangling mark at the
start or after a space, two sara e, a tone mark (or thanthakhat) before an above or below vowel,
nikhahit before a tone mark or sara aa, a follow vowel before a tone mark, lakkhangyao, two
tone marks, and a vowel or sign repeated with at most spaces between. Once runs of whitespace
are one space (pythainlp's own first step does much the same), every such shape is one of a few
hundred strings of two or three characters, all found in one Aho-Corasick pass (three to four
times faster than the equivalent regular expression); text holding none comes back unchanged.
The property is tested on every string of up to three characters over the marks.
"""

from bisect import bisect_right
from functools import lru_cache
from itertools import accumulate


@lru_cache(maxsize=1)
def _classes() -> dict[str, str]:
    from pythainlp import (
        thai_above_vowels,
        thai_below_vowels,
        thai_follow_vowels,
        thai_lead_vowels,
        thai_tonemarks,
    )

    signs = "\u0e3a\u0e4c\u0e4d\u0e4e"  # phinthu, thanthakhat, nikhahit, yamakkan
    return {
        "tone": thai_tonemarks,
        "above_below": thai_above_vowels + thai_below_vowels,
        "follow": thai_follow_vowels,
        "dangling": thai_above_vowels + thai_below_vowels + thai_tonemarks + signs,
        "no_repeat": thai_follow_vowels
        + thai_lead_vowels
        + thai_above_vowels
        + thai_below_vowels
        + signs,
    }


def shapes() -> set[str]:
    """Every string whose presence (in text with single spaces) lets a pythainlp rule act."""
    c = _classes()
    found = {"\u200b", "\u200c", "\u0e45"}  # zero-width; lakkhangyao, read as sara aa
    found |= {" " + mark for mark in c["dangling"]}  # a mark after a space: dropped or joined
    found.add("\u0e40\u0e40")  # two sara e: sara ae
    found |= {t + v for t in c["tone"] + "\u0e4c" for v in c["above_below"]}
    found |= {"\u0e4d\u0e32"} | {"\u0e4d" + t for t in c["tone"]}
    found |= {f + t for f in c["follow"] for t in c["tone"]}
    found |= {a + b for a in c["tone"] for b in c["tone"]}
    found |= {ch + ch for ch in c["no_repeat"]} | {ch + " " + ch for ch in c["no_repeat"]}
    return found


@lru_cache(maxsize=1)
def _finder():
    import ahocorasick

    automaton = ahocorasick.Automaton(ahocorasick.STORE_LENGTH)
    for shape in shapes():
        automaton.add_word(shape)
    automaton.make_automaton()
    return automaton


def _shapes_at(text: str) -> list[tuple[int, int]]:
    """Where the shapes lie in `text` (single spaces, stripped), as (start, end) offsets."""
    found = [(end - length + 1, end + 1) for end, length in _finder().iter(text)]
    if text and text[0] in _classes()["dangling"]:
        found.insert(0, (0, 1))
    return found


def needs_normalizing(text: str) -> bool:
    """Whether pythainlp's normalisation could change `text` (whose whitespace is single
    spaces, without leading or trailing space)."""
    return bool(_shapes_at(text))


@lru_cache(maxsize=1)
def _pythainlp_normalize():
    from pythainlp.util import normalize

    return normalize


def normalize_thai(text: str) -> str:
    """`text` with every run of whitespace made one space, stripped, and pythainlp's
    normalisation applied where one of its rules can act.

    Only the words around each shape go through pythainlp (with the word before and the word
    after, so that a rule acting across a space sees both sides): on a whole letter it costs
    some 3 ms, and one letter in twenty holds a shape or two (mostly ํา typed for ำ)."""
    text = " ".join(text.split())
    found = _shapes_at(text)
    if not found:
        return text
    words = text.split(" ")
    starts = list(accumulate((len(w) + 1 for w in words[:-1]), initial=0))
    windows: list[list[int]] = []  # [first word, last word], merged where they touch
    for start, end in found:
        first = max(0, bisect_right(starts, start) - 2)
        last = min(len(words) - 1, bisect_right(starts, end - 1))
        if windows and first <= windows[-1][1] + 1:
            windows[-1][1] = max(windows[-1][1], last)
        else:
            windows.append([first, last])
    normalize = _pythainlp_normalize()
    pieces, done = [], 0
    for first, last in windows:
        pieces += words[done:first]
        pieces.append(normalize(" ".join(words[first : last + 1])))
        done = last + 1
    pieces += words[done:]
    # A rule can leave two spaces where it dropped a mark between them, or an empty window.
    return " ".join(" ".join(pieces).split())
