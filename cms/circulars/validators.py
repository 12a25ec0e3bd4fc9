"""Model-level guards: they hold for admin, import, API and shell alike."""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cms.thai.dates import BE_OFFSET
from cms.thai.docnumbers import DocNumberError, parse_doc_number

# Circulars of this archive are dated in the Gregorian calendar; a year this far ahead can only
# be a Buddhist-era year typed into a Gregorian field (2564 AD instead of 2564 BE).
LATEST_PLAUSIBLE_YEAR = 2400


def validate_gregorian_date(value: datetime.date) -> None:
    if value and value.year >= LATEST_PLAUSIBLE_YEAR:
        raise ValidationError(
            _(
                "The year %(year)s is a Buddhist-era year; it must be stored as %(ce)s "
                "(Buddhist era minus 543)."
            ),
            code="buddhist_era_year",
            params={"year": value.year, "ce": value.year - BE_OFFSET},
        )


def validate_doc_number(value: str) -> None:
    if not value:
        return
    try:
        parse_doc_number(value)
    except DocNumberError as error:
        raise ValidationError(
            _("Malformed document number “%(value)s”: %(reason)s"),
            code="doc_number",
            params={"value": value, "reason": str(error)},
        ) from error
