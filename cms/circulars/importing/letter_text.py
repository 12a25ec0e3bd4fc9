"""Parse the raw text of a Thai official letter (หนังสือเวียน) into an interchange record.

The text is what comes out of a Word file: tabs and runs of spaces used for layout, blank lines
between every line or none at all, Word markers such as ``[image: ]`` glued to the first word,
paragraphs broken by hand in the middle of a sentence. The parser is a small state machine over
lines, in the order a letter is laid out::

    header (ด่วน/ลับ, ที่, sender, date) -> เรื่อง -> เรียน -> อ้างถึง -> สิ่งที่ส่งมาด้วย
    -> body -> closing (จึงเรียนมา...) -> salutation (ขอแสดงความนับถือ)
    -> signature ((name), position) -> owner unit / reviewers' initials / contact -> annex

Rules, general rather than tied to one sender:

* A blank line always ends a paragraph. Without one, a line still starts a new paragraph when it
  is indented (tab or two spaces), opens with a paragraph word (ตามที่, เนื่องจาก, ในการนี้,
  ด้วยกรม...), is a numbered item, follows a line ending in " นั้น" / "ดังนี้" / ":", or starts
  with the sender's name (unless the line before ends in a word such as ถึง or ให้). Otherwise
  it is a soft wrap: joined without a space between two Thai letters, else with one space (also
  when the wrapped line ended with a space).
* A subject or addressee line continues only while an unseen label (เรียน, อ้างถึง,
  สิ่งที่ส่งมาด้วย) follows within two lines. A reference item is complete once it holds a date,
  an enclosure once it ends in a quantity ("จำนวน ๑ ชุด" or "๑ ฉบับ"); an incomplete item takes
  the next line when that line (or the one after) completes it, numbered items must count up.
* Signature: "(name)", then position lines until a unit word (กอง, กลุ่ม, ส่วน, สำนัก ...),
  a contact line or reviewers' initials; after a blank line only an acting-for line
  (ปฏิบัติราชการแทน ...) or the line after one continues the position.
* Foot: unit lines until the first contact line; initials glued to the unit's last line are
  split where the unit ends in dictionary words (pythainlp). The first line that is none of
  these starts the annex.

The result follows ``shared/formats/circular-jsonl.md``; see :func:`parse_letter`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from django.utils.translation import gettext_lazy as _

from cms.thai.dates import PartialDate, ThaiDateError, find_thai_dates, parse_thai_date
from cms.thai.digits import parse_int
from cms.thai.docnumbers import DocNumberError, parse_doc_number

__all__ = ["LetterParseError", "parse_letter"]

URGENCY_MARKS = ("ด่วนที่สุด", "ด่วนมาก", "ด่วน")
SECRECY_MARKS = ("ลับที่สุด", "ลับมาก", "ลับ")


class LetterParseError(ValueError):
    """The text is not a letter at all (it has no subject line)."""


# --- Lines ---------------------------------------------------------------------------------

_WORD_MARKER_RE = re.compile(r"\[(?:image|bookmark|picture|shape|graphic)\s*:[^\]\n]*\]", re.I)
_MARKDOWN_LINK_RE = re.compile(r"\[([^\]\n]+)\]\((?:https?://|mailto:|www\.)[^)\s]*\)")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)


@dataclass(frozen=True)
class _Line:
    raw: str  # the line without Word markers, layout whitespace kept
    text: str  # stripped, every whitespace run collapsed to one space
    indented: bool  # starts with a tab or with two or more spaces
    trailing_space: bool  # the line ended with whitespace: a wrap here keeps a space

    @property
    def blank(self) -> bool:
        return not self.text


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _split_lines(text: str) -> list[_Line]:
    text = text.translate(_INVISIBLE).replace("\u00a0", " ").replace("\u3000", " ")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _WORD_MARKER_RE.sub("", text)
    text = _MARKDOWN_LINK_RE.sub(r"\1", text)
    lines = []
    for raw in text.split("\n"):
        lines.append(
            _Line(
                raw=raw,
                text=_collapse(raw),
                indented=raw.startswith(("\t", "  ")),
                trailing_space=raw != raw.rstrip(),
            )
        )
    return lines


def _next_nonblank(lines: Sequence[_Line], start: int) -> int | None:
    for index in range(start, len(lines)):
        if not lines[index].blank:
            return index
    return None


def _is_thai_letter(char: str) -> bool:
    # Thai consonants, vowels and tone marks; not digits, not ฯ or ๆ (a space follows those).
    return "\u0e01" <= char <= "\u0e4e" and char not in "ฯๆ"


def _join(left: str, right: str, keep_space: bool = False) -> str:
    """Join two pieces of one wrapped paragraph: Thai-to-Thai without a space."""
    if not left:
        return right
    if not right:
        return left
    if not keep_space and _is_thai_letter(left[-1]) and _is_thai_letter(right[0]):
        return left + right
    return f"{left} {right}"


def _join_lines(lines: Sequence[_Line], first: str | None = None) -> str:
    """Join lines (the first one optionally replaced by ``first``) as one wrapped paragraph."""
    text = ""
    keep_space = False
    for index, line in enumerate(lines):
        piece = first if index == 0 and first is not None else line.text
        text = _join(text, piece, keep_space)
        keep_space = line.trailing_space
    return text


# --- Words of the letter -------------------------------------------------------------------

_THAI = "\u0e01-\u0e4e"
_DIGIT = "0-9๐-๙"

_NUMBER_LINE_RE = re.compile(r"^ที่(?:[ \t]*[:：][ \t]*|[ \t]+|$)(?P<rest>.*)$")
_MARKS_PREFIX_RE = re.compile(r"^(?:(?:ด่วนที่สุด|ด่วนมาก|ด่วน|ลับที่สุด|ลับมาก|ลับ)(?:\s+|$))+")
_NUMBER_LINE_GLUED_RE = re.compile(rf"^ที่(?P<rest>[ก-ฮ]{{1,3}}\.?\s*[{_DIGIT}].*)$")
_SUBJECT_RE = re.compile(r"^เรื่อง(?:\s*[:：]\s*|\s+|$)(.*)$")
_SUBJECT_GLUED_RE = re.compile(r"^เรื่อง(.+)$")
_ABBREVIATION_RE = re.compile(r"(?:[ก-ฮ]{1,4}\.?)+")  # "มท", "ว", "สพฐ." (consonants only)
_MEMO_DATE_RE = re.compile(r"\s+(?:ลง)?วันที่(?=[\s0-9๐-๙])")  # "ที่ ... วันที่ ..." (memo)
_ADDRESSEE_RE = re.compile(
    r"^เรียน(?:\s*[:：]\s*|\s+|$|(?=ผู้|ท่าน|นาย|อธิบดี|ปลัด|รัฐมนตรี|เลขาธิการ|ประธาน|หัวหน้า"
    r"|คณบดี|อธิการบดี|สมาชิก|คณะ))(.*)$"
)
_REFERENCES_RE = re.compile(r"^[-–•*]?\s*อ้างถึง(?:\s*[:：]\s*|\s+|$)(.*)$")
_ENCLOSURES_RE = re.compile(r"^[-–•*]?\s*สิ่งที่ส่งมาด้วย(?:\s*[:：]\s*|\s+|$)(.*)$")
_LABELS = (
    ("addressee", _ADDRESSEE_RE),
    ("references", _REFERENCES_RE),
    ("enclosures", _ENCLOSURES_RE),
)

_ITEM_NUMBER_RE = re.compile(rf"^\(?([{_DIGIT}]{{1,2}})\s*[.)](?![{_DIGIT}])\s*(.*)$")
_QUANTITY_UNITS = "แผ่นพับ|แผ่นซีดี|ชุด|ฉบับ|แผ่น|เล่ม|แฟ้ม|หน้า|รายการ|ไฟล์|ใบ|ชิ้น|กล่อง|ม้วน|ตัวอย่าง"
_QUANTITY_RE = re.compile(
    rf"(?:^|\s)(?:จำนวน\s*(?P<n1>[{_DIGIT}]+)\s*(?P<u1>[^\s()]+)"
    rf"|\(?(?P<n2>[{_DIGIT}]+)\s*(?P<u2>{_QUANTITY_UNITS})\)?)\s*[.)]?\s*$"
)

# Words that open a paragraph of a Thai letter; a line starting with one starts a paragraph.
_OPENER_RE = re.compile(
    r"^(?:ตามที่|เนื่องจาก|ในการนี้|อนึ่ง|บัดนี้"
    r"|ด้วย(?=\s|กรม|กระทรวง|สำนัก|จังหวัด|คณะ|รัฐบาล|สถาบัน|มหาวิทยาลัย|ศูนย์|กอง|องค์การ"
    r"|ได้รับ|ขณะนี้|ปัจจุบัน|ปรากฏ))"
)
_LIST_ITEM_RE = re.compile(rf"^(?:\(?[{_DIGIT}]{{1,2}}[.)](?![{_DIGIT}])|[-•●▪]\s)")
_PARAGRAPH_END_RE = re.compile(r"(?:\sนั้น|ดังนี้|ดังต่อไปนี้|:)$")
# A line ending in one of these words goes on in the next line, whatever that line starts with.
_DANGLING_WORDS = (
    "ถึง",
    "ให้",
    "ของ",
    "จาก",
    "กับ",
    "แก่",
    "ต่อ",
    "โดย",
    "และ",
    "หรือ",
    "ซึ่ง",
    "ไปยัง",
    "ว่า",
    "ทาง",
    "แห่ง",
)

_CLOSING_RE = re.compile(r"^จึง(?:เรียน|แจ้ง)(?:มา|ยืนยัน|เพื่อ)")
_CLOSING_IN_TEXT_RE = re.compile(r"(?:^|\s)(จึง(?:เรียน|แจ้ง)มาเพื่อ\S.*)$")
_SALUTATION_RE = re.compile(
    r"^(?:ขอแสดงความนับถือ(?:อย่างสูง)?|ขอแสดงความเคารพ(?:อย่างสูง)?"
    r"|ด้วยความเคารพ(?:อย่างสูง)?|ด้วยความนับถือ)$"
)
_NAME_RE = re.compile(r"^\(\s*([^()]+?)\s*\)$")
_ACTING_RE = re.compile(r"^(?:ปฏิบัติราชการแทน|รักษาราชการแทน|รักษาการแทน|แทน)")
_UNIT_PREFIX_RE = re.compile(
    r"^(?:กอง|กลุ่ม|ส่วน|สำนัก|ฝ่าย|ศูนย์|งาน|หน่วย|แผนก|สถาบัน|สถานี|ศาลากลาง|ที่ว่าการ"
    r"|ที่ทำการ|โรงเรียน|โรงพยาบาล|องค์การ|เทศบาล|สภา)"
)

_CONTACT_LABEL_RE = re.compile(
    r"(?P<fax>โทรสาร|แฟกซ์|แฟ็กซ์|fax\.?)"
    rf"|(?P<phone>โทรศัพท์|โทร\.?(?=[\s:：/,{_DIGIT}]|$))"
    r"|(?P<email>ไปรษณีย์อิเล็กทรอนิกส์|อีเมล์|อีเมล|e-?mail)",
    re.I,
)
_COORDINATORS_RE = re.compile(r"^ผู้ประสานงาน\s*[:：]?\s*(.*)$")
_COORDINATOR_SPLIT_RE = re.compile(rf"\s*[,，]\s*(?=[^\s{_DIGIT}])")
_EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")

# Reviewers' initials at the foot of a draft: "ผอ.ก.พ.ร. ........./ ก.ค. ๖๔".
_ENDORSEMENT_RE = re.compile(
    r"^(?P<pre>.*?)(?P<initials>(?:[ก-ฮ]{1,5}\.)+)\s*[.…_]{3,}\s*/\s*(?P<date>.*?)\s*$"
)

_COPY_TO_RE = re.compile(r"^สำเนา(?:เรียน|ส่ง|ถึง)(?:\s|$)")
_SLOGAN_RE = re.compile(r"^[“\"][^“”\"]+[”\"]$")
_DEADLINE_LEAD_RE = re.compile(rf"ภายใน\s*(?:วัน[{_THAI}]*?ที่)?\s*$")


# --- Small readers -------------------------------------------------------------------------


def _dates_in(text: str) -> list[tuple[int, int, PartialDate]]:
    try:
        return find_thai_dates(text)
    except ThaiDateError:
        return []


def _item_number(text: str) -> tuple[int | None, str]:
    match = _ITEM_NUMBER_RE.match(text)
    if not match:
        return None, text
    try:
        return parse_int(match.group(1)), match.group(2)
    except ValueError:
        return None, text


def _quantity(text: str) -> tuple[str, str] | None:
    """Split "title จำนวน ๑ ชุด" into ("title", "๑ ชุด")."""
    match = _QUANTITY_RE.search(text)
    if not match:
        return None
    number = match["n1"] or match["n2"]
    unit = match["u1"] or match["u2"]
    return text[: match.start()].strip(), f"{number} {unit}"


def _has_quantity(text: str) -> bool:
    return _quantity(text) is not None


def _has_date(text: str) -> bool:
    return bool(_dates_in(text))


def _label_of(line: _Line) -> tuple[str, str] | None:
    for name, pattern in _LABELS:
        match = pattern.match(line.text)
        if match:
            return name, match.group(1).strip()
    return None


def _marks(text: str) -> tuple[str, str, str]:
    """Take urgency and secrecy words off the front of a header line."""
    urgency = secrecy = ""
    changed = True
    while changed and text:
        changed = False
        for marks, kind in ((URGENCY_MARKS, "u"), (SECRECY_MARKS, "s")):
            for mark in marks:
                if text == mark or text.startswith(mark + " "):
                    if kind == "u":
                        urgency = urgency or mark
                    else:
                        secrecy = secrecy or mark
                    text = text[len(mark) :].strip()
                    changed = True
                    break
    return urgency, secrecy, text


def _is_doc_number_token(token: str) -> bool:
    """A token of "มท ๐๘๑๒/ว ๒๗๑": an abbreviation, or something with a digit or slash."""
    if re.search(rf"[{_DIGIT}/]", token):
        return True
    return len(token) <= 6 and _ABBREVIATION_RE.fullmatch(token) is not None


def _split_number_line(rest: str) -> tuple[str, str]:
    """Split what follows ที่ into the number and the sender sharing its line."""
    parts = re.split(r"\t| {2,}", rest.strip(" "), maxsplit=1)
    number, sender = parts[0], (parts[1] if len(parts) > 1 else "")
    tokens = number.split()
    for index, token in enumerate(tokens):
        if not _is_doc_number_token(token):
            sender = " ".join([*tokens[index:], sender])
            tokens = tokens[:index]
            break
    number = _collapse(" ".join(tokens))
    if not re.search(rf"[{_DIGIT}ก-ฮ]", number):
        number = ""  # "ที่ ............" in a blank form
    return number, _collapse(sender)


@lru_cache(maxsize=1)
def _dictionary() -> frozenset[str]:
    from pythainlp.corpus import thai_words

    return frozenset(thai_words())


def _ends_in_words(text: str, whole: bool) -> bool:
    from pythainlp.tokenize import word_tokenize

    words = [w for w in word_tokenize(text, keep_whitespace=False) if re.search(f"[{_THAI}]", w)]
    if not words:
        return False
    dictionary = _dictionary()
    if whole:
        return all(word in dictionary for word in words)
    return words[-1] in dictionary


def _split_glued_initials(pre: str, initials: str) -> tuple[str, str]:
    """Split "กลุ่มพัฒนาระบบบริหารร.อสถ." into "กลุ่มพัฒนาระบบบริหาร" and "ร.อสถ."."""
    if not pre or pre[-1].isspace():
        return pre.strip(), initials
    # The run of consonants before the first dot holds the unit's last letters and the first
    # group of initials; split it where the unit then ends in dictionary words, giving the
    # initials as few letters as possible.
    head, _dot, tail = initials.partition(".")
    for whole in (True, False):
        for keep in range(1, len(head) + 1):
            candidate = pre + head[: len(head) - keep]
            if _ends_in_words(candidate, whole):
                return candidate.strip(), head[len(head) - keep :] + "." + tail
    return pre.strip(), initials


def _endorsement(text: str) -> tuple[str, bool, dict[str, str]] | None:
    """Return (text before the initials, whether it was glued to them, the entry)."""
    match = _ENDORSEMENT_RE.match(text)
    if not match:
        return None
    glued = bool(match["pre"]) and not match["pre"][-1].isspace()
    pre, initials = _split_glued_initials(match["pre"], match["initials"])
    return pre, glued, {"initials": initials, "date": _collapse(match["date"])}


def _contact_fields(text: str) -> dict[str, str] | None:
    """Read "โทร. ...", "โทรสาร ...", "E-mail : ..." (several may share a line)."""
    labels = list(_CONTACT_LABEL_RE.finditer(text))
    if not labels or labels[0].start() != 0:
        return None
    found: dict[str, str] = {}
    waiting: list[str] = []  # "โทร./โทรสาร ๐ ๒๒๔๑ ๙๐๐๐": both labels share the number
    for index, label in enumerate(labels):
        end = labels[index + 1].start() if index + 1 < len(labels) else len(text)
        value = _strip_final_period(text[label.end() : end].strip(" :：-/,"))
        kind = label.lastgroup or ""
        if not value:
            waiting.append(kind)
            continue
        for each in [*waiting, kind]:
            email = _EMAIL_RE.search(value) if each == "email" else None
            found.setdefault(each, email.group() if email else value)
        waiting = []
    return found


def _strip_final_period(text: str) -> str:
    text = text.strip()
    if re.search(rf"[{_DIGIT}]\.$", text):
        return text[:-1].rstrip()
    return text


def _is_contact_line(text: str) -> bool:
    return bool(_COORDINATORS_RE.match(text)) or _contact_fields(text) is not None


def _deadline(text: str) -> str | None:
    """The first full date that follows "ภายใน(วัน...ที่)"."""
    for start, end, found in _dates_in(text):
        if found.day is None:
            continue
        lead = re.match(rf"[^{_DIGIT}]*", text[start:end]).group()
        if _DEADLINE_LEAD_RE.search(text[max(0, start - 40) : start] + lead):
            return found.iso()
    return None


# --- The parts of the letter ---------------------------------------------------------------


@dataclass
class _Header:
    doc_number: str = ""
    sender: str = ""
    issued_on: str | None = None
    urgency: str = ""
    secrecy: str = ""
    found_number_line: bool = False


def _read_header(lines: Sequence[_Line]) -> _Header:
    header = _Header()
    sender_after_number = False
    for line in lines:
        if line.blank:
            continue
        urgency, secrecy, text = _marks(line.text)
        header.urgency = header.urgency or urgency
        header.secrecy = header.secrecy or secrecy
        if not text:
            continue
        raw = _MARKS_PREFIX_RE.sub("", line.raw.strip())
        number = None
        if not header.found_number_line:
            number = _NUMBER_LINE_RE.match(raw) or _NUMBER_LINE_GLUED_RE.match(raw)
        if number:
            header.found_number_line = True
            rest, date_text = number["rest"], ""
            memo_date = _MEMO_DATE_RE.search(rest)
            if memo_date:
                rest, date_text = rest[: memo_date.start()], rest[memo_date.end() :]
            header.doc_number, sender = _split_number_line(rest)
            if sender:
                header.sender, sender_after_number = sender, True
            issued = _header_date(date_text) if date_text.strip() else None
            if issued is not None and header.issued_on is None:
                header.issued_on = issued.iso()
            continue
        if header.issued_on is None:
            issued = _header_date(text)
            if issued is not None:
                header.issued_on = issued.iso()
                continue
        # The sender: the first line without digits (an address has a postcode), preferably
        # after the number line ("ร่าง" or "(สำเนาคู่ฉบับ)" may stand above it).
        if not re.search(rf"[{_DIGIT}]", text) and (
            not header.sender or (header.found_number_line and not sender_after_number)
        ):
            header.sender = text
            sender_after_number = header.found_number_line
    return header


def _header_date(text: str) -> PartialDate | None:
    for start, end, found in _dates_in(text):
        rest = text[:start] + text[end:]
        if len(re.sub(f"[^{_THAI}]", "", rest.replace("วันที่", ""))) <= 8:
            return found
    try:
        return parse_thai_date(text)
    except ThaiDateError:
        return None


@dataclass
class _ListField:
    """อ้างถึง / สิ่งที่ส่งมาด้วย: items, numbered or not, each possibly wrapped."""

    is_complete: Callable[[str], bool]
    unnumbered_after_blank: bool = False  # an unnumbered item may follow a blank line
    items: list[list[tuple[_Line, str]]] = field(default_factory=list)
    current: list[tuple[_Line, str]] | None = None
    expected: int | None = None  # next item number, when the items are numbered

    def start(self, line: _Line, content: str) -> None:
        if not content:
            return
        number, rest = _item_number(content)
        if number is not None:
            self.expected = number + 1
        self._open(line, rest)

    def _open(self, line: _Line, text: str) -> None:
        self._close()
        self.current = [(line, text)]
        if self.is_complete(text):
            self._close()

    def _close(self) -> None:
        if self.current:
            self.items.append(self.current)
        self.current = None

    def finish(self) -> list[str]:
        self._close()
        return [_join_item(item) for item in self.items]

    def _next_completes(self, lines: Sequence[_Line], index: int) -> bool:
        """The very next line (no blank between) is an unnumbered line ending the item."""
        if index + 1 >= len(lines) or lines[index + 1].blank:
            return False
        following = lines[index + 1].text
        return (
            _item_number(following)[0] is None
            and _label_of(lines[index + 1]) is None
            and self.is_complete(following)
        )

    def accepts_after_blank(self, line: _Line) -> bool:
        number, _rest = _item_number(line.text)
        if self.current is not None and number is None and self.is_complete(line.text):
            return not _OPENER_RE.match(line.text)  # the end of an item wrapped over a blank
        if self.expected is not None:
            return number == self.expected
        if _OPENER_RE.match(line.text):
            return False
        return self.unnumbered_after_blank and number is None and self.is_complete(line.text)

    def feed(self, lines: Sequence[_Line], index: int) -> bool:
        """Take lines[index] into the list, or return False: the body starts there."""
        line = lines[index]
        number, rest = _item_number(line.text)
        first = self.expected is None and not self.items and self.current is None
        if number is not None and (number == self.expected or first):
            self.expected = number + 1
            self._open(line, rest)
            return True
        if _OPENER_RE.match(line.text):
            return False
        if self.current is not None:
            if self.is_complete(line.text) or self._next_completes(lines, index):
                self.current.append((line, line.text))
                if self.is_complete(line.text):
                    self._close()
                return True
            return False
        if self.expected is None and number is None:
            if self.is_complete(line.text) or self._next_completes(lines, index):
                self._open(line, line.text)
                return True
        return False


def _join_item(item: list[tuple[_Line, str]]) -> str:
    text = ""
    keep_space = False
    for line, piece in item:
        text = _join(text, piece, keep_space)
        keep_space = line.trailing_space
    return text


def _enclosure(text: str) -> dict[str, str]:
    quantity = _quantity(text)
    if quantity is None:
        return {"title": text.strip(), "quantity": ""}
    title, amount = quantity
    return {"title": title, "quantity": amount}


def _starts_paragraph(previous: _Line, line: _Line, senders: Sequence[str]) -> bool:
    text = line.text
    if line.indented or _OPENER_RE.match(text) or _LIST_ITEM_RE.match(text):
        return True
    if _PARAGRAPH_END_RE.search(previous.text):
        return True
    if any(sender and text.startswith(sender) for sender in senders):
        return not previous.text.endswith(_DANGLING_WORDS)
    return False


def _paragraphs(lines: Sequence[_Line], senders: Sequence[str]) -> list[str]:
    paragraphs: list[str] = []
    current: str | None = None
    previous: _Line | None = None
    for line in lines:
        if line.blank:
            if current:
                paragraphs.append(current)
            current, previous = None, None
            continue
        if current is None or previous is None or _starts_paragraph(previous, line, senders):
            if current:
                paragraphs.append(current)
            current = line.text
        else:
            current = _join(current, line.text, previous.trailing_space)
        previous = line
    if current:
        paragraphs.append(current)
    return paragraphs


def _sender_names(sender: str) -> list[str]:
    names = [sender] if sender else []
    for prefix in ("ศาลากลาง", "ที่ว่าการ", "ที่ทำการ"):
        if sender.startswith(prefix) and len(sender) > len(prefix) + 2:
            names.append(sender[len(prefix) :])
    return names


# --- The parser ----------------------------------------------------------------------------


def parse_letter(text: str, source_id: str) -> dict:
    """Read the raw text of a Thai official letter into an interchange record (a dict).

    Always present: ``source_id``, ``doc_number``, ``urgency``, ``secrecy``, ``subject``,
    ``addressee``, ``references``, ``enclosures``, ``body``, ``closing``, ``salutation``,
    ``signatory``, ``owner_unit``, ``contact``, ``endorsements`` and ``warnings`` ("" or [] when
    the letter does not state them). ``issued_on``, ``response_deadline`` and ``annex`` appear
    only when found. Raises :class:`LetterParseError` when the text has no เรื่อง line.
    """
    lines = _split_lines(text)
    subject_at, subject_first = _find_subject(lines)
    if subject_at is None:
        raise LetterParseError(_("The text is not a letter: it has no subject line."))
    warnings: list[str] = []

    header = _read_header(lines[:subject_at])
    record: dict = {"source_id": source_id, "doc_number": header.doc_number}
    if header.issued_on:
        record["issued_on"] = header.issued_on
    record["urgency"] = header.urgency
    record["secrecy"] = header.secrecy
    if not header.doc_number:
        warnings.append("no doc number")
    else:
        try:
            if not parse_doc_number(header.doc_number).is_complete:
                warnings.append("unfinished doc number")
        except DocNumberError:
            warnings.append("unrecognised doc number")
    if not header.issued_on:
        warnings.append("no date")

    # เรื่อง, เรียน, อ้างถึง, สิ่งที่ส่งมาด้วย ----------------------------------------------
    subject_lines: list[_Line] = [lines[subject_at]]
    addressee_lines: list[_Line] = []
    addressee_first = ""
    lists = {
        "references": _ListField(_has_date),
        "enclosures": _ListField(_has_quantity, unnumbered_after_blank=True),
    }
    seen = {"subject"}
    current = "subject"

    def label_ahead(index: int, reach: int) -> bool:
        """A label not seen yet comes within the next ``reach`` non-blank lines."""
        position = index
        for _step in range(reach):
            position = _next_nonblank(lines, position + 1)
            if position is None:
                return False
            label = _label_of(lines[position])
            if label and label[0] not in seen:
                return True
            if _OPENER_RE.match(lines[position].text):
                return False
        return False

    index = subject_at + 1
    body_start = len(lines)
    while index < len(lines):
        line = lines[index]
        if line.blank:
            following = _next_nonblank(lines, index)
            if following is None:
                break
            label = _label_of(lines[following])
            if (label and label[0] not in seen) or (
                lists[current].accepts_after_blank(lines[following])
                if current in lists
                else not _OPENER_RE.match(lines[following].text) and label_ahead(following, 1)
            ):
                index = following
                continue
            body_start = following
            break
        label = _label_of(line)
        if label and label[0] not in seen:
            current = label[0]
            seen.add(current)
            if current == "addressee":
                addressee_lines, addressee_first = [line], label[1]
                if not addressee_first:  # "เรียน" alone, the addressee on the next line
                    following = _next_nonblank(lines, index + 1)
                    if following is not None and _label_of(lines[following]) is None:
                        addressee_lines, addressee_first = [lines[following]], None
                        index = following
            else:
                lists[current].start(line, label[1])
            index += 1
            continue
        if current in lists:
            if lists[current].feed(lines, index):
                index += 1
                continue
        elif not _OPENER_RE.match(line.text) and label_ahead(index, 2):
            (subject_lines if current == "subject" else addressee_lines).append(line)
            index += 1
            continue
        body_start = index
        break

    record["subject"] = _join_lines(subject_lines, subject_first)
    record["addressee"] = _join_lines(addressee_lines, addressee_first) if addressee_lines else ""
    record["references"] = lists["references"].finish()
    record["enclosures"] = [_enclosure(item) for item in lists["enclosures"].finish()]
    if not record["subject"]:
        warnings.append("no subject")
    if not record["addressee"]:
        warnings.append("no addressee")

    # Closing, salutation, signature ------------------------------------------------------
    salutation_at = next(
        (i for i in range(body_start, len(lines)) if _SALUTATION_RE.match(lines[i].text)), None
    )
    search_end = salutation_at if salutation_at is not None else len(lines)
    closing_at = next(
        (i for i in range(search_end - 1, body_start - 1, -1) if _CLOSING_RE.match(lines[i].text)),
        None,
    )
    closing = ""
    if closing_at is not None:
        closing_end = closing_at + 1
        if salutation_at is not None:
            closing_end = salutation_at
        closing_lines = [ln for ln in lines[closing_at:closing_end] if not ln.blank]
        closing = _join_lines(closing_lines)
        body_end = closing_at
        signature_at = salutation_at + 1 if salutation_at is not None else closing_at + 1
    elif salutation_at is not None:
        body_end = salutation_at
        signature_at = salutation_at + 1
    else:
        signature_at = next(
            (i for i in range(body_start, len(lines)) if _NAME_RE.match(lines[i].text)),
            len(lines),
        )
        body_end = signature_at

    paragraphs = _paragraphs(lines[body_start:body_end], _sender_names(header.sender))
    if not closing and paragraphs:
        embedded = _CLOSING_IN_TEXT_RE.search(paragraphs[-1])
        if embedded:
            closing = embedded.group(1).strip()
            paragraphs[-1] = paragraphs[-1][: embedded.start()].strip()
            if not paragraphs[-1]:
                paragraphs.pop()
    record["body"] = "\n\n".join(paragraphs)
    record["closing"] = closing
    record["salutation"] = lines[salutation_at].text if salutation_at is not None else ""
    if not paragraphs:
        warnings.append("no body")
    if not closing:
        warnings.append("no closing")
    if salutation_at is None:
        warnings.append("no salutation")

    name, position, tail_at = _read_signature(lines, signature_at)
    record["signatory"] = {"name": name, "position": position}
    if not name:
        warnings.append("no signatory name")
    if not position:
        warnings.append("no signatory position")

    # Owner unit, reviewers' initials, contact, annex -------------------------------------
    tail = _read_tail(lines, tail_at)
    record["owner_unit"] = " / ".join(tail.units)
    record["contact"] = tail.contact
    record["endorsements"] = tail.endorsements
    if not tail.units:
        warnings.append("no owner unit")

    deadline = _deadline(record["body"]) or (_deadline(tail.annex) if tail.annex else None)
    if deadline:
        record["response_deadline"] = deadline
    if tail.annex:
        record["annex"] = tail.annex
    record["warnings"] = warnings
    return record


def _find_subject(lines: Sequence[_Line]) -> tuple[int | None, str]:
    """The เรื่อง line and its text; a glued "เรื่องการ..." only near the top, before เรียน."""
    for index, line in enumerate(lines):
        match = _SUBJECT_RE.match(line.text)
        if match:
            return index, match.group(1).strip()
    nonblank = [i for i, line in enumerate(lines) if not line.blank][:15]
    for position, index in enumerate(nonblank):
        match = _SUBJECT_GLUED_RE.match(lines[index].text)
        if match and any(
            _ADDRESSEE_RE.match(lines[i].text) for i in nonblank[position + 1 : position + 4]
        ):
            return index, match.group(1).strip()
    return None, ""


def _read_signature(lines: Sequence[_Line], start: int) -> tuple[str, str, int]:
    """Return the signatory's name, position and the index where the foot of the letter starts."""
    index = _next_nonblank(lines, start)
    if index is None:
        return "", "", len(lines)
    name = ""
    match = _NAME_RE.match(lines[index].text)
    if match:
        name = _collapse(match.group(1))
        index += 1
    position: list[str] = []
    after = index
    while True:
        candidate = _next_nonblank(lines, after)
        if candidate is None or len(position) >= 4:
            break
        text = lines[candidate].text
        if (
            _UNIT_PREFIX_RE.match(text)
            or _COPY_TO_RE.match(text)
            or _is_contact_line(text)
            or _endorsement(text) is not None
            or _NAME_RE.match(text)
            or len(text) > 120
        ):
            break
        if position:
            blank_between = candidate > after
            continues = _ACTING_RE.match(text) or position[-1].endswith("แทน") or not blank_between
            if not continues:
                break
        position.append(text)
        after = candidate + 1
    return name, " ".join(position), after


@dataclass
class _Tail:
    units: list[str] = field(default_factory=list)
    endorsements: list[dict[str, str]] = field(default_factory=list)
    contact: dict = field(
        default_factory=lambda: {"phone": "", "fax": "", "email": "", "coordinators": []}
    )
    annex: str = ""


def _read_tail(lines: Sequence[_Line], start: int) -> _Tail:
    tail = _Tail()
    contact_seen = False
    annex_at = None
    for index in range(start, len(lines)):
        text = lines[index].text
        if not text or text in SECRECY_MARKS or _COPY_TO_RE.match(text):
            continue
        if _SLOGAN_RE.match(text) and _next_nonblank(lines, index + 1) is None:
            continue  # the sender's motto printed at the foot of the page
        endorsement = _endorsement(text)
        if endorsement is not None:
            pre, glued, entry = endorsement
            # Text glued to the first initials is the owner unit's last line; text set apart
            # by a space is the reviewer's name, unless it reads as a unit.
            if pre and not contact_seen and (glued or _UNIT_PREFIX_RE.match(pre)):
                tail.units.append(pre)
            tail.endorsements.append(entry)
            continue
        coordinators = _COORDINATORS_RE.match(text)
        if coordinators:
            names = _COORDINATOR_SPLIT_RE.split(coordinators.group(1))
            tail.contact["coordinators"].extend(_strip_final_period(n) for n in names if n.strip())
            contact_seen = True
            continue
        fields = _contact_fields(text)
        if fields is not None:
            for key, value in fields.items():
                if not tail.contact[key]:
                    tail.contact[key] = value
            contact_seen = True
            continue
        first = not tail.units and not tail.endorsements
        if (
            not contact_seen
            and len(tail.units) < 4
            and (
                _UNIT_PREFIX_RE.match(text)
                or (first and len(text) <= 60 and not re.search(rf"[{_DIGIT}]", text))
            )
        ):
            tail.units.append(text)
            continue
        annex_at = index
        break
    if annex_at is not None:
        tail.annex = _annex_text(lines[annex_at:])
    return tail


def _annex_text(lines: Sequence[_Line]) -> str:
    out: list[str] = []
    for line in lines:
        if line.blank:
            if out and out[-1]:
                out.append("")
        else:
            out.append(line.text)
    return "\n".join(out).strip()
