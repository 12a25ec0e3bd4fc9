"""Thai word segmentation: pythainlp (newmm, or nlpo3 when installed) with the dictionary's words
plus government vocabulary. Everything comes from installed packages: nothing is downloaded."""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from pathlib import Path

GOVERNMENT_WORDS_FILE = Path(__file__).resolve().parent / "data" / "government_words.txt"
_THAI_RUN = re.compile(r"[\u0e00-\u0e7f]+")
_lock = threading.Lock()


def government_words() -> list[str]:
    """Unit names, abbreviations (สถ., อปท., อบต. ...) and other official vocabulary."""
    text = GOVERNMENT_WORDS_FILE.read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip()]


@lru_cache(maxsize=1)
def _tokenizer():
    from pythainlp.corpus.common import thai_words
    from pythainlp.tokenize import Tokenizer

    words = set(thai_words()) | {w.rstrip(".") for w in government_words()}
    return Tokenizer(custom_dict=words, engine="newmm", keep_whitespace=False)


def words(text: str) -> list[str]:
    """The words of `text` in order, without whitespace."""
    if not text:
        return []
    with _lock:  # newmm's trie is shared; keep concurrent calls from interleaving
        tokens = _tokenizer().word_tokenize(text)
    return [t for t in (token.strip() for token in tokens) if t]


@lru_cache(maxsize=1)
def dictionary() -> frozenset[str]:
    from pythainlp.corpus.common import thai_words

    return frozenset(thai_words()) | {w.rstrip(".") for w in government_words()}


def thai_runs(text: str) -> list[str]:
    return _THAI_RUN.findall(text)
