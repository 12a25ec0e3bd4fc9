"""Thai digits (๐–๙): conversion to and from Arabic digits, and tolerant integer parsing."""

import re

from django.utils.translation import gettext_lazy as _

THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
ARABIC_DIGITS = "0123456789"

# str.translate looks every character up in a dict, which is slow on long letters; ten
# str.replace calls run in C and skip digits that are absent.
_PAIRS_TO_ARABIC = tuple(zip(THAI_DIGITS, ARABIC_DIGITS, strict=True))
_PAIRS_TO_THAI = tuple(zip(ARABIC_DIGITS, THAI_DIGITS, strict=True))
_THAI_DIGIT_RE = re.compile("[๐-๙]")

# Plain digits, or digits grouped by thousands ("45,684"). [0-9], not \d: \d would also
# accept other scripts' digits, which int() would then silently read.
_INTEGER_RE = re.compile(r"[0-9]+|[0-9]{1,3}(?:,[0-9]{3})+")


def to_arabic(text: str) -> str:
    """Return text with every Thai digit replaced by its Arabic digit (same length)."""
    if not _THAI_DIGIT_RE.search(text):
        return text
    for thai, arabic in _PAIRS_TO_ARABIC:
        text = text.replace(thai, arabic)
    return text


def to_thai(text: str) -> str:
    """Return text with every Arabic digit replaced by its Thai digit (same length)."""
    for arabic, thai in _PAIRS_TO_THAI:
        text = text.replace(arabic, thai)
    return text


def has_thai_digits(text: str) -> bool:
    """Return True if text contains at least one Thai digit."""
    return any(char in THAI_DIGITS for char in text)


def parse_int(text: str) -> int:
    """Read a non-negative integer written in Thai, Arabic or mixed digits, e.g. "๔๕,๖๘๔"."""
    candidate = to_arabic(text).strip()
    if not _INTEGER_RE.fullmatch(candidate):
        raise ValueError(_("Enter a whole number, in Thai or Arabic digits."))
    return int(candidate.replace(",", ""))
