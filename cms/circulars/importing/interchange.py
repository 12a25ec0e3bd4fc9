"""The archive's JSON Lines interchange format (docs: shared formats/circular-jsonl.md).

`record_to_values` reads one record into page values; `page_to_record` writes one back, so an
archive round-trips. Unknown keys are kept in the page's `extra` and written out again.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from cms.circulars.models.choices import ACTING_FOR, Secrecy, Urgency
from cms.circulars.richtext import html_to_paragraphs, paragraphs_to_html
from cms.thai.dates import BE_OFFSET, PartialDate, ThaiDateError
from workflows.states import CircularState

KNOWN_KEYS = (
    "source_id",
    "doc_number",
    "issued_on",
    "subject",
    "addressee",
    "references",
    "enclosures",
    "body",
    "signatory",
    "owner_unit",
    "contact",
    "urgency",
    "secrecy",
    "response_deadline",
    "state",
    "source_url",
    # Our own additions; other systems ignore them.
    "closing",
    "salutation",
    "topics",
    "endorsements",
    "annex",
)
# Keys a parser may add that describe the parse itself, not the letter.
DISCARDED_KEYS = ("warnings",)


class RecordError(ValueError):
    """A record that cannot be imported; the message says which key and why."""


@dataclass
class RecordValues:
    page: dict
    references: list[str] = field(default_factory=list)
    enclosures: list[dict] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    state: str | None = None
    warnings: list[str] = field(default_factory=list)


def _text(record: dict, key: str) -> str:
    value = record.get(key, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise RecordError(_("“%(key)s” must be text.") % {"key": key})
    return value.strip()


def _partial_date(record: dict, key: str, warnings: list[str]) -> PartialDate | None:
    value = _text(record, key)
    if not value:
        return None
    try:
        partial = PartialDate.from_iso(value)
    except (ThaiDateError, ValueError) as error:
        raise RecordError(
            _("“%(key)s” is not a date (YYYY-MM-DD or YYYY-MM): %(value)s")
            % {"key": key, "value": value}
        ) from error
    if partial.year >= 2400:
        # The format is Gregorian; a Buddhist-era year slipped in. Convert, and say so.
        partial = PartialDate(partial.year - BE_OFFSET, partial.month, partial.day)
        warnings.append(
            _("“%(key)s” had a Buddhist-era year (%(value)s); converted to %(iso)s.")
            % {"key": key, "value": value, "iso": partial.iso()}
        )
    return partial


def _string_list(record: dict, key: str) -> list[str]:
    value = record.get(key) or []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise RecordError(_("“%(key)s” must be a list of texts.") % {"key": key})
    return [item.strip() for item in value if item.strip()]


def _choice(record: dict, key: str, allowed: list[str]) -> str:
    value = _text(record, key)
    if value not in allowed:
        raise RecordError(
            _("“%(key)s” must be one of %(allowed)s, not “%(value)s”.")
            % {"key": key, "allowed": ", ".join(repr(a) for a in allowed), "value": value}
        )
    return value


def split_acting_for(position: str) -> tuple[str, str]:
    """'รองอธิบดี ปฏิบัติราชการแทน อธิบดี...' -> ('รองอธิบดี', 'อธิบดี...')."""
    if ACTING_FOR in position:
        own, _sep, acting = position.partition(ACTING_FOR)
        return " ".join(own.split()), " ".join(acting.split())
    return " ".join(position.split()), ""


def record_to_values(record: dict) -> RecordValues:
    """Validate one interchange record and turn it into page field values."""
    if not isinstance(record, dict):
        raise RecordError(_("A record must be a JSON object."))
    warnings: list[str] = []
    source_id = _text(record, "source_id")
    if not source_id:
        raise RecordError(_("“source_id” is required."))
    subject = " ".join(_text(record, "subject").split())
    if not subject:
        raise RecordError(_("“subject” is required."))

    issued = _partial_date(record, "issued_on", warnings)
    deadline = _partial_date(record, "response_deadline", warnings)
    if deadline is not None and deadline.is_month_only:
        raise RecordError(_("“response_deadline” needs a day, not only a month."))

    signatory = record.get("signatory") or {}
    contact = record.get("contact") or {}
    if not isinstance(signatory, dict) or not isinstance(contact, dict):
        raise RecordError(_("“signatory” and “contact” must be JSON objects."))
    position, acting_for = split_acting_for(str(signatory.get("position") or ""))
    coordinators = contact.get("coordinators") or []
    if isinstance(coordinators, str):
        coordinators = [coordinators]

    enclosures = record.get("enclosures") or []
    if not isinstance(enclosures, list):
        raise RecordError(_("“enclosures” must be a list."))
    clean_enclosures = []
    for item in enclosures:
        if isinstance(item, str):
            item = {"title": item}
        if not isinstance(item, dict) or not str(item.get("title") or "").strip():
            raise RecordError(_("Every enclosure needs a title."))
        clean_enclosures.append(
            {
                "title": " ".join(str(item["title"]).split()),
                "quantity": str(item.get("quantity") or "").strip(),
            }
        )

    state = _text(record, "state") or None
    if state is not None and state not in CircularState.values:
        raise RecordError(
            _("Unknown state “%(state)s”; expected one of %(states)s.")
            % {"state": state, "states": ", ".join(CircularState.values)}
        )

    source_url = _text(record, "source_url")
    if len(source_url) > 500:
        warnings.append(_("“source_url” is longer than 500 characters and was left out."))
        source_url = ""

    endorsements = record.get("endorsements") or []
    extra = {
        key: value
        for key, value in record.items()
        if key not in KNOWN_KEYS and key not in DISCARDED_KEYS
    }
    page = {
        "source_id": source_id,
        "source_url": source_url,
        "doc_number": " ".join(_text(record, "doc_number").split()),
        "issued_on": issued.to_date() if issued else None,
        "issued_on_month_only": bool(issued and issued.is_month_only),
        "subject": subject,
        "addressee": " ".join(_text(record, "addressee").split()),
        "body": paragraphs_to_html(str(record.get("body") or "")),
        "closing": " ".join(_text(record, "closing").split()),
        "salutation": " ".join(_text(record, "salutation").split()),
        "signatory_name": " ".join(str(signatory.get("name") or "").split()),
        "signatory_position": position,
        "signatory_acting_for": acting_for,
        "owner_unit_text": " ".join(_text(record, "owner_unit").split()),
        "contact_phone": str(contact.get("phone") or "").strip(),
        "contact_fax": str(contact.get("fax") or "").strip(),
        "contact_email": str(contact.get("email") or "").strip(),
        "coordinators": "\n".join(str(c).strip() for c in coordinators if str(c).strip()),
        "urgency": _choice(record, "urgency", Urgency.values),
        "secrecy": _choice(record, "secrecy", Secrecy.values),
        "response_deadline": deadline.to_date() if deadline else None,
        "paper_endorsements": endorsements if isinstance(endorsements, list) else [],
        "annex": str(record.get("annex") or "").strip(),
        "extra": extra,
    }
    return RecordValues(
        page=page,
        references=_string_list(record, "references"),
        enclosures=clean_enclosures,
        topics=_string_list(record, "topics"),
        state=state,
        warnings=warnings,
    )


def _iso(value: datetime.date | None, month_only: bool = False) -> str:
    if value is None:
        return ""
    return value.strftime("%Y-%m") if month_only else value.isoformat()


def page_to_record(page) -> dict:
    """One circular as an interchange record; keys with nothing stated are left out."""
    position = page.signatory_position
    if page.signatory_acting_for:
        position = f"{position} {ACTING_FOR} {page.signatory_acting_for}".strip()
    record = {
        "source_id": page.source_id or f"wian:{page.pk}",
        "doc_number": page.doc_number,
        "issued_on": _iso(page.issued_on, page.issued_on_month_only),
        "subject": page.subject,
        "addressee": page.addressee,
        "references": [
            ref.text or (ref.target.doc_number if ref.target else "")
            for ref in page.references.all()
        ],
        "enclosures": [
            {"title": e.title, "quantity": e.quantity} if e.quantity else {"title": e.title}
            for e in page.enclosures.all()
        ],
        "body": html_to_paragraphs(page.body),
        "signatory": {"name": page.signatory_name, "position": position},
        "owner_unit": page.owner_unit_text or (page.owner_unit.name if page.owner_unit else ""),
        "contact": {
            "phone": page.contact_phone,
            "fax": page.contact_fax,
            "email": page.contact_email,
            "coordinators": page.coordinator_list,
        },
        "urgency": page.urgency,
        "secrecy": page.secrecy,
        "response_deadline": _iso(page.response_deadline),
        "state": page.state,
        "source_url": page.source_url,
        "closing": page.closing,
        "salutation": page.salutation,
        "topics": sorted(tag.name for tag in page.topics.all()),
        "endorsements": page.paper_endorsements,
        "annex": page.annex,
    }
    record["signatory"] = {k: v for k, v in record["signatory"].items() if v}
    record["contact"] = {k: v for k, v in record["contact"].items() if v}
    kept = {
        key: value
        for key, value in record.items()
        if key in ("source_id", "subject") or value not in ("", [], {}, None)
    }
    kept.update({k: v for k, v in (page.extra or {}).items() if k not in kept})
    return kept
