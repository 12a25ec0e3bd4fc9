"""Thai official document numbers (เลขที่หนังสือ), e.g. "มท ๐๘๑๒/ว ๒๗๑".

Parts: ministry code (1-3 Thai consonants, มท), unit code (digits with optional dotted parts,
0812 or 0810.2), a slash, the circular mark ว (circulars only), the running number, and
sometimes "/2564" (a Buddhist-era year) after the running number. Drafts print the number
unfinished: "มท ๐๘๑๐.๒/ว", "มท 0810.3/".

Nothing here touches Django settings at import time; messages are lazy and only rendered when
an error is turned into a string.
"""

import re
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from cms.thai.digits import to_arabic, to_thai

CIRCULAR_MARK = "ว"

_FIRST_BE_YEAR = 2400
_CONSONANT = "\u0e01-\u0e2e"  # ก-ฮ
_THAI_CHAR = "\u0e01-\u0e4e"  # Thai letters, vowels and tone marks
_SP = r"(?:[^\S\r\n]|\u200b)"  # horizontal whitespace (and zero-width space), never a newline
_UNIT = r"[0-9]+(?:\.[0-9]+)*"

_EXAMPLE_NUMBER = "มท 0812/ว 271"
_EXAMPLE_MINISTRY = "มท"
_EXAMPLE_UNIT = "0810.2"
_EXAMPLE_YEAR = "2564"

_MINISTRY_RE = re.compile(rf"[{_CONSONANT}]{{1,3}}")
_UNIT_RE = re.compile(_UNIT)
_LEADING_RE = re.compile(r"^ที่ ?:? ?")  # "ที่ มท ..." / "ที่: มท ..."
_LETTERS_RE = re.compile(rf"[{_CONSONANT}]*")
# What may follow the slash (whitespace already collapsed to single spaces).
_TAIL_RE = re.compile(
    rf" ?(?P<circular>{CIRCULAR_MARK})? ?(?P<running>[0-9]+)?"
    r"(?: ?/ ?(?P<year>[0-9]+))? ?"
)
# A complete number inside running text. The ministry code starts a run of Thai letters (or
# follows a glued "ที่"); a number directly followed by "<digits>/" is part of something
# garbled ("มท ๐๘๑๐.๒/๖ ๓๓๗/๖") and is skipped rather than misread.
_FIND_RE = re.compile(
    rf"(?:(?<=ที่)|(?<![{_THAI_CHAR}.]))"
    rf"(?P<ministry>[{_CONSONANT}]{{1,3}})\.?{_SP}*"
    rf"(?P<unit>{_UNIT}){_SP}*/{_SP}*"
    rf"(?:(?P<circular>{CIRCULAR_MARK}){_SP}*)?"
    r"(?P<running>[0-9]+)(?![0-9])"
    rf"(?:{_SP}*/{_SP}*(?P<year>[0-9]{{4}})(?![0-9]))?"
    rf"(?!{_SP}*[0-9]+{_SP}*/)"
)


class DocNumberError(ValueError):
    """A document number that cannot be read; the message says which part is wrong.

    Carries ``message`` (lazy, English msgid), ``code`` and ``params`` like Django's
    ValidationError.
    """

    def __init__(self, message: Any, code: str = "invalid", params: dict | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.params = params or {}

    def __str__(self) -> str:
        text = str(self.message)
        return text % self.params if self.params else text


@dataclass(frozen=True)
class DocNumber:
    """A parsed document number; ``unit`` uses Arabic digits and ``year`` is Buddhist era."""

    ministry: str
    unit: str
    circular: bool
    running: int | None
    year: int | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.ministry, str) or not _MINISTRY_RE.fullmatch(self.ministry):
            raise DocNumberError(
                _("The ministry code must be 1 to 3 Thai letters, such as %(example)s."),
                code="bad_ministry",
                params={"example": _EXAMPLE_MINISTRY},
            )
        if not isinstance(self.unit, str) or not _UNIT_RE.fullmatch(self.unit):
            raise DocNumberError(
                _("The unit code must be digits, optionally with a dotted part, e.g. %(example)s."),
                code="unit_not_digits",
                params={"example": _EXAMPLE_UNIT},
            )
        if self.running is not None and self.running < 0:
            raise DocNumberError(_("The running number cannot be negative."), code="bad_running")
        if self.year is not None:
            if self.running is None:
                raise DocNumberError(
                    _("A year can only follow a running number."), code="year_without_running"
                )
            if self.year < _FIRST_BE_YEAR:
                raise DocNumberError(
                    _(
                        "The year %(year)s after the running number must be a Buddhist-era "
                        "year such as %(example)s."
                    ),
                    code="bad_year",
                    params={"year": self.year, "example": _EXAMPLE_YEAR},
                )

    @property
    def is_complete(self) -> bool:
        """True when the running number has been filled in."""
        return self.running is not None


def _collapse(text: str) -> str:
    """Arabic digits, whitespace runs (including zero-width spaces) as one space, stripped."""
    return " ".join(to_arabic(text).replace("\u200b", " ").split())


def parse_doc_number(text: str, default_ministry: str | None = None) -> DocNumber:
    """Read a document number in any digit script and spacing, e.g. "ที่ มท ๐๘๑๒/ว ๒๗๑"."""
    cleaned = _LEADING_RE.sub("", _collapse(text), count=1)
    if not cleaned:
        raise DocNumberError(_("Enter a document number."), code="empty")

    letters = _LETTERS_RE.match(cleaned).group()
    rest = cleaned[len(letters) :]
    if letters:
        # Too many letters, or letters running into a word ("กระทรวง"): not a ministry code.
        if not _MINISTRY_RE.fullmatch(letters) or re.match(rf"[{_THAI_CHAR}]", rest):
            raise DocNumberError(
                _("The ministry code must be 1 to 3 Thai letters, such as %(example)s."),
                code="bad_ministry",
                params={"example": _EXAMPLE_MINISTRY},
            )
        ministry = letters
        rest = rest.removeprefix(".").lstrip()
    elif default_ministry is not None:
        ministry = default_ministry
    elif "/" not in cleaned and not re.search("[0-9]", cleaned):
        raise DocNumberError(
            _("“%(text)s” is not a document number; expected something like %(example)s."),
            code="invalid",
            params={"text": text, "example": _EXAMPLE_NUMBER},
        )
    else:
        raise DocNumberError(
            _("The ministry code is missing; start with Thai letters such as %(example)s."),
            code="missing_ministry",
            params={"example": _EXAMPLE_MINISTRY},
        )

    unit = _UNIT_RE.match(rest)
    if unit is None:
        if not rest or rest.startswith("/"):
            raise DocNumberError(
                _("The unit code is missing; it comes before the slash, as in %(example)s."),
                code="missing_unit",
                params={"example": _EXAMPLE_NUMBER},
            )
        raise DocNumberError(
            _("The unit code must be digits, optionally with a dotted part, e.g. %(example)s."),
            code="unit_not_digits",
            params={"example": _EXAMPLE_UNIT},
        )
    rest = rest[unit.end() :].lstrip()
    if not rest.startswith("/"):
        if "/" in rest:
            raise DocNumberError(
                _("The unit code must be digits, optionally with a dotted part, e.g. %(example)s."),
                code="unit_not_digits",
                params={"example": _EXAMPLE_UNIT},
            )
        raise DocNumberError(
            _("Put a slash between the unit code and the running number, as in %(example)s."),
            code="missing_slash",
            params={"example": _EXAMPLE_NUMBER},
        )

    tail = _TAIL_RE.fullmatch(rest[1:])
    if tail is None or (tail["year"] is not None and tail["running"] is None):
        raise DocNumberError(
            _(
                "After the slash only the circular mark %(mark)s and a running number may "
                "follow, as in %(example)s."
            ),
            code="bad_tail",
            params={"mark": CIRCULAR_MARK, "example": _EXAMPLE_NUMBER},
        )
    year = tail["year"]
    if year is not None and (len(year) != 4 or int(year) < _FIRST_BE_YEAR):
        raise DocNumberError(
            _(
                "The year %(year)s after the running number must be a Buddhist-era "
                "year such as %(example)s."
            ),
            code="bad_year",
            params={"year": year, "example": _EXAMPLE_YEAR},
        )
    return DocNumber(
        ministry=ministry,
        unit=unit.group(),
        circular=tail["circular"] is not None,
        running=None if tail["running"] is None else int(tail["running"]),
        year=None if year is None else int(year),
    )


def format_doc_number(number: DocNumber, *, digits: str = "thai") -> str:
    """Print a number the official way: "มท ๐๘๑๒/ว ๒๗๑", a draft as "มท ๐๘๑๐.๒/ว"."""
    if digits not in ("thai", "arabic"):
        raise ValueError(f"digits must be 'thai' or 'arabic', not {digits!r}")
    if number.circular:
        after = CIRCULAR_MARK if number.running is None else f"{CIRCULAR_MARK} {number.running}"
    else:
        after = "" if number.running is None else str(number.running)
    text = f"{number.ministry} {number.unit}/{after}"
    if number.year is not None:
        text += f"/{number.year}"
    return to_thai(text) if digits == "thai" else text


def normalize_doc_number(text: str) -> str:
    """Return a comparison key ("มท0812/ว271") equal for every spelling of the same number."""
    text = "" if text is None else str(text)
    try:
        number = parse_doc_number(text)
    except DocNumberError:
        return "".join(to_arabic(text).replace("\u200b", " ").split())
    key = f"{number.ministry}{number.unit}/{CIRCULAR_MARK if number.circular else ''}"
    if number.running is not None:
        key += str(number.running)
    if number.year is not None:
        key += f"/{number.year}"
    return key


def find_doc_numbers(text: str) -> list[tuple[int, int, DocNumber]]:
    """Return (start, end, number) for every complete document number in running text."""
    found = []
    for match in _FIND_RE.finditer(to_arabic(text)):
        year = match["year"]
        if year is not None and int(year) < _FIRST_BE_YEAR:
            year, end = None, match.end("running")  # "/2021" is not part of the number
        else:
            end = match.end()
        number = DocNumber(
            ministry=match["ministry"],
            unit=match["unit"],
            circular=match["circular"] is not None,
            running=int(match["running"]),
            year=None if year is None else int(year),
        )
        found.append((match.start(), end, number))
    return found
