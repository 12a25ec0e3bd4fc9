"""Checking answers against a form's schema: ``clean_answers(schema, raw, partial=False)``.

``raw`` maps question keys to what was typed: a string, a list of strings (multiple choice;
file ids for a file question), or for a table a list of rows, each a dict column key → cell
(same shapes). Returns ``(answers, errors)``:

* ``answers`` is JSON-safe and normalised: dates as ISO Gregorian strings ("2021-02-10", typed
  as 10/02/2564, ๑๐ ก.พ. ๒๕๖๔ …), numbers as strings of Arabic digits without grouping
  ("1250.5"), yes/no as "yes"/"no", choices as the choice's text, files as lists of file ids,
  tables as lists of row dicts. Every question of the schema has an entry (blank: "" or []).
  Cleaning is idempotent: clean_answers(schema, answers) gives answers back unchanged.
* ``errors`` is a list of ``AnswerError(key, row, column, message, problem)``; ``row`` counts
  from 0 as the rows were sent (blank rows included), ``message`` says what and where in the
  active language (Thai by default): "ตารางความร่วมมือ แถวที่ ๒ คอลัมน์ ‘วันที่ลงนาม’: วันที่
  ไม่ถูกต้อง: …", ``problem`` only what.

``partial=True`` (drafts) checks formats only: nothing is required, row counts are not checked,
blank table rows are kept, and a question with a format error is left out of ``answers``.
In a full check blank table rows are dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from cms.thai.dates import ThaiDateError, parse_date_input
from cms.thai.digits import to_arabic, to_thai
from responses import schema as S
from responses.schema import Question, as_list

SHORT_TEXT_MAX = 1000
LONG_TEXT_MAX = 20000
ROWS_HARD_LIMIT = 1000

_NUMBER_RE = re.compile(r"([+-]?)((?:[0-9]{1,3}(?:,[0-9]{3})+)|[0-9]+)(\.[0-9]+)?")
_PHONE_RE = re.compile(r"\+?[0-9][0-9 ()\-]*(?:\s*(?:ต่อ|ext\.?|#)\s*[0-9]+)?", re.IGNORECASE)
_YES = {"yes", "true", "1", "ใช่", "มี"}
_NO = {"no", "false", "0", "ไม่ใช่", "ไม่มี"}


@dataclass(frozen=True)
class AnswerError:
    key: str | None
    row: int | None
    column: str | None
    message: str
    problem: str = ""

    @property
    def slot(self) -> str:
        return S.slot(self.key or "", self.row, self.column)

    @property
    def anchor(self) -> str:
        """The HTML id of the field the error belongs to (see responses.forms.field_id)."""
        from responses.forms import field_id

        if self.key is None:
            return "response-form"
        return field_id(self.key, self.row, self.column)


def number_text(n: int) -> str:
    """A count or row number in the digits of the active language."""
    text = str(n)
    return to_thai(text) if (get_language() or "th").startswith("th") else text


def _where(question: Question, row: int | None = None, column: Question | None = None) -> str:
    if row is None:
        return question.label
    return _("%(label)s row %(row)s column ‘%(column)s’") % {
        "label": question.label,
        "row": number_text(row + 1),
        "column": column.label if column else "",
    }


def _error(question, problem, row=None, column=None) -> AnswerError:
    where = _where(question, row, column)
    return AnswerError(
        key=question.key,
        row=row,
        column=column.key if column else None,
        message=f"{where}: {problem}",  # the same punctuation in Thai and English
        problem=problem,
    )


def _text(value) -> str:
    if isinstance(value, (list, tuple)):
        value = value[0] if value else ""
    if value is None:
        return ""
    return str(value)


def is_blank(question: Question, value) -> bool:
    if question.is_table:
        return not any(_row_has_content(question, row) for row in as_list(value))
    if question.is_list:
        return not [v for v in as_list(value) if str(v).strip()]
    return not _text(value).strip()


def _row_has_content(question: Question, row) -> bool:
    if not isinstance(row, dict):
        return False
    return any(not is_blank(column, row.get(column.key)) for column in question.columns)


def clean_value(question: Question, value, partial: bool = False):
    """(cleaned, problem) for one non-table question; problem is None when the value is fine."""
    if is_blank(question, value):
        if question.required and not partial:
            if question.is_file:
                return question.empty_value(), _("attach a file")
            return question.empty_value(), _("an answer is required")
        return question.empty_value(), None
    kind = question.kind
    if kind == S.MULTIPLE_CHOICE:
        chosen = {" ".join(str(v).split()) for v in as_list(value) if str(v).strip()}
        unknown = sorted(chosen - set(question.choices))
        if unknown:
            return None, _("“%(value)s” is not one of the choices") % {"value": unknown[0]}
        return [choice for choice in question.choices if choice in chosen], None
    if kind == S.FILE:
        ids = []
        for item in as_list(value):
            item = str(item).strip()
            if item and item not in ids:
                ids.append(item)
        return ids, None
    text = _text(value)
    if kind == S.SHORT_TEXT:
        text = " ".join(text.split())
        if len(text) > SHORT_TEXT_MAX:
            return None, _too_long(SHORT_TEXT_MAX)
        return text, None
    if kind == S.LONG_TEXT:
        text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
        if len(text) > LONG_TEXT_MAX:
            return None, _too_long(LONG_TEXT_MAX)
        return text, None
    text = text.strip()
    if kind == S.NUMBER:
        match = _NUMBER_RE.fullmatch(to_arabic(text).replace(" ", ""))
        if not match:
            return None, _("not a number; type digits such as 1,250 or ๑๒๕๐")
        sign, digits, decimals = match.groups()
        return f"{'-' if sign == '-' else ''}{digits.replace(',', '')}{decimals or ''}", None
    if kind == S.DATE:
        try:
            return parse_date_input(text).isoformat(), None
        except ThaiDateError as error:
            return None, _("invalid date: %(detail)s") % {"detail": str(error)}
    if kind == S.SINGLE_CHOICE:
        text = " ".join(text.split())
        if text not in question.choices:
            return None, _("“%(value)s” is not one of the choices") % {"value": text}
        return text, None
    if kind == S.YES_NO:
        lowered = text.lower()
        if lowered in _YES:
            return S.YES, None
        if lowered in _NO:
            return S.NO, None
        return None, _("answer yes or no")
    if kind == S.EMAIL:
        try:
            validate_email(text)
        except ValidationError:
            return None, _("not an e-mail address")
        return text, None
    if kind == S.PHONE:
        phone = " ".join(to_arabic(text).split())
        numbers = [part.strip() for part in re.split(r"[,/]", phone) if part.strip()]
        for number in numbers:
            digits = re.sub(r"\D", "", number)
            if not _PHONE_RE.fullmatch(number) or len(digits) < 9:
                return None, _(
                    "not a phone number; use digits, spaces and dashes, "
                    "and “ต่อ” before an extension"
                )
        return phone, None
    raise ValueError(f"unknown question kind {kind!r}")


def _too_long(limit: int) -> str:
    return _("too long (at most %(count)s characters)") % {"count": number_text(limit)}


def _rows(value) -> list:
    if isinstance(value, dict):  # {"0": {...}, "1": {...}}
        try:
            return [value[k] for k in sorted(value, key=int)]
        except (TypeError, ValueError):
            return []
    return [row if isinstance(row, dict) else {} for row in as_list(value)]


def clean_table(question: Question, value, partial: bool = False):
    """(rows, errors) for a table question."""
    rows, errors, cleaned_rows = _rows(value), [], []
    if len(rows) > ROWS_HARD_LIMIT:
        return [], [_error(question, _rows_at_most(ROWS_HARD_LIMIT))]
    for index, row in enumerate(rows):
        if not partial and not _row_has_content(question, row):
            continue  # a blank row is dropped from a full answer
        cleaned = {}
        for column in question.columns:
            result, problem = clean_value(column, row.get(column.key), partial)
            if problem:
                errors.append(_error(question, problem, index, column))
            else:
                cleaned[column.key] = result
        cleaned_rows.append(cleaned)
    if not partial and not errors:
        count = len(cleaned_rows)
        needed = max(question.min_rows, 1 if question.required else 0)
        if count < needed:
            if needed == 1:
                errors.append(_error(question, _("add at least one row")))
            else:
                problem = _("at least %(count)s rows are needed") % {"count": number_text(needed)}
                errors.append(_error(question, problem))
        if question.max_rows and count > question.max_rows:
            errors.append(_error(question, _rows_at_most(question.max_rows)))
    return cleaned_rows, errors


def _rows_at_most(limit: int) -> str:
    return _("at most %(count)s rows are allowed") % {"count": number_text(limit)}


def clean_answers(
    schema: list[Question], raw: dict, partial: bool = False
) -> tuple[dict, list[AnswerError]]:
    """Normalised answers and the errors found (see the module docstring)."""
    raw = raw or {}
    answers, errors = {}, []
    for question in schema:
        value = raw.get(question.key, question.empty_value())
        if question.is_table:
            rows, table_errors = clean_table(question, value, partial)
            if table_errors:
                errors.extend(table_errors)
                if partial:
                    continue
            answers[question.key] = rows
            continue
        cleaned, problem = clean_value(question, value, partial)
        if problem:
            errors.append(_error(question, problem))
            if partial:
                continue
        answers[question.key] = cleaned if cleaned is not None else question.empty_value()
    return answers, errors
