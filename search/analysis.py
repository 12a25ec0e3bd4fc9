"""The one Thai analysis pipeline, used at index time and at query time by every backend."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from cms.thai.digits import THAI_DIGITS, to_arabic
from cms.thai.normalize import normalize_thai

_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_QUOTED = re.compile(r'"([^"]+)"|“([^”]+)”')


def normalize(text: str) -> str:
    """Index/query form: invisible characters dropped, Thai digits → Arabic, runs of whitespace
    → one space, pythainlp's normalisation of Thai spelling variants, lower case."""
    if not text:
        return ""
    text = _INVISIBLE.sub("", unicodedata.normalize("NFC", text))
    return normalize_thai(to_arabic(text)).lower()


_FIELD_BREAK = "\u0e5b"  # a Thai sign no text uses alone: splits fields normalised together


def normalize_many(*texts: str) -> list[str]:
    """`normalize` applied to several texts in one pass (one call per document instead of one
    per field)."""
    parts = normalize(f" {_FIELD_BREAK} ".join(t or "" for t in texts)).split(_FIELD_BREAK)
    if len(parts) != len(texts):  # a text holds the separator: one by one
        return [normalize(t) for t in texts]
    return [p.strip() for p in parts]


def document_number_forms(printed: str) -> str:
    """A number's searchable spellings: as printed, and compact ('มท0812/ว271')."""
    from cms.thai.docnumbers import normalize_doc_number

    if not printed:
        return ""
    return f"{normalize(printed)} {normalize_doc_number(printed).lower()}"


@dataclass
class ParsedQuery:
    text: str  # the whole query, normalised
    terms: list[str] = field(default_factory=list)  # AND-ed terms when the whole does not match
    phrases: list[str] = field(default_factory=list)  # quoted parts: always exact

    @property
    def empty(self) -> bool:
        return not self.text


def match_attempts(parsed: ParsedQuery) -> list[tuple[list[str], bool]]:
    """What every backend tries, in order, as (terms, exact) pairs: the whole query as one
    exact substring (unless something is quoted), then all terms AND-ed (quoted ones whole)."""
    terms = [t for t in parsed.terms if t]
    tries: list[tuple[list[str], bool]] = []
    if not parsed.phrases and parsed.text:
        tries.append(([parsed.text], True))
    if terms and (len(terms) > 1 or parsed.phrases):
        tries.append((terms, False))
    return tries


def parse_query(raw: str) -> ParsedQuery:
    """Quoted parts stay whole; the rest splits on spaces. The whole text is tried first."""
    raw = raw or ""
    phrases = [normalize(a or b) for a, b in _QUOTED.findall(raw)]
    rest = _QUOTED.sub(" ", raw)
    terms = [t for t in (normalize(p) for p in rest.split()) if t]
    whole = normalize(raw.replace('"', " ").replace("“", " ").replace("”", " "))
    return ParsedQuery(text=whole, terms=[*phrases, *terms], phrases=[p for p in phrases if p])


# -- highlighting on the original text ----------------------------------------------------------

_COMBINING = {"Mn", "Mc", "Me"}


def _char_pattern(ch: str) -> str:
    if ch.isdigit():
        arabic = to_arabic(ch)
        return f"[{arabic}{THAI_DIGITS[int(arabic)]}]"
    if ch == " ":
        return r"\s+"
    return re.escape(ch)


def term_pattern(term: str) -> str:
    """A regex finding `term` in original text whatever its digits and spacing."""
    return "".join(_char_pattern(ch) for ch in term)


def _cluster_start(text: str, index: int) -> int:
    while 0 < index < len(text) and unicodedata.category(text[index]) in _COMBINING:
        index -= 1
    return index


def _cluster_end(text: str, index: int) -> int:
    while index < len(text) and unicodedata.category(text[index]) in _COMBINING:
        index += 1
    return index


def snippet(text: str, terms: list[str], width: int = 160) -> list[tuple[str, bool]]:
    """A window of `text` around the first match, as (piece, is_match) pairs. The window never
    starts or ends inside a Thai grapheme cluster (a consonant with its vowel and tone marks)."""
    text = " ".join((text or "").split())
    patterns = [term_pattern(t) for t in sorted(set(terms), key=len, reverse=True) if t]
    if not text:
        return []
    if not patterns:
        end = _cluster_end(text, min(len(text), width))
        return [(text[:end], False)]
    finder = re.compile("|".join(patterns), re.IGNORECASE)
    first = finder.search(text)
    center = first.start() if first else 0
    start = _cluster_start(text, max(0, center - width // 3))
    end = _cluster_end(text, min(len(text), start + width))
    window = text[start:end]
    pieces: list[tuple[str, bool]] = []
    if start > 0:
        pieces.append(("… ", False))
    position = 0
    for match in finder.finditer(window):
        if match.start() > position:
            pieces.append((window[position : match.start()], False))
        pieces.append((match.group(0), True))
        position = match.end()
    if position < len(window):
        pieces.append((window[position:], False))
    if end < len(text):
        pieces.append((" …", False))
    return pieces
