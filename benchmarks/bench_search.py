"""Search at scale: the embedded index against Wagtail's stock database search and a plain
icontains scan, on the same synthetic archive and the same queries, in one run.

The archive recombines the development corpus (../shared/eval/dev) when it is present: each
synthetic circular takes the subject of one document and paragraphs of others, so word
statistics stay realistic; otherwise it uses the demo generator. Targets (issue 4): query
p50 ≤ 5 ms and p95 ≤ 20 ms in process, indexing ≥ 500 circulars/s.
"""

import argparse
import contextlib
import json
import os
import random
import resource
import statistics
import time
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "eval" / "dev"


@contextlib.contextmanager
def timing_of(backend, method: str):
    """Times calls of one of the backend's methods into the yielded list."""
    times: list[float] = []
    original = getattr(backend, method, None)
    if original is None:
        yield times
        return

    def timed_call(*args, **kwargs):
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            times.append(time.perf_counter() - started)

    setattr(backend, method, timed_call)
    try:
        yield times
    finally:
        delattr(backend, method)


def reference_ms() -> float:
    """A fixed piece of pure Python, timed (best of three): how fast this machine runs the
    interpreter, so that figures from different machines can be compared."""
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        total = 0
        for n in range(10**7):
            total += n
        best = min(best, time.perf_counter() - started)
    return best * 1000


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


def corpus_records(count: int, seed: int = 7):
    rng = random.Random(seed)
    docs = [json.loads(line) for line in (DEV / "corpus.jsonl").open(encoding="utf-8")]
    paragraphs = [p for d in docs for p in d.get("body", "").split("\n\n") if p.strip()]
    for n in range(count):
        base = docs[n % len(docs)]
        body = base.get("body", "").split("\n\n")
        body += rng.sample(paragraphs, 2)
        rng.shuffle(body)
        year = 2012 + rng.randrange(13)
        yield {
            "source_id": f"bench:{n}",
            "subject": base["subject"] if n < len(docs) else f"{base['subject']} ({n})",
            "body": "\n\n".join(body),
            "issued_on": f"{year}-{1 + rng.randrange(12):02d}-{1 + rng.randrange(28):02d}",
            "state": "distributed",
        }


def queries() -> list[tuple[str, str]]:
    """(kind, text) of the development queries, or a few of our own without them."""
    path = DEV / "queries.tsv"
    if path.is_file():
        rows = [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()[1:]]
        return [(row[1], row[2]) for row in rows if len(row) > 2]
    own = ["ปกครอง", "องค์กรปกครองส่วนท้องถิ่น", "งบประมาณ", "2564", "การประชุม ศูนย์"]
    return [("own", text) for text in own]


def timed(fn, items) -> list[float]:
    out = []
    for item in items:
        started = time.perf_counter()
        fn(item)
        out.append((time.perf_counter() - started) * 1000)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument(
        "--stock-queries",
        type=int,
        default=40,
        help="queries run on the slow stock searches (same first N for both)",
    )
    parser.add_argument(
        "--no-stock", action="store_true", help="skip Wagtail's stock index (very slow to build)"
    )
    parser.add_argument("--reindex", action="store_true", help="with --reuse: index anyway")
    parser.add_argument(
        "--reuse", action="store_true", help="skip the import when the archive is there"
    )
    parser.add_argument("--times", metavar="FILE", help="write each query's warm index time")
    options = parser.parse_args()
    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Q

    from cms.circulars.demo.synthetic import synthetic_records
    from cms.circulars.importing.importer import CircularImporter
    from cms.circulars.importing.sources import SourceRecord
    from cms.circulars.models import CircularPage
    from cms.circulars.site_setup import ensure_archive
    from search.analysis import parse_query
    from search.backends.base import Scope, SearchQuery
    from search.indexing import rebuild
    from search.service import embedded_backend, get_backend, search

    call_command("migrate", verbosity=0)
    backend = embedded_backend()
    reused = options.reuse and CircularPage.objects.count() == options.count
    import_s = index_s = None
    final_s: list[float] = []
    if not reused:
        archive = ensure_archive()
        records = (
            corpus_records(options.count)
            if (DEV / "corpus.jsonl").is_file()
            else (synthetic_records(options.count, seed=7))
        )
        started = time.perf_counter()
        summary = CircularImporter(archive, index=False).run(
            SourceRecord(f"bench:{n}", r) for n, r in enumerate(records)
        )
        import_s = time.perf_counter() - started
        assert summary.failed == 0, summary.errors[:3]
    indexed = options.count
    if not reused or options.reindex or backend.count() != options.count:
        started = time.perf_counter()
        with timing_of(backend, "optimize") as final_s:
            indexed = rebuild(backend)
        index_s = time.perf_counter() - started
    size = backend.size_bytes()

    kinds, texts = zip(*queries(), strict=True)

    def engine(q):
        """The index query alone, in process, as an anonymous visitor: what Elasticsearch's
        `took` reports. `search()` below adds the scope and loading the ten pages shown."""
        get_backend().search(SearchQuery(parsed=parse_query(q), scope=Scope(), limit=10))

    ours = timed(lambda q: search(q, None, per_page=10, snippets=False), texts)
    ours_warm = timed(lambda q: search(q, None, per_page=10, snippets=False), texts)
    engine_cold = timed(engine, texts)
    engine_warm = timed(engine, texts)
    if options.times:
        with open(options.times, "w", encoding="utf-8") as out:
            for kind, text, ms in zip(kinds, texts, engine_warm, strict=True):
                out.write(f"{ms:.2f}\t{kind}\t{text}\n")
    sample = texts[: options.stock_queries]
    ours_sample = timed(lambda q: search(q, None, per_page=10, snippets=False), sample)

    def icontains(q):
        terms = q.split()
        condition = Q()
        for term in terms:
            condition &= Q(subject__icontains=term) | Q(body__icontains=term)
        list(CircularPage.objects.live().filter(condition).values_list("pk", flat=True)[:10])

    scan = timed(icontains, sample)

    stock_index_s = None
    stock = []
    print(
        f"our index query: p50 {statistics.median(engine_warm):.1f} ms, "
        f"p95 {percentile(engine_warm, 95):.1f} ms; with the pages loaded: p50 "
        f"{statistics.median(ours_warm):.1f} ms, "
        f"p95 {percentile(ours_warm, 95):.1f} ms over {len(texts)} queries; indexing "
        + (f"{indexed / index_s:.0f}/s" if index_s else "reused"),
        flush=True,
    )
    if not options.no_stock and os.environ.get("WIAN_BENCH_STOCK", "1") == "1":
        started = time.perf_counter()
        call_command("update_index", verbosity=0)
        stock_index_s = time.perf_counter() - started
        stock = timed(lambda q: list(CircularPage.objects.live().search(q)[:10]), sample)

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    vendor = connection.vendor
    print(
        f"\nSearch benchmark on {vendor} ({settings.DATABASES['default']['ENGINE']}), "
        f"{indexed} circulars, {len(texts)} queries ({len(sample)} for the stock searches)"
    )
    print(
        (f"import {indexed / import_s:.0f} circulars/s; " if import_s else "archive reused; ")
        + (
            f"our index {indexed / index_s:.0f} circulars/s ({index_s:.1f} s"
            + (f", of which the final index build {final_s[0]:.1f} s" if final_s else "")
            + "); "
            if index_s
            else "index reused; "
        )
        + f"size on disk {'%.0f MB' % (size / 1e6) if size else 'n/a'}; "
        f"peak RSS {peak_mb:.0f} MB; this machine runs 10^7 Python additions in "
        f"{reference_ms():.0f} ms"
    )
    if stock_index_s is not None:
        print(f"Wagtail stock index (update_index): {indexed / stock_index_s:.0f} circulars/s")
    print(f"{'search':<34} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    rows = [
        ("our index query (cold)", engine_cold),
        ("our index query (warm)", engine_warm),
        *(
            (
                f"  {kind} ({kinds.count(kind)})",
                [t for k, t in zip(kinds, engine_warm, strict=True) if k == kind],
            )
            for kind in sorted(set(kinds))
        ),
        ("ours + 10 pages loaded (cold)", ours),
        ("ours + 10 pages loaded (warm)", ours_warm),
        ("ours, stock sample", ours_sample),
        ("icontains scan, stock sample", scan),
    ]
    if stock:
        rows.append(("Wagtail stock search, sample", stock))
    for label, values in rows:
        print(
            f"{label:<34} {statistics.median(values):>8.1f} {percentile(values, 95):>8.1f} "
            f"{max(values):>8.1f}"
        )
    base = statistics.median(ours_sample)
    print(
        f"ratio (median, same sample): icontains/ours = {statistics.median(scan) / base:.0f}x"
        + (f", stock/ours = {statistics.median(stock) / base:.0f}x" if stock else "")
    )


if __name__ == "__main__":
    main()
