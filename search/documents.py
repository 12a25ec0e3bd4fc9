"""What the index holds for one circular, built from the page (and its attachments' text)."""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field

from cms.circulars.richtext import html_to_text
from search.analysis import document_number_forms, normalize_many
from workflows.permissions import can_view

logger = logging.getLogger(__name__)


@dataclass
class IndexDocument:
    page_id: int
    subject: str  # normalised
    doc_number: str  # normalised, printed and compact forms
    body: str  # normalised
    extra: str  # references, enclosure titles, attachment text; normalised
    issued: datetime.date | None
    be_year: int | None
    unit: str
    urgency: str
    state: str
    public: bool  # an anonymous visitor may see it
    topics: list[str] = field(default_factory=list)

    @property
    def recency(self) -> int:
        return self.issued.toordinal() if self.issued else 0


def attachment_text(document) -> str:
    """Text inside a PDF or DOCX enclosure ('' when none can be read)."""
    if document is None or not document.file:
        return ""
    name = document.file.name.lower()
    try:
        with document.file.open("rb") as handle:
            if name.endswith(".pdf"):
                from pypdf import PdfReader

                return "\n".join((p.extract_text() or "") for p in PdfReader(handle).pages)
            if name.endswith(".docx"):
                from docx import Document

                return "\n".join(p.text for p in Document(handle).paragraphs)
    except Exception:  # a broken file must not stop indexing; it is logged
        logger.warning("could not read the text of %s", name, exc_info=True)
    return ""


@dataclass
class Parts:
    """A circular's related rows that the index reads: reference texts, enclosures (title and
    file), topic names."""

    references: list[str] = field(default_factory=list)
    enclosures: list[tuple[str, object]] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)


def parts_of(page) -> Parts:
    """The parts through the page's own relations (a revision's, for a draft)."""
    return Parts(
        references=[r.text for r in page.references.all()],
        enclosures=[(e.title, e.document) for e in page.enclosures.all()],
        topics=[item.tag.name for item in page.tagged_items.all()],
    )


def parts_of_pages(page_ids: list[int]) -> dict[int, Parts]:
    """The parts of many circulars in three queries (a rebuild: Django's prefetching spends
    more on building a queryset per page than the queries take)."""
    from cms.circulars.models import CircularEnclosure, CircularReference, CircularTopic

    parts: dict[int, Parts] = {}
    rows = CircularReference.objects.filter(page_id__in=page_ids).order_by("sort_order", "pk")
    for page_id, text in rows.values_list("page_id", "text"):
        parts.setdefault(page_id, Parts()).references.append(text)
    rows = CircularEnclosure.objects.filter(page_id__in=page_ids).select_related("document")
    for enclosure in rows.order_by("sort_order", "pk"):
        parts.setdefault(enclosure.page_id, Parts()).enclosures.append(
            (enclosure.title, enclosure.document)
        )
    rows = CircularTopic.objects.filter(content_object_id__in=page_ids).order_by("pk")
    for page_id, name in rows.values_list("content_object_id", "tag__name"):
        parts.setdefault(page_id, Parts()).topics.append(name)
    return parts


def build_document(page, parts: Parts | None = None) -> IndexDocument:
    """The index's document for a circular; `parts` when loaded for many at once."""
    # A draft's words live in its latest Wagtail revision until signing writes them to the page.
    if page.state == "draft" and page.latest_revision_id:
        revised = page.latest_revision.as_object()
        revised.owner_unit = page.owner_unit
        page, parts = revised, None
    if parts is None:
        parts = parts_of(page)
    references = [text for text in parts.references if text]
    enclosures = []
    for title, document in parts.enclosures:
        enclosures.append(title)
        enclosures.append(attachment_text(document))
    # The printed date of issue, so "10 กุมภาพันธ์ 2564" or "10 ก.พ. 64" finds the letter.
    dated = []
    if page.issued_on:
        from cms.thai.dates import format_thai_date

        dated = [format_thai_date(page.issued, month=m) for m in ("full", "abbr")]
    subject, body, extra = normalize_many(
        page.subject, html_to_text(page.body), "\n".join([*dated, *references, *enclosures])
    )
    return IndexDocument(
        page_id=page.pk,
        subject=subject,
        doc_number=document_number_forms(page.doc_number),
        body=body,
        extra=extra,
        issued=page.issued_on,
        be_year=page.be_year,
        unit=page.owner_unit.code if page.owner_unit_id else (page.doc_unit_code or ""),
        urgency=page.urgency,
        state=page.state,
        public=can_view(None, page),
        topics=list(parts.topics),
    )
