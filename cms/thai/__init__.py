"""Thai text rules in one place: digits, Buddhist-era dates and official document numbers."""

import os

# pythainlp fetches a missing corpus from the network on first use; everything this project
# uses ships inside the installed packages, so a missing one must fail loudly instead.
os.environ.setdefault("PYTHAINLP_OFFLINE", "1")

from cms.thai.dates import (
    BE_OFFSET,
    THAI_MONTHS,
    THAI_MONTHS_ABBR,
    THAI_WEEKDAYS,
    PartialDate,
    ThaiDateError,
    be_to_ce,
    ce_to_be,
    find_thai_dates,
    format_thai_date,
    normalize_year,
    parse_date_input,
    parse_thai_date,
)
from cms.thai.digits import THAI_DIGITS, has_thai_digits, parse_int, to_arabic, to_thai
from cms.thai.docnumbers import (
    DocNumber,
    DocNumberError,
    find_doc_numbers,
    format_doc_number,
    normalize_doc_number,
    parse_doc_number,
)

__all__ = [
    "BE_OFFSET",
    "THAI_DIGITS",
    "THAI_MONTHS",
    "THAI_MONTHS_ABBR",
    "THAI_WEEKDAYS",
    "DocNumber",
    "DocNumberError",
    "PartialDate",
    "ThaiDateError",
    "be_to_ce",
    "ce_to_be",
    "find_doc_numbers",
    "find_thai_dates",
    "format_doc_number",
    "format_thai_date",
    "has_thai_digits",
    "normalize_doc_number",
    "normalize_year",
    "parse_date_input",
    "parse_doc_number",
    "parse_int",
    "parse_thai_date",
    "to_arabic",
    "to_thai",
]
