"""Bring interchange records into the archive: idempotent, per-record errors, links resolved."""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.signals import post_save
from django.utils import timezone

from cms.circulars.importing.interchange import RecordError, RecordValues, record_to_values
from cms.circulars.importing.sources import SourceRecord
from cms.circulars.models import (
    CircularEnclosure,
    CircularIndexPage,
    CircularPage,
    CircularReference,
)
from cms.circulars.validators import validate_doc_number
from cms.thai.dates import find_thai_dates
from cms.thai.digits import to_arabic
from cms.thai.docnumbers import find_doc_numbers, normalize_doc_number
from workflows.states import PUBLIC_STATES, CircularState

_NUMBER_AFTER_SLASH = re.compile(r"/[^/]*\d")


class DryRunRollback(Exception):
    pass


@dataclass
class ImportProblem:
    origin: str
    source_id: str
    message: str
    raw: str = ""


@dataclass
class ImportSummary:
    counts: Counter = field(default_factory=Counter)
    errors: list[ImportProblem] = field(default_factory=list)
    warnings: list[ImportProblem] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return len(self.errors)


def default_state(values: RecordValues, today: datetime.date) -> str:
    """Without a stated state, a numbered and dated letter was sent; anything else is a draft."""
    page = values.page
    # A draft's number stops at the slash ("มท 0810.3/", "มท ๐๘๑๐.๒/ว"); a sent one goes on.
    numbered = bool(_NUMBER_AFTER_SLASH.search(to_arabic(page["doc_number"])))
    if numbered and page["issued_on"] and not page["issued_on_month_only"]:
        deadline = page["response_deadline"]
        if deadline and deadline < today:
            return CircularState.CLOSED
        return CircularState.DISTRIBUTED
    return CircularState.DRAFT


@contextlib.contextmanager
def search_indexing_paused():
    """Skip per-save search indexing (rebuild the index afterwards)."""
    from modelsearch.signal_handlers import post_save_signal_handler

    models = [m for m in (CircularPage,)]
    disconnected = [m for m in models if post_save.disconnect(post_save_signal_handler, sender=m)]
    try:
        yield
    finally:
        for model in disconnected:
            post_save.connect(post_save_signal_handler, sender=model)


def _fingerprint(record: dict) -> str:
    canonical = json.dumps(record, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


class CircularImporter:
    """Imports records under one archive page. Use `run()`; it never stops at a bad record."""

    batch_size = 250

    def __init__(self, archive: CircularIndexPage, *, dry_run: bool = False, index: bool = True):
        self.archive = archive
        self.dry_run = dry_run
        self.index = index
        self.summary = ImportSummary()
        self.today = timezone.localdate()
        self._units = None
        self.touched_ids: list[int] = []

    # -- public ---------------------------------------------------------------------------

    def run(self, records: Iterable[SourceRecord], progress=None) -> ImportSummary:
        pause = contextlib.nullcontext() if self.index else search_indexing_paused()
        with pause:
            try:
                with transaction.atomic():
                    batch: list[SourceRecord] = []
                    for item in records:
                        batch.append(item)
                        if len(batch) >= self.batch_size:
                            self._import_batch(batch, progress)
                            batch = []
                    self._import_batch(batch, progress)
                    relinked = self.link_references()
                    self.summary.counts["linked"] = relinked + (
                        CircularReference.objects.filter(
                            page_id__in=self.touched_ids, target__isnull=False
                        ).count()
                    )
                    if self.dry_run:
                        raise DryRunRollback
            except DryRunRollback:
                pass
        return self.summary

    def link_references(self) -> int:
        """Link printed references to circulars now archived; returns links made in untouched pages."""
        linked = 0
        touched = set(self.touched_ids)
        pending = CircularReference.objects.filter(target__isnull=True).exclude(text="")
        for reference in pending.iterator():
            target = self.find_referenced(reference.text, exclude_page_id=reference.page_id)
            if target is not None:
                reference.target = target
                reference.save(update_fields=["target"])
                linked += reference.page_id not in touched
        return linked

    def find_referenced(self, text: str, exclude_page_id: int | None = None) -> CircularPage | None:
        numbers = find_doc_numbers(text)
        if not numbers:
            return None
        start, end, _number = numbers[0]
        key = normalize_doc_number(text[start:end])
        candidates = list(
            CircularPage.objects.filter(doc_number_key=key)
            .exclude(pk=exclude_page_id)
            .only("pk", "issued_on")
        )
        if not candidates:
            return None
        dates = [d for _s, _e, d in find_thai_dates(text[end:])]
        if dates:
            stated = dates[0]
            same_day = [c for c in candidates if c.issued_on == stated.to_date()]
            same_year = [c for c in candidates if c.issued_on and c.issued_on.year == stated.year]
            candidates = same_day or same_year
        return candidates[0] if len(candidates) == 1 else None

    # -- one record -----------------------------------------------------------------------

    def _import_batch(self, batch: list[SourceRecord], progress) -> None:
        for item in batch:
            self._import_one(item)
            if progress is not None:
                progress.update(1)

    def _import_one(self, item: SourceRecord) -> None:
        counts = self.summary.counts
        counts["read"] += 1
        source_id = str((item.record or {}).get("source_id") or "")
        if item.record is None:
            self.summary.errors.append(ImportProblem(item.origin, source_id, item.error, item.raw))
            return
        try:
            with transaction.atomic():
                outcome, warnings = self.import_record(item.record)
        except ValidationError as error:
            message = (
                "; ".join(
                    f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items()
                )
                if hasattr(error, "error_dict")
                else " ".join(error.messages)
            )
            self.summary.errors.append(ImportProblem(item.origin, source_id, message, item.raw))
            return
        except (RecordError, ValueError) as error:
            self.summary.errors.append(ImportProblem(item.origin, source_id, str(error), item.raw))
            return
        except Exception as error:  # a record must never stop the batch
            message = f"{type(error).__name__}: {error}"
            self.summary.errors.append(ImportProblem(item.origin, source_id, message, item.raw))
            return
        counts[outcome] += 1
        parser_warnings = item.record.get("warnings") or []
        for message in [*parser_warnings, *warnings]:
            self.summary.warnings.append(ImportProblem(item.origin, source_id, str(message)))

    def import_record(self, record: dict) -> tuple[str, list[str]]:
        """Create or update the circular of one record; returns ('created'|'updated'|'unchanged')."""
        values = record_to_values(record)
        fingerprint = _fingerprint(record)
        page = CircularPage.objects.filter(source_id=values.page["source_id"]).first()
        if page is not None and page.source_hash == fingerprint:
            return "unchanged", values.warnings
        created = page is None
        if created:
            page = CircularPage()
        for name, value in values.page.items():
            setattr(page, name, value)
        page.source_hash = fingerprint
        page.owner_unit = self._match_unit(page)
        if created or values.state:
            page.state = values.state or default_state(values, self.today)
        self._set_publication(page)
        warnings = list(values.warnings)
        self._validate(page, warnings)
        page.topics.set(values.topics)
        page._validated_by_importer = True
        if created:
            page.slug = self._free_slug(page.default_slug())
            self.archive.add_child(instance=page)
        else:
            page.save()
        self._replace_parts(page, values)
        self.touched_ids.append(page.pk)
        return ("created" if created else "updated"), warnings

    def _validate(self, page: CircularPage, warnings: list[str]) -> None:
        """Field checks (dates, lengths, choices); a number we cannot parse is kept, with a warning."""
        tree_fields = ["path", "depth", "numchild", "url_path", "slug", "content_type", "locale"]
        page.clean_fields(exclude=[*tree_fields, "doc_number"])
        try:
            validate_doc_number(page.doc_number)
        except ValidationError as error:
            warnings.append(" ".join(error.messages))

    def _free_slug(self, base: str) -> str:
        slug, n = base, 1
        siblings = CircularPage.objects.child_of(self.archive)
        while siblings.filter(slug=slug).exists():
            n += 1
            slug = f"{base}-{n}"
        return slug

    def _set_publication(self, page: CircularPage) -> None:
        page.live = page.state in PUBLIC_STATES
        page.has_unpublished_changes = not page.live
        if page.live:
            issued = page.issued_on or self.today
            published = timezone.make_aware(datetime.datetime.combine(issued, datetime.time(9)))
            page.first_published_at = page.first_published_at or published
            page.last_published_at = published

    def _replace_parts(self, page: CircularPage, values: RecordValues) -> None:
        CircularReference.objects.filter(page=page).delete()
        CircularEnclosure.objects.filter(page=page).delete()
        CircularReference.objects.bulk_create(
            CircularReference(
                page=page,
                sort_order=order,
                text=text[:500],
                target=self.find_referenced(text, exclude_page_id=page.pk),
            )
            for order, text in enumerate(values.references)
        )
        CircularEnclosure.objects.bulk_create(
            CircularEnclosure(
                page=page, sort_order=order, title=e["title"][:500], quantity=e["quantity"][:50]
            )
            for order, e in enumerate(values.enclosures)
        )

    def _match_unit(self, page: CircularPage):
        """The owner unit: by the code in the number, else by a printed unit name."""
        from cms.organisations.models import Unit

        if self._units is None:
            self._units = {u.code: u for u in Unit.objects.all()}
        page.sync_derived_fields()
        if page.doc_unit_code in self._units:
            return self._units[page.doc_unit_code]
        lines = [line.strip() for line in page.owner_unit_text.split(" / ")]
        by_name = {u.name: u for u in self._units.values()}
        for line in reversed(lines):
            if line in by_name:
                return by_name[line]
        return None
