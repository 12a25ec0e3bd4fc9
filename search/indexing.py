"""Keeping the index current: whole rebuilds and single updates."""

from __future__ import annotations

from collections.abc import Iterator

from search.documents import build_document


def circulars_to_index():
    from cms.circulars.models import CircularPage

    return (
        CircularPage.objects.select_related("owner_unit")
        .prefetch_related("references", "enclosures__document", "tagged_items__tag")
        .order_by("pk")
    )


def documents(batch: int = 500) -> Iterator:
    for page in circulars_to_index().iterator(chunk_size=batch):
        yield build_document(page)


def rebuild(backend=None, progress=None, batch: int = 500) -> int:
    from search.service import get_backend

    backend = backend or get_backend()
    if hasattr(backend, "rebuild"):
        # Elasticsearch builds a fresh index behind an alias: never an empty index meanwhile.
        return backend.rebuild(documents(batch), progress, batch)
    backend.clear()
    total, chunk = 0, []
    for doc in documents(batch):
        chunk.append(doc)
        if len(chunk) >= batch:
            total += backend.index(chunk)
            if progress is not None:
                progress.update(len(chunk))
            chunk = []
    total += backend.index(chunk)
    if progress is not None:
        progress.update(len(chunk))
    return total


def update(pages) -> None:
    from search.service import get_backend

    get_backend().index(build_document(p) for p in pages)


def remove(page_ids) -> None:
    from search.service import get_backend

    get_backend().delete(page_ids)
