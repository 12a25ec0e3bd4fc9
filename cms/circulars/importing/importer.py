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

from cms.circulars.importing.bulk import bulk_add_children
from cms.circulars.importing.interchange import RecordError, RecordValues, record_to_values
from cms.circulars.importing.sources import SourceRecord
from cms.circulars.models import (
    CircularEnclosure,
    CircularIndexPage,
    CircularPage,
    CircularReference,
    CircularTopic,
)
from cms.circulars.validators import validate_doc_number
from cms.thai.dates import find_thai_dates
from cms.thai.digits import to_arabic
from cms.thai.docnumbers import find_doc_numbers, normalize_doc_number
from workflows.services import record as record_transition
from workflows.services import record_imported
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
    """Skip per-save search indexing (Wagtail's and ours); rebuild the index afterwards."""
    from modelsearch.signal_handlers import post_save_signal_handler

    from search.signals import circular_saved

    paused = [
        (handler, post_save.disconnect(handler, sender=CircularPage))
        for handler in (post_save_signal_handler, circular_saved)
    ]
    try:
        yield
    finally:
        for handler, was_connected in paused:
            if was_connected:
                post_save.connect(handler, sender=CircularPage)


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
        self._slugs: set[str] | None = None
        self._tags: dict = {}
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

    # -- one batch ------------------------------------------------------------------------

    def _import_batch(self, batch: list[SourceRecord], progress) -> None:
        """Updates are saved one by one; new circulars are inserted together at the end."""
        source_ids = [str((i.record or {}).get("source_id") or "") for i in batch]
        existing = {
            p.source_id: p
            for p in CircularPage.objects.filter(source_id__in=[s for s in source_ids if s])
        }
        pending: list[_Pending] = []
        for item, source_id in zip(batch, source_ids, strict=True):
            if any(entry.page.source_id == source_id for entry in pending):
                # The same letter twice in one batch: the later one updates the earlier.
                self._flush(pending)
                pending = []
                existing[source_id] = CircularPage.objects.get(source_id=source_id)
            self.summary.counts["read"] += 1
            entry = self._prepare(item, existing.get(source_id))
            if entry is not None:
                pending.append(entry)
            if progress is not None:
                progress.update(1)
        self._flush(pending)

    def _fail(self, item: SourceRecord, message: str) -> None:
        source_id = str((item.record or {}).get("source_id") or "")
        self.summary.errors.append(ImportProblem(item.origin, source_id, message, item.raw))

    def _warn(self, item: SourceRecord, warnings: list[str]) -> None:
        source_id = str((item.record or {}).get("source_id") or "")
        for message in [*(item.record.get("warnings") or []), *warnings]:
            self.summary.warnings.append(ImportProblem(item.origin, source_id, str(message)))

    def _prepare(self, item: SourceRecord, page: CircularPage | None) -> _Pending | None:
        """Validate one record; save it now if it updates a circular, else return it to insert."""
        if item.record is None:
            self._fail(item, item.error)
            return None
        try:
            with transaction.atomic():
                outcome, entry = self._apply(item.record, page)
        except ValidationError as error:
            self._fail(item, _validation_message(error))
            return None
        except (RecordError, ValueError) as error:
            self._fail(item, str(error))
            return None
        except Exception as error:  # a record must never stop the batch
            self._fail(item, f"{type(error).__name__}: {error}")
            return None
        if outcome != "created":
            self.summary.counts[outcome] += 1
            self._warn(item, entry.warnings if entry else [])
            return None
        entry.item = item
        return entry

    def _apply(self, record: dict, page: CircularPage | None) -> tuple[str, _Pending | None]:
        values = record_to_values(record)
        fingerprint = _fingerprint(record)
        if page is not None and page.source_hash == fingerprint:
            return "unchanged", _Pending(page, values, list(values.warnings))
        created = page is None
        previous_state = None if created else page.state
        state = values.state or (default_state(values, self.today) if created else page.state)
        if created:
            page = CircularPage(state=state)
        elif state != page.state:
            # Imports place a circular in its state directly; history says "imported".
            page.state = state
        for name, value in values.page.items():
            setattr(page, name, value)
        page.source_hash = fingerprint
        page.owner_unit = self._match_unit(page)
        self._set_publication(page)
        entry = _Pending(page, values, list(values.warnings))
        self._validate(page, entry.warnings)
        if created:
            page.slug = self._free_slug(page.default_slug())
            return "created", entry
        page.topics.set(values.topics)
        page._validated_by_importer = True
        page._workflow_save = True
        page.save()
        if previous_state != page.state:
            record_transition(page, "imported", previous_state, page.state, None, "imported")
        self._replace_parts([entry])
        self._after_save([page])
        self.touched_ids.append(page.pk)
        return "updated", entry

    def _flush(self, pending: list[_Pending]) -> None:
        if not pending:
            return
        with transaction.atomic():
            bulk_add_children(self.archive, [entry.page for entry in pending])
            self._replace_parts(pending, fresh=True)
            self._set_topics(pending)
            record_imported([entry.page for entry in pending])
        self._after_save([entry.page for entry in pending])
        for entry in pending:
            self.touched_ids.append(entry.page.pk)
            self.summary.counts["created"] += 1
            self._warn(entry.item, entry.warnings)

    def _after_save(self, pages: list[CircularPage]) -> None:
        if self.index:
            from search.indexing import update

            update(pages)

    def _set_publication(self, page: CircularPage) -> None:
        page.live = page.state in PUBLIC_STATES
        page.has_unpublished_changes = not page.live
        if page.live:
            issued = page.issued_on or self.today
            published = timezone.make_aware(datetime.datetime.combine(issued, datetime.time(9)))
            page.first_published_at = page.first_published_at or published
            page.last_published_at = published

    def _validate(self, page: CircularPage, warnings: list[str]) -> None:
        """Field checks (dates, lengths, choices); an unreadable number is kept, with a warning."""
        tree_fields = ["path", "depth", "numchild", "url_path", "slug", "content_type", "locale"]
        page.clean_fields(exclude=[*tree_fields, "doc_number"])
        try:
            validate_doc_number(page.doc_number)
        except ValidationError as error:
            warnings.append(" ".join(error.messages))

    def _free_slug(self, base: str) -> str:
        if self._slugs is None:
            siblings = CircularPage.objects.child_of(self.archive)
            self._slugs = set(siblings.values_list("slug", flat=True))
        slug, n = base, 1
        while slug in self._slugs:
            n += 1
            slug = f"{base}-{n}"
        self._slugs.add(slug)
        return slug

    def _replace_parts(self, entries: list[_Pending], fresh: bool = False) -> None:
        if not fresh:
            ids = [entry.page.pk for entry in entries]
            CircularReference.objects.filter(page_id__in=ids).delete()
            CircularEnclosure.objects.filter(page_id__in=ids).delete()
        references, enclosures = [], []
        for entry in entries:
            page = entry.page
            for order, text in enumerate(entry.values.references):
                target = self.find_referenced(text, exclude_page_id=page.pk)
                references.append(
                    CircularReference(page=page, sort_order=order, text=text[:500], target=target)
                )
            for order, enclosure in enumerate(entry.values.enclosures):
                enclosures.append(
                    CircularEnclosure(
                        page=page,
                        sort_order=order,
                        title=enclosure["title"][:500],
                        quantity=enclosure["quantity"][:50],
                    )
                )
        CircularReference.objects.bulk_create(references)
        CircularEnclosure.objects.bulk_create(enclosures)

    def _set_topics(self, entries: list[_Pending]) -> None:
        from taggit.models import Tag

        links = []
        for entry in entries:
            for name in dict.fromkeys(entry.values.topics):
                if name not in self._tags:
                    self._tags[name] = Tag.objects.get_or_create(name=name)[0]
                links.append(CircularTopic(content_object=entry.page, tag=self._tags[name]))
        CircularTopic.objects.bulk_create(links)

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


@dataclass
class _Pending:
    page: CircularPage
    values: RecordValues
    warnings: list[str]
    item: SourceRecord | None = None


def _validation_message(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(
            f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items()
        )
    return " ".join(error.messages)
