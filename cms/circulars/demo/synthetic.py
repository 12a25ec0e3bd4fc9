"""Bulk synthetic circulars for benchmarks: the demo letters' sentences, recombined."""

from __future__ import annotations

import datetime
import json
import random
from collections.abc import Iterator
from pathlib import Path

from cms.thai.digits import to_thai

DEMO_FILE = Path(__file__).resolve().parent / "circulars.jsonl"
UNITS = ["0808", "0810", "0810.2", "0810.3", "0812", "0816", "0819"]
URGENCIES = ["", "", "", "ด่วน", "ด่วนมาก", "ด่วนที่สุด"]


def _demo_records() -> list[dict]:
    with DEMO_FILE.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def synthetic_records(count: int, *, seed: int = 0, first_year: int = 2012) -> Iterator[dict]:
    """`count` distinct interchange records with realistic parts and unique numbers."""
    rng = random.Random(seed)
    demo = _demo_records()
    subjects = [r["subject"] for r in demo]
    paragraphs = [p for r in demo for p in r.get("body", "").split("\n\n") if p.strip()]
    enclosures = [e for r in demo for e in r.get("enclosures", [])]
    signatories = [r["signatory"] for r in demo if r.get("signatory")]
    running: dict[tuple[int, str], int] = {}
    for n in range(count):
        year = first_year + rng.randrange(13)
        issued = datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randrange(365))
        unit = rng.choice(UNITS)
        key = (issued.year, unit)
        running[key] = running.get(key, rng.randrange(1, 50)) + rng.randrange(1, 9)
        number = running[key]
        be_year = issued.year + 543
        digits = to_thai if rng.random() < 0.7 else str
        head, tail = rng.sample(subjects, 2)
        subject = f"{head.split(' ')[0]} {tail.split(' ', 1)[-1]}"
        body = "\n\n".join(rng.sample(paragraphs, k=min(len(paragraphs), rng.randrange(3, 7))))
        record = {
            "source_id": f"synthetic:{seed}:{n}",
            "doc_number": f"มท {digits(unit)}/ว {digits(str(number))}",
            "issued_on": issued.isoformat(),
            "subject": subject,
            "addressee": "ผู้ว่าราชการจังหวัด ทุกจังหวัด",
            "references": [],
            "enclosures": rng.sample(enclosures, k=min(len(enclosures), rng.randrange(0, 3))),
            "body": body,
            "signatory": rng.choice(signatories),
            "urgency": rng.choice(URGENCIES),
            "state": "distributed" if rng.random() < 0.9 else "closed",
            "topics": [],
        }
        if n and rng.random() < 0.2:
            record["references"] = [
                f"หนังสือกรมส่งเสริมการปกครองท้องถิ่น ที่ มท {to_thai(unit)}/ว "
                f"{to_thai(str(max(1, number - 3)))} ลงวันที่ ๑ มกราคม {to_thai(str(be_year))}"
            ]
        yield record


def write_jsonl(path: Path, count: int, *, seed: int = 0) -> int:
    with path.open("w", encoding="utf-8") as handle:
        for record in synthetic_records(count, seed=seed):
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return count
