"""Thai word segmentation: newmm over pythainlp's dictionary plus the government vocabulary, run
by nlpo3 (newmm in Rust, about 5x faster) when it is installed, else by pythainlp's own newmm.
Everything comes from installed packages: nothing is downloaded.

Only runs of Thai go to the engine. The engines disagree on the characters around Thai: nlpo3
glues an opening bracket or a full stop to the Thai word beside it ("(สพฐ.)", which a word field
split on whitespace could then not match) and cuts "mp4" in two, newmm keeps "(2)" whole. The
rest of the text is cut here, the same whichever engine runs: runs of letters and digits, and
single other characters.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import threading
from functools import lru_cache
from pathlib import Path

GOVERNMENT_WORDS_FILE = Path(__file__).resolve().parent / "data" / "government_words.txt"
_THAI_RUN = re.compile(r"([\u0e00-\u0e7f]+)")
# Outside Thai: a run of letters and digits, or one other visible character.
_PIECE = re.compile(r"[^\W_]+|\S")
_lock = threading.Lock()


def government_words() -> list[str]:
    """Unit names, abbreviations (สถ., อปท., อบต. ...) and other official vocabulary."""
    text = GOVERNMENT_WORDS_FILE.read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip()]


@lru_cache(maxsize=1)
def dictionary() -> frozenset[str]:
    from pythainlp.corpus.common import thai_words

    return frozenset(thai_words()) | {w.rstrip(".") for w in government_words()}


@lru_cache(maxsize=1)
def _nlpo3_dictionary() -> str | None:
    """The name under which nlpo3 holds `dictionary()`, or None when nlpo3 is not installed.
    nlpo3 loads a dictionary only from a file: it is written to a temporary one, read, and
    removed (the name depends on the words, since nlpo3 never replaces a loaded name)."""
    try:
        import nlpo3
    except ImportError:
        return None
    text = "\n".join(sorted(dictionary()))
    name = "wian-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]
    handle, path = tempfile.mkstemp(prefix="wian-words-", suffix=".txt")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        _message, loaded = nlpo3.load_dict(path, name)
    finally:
        os.unlink(path)
    return name if loaded else None


@lru_cache(maxsize=1)
def _newmm():
    from pythainlp.tokenize import Tokenizer

    return Tokenizer(custom_dict=set(dictionary()), engine="newmm", keep_whitespace=False)


def engine() -> str:
    """Which engine `words` uses: "nlpo3" or "newmm"."""
    return "nlpo3" if _nlpo3_dictionary() else "newmm"


def run_words(run: str, engine_name: str | None = None) -> list[str]:
    """The words of a run of Thai characters."""
    if (engine_name or engine()) == "nlpo3":
        import nlpo3

        return nlpo3.segment(run, _nlpo3_dictionary())
    with _lock:  # newmm's trie is shared; keep concurrent calls from interleaving
        return _newmm().word_tokenize(run)


def words(text: str, engine_name: str | None = None) -> list[str]:
    """The words of `text` in order, without whitespace."""
    if not text:
        return []
    found: list[str] = []
    # split() with a group: the runs of Thai at the odd places.
    for n, part in enumerate(_THAI_RUN.split(text)):
        found += run_words(part, engine_name) if n % 2 else _PIECE.findall(part)
    return found
