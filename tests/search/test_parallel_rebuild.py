"""A rebuild with worker processes indexes exactly what a serial rebuild does.

Forked workers need a database a second process can open, so this runs in a subprocess on a
SQLite file (the suite's own database is in memory, where rebuilds stay serial)."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import json, django
django.setup()
from django.core.management import call_command
from cms.circulars.demo.synthetic import synthetic_records
from cms.circulars.importing.importer import CircularImporter
from cms.circulars.importing.sources import SourceRecord
from cms.circulars.site_setup import ensure_archive
from search import indexing
from search.service import embedded_backend
from search.analysis import parse_query
from search.backends.base import Scope, SearchQuery

call_command("migrate", verbosity=0)
archive = ensure_archive()
CircularImporter(archive, index=False).run(
    SourceRecord(f"par:{n}", r) for n, r in enumerate(synthetic_records(450, seed=3))
)
backend = embedded_backend()
serial = {d.page_id: d.__dict__ for d in indexing.documents()}
parallel_docs = list(indexing.documents_in_parallel(2, batch=100))
indexed = indexing.rebuild(backend, workers=2)
hits = backend.search(SearchQuery(parsed=parse_query("ท้องถิ่น"), scope=Scope(everything=True)))
print(json.dumps({
    "serial_ids": sorted(serial),
    "parallel_ids": [d.page_id for d in parallel_docs],
    "same_documents": all(serial[d.page_id] == d.__dict__ for d in parallel_docs),
    "indexed": indexed,
    "in_index": sorted(backend.indexed_ids()),
    "hits": hits.total,
}, default=str))
"""


def test_a_parallel_rebuild_indexes_what_a_serial_one_does(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'parallel.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-3000:]
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert len(outcome["serial_ids"]) == 450
    assert outcome["parallel_ids"] == outcome["serial_ids"]  # every page, in page order
    assert outcome["same_documents"]
    assert outcome["indexed"] == 450
    assert outcome["in_index"] == outcome["serial_ids"]
    assert outcome["hits"] > 0
