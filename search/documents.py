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


def build_document(page) -> IndexDocument:
    # A draft's words live in its latest Wagtail revision until signing writes them to the page.
    if page.state == "draft" and page.latest_revision_id:
        revised = page.latest_revision.as_object()
        revised.owner_unit = page.owner_unit
        page = revised
    references = [r.text for r in page.references.all() if r.text]
    enclosures = []
    for enclosure in page.enclosures.all():
        enclosures.append(enclosure.title)
        enclosures.append(attachment_text(enclosure.document))
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
        topics=[item.tag.name for item in page.tagged_items.all()],
    )
