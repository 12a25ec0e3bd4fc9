"""The signed content's fingerprint: SHA-256 of a canonical text, shown as a verification code."""

import hashlib
import json

from cms.circulars.richtext import html_to_paragraphs


def canonical_text(circular) -> str:
    """Every printed part of the letter, in a fixed order, whitespace normalised."""
    parts = {
        "doc_number": circular.doc_number,
        "issued_on": circular.issued_on.isoformat() if circular.issued_on else "",
        "urgency": circular.urgency,
        "secrecy": circular.secrecy,
        "subject": circular.subject,
        "addressee": circular.addressee,
        "references": [r.text or str(r.target_id) for r in circular.references.all()],
        "enclosures": [[e.title, e.quantity] for e in circular.enclosures.all()],
        "body": html_to_paragraphs(circular.body),
        "closing": circular.closing,
        "signatory": [
            circular.signatory_name,
            circular.signatory_position,
            circular.signatory_acting_for,
        ],
        "owner_unit": circular.owner_unit_text,
        "contact": [
            circular.contact_phone,
            circular.contact_fax,
            circular.contact_email,
            circular.coordinators,
        ],
        "response_deadline": (
            circular.response_deadline.isoformat() if circular.response_deadline else ""
        ),
    }
    return json.dumps(parts, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def content_fingerprint(circular) -> str:
    return hashlib.sha256(canonical_text(circular).encode("utf-8")).hexdigest()


def verification_code(sha256: str) -> str:
    """The first 16 hex digits in groups of four, as printed on the page: 1A2B-3C4D-..."""
    return "-".join(sha256[i : i + 4] for i in range(0, 16, 4)).upper()
