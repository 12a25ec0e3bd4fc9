"""Thai digits (๐–๙): conversion to and from Arabic digits, and tolerant integer parsing."""

import re

from django.utils.translation import gettext_lazy as _

THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
ARABIC_DIGITS = "0123456789"

_TO_ARABIC = str.maketrans(THAI_DIGITS, ARABIC_DIGITS)
_TO_THAI = str.maketrans(ARABIC_DIGITS, THAI_DIGITS)

# Plain digits, or digits grouped by thousands ("45,684"). [0-9], not \d: \d would also
# accept other scripts' digits, which int() would then silently read.
_INTEGER_RE = re.compile(r"[0-9]+|[0-9]{1,3}(?:,[0-9]{3})+")


def to_arabic(text: str) -> str:
    """Return text with every Thai digit replaced by its Arabic digit (same length)."""
    return text.translate(_TO_ARABIC)


def to_thai(text: str) -> str:
    """Return text with every Arabic digit replaced by its Thai digit (same length)."""
    return text.translate(_TO_THAI)


def has_thai_digits(text: str) -> bool:
    """Return True if text contains at least one Thai digit."""
    return any(char in THAI_DIGITS for char in text)


def parse_int(text: str) -> int:
    """Read a non-negative integer written in Thai, Arabic or mixed digits, e.g. "๔๕,๖๘๔"."""
    candidate = to_arabic(text).strip()
    if not _INTEGER_RE.fullmatch(candidate):
        raise ValueError(_("Enter a whole number, in Thai or Arabic digits."))
    return int(candidate.replace(",", ""))
