"""Thai dates: Buddhist-era years, Thai month names, parsing and formatting.

Rules in one place:

* Thai text gives years in the Buddhist era (B.E. = A.D. + 543). A four-digit year of 2400 or
  more is B.E. and is converted; a four-digit year from 1900 to 2399 is taken as already
  Gregorian (someone typed A.D.); anything earlier is refused. A two-digit year is short for
  25xx B.E. ("ก.ค. ๖๔" is July 2564 B.E., i.e. July 2021).
* ISO text ("2021-02-10") follows the same rule, so "2564-02-10" becomes 2021-02-10 and never
  the year 2564 A.D. Only ``PartialDate.from_iso`` reads ISO literally, as the exact inverse of
  ``PartialDate.iso()``.
* A weekday printed before a date is accepted but not checked against the date.

Nothing here touches Django settings at import time; messages are lazy and only rendered when
an error is turned into a string.
"""

import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Self

from django.utils.translation import gettext_lazy as _

from cms.thai.digits import to_arabic, to_thai

BE_OFFSET = 543

THAI_MONTHS = (
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
)
THAI_MONTHS_ABBR = (
    "ม.ค.",
    "ก.พ.",
    "มี.ค.",
    "เม.ย.",
    "พ.ค.",
    "มิ.ย.",
    "ก.ค.",
    "ส.ค.",
    "ก.ย.",
    "ต.ค.",
    "พ.ย.",
    "ธ.ค.",
)
# Monday first, like date.weekday().
THAI_WEEKDAYS = ("จันทร์", "อังคาร", "พุธ", "พฤหัสบดี", "ศุกร์", "เสาร์", "อาทิตย์")

# Years from here on are Buddhist era; below it (down to _EARLIEST_CE_YEAR) Gregorian.
_FIRST_BE_YEAR = 2400
_EARLIEST_CE_YEAR = 1900
_TWO_DIGIT_BE_CENTURY = 2500

_EXAMPLE_INPUT = "10/2/2564"
_EXAMPLE_YEAR = "2564"


class ThaiDateError(ValueError):
    """A date that cannot be read, or that does not exist.

    Carries ``message`` (lazy, English msgid), ``code`` and ``params`` like Django's
    ValidationError, so a form can re-raise it as ``ValidationError(e.message, e.code, e.params)``.
    """

    def __init__(self, message: Any, code: str = "invalid", params: dict | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.params = params or {}

    def __str__(self) -> str:
        text = str(self.message)
        return text % self.params if self.params else text


def be_to_ce(year: int) -> int:
    """Convert a Buddhist-era year to the Gregorian year."""
    return year - BE_OFFSET


def ce_to_be(year: int) -> int:
    """Convert a Gregorian year to the Buddhist-era year."""
    return year + BE_OFFSET


def normalize_year(year: int) -> int:
    """Return a Gregorian year for a year that may have been typed in B.E. (2400 or more)."""
    return be_to_ce(year) if year >= _FIRST_BE_YEAR else year


@dataclass(frozen=True)
class PartialDate:
    """A Gregorian date whose day may be unknown (month-only, as drafts print "เมษายน ๒๕๖๔")."""

    year: int
    month: int
    day: int | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.year <= 9999:
            raise ThaiDateError(
                _("The year %(year)s is out of range."),
                code="year_out_of_range",
                params={"year": self.year},
            )
        if not 1 <= self.month <= 12:
            raise ThaiDateError(
                _("There is no month %(month)s."),
                code="invalid_month",
                params={"month": self.month},
            )
        if self.day is not None:
            try:
                date(self.year, self.month, self.day)
            except ValueError:
                raise ThaiDateError(
                    _("Day %(day)s does not exist in that month."),
                    code="invalid_day",
                    params={"day": self.day},
                ) from None

    @property
    def is_month_only(self) -> bool:
        """True when the day is unknown."""
        return self.day is None

    def to_date(self) -> date:
        """Return the date, taking day 1 for a month-only date."""
        return date(self.year, self.month, self.day or 1)

    def iso(self) -> str:
        """Return "YYYY-MM-DD", or "YYYY-MM" for a month-only date."""
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    @classmethod
    def from_iso(cls, text: str) -> Self:
        """Read "YYYY-MM-DD" or "YYYY-MM" literally (Gregorian, no B.E. conversion)."""
        match = _STRICT_ISO_RE.fullmatch(text.strip())
        if not match:
            raise ThaiDateError(
                _("“%(text)s” is not a date in the form YYYY-MM-DD or YYYY-MM."),
                code="invalid",
                params={"text": text},
            )
        year, month, day = match.groups()
        return cls(int(year), int(month), None if day is None else int(day))


# --- Regular expressions -------------------------------------------------------------------
# Everything runs on to_arabic(text), which keeps every character at its index.

_SP = r"(?:[^\S\r\n]|\u200b)"  # horizontal whitespace (and zero-width space), never a newline
_THAI_CHAR = "\u0e01-\u0e4e"  # Thai letters, vowels and tone marks

_STRICT_ISO_RE = re.compile(r"([0-9]{4})-([0-9]{2})(?:-([0-9]{2}))?")
_ISO_RE = re.compile(r"([0-9]{4})-([0-9]{1,2})(?:-([0-9]{1,2}))?")
_DMY_RE = re.compile(r"([0-9]{1,2}) ?[/.\-] ?([0-9]{1,2}) ?[/.\-] ?([0-9]+)")

_MONTH_NUMBERS = {name: number for number, name in enumerate(THAI_MONTHS, 1)}
_MONTH_NUMBERS.update(
    {abbr.replace(".", ""): number for number, abbr in enumerate(THAI_MONTHS_ABBR, 1)}
)


def _abbr_pattern(abbr: str) -> str:
    """Pattern for an abbreviation whose dots are optional: ม.ค. -> ม\\.?ค\\.?"""
    return "".join(part + r"\.?" for part in abbr.split(".") if part)


_FULL_MONTHS = "|".join(sorted(THAI_MONTHS, key=len, reverse=True))
_ABBR_MONTHS = "|".join(_abbr_pattern(abbr) for abbr in THAI_MONTHS_ABBR)
_WEEKDAYS = "|".join(sorted((*THAI_WEEKDAYS, "พฤหัส"), key=len, reverse=True))

# Day (optional), month name, optional พ.ศ., year. A full month name may be glued to the word
# before it ("เดือนเมษายน"); an abbreviation must not be the tail of a longer word or of another
# abbreviation ("ผอ.ก.พ.ร."). The day must not be the tail of a longer number.
_CORE = (
    rf"(?:(?<![0-9])(?P<day>[0-9]{{1,2}}){_SP}*)?"
    rf"(?P<month>{_FULL_MONTHS}|(?<![{_THAI_CHAR}.])(?:{_ABBR_MONTHS}))"
    rf"{_SP}*(?:(?P<era>พ\.?{_SP}*ศ\.?){_SP}*)?"
    r"(?P<year>[0-9]{4}|[0-9]{2})(?![0-9])"
)
_WEEKDAY_PREFIX = rf"วัน{_SP}*(?P<weekday>{_WEEKDAYS}){_SP}*(?:ที่{_SP}*)?"
# parse_thai_date: "วันศุกร์ที่ ", "วันที่ ", "ที่ ", "เดือน" may lead the date.
_PARSE_RE = re.compile(
    rf"(?:วัน{_SP}*(?:(?P<weekday>{_WEEKDAYS}){_SP}*)?(?:ที่{_SP}*)?|ที่{_SP}*|เดือน{_SP}*)?" + _CORE
)
# find_thai_dates: only a weekday prefix belongs to the date ("ลงวันที่" does not).
_FIND_RE = re.compile(rf"(?:{_WEEKDAY_PREFIX})?" + _CORE)


def _clean(text: str) -> str:
    """Arabic digits, whitespace runs (including zero-width spaces) collapsed, stripped."""
    return " ".join(to_arabic(text).replace("\u200b", " ").split())


def _resolve_year(digits: str, *, era_marked: bool = False) -> int:
    """Gregorian year for a printed year (see the module docstring for the rule)."""
    year = int(digits)
    if len(digits) == 2:
        return be_to_ce(_TWO_DIGIT_BE_CENTURY + year)
    if year >= _FIRST_BE_YEAR:
        return be_to_ce(year)
    if era_marked:
        raise ThaiDateError(
            _("The year %(year)s is marked B.E. but is too early for a Buddhist-era year."),
            code="not_be_year",
            params={"year": year},
        )
    if year >= _EARLIEST_CE_YEAR:
        return year
    raise ThaiDateError(
        _("The year %(year)s is out of range; enter a Buddhist-era year such as %(example)s."),
        code="year_out_of_range",
        params={"year": year, "example": _EXAMPLE_YEAR},
    )


def _from_match(match: re.Match) -> PartialDate:
    month = _MONTH_NUMBERS[match["month"].replace(".", "")]
    year = _resolve_year(match["year"], era_marked=match["era"] is not None)
    day = None if match["day"] is None else int(match["day"])
    return PartialDate(year, month, day)


def parse_thai_date(text: str) -> PartialDate:
    """Read one date printed in Thai ("๑๐ ก.พ. ๖๔", "เมษายน ๒๕๖๔") or ISO; years B.E."""
    cleaned = _clean(text)
    if not cleaned:
        raise ThaiDateError(_("Enter a date."), code="empty")
    iso = _ISO_RE.fullmatch(cleaned)
    if iso:
        year, month, day = iso.groups()
        return PartialDate(_resolve_year(year), int(month), None if day is None else int(day))
    match = _PARSE_RE.fullmatch(cleaned)
    if not match:
        raise ThaiDateError(
            _("“%(text)s” is not a recognisable date."), code="invalid", params={"text": text}
        )
    return _from_match(match)


def find_thai_dates(text: str) -> list[tuple[int, int, PartialDate]]:
    """Return (start, end, date) for every valid Thai date, full or month-only, in text."""
    found = []
    for match in _FIND_RE.finditer(to_arabic(text)):
        try:
            found.append((match.start(), match.end(), _from_match(match)))
        except ThaiDateError:
            continue  # looks like a date but does not exist (31 กุมภาพันธ์, year 1800 ...)
    return found


def format_thai_date(
    value: date | PartialDate,
    *,
    digits: str = "thai",
    month: str = "full",
    weekday: bool = False,
    era: bool = False,
) -> str:
    """Print a date the Thai way: "๑๐ กุมภาพันธ์ ๒๕๖๔" (weekday ignored when month-only)."""
    if digits not in ("thai", "arabic"):
        raise ValueError(f"digits must be 'thai' or 'arabic', not {digits!r}")
    if month not in ("full", "abbr"):
        raise ValueError(f"month must be 'full' or 'abbr', not {month!r}")
    if isinstance(value, PartialDate):
        partial = value
    elif isinstance(value, date):
        partial = PartialDate(value.year, value.month, value.day)
    else:
        raise TypeError(f"expected a date or PartialDate, not {type(value).__name__}")
    month_name = (THAI_MONTHS if month == "full" else THAI_MONTHS_ABBR)[partial.month - 1]
    year = f"{'พ.ศ. ' if era else ''}{ce_to_be(partial.year)}"
    if partial.day is None:
        text = f"{month_name} {year}"
    else:
        text = f"{partial.day} {month_name} {year}"
        if weekday:
            text = f"วัน{THAI_WEEKDAYS[partial.to_date().weekday()]}ที่ {text}"
    return to_thai(text) if digits == "thai" else text


def parse_date_input(text: str) -> date:
    """Read a full date typed into a form: "10/2/2564", "๑๐/๒/๒๕๖๔", ISO, or Thai text."""
    cleaned = _clean(text)
    if not cleaned:
        raise ThaiDateError(_("Enter a date."), code="empty")
    dmy = _DMY_RE.fullmatch(cleaned)
    if dmy:
        day, month, year = dmy.groups()
        if len(year) == 2:
            raise ThaiDateError(
                _("Enter the year with four digits, for example %(example)s."),
                code="two_digit_year",
                params={"example": _EXAMPLE_YEAR},
            )
        if len(year) != 4:
            raise ThaiDateError(
                _("Enter a date as day/month/year, for example %(example)s."),
                code="invalid",
                params={"example": _EXAMPLE_INPUT},
            )
        return PartialDate(_resolve_year(year), int(month), int(day)).to_date()
    try:
        partial = parse_thai_date(cleaned)
    except ThaiDateError as error:
        if error.code != "invalid":
            raise
        raise ThaiDateError(
            _("Enter a date as day/month/year, for example %(example)s."),
            code="invalid",
            params={"example": _EXAMPLE_INPUT},
        ) from None
    if partial.is_month_only:
        raise ThaiDateError(_("Enter the day as well as the month and year."), code="missing_day")
    return partial.to_date()
