"""Where records come from: JSON Lines files and raw letter text, one record at a time."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

TEXT_SUFFIXES = {".txt", ".text"}
JSONL_SUFFIXES = {".jsonl", ".ndjson", ".json"}


@dataclass
class SourceRecord:
    origin: str  # "file.jsonl:12" or "letter.txt": where to look when something is wrong
    record: dict | None
    error: str = ""
    raw: str = ""


def expand_paths(paths: list[str | Path]) -> list[Path]:
    """Files named, and the letter and JSONL files inside folders named, in a stable order."""
    found: list[Path] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES | JSONL_SUFFIXES
                )
            )
        else:
            found.append(path)
    return found


def count_records(paths: list[Path]) -> int:
    total = 0
    for path in paths:
        if path.suffix.lower() in JSONL_SUFFIXES and path.is_file():
            with path.open("rb") as handle:
                total += sum(1 for line in handle if line.strip())
        else:
            total += 1
    return total


def _read_jsonl(path: Path) -> Iterator[SourceRecord]:
    with path.open(encoding="utf-8-sig") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            origin = f"{path}:{number}"
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                yield SourceRecord(
                    origin, None, _("Not valid JSON: %(error)s") % {"error": error}, line
                )
                continue
            if not isinstance(record, dict):
                yield SourceRecord(origin, None, _("A record must be a JSON object."), line)
                continue
            yield SourceRecord(origin, record, raw=line)


def _read_letter(path: Path) -> SourceRecord:
    from cms.circulars.importing.letter_text import LetterParseError, parse_letter

    origin = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        text = path.read_text(encoding="cp874", errors="replace")
    try:
        return SourceRecord(origin, parse_letter(text, source_id=path.name), raw=text)
    except LetterParseError as error:
        return SourceRecord(origin, None, str(error), text)


def read_records(paths: list[Path]) -> Iterator[SourceRecord]:
    for path in paths:
        if not path.is_file():
            yield SourceRecord(str(path), None, _("No such file."))
        elif path.suffix.lower() in JSONL_SUFFIXES:
            yield from _read_jsonl(path)
        else:
            yield _read_letter(path)
