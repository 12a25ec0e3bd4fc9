"""Benchmarks, one command: `make bench` or `python -m benchmarks [import] [--count N]`.

`responses` (the province/อปท. load of issue 5, about 13 minutes) is not in the default set:
`python -m benchmarks responses --database postgres://postgres@127.0.0.1:5432/wian_bench_resp`.

Each benchmark runs against a fresh database of its own (a temporary SQLite file, or the
PostgreSQL server named by --database) so the figures never depend on the developer's data.
"""

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def fresh_postgres(url: str, keep: bool = False) -> str:
    """Recreate the database named in `url` (a benchmark never runs on data it did not make);
    with `keep`, create it only when it is missing."""
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(url)
    name = config["NAME"]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if keep and exists.fetchone():
            return url
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    return url


def run_in_fresh_database(
    module: str, args: list[str], database: str | None, keep: str | None = None
) -> int:
    """`keep`: a folder whose SQLite file (or, with --database, the database as it is) is kept
    and reused, so a second run measures queries without importing and indexing again."""
    if database and database.startswith("postgres"):
        database = fresh_postgres(database, keep=bool(keep))
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="wian-bench-") as scratch:
        tmp = keep or scratch
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "cms.settings.test",
            "DATABASE_URL": database or f"sqlite:///{tmp}/bench.sqlite3",
            "WIAN_BENCH_TMP": tmp,
        }
        return subprocess.call([sys.executable, "-m", module, *args], cwd=ROOT, env=env)


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument(
        "which",
        nargs="*",
        metavar="{import,search,eval,responses}",
        help="default: import eval search",
    )
    parser.add_argument(
        "--count",
        type=int,
        default=None,
        help="circulars (import 3000, search 100000); อปท. (responses 7850)",
    )
    parser.add_argument("--database", help="DATABASE_URL (default: a temporary SQLite file)")
    parser.add_argument(
        "--keep",
        metavar="DIR",
        help="search: keep the archive (SQLite in DIR, or the --database as it is) and reuse "
        "it when it already holds --count circulars: queries only, no import",
    )
    # Other options go to the search benchmark as they are (--no-stock, --reindex, ...).
    options, search_options = parser.parse_known_args()
    status = 0
    # Python 3.11's argparse checks an empty list against `choices`: checked here instead.
    which = options.which or ["import", "eval", "search"]
    unknown = set(which) - {"import", "search", "eval", "responses"}
    if unknown:
        parser.error(f"unknown benchmark: {', '.join(sorted(unknown))}")
    for name in which:
        if name == "eval":
            status |= run_in_fresh_database("benchmarks.eval_quality", [], options.database)
            continue
        count = options.count or {"import": 3000, "search": 100_000, "responses": 7850}[name]
        args = ["--count", str(count)]
        keep = options.keep if name == "search" else None
        if name == "search":
            args += [*search_options, *(["--reuse"] if keep else [])]
        status |= run_in_fresh_database(f"benchmarks.bench_{name}", args, options.database, keep)
    return status


if __name__ == "__main__":
    raise SystemExit(main())
