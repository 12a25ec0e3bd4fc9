"""Response forms: pages (pages.py) and what organisations send back (responses.py)."""

from responses.models.pages import (
    LatePolicy,
    Respondents,
    ResponseFormIndexPage,
    ResponseFormPage,
)
from responses.models.responses import (
    PENDING_TTL,
    PendingInput,
    Response,
    ResponseFile,
    ResponseVersion,
    answered_keys,
    organisation_code,
)

__all__ = [
    "PENDING_TTL",
    "LatePolicy",
    "PendingInput",
    "Respondents",
    "Response",
    "ResponseFile",
    "ResponseFormIndexPage",
    "ResponseFormPage",
    "ResponseVersion",
    "answered_keys",
    "organisation_code",
]
