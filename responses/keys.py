"""Readable answer keys made from Thai question labels.

``readable_key("ชื่อผู้รายงาน", taken=set())`` → ``"ชื่อผู้รายงาน"``: Thai letters, vowels and tone
marks are kept, Latin letters are lower-cased, Thai digits become Arabic digits, and every run of
spaces or punctuation becomes one ``_``. A key already in ``taken`` gets ``_2``, ``_3`` ….

A key is made once, when the question is saved with an empty key (responses.models.pages), and
then never changes: answers are stored by key, so editing the label loses nothing.
"""

from __future__ import annotations

import re
import unicodedata

from cms.thai.digits import to_arabic

MAX_KEY_LENGTH = 60
# Thai consonants, vowels, tone marks and ๆ; not ฯ (U+0E2F), ฿ (U+0E3F), ๏ (U+0E4F), ๚ ๛.
_THAI = "\u0e01-\u0e2e\u0e30-\u0e3a\u0e40-\u0e4e"
_KEY_CHAR = f"0-9a-z_{_THAI}"
_NOT_KEY = re.compile(f"[^0-9a-z{_THAI}]+")
KEY_RE = re.compile(f"[{_KEY_CHAR}]{{1,{MAX_KEY_LENGTH + 4}}}")
FALLBACK = "q"


def slug_key(text: str) -> str:
    """The key shape of text, without deduplication ("" when nothing usable is left)."""
    text = unicodedata.normalize("NFC", to_arabic(text or "")).lower()
    key = _NOT_KEY.sub("_", text).strip("_")
    if len(key) > MAX_KEY_LENGTH:
        key = key[:MAX_KEY_LENGTH].rstrip("_")
    return key


def readable_key(label: str, taken) -> str:
    """A key for `label` that is not in `taken` (a set of keys already used)."""
    base = slug_key(label) or FALLBACK
    if base not in taken:
        return base
    n = 2
    while f"{base}_{n}" in taken:
        n += 1
    return f"{base}_{n}"


def is_valid_key(key: str) -> bool:
    """True for a key an editor may type: letters (Thai or a–z), digits and _ only."""
    return bool(key) and KEY_RE.fullmatch(key) is not None
