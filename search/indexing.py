"""Keeping the index current: whole rebuilds and single updates.

A rebuild builds documents (loading pages, normalising text) in worker processes while this
process writes them to the index: the two halves take about the same time, so on two cores the
rebuild runs nearly twice as fast. Workers need their own database connections, so they are used
only outside a transaction and on a database a second process can open (not in-memory SQLite).
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator
from functools import partial

from search.documents import Parts, build_document, parts_of_pages


def circulars_to_index():
    from cms.circulars.models import CircularPage

    return CircularPage.objects.select_related("owner_unit").order_by("pk")


def build_documents(page_ids: list[int]) -> list:
    """The documents of these circulars (those that exist), in page order."""
    parts = parts_of_pages(page_ids)
    return [
        build_document(page, parts.get(page.pk) or Parts())
        for page in circulars_to_index().filter(pk__in=page_ids)
    ]


def documents(batch: int = 500) -> Iterator:
    ids = list(circulars_to_index().values_list("pk", flat=True))
    for start in range(0, len(ids), batch):
        yield from build_documents(ids[start : start + batch])


def _build_chunk(page_ids: list[int], prepare=None) -> list:
    built = build_documents(page_ids)
    if prepare is not None:
        for doc in built:
            prepare(doc)
    return built


def _can_fork() -> bool:
    from django.db import connection

    in_memory = connection.vendor == "sqlite" and connection.is_in_memory_db()
    return not in_memory and not connection.in_atomic_block and hasattr(os, "fork")


def documents_in_parallel(workers: int, batch: int = 200, prepare=None) -> Iterator:
    """The same documents as `documents`, built by `workers` forked processes, in page order;
    `prepare(doc)`, when given, runs there too (a backend's own work on each document)."""
    from django.db import connections

    ids = list(circulars_to_index().values_list("pk", flat=True))
    chunks = [ids[start : start + batch] for start in range(0, len(ids), batch)]
    connections.close_all()  # each process opens its own; a shared socket would be corrupted
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        for built in pool.imap(partial(_build_chunk, prepare=prepare), chunks):
            yield from built


def default_workers() -> int:
    return max(1, min(4, (os.cpu_count() or 1) - 1))


def rebuild(backend=None, progress=None, batch: int = 500, workers: int | None = None) -> int:
    from search.service import get_backend

    backend = backend or get_backend()
    if workers is None:
        # A backend whose writing costs its own process little (PostgreSQL builds its indexes
        # at the end) builds documents on every core.
        workers = getattr(backend, "bulk_workers", None) or default_workers()
    parallel = workers > 0 and _can_fork()
    prepare = getattr(backend, "prepare_document", None)
    source = documents_in_parallel(workers, prepare=prepare) if parallel else documents(batch)
    if hasattr(backend, "rebuild"):
        # Elasticsearch builds a fresh index behind an alias: never an empty index meanwhile.
        return backend.rebuild(source, progress, batch)
    backend.clear()
    if hasattr(backend, "begin_bulk"):
        backend.begin_bulk()
    batch = getattr(backend, "bulk_batch", batch)
    total, chunk = 0, []
    for doc in source:
        chunk.append(doc)
        if len(chunk) >= batch:
            total += backend.index(chunk)
            if progress is not None:
                progress.update(len(chunk))
            chunk = []
    total += backend.index(chunk)
    if progress is not None:
        progress.update(len(chunk))
    if hasattr(backend, "optimize"):
        backend.optimize()
    return total


def update(pages) -> None:
    from search.service import get_backend

    get_backend().index(build_document(p) for p in pages)


def remove(page_ids) -> None:
    from search.service import get_backend

    get_backend().delete(page_ids)
