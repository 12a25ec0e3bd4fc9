"""Create many circular pages under one parent in a few queries.

Wagtail pages are created one at a time by treebeard's add_child (about 20 queries each with
Wagtail's signals). An archive import creates thousands, so new pages are written here in
batches: paths are computed from the parent's last child, both tables of the multi-table model
are inserted with one statement per batch, and the parent's child count is bumped once.
"""

from __future__ import annotations

from django.db import connection, router
from django.db.models import F
from django.utils import timezone
from wagtail.models import Locale, Page, PageLogEntry

from cms.circulars.models import CircularPage


def _insert(model, objs, fields) -> None:
    """One INSERT for `objs` into the table of `model` alone (its parents are not touched)."""
    if not objs:
        return
    # QuerySet.bulk_create refuses multi-table children; _insert writes just this table.
    model._base_manager._insert(objs, fields=fields, using=router.db_for_write(model), raw=True)


def bulk_add_children(parent: Page, pages: list[CircularPage]) -> None:
    """Insert `pages` as the last children of `parent`; sets pk, path, url_path and the rest."""
    if not pages:
        return
    parent = Page.objects.get(pk=parent.pk)  # fresh numchild and path
    last = parent.get_last_child()
    locale = parent.locale if parent.locale_id else Locale.get_default()
    next_path = last.path if last else None
    for page in pages:
        page.sync_derived_fields()
        next_path = (
            Page(path=next_path)._inc_path()
            if next_path
            else Page._get_path(parent.path, parent.depth + 1, 1)
        )
        page.path = next_path
        page.depth = parent.depth + 1
        page.numchild = 0
        page.locale = locale
        page.draft_title = page.title
        page.set_url_path(parent)
        page.content_type_id = page.content_type_id or _content_type_id()
    base_fields = [f for f in Page._meta.local_concrete_fields if not f.primary_key]
    child_fields = list(CircularPage._meta.local_concrete_fields)
    batch = max(1, min(len(pages), _max_rows(len(child_fields))))
    for start in range(0, len(pages), batch):
        chunk = pages[start : start + batch]
        base_objs = [Page(**{f.attname: getattr(p, f.attname) for f in base_fields}) for p in chunk]
        Page.objects.bulk_create(base_objs)
        if any(b.pk is None for b in base_objs):  # databases that do not return ids
            by_path = dict(
                Page.objects.filter(path__in=[b.path for b in base_objs]).values_list("path", "pk")
            )
            for b in base_objs:
                b.pk = by_path[b.path]
        for page, base in zip(chunk, base_objs, strict=True):
            page.pk = page.page_ptr_id = page.id = base.pk
            page._state.adding = False
            page._state.db = base._state.db
        _insert(CircularPage, chunk, child_fields)
    Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + len(pages))
    now = timezone.now()
    PageLogEntry.objects.bulk_create(
        PageLogEntry(
            content_type_id=page.content_type_id,
            page_id=page.pk,
            label=page.title[:255],
            action="wagtail.create",
            data={"source": "import"},
            timestamp=now,
            content_changed=True,
        )
        for page in pages
    )


def _max_rows(columns: int) -> int:
    # SQLite caps bound parameters per statement (32766 in current builds).
    if connection.vendor == "sqlite":
        return max(1, 30000 // max(columns, 1))
    return 1000


_CONTENT_TYPE_ID: list[int] = []


def _content_type_id() -> int:
    from django.contrib.contenttypes.models import ContentType

    if not _CONTENT_TYPE_ID:
        _CONTENT_TYPE_ID.append(ContentType.objects.get_for_model(CircularPage).pk)
    return _CONTENT_TYPE_ID[0]
