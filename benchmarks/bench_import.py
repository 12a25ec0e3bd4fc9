"""Import speed: synthetic JSONL records per second with search indexing off (target ≥ 200/s)."""

import argparse
import os
import resource
import time
from pathlib import Path

import django

TARGET_PER_SECOND = 200


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=3000)
    options = parser.parse_args()
    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from cms.circulars.demo.synthetic import write_jsonl
    from cms.circulars.importing.importer import CircularImporter
    from cms.circulars.importing.sources import read_records
    from cms.circulars.site_setup import ensure_archive

    call_command("migrate", verbosity=0)
    tmp = Path(os.environ.get("WIAN_BENCH_TMP", "/tmp"))
    source = tmp / "synthetic.jsonl"
    write_jsonl(source, options.count, seed=42)
    archive = ensure_archive()
    rows = []
    for label in ("first import (all created)", "re-import (all unchanged)"):
        started = time.perf_counter()
        summary = CircularImporter(archive, index=False).run(read_records([source]))
        elapsed = time.perf_counter() - started
        assert summary.failed == 0, summary.errors[:3]
        rows.append((label, summary.counts["read"], elapsed, summary.counts["read"] / elapsed))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(f"\nImport benchmark ({engine}, {connection.vendor}), search indexing off")
    print(f"{'run':<30} {'records':>8} {'seconds':>8} {'records/s':>10}")
    for label, count, elapsed, rate in rows:
        print(f"{label:<30} {count:>8} {elapsed:>8.2f} {rate:>10.0f}")
    verdict = "meets" if rows[0][3] >= TARGET_PER_SECOND else "MISSES"
    print(f"target ≥ {TARGET_PER_SECOND}/s: {verdict}; peak RSS {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
