"""Search quality on ../shared/eval/dev: import the corpus, run every query, score.

`python -m benchmarks eval` (fresh database) prints the scorer's table.
"""

import io
import os
import subprocess
import sys
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "eval" / "dev"


def main() -> None:
    if not (DEV / "corpus.jsonl").is_file():
        print(f"no evaluation set at {DEV}; nothing to measure")
        return
    django.setup()
    from django.core.management import call_command

    tmp = Path(os.environ.get("WIAN_BENCH_TMP", "/tmp"))
    results = tmp / "results.jsonl"
    call_command("migrate", verbosity=0)
    call_command(
        "import_circulars",
        str(DEV / "corpus.jsonl"),
        "--no-progress",
        "--no-index",
        stdout=io.StringIO(),
    )
    call_command("search_index", "rebuild", "--no-progress", stdout=io.StringIO())
    with results.open("w", encoding="utf-8") as out:
        call_command("search_circulars", batch=str(DEV / "queries.tsv"), limit=100, stdout=out)
    score = ROOT.parent / "shared" / "eval" / "score.py"
    subprocess.run([sys.executable, str(score), str(DEV / "queries.tsv"), str(results)], check=True)


if __name__ == "__main__":
    main()
