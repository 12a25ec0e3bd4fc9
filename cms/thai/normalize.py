"""Thai spelling normalisation (pythainlp's `normalize`), applied only where it changes something.

pythainlp runs some twenty regular expressions over the whole text, which dominates indexing
time. Its rules only ever act on a few shapes (a space before a mark, เเ, ํา, a tone mark before
a vowel mark, a follow vowel before a tone mark, a repeated vowel or mark, two tone marks, a
mark at the very start, zero-width characters); text without any of them comes back unchanged,
so it is returned as is. Checked against the whole development corpus: no difference.
"""

import re
from functools import lru_cache

NEEDS_NORMALIZING = re.compile(
    r"\s[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]"
    r"|\u0e40\u0e40|\u0e4d[\u0e48-\u0e4b]?\u0e32"
    r"|[\u0e48-\u0e4e][\u0e31\u0e34-\u0e3a\u0e47]"
    r"|[\u0e32\u0e33][\u0e48-\u0e4b]"
    r"|([\u0e30-\u0e3a\u0e40-\u0e4e])\1"
    r"|[\u0e48-\u0e4b]{2}"
    r"|^[\u0e31\u0e33-\u0e3a\u0e47-\u0e4e]"
    r"|[\u200b-\u200d\ufeff]"
)


@lru_cache(maxsize=1)
def _pythainlp_normalize():
    from pythainlp.util import normalize

    return normalize


def normalize_thai(text: str) -> str:
    """pythainlp.util.normalize(text), skipping the work when no rule can apply."""
    if not text or not NEEDS_NORMALIZING.search(text):
        return text
    return _pythainlp_normalize()(text)
