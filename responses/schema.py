"""The questions of a response form as plain data, built once from the page's StreamField.

Everything outside ``responses.blocks`` and ``responses.models.pages`` works with this schema,
never with raw blocks:

    form.schema() → list[Question]

A ``Question`` has ``key`` (stable, readable, see responses.keys), ``label``, ``kind`` (one of
KINDS), ``required``, ``help_text``, ``choices`` (choice kinds), and for a table ``columns``
(list[Question], any kind but table), ``min_rows`` and ``max_rows`` (None: no limit).

Form field names and upload slots are made here too (``field_name``, ``slot``), so the views,
the autosave endpoint and the services agree on them:

    slot("รายงาน")                       → "รายงาน"                  a question
    slot("ตาราง", 1, "วันที่ลงนาม")          → "ตาราง.1.วันที่ลงนาม"       a table cell (row from 0)
    field_name(...)                     → "q." + slot(...)
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

SHORT_TEXT = "short_text"
LONG_TEXT = "long_text"
NUMBER = "number"
DATE = "date"
SINGLE_CHOICE = "single_choice"
MULTIPLE_CHOICE = "multiple_choice"
YES_NO = "yes_no"
EMAIL = "email"
PHONE = "phone"
FILE = "file"
TABLE = "table"

KINDS = (
    SHORT_TEXT,
    LONG_TEXT,
    NUMBER,
    DATE,
    SINGLE_CHOICE,
    MULTIPLE_CHOICE,
    YES_NO,
    EMAIL,
    PHONE,
    FILE,
    TABLE,
)
KIND_LABELS = {
    SHORT_TEXT: _("Short text"),
    LONG_TEXT: _("Long text"),
    NUMBER: pgettext_lazy("question type", "Number"),
    DATE: _("Date"),
    SINGLE_CHOICE: _("Single choice"),
    MULTIPLE_CHOICE: _("Multiple choice"),
    YES_NO: _("Yes / no"),
    EMAIL: _("E-mail"),
    PHONE: _("Phone"),
    FILE: _("File upload"),
    TABLE: _("Table"),
}
CHOICE_KINDS = frozenset({SINGLE_CHOICE, MULTIPLE_CHOICE})
# Kinds whose answer is a list (of choices, or of file ids).
LIST_KINDS = frozenset({MULTIPLE_CHOICE, FILE})
YES, NO = "yes", "no"

FIELD_PREFIX = "q."


@dataclass
class Question:
    key: str
    label: str
    kind: str
    required: bool = False
    help_text: str = ""
    choices: list[str] = field(default_factory=list)
    columns: list[Question] = field(default_factory=list)
    min_rows: int = 0
    max_rows: int | None = None
    block_id: str = ""

    @property
    def is_table(self) -> bool:
        return self.kind == TABLE

    @property
    def is_file(self) -> bool:
        return self.kind == FILE

    @property
    def is_list(self) -> bool:
        return self.kind in LIST_KINDS

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS.get(self.kind, self.kind))

    def column(self, key: str) -> Question | None:
        for column in self.columns:
            if column.key == key:
                return column
        return None

    def empty_value(self):
        """The answer of a question left blank."""
        if self.is_table or self.is_list:
            return []
        return ""


def choices_from_text(text: str) -> list[str]:
    """Choices typed one per line (blank lines and repeats dropped)."""
    seen, choices = set(), []
    for line in (text or "").splitlines():
        line = " ".join(line.split())
        if line and line not in seen:
            seen.add(line)
            choices.append(line)
    return choices


def question_from_block(kind: str, value, block_id: str = "", key: str = "") -> Question:
    """A Question from one question block's value (a StructValue or a plain dict)."""
    get = value.get
    columns = []
    if kind == TABLE:
        for child in get("columns") or []:
            columns.append(
                question_from_block(
                    child.block_type, child.value, getattr(child, "id", "") or "", ""
                )
            )
    max_rows = get("max_rows") if kind == TABLE else None
    return Question(
        key=key or (get("key") or ""),
        label=str(get("label") or ""),
        kind=kind,
        required=bool(get("required")),
        help_text=str(get("help_text") or ""),
        choices=choices_from_text(get("choices") or "") if kind in CHOICE_KINDS else [],
        columns=columns,
        min_rows=int(get("min_rows") or 0) if kind == TABLE else 0,
        max_rows=int(max_rows) if max_rows else None,
        block_id=block_id or "",
    )


def slot(key: str, row: int | None = None, column: str | None = None) -> str:
    """Where an answer or an upload goes: a question key, or key.row.column for a table cell."""
    if row is None:
        return key
    return f"{key}.{row}.{column}"


def parse_slot(name: str) -> tuple[str, int | None, str | None]:
    """The inverse of slot(); raises ValueError for a malformed name."""
    parts = name.split(".")
    if len(parts) == 1:
        return parts[0], None, None
    if len(parts) == 3 and parts[1].isdigit():
        return parts[0], int(parts[1]), parts[2]
    raise ValueError(name)


def field_name(key: str, row: int | None = None, column: str | None = None) -> str:
    return FIELD_PREFIX + slot(key, row, column)


def by_key(schema: list[Question]) -> dict[str, Question]:
    return {question.key: question for question in schema}


def as_list(value) -> list:
    """A raw or cleaned value as a list ("" → [], "x" → ["x"])."""
    if value is None or value == "":
        return []
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value]


def file_ids(question: Question, answer) -> list[str]:
    """Every file id in one question's answer (a file question, or a table's file cells)."""
    if question.is_file:
        return [str(v) for v in as_list(answer) if v]
    ids = []
    if question.is_table:
        for row in as_list(answer):
            if not isinstance(row, dict):
                continue
            for column in question.columns:
                if column.is_file:
                    ids.extend(str(v) for v in as_list(row.get(column.key)) if v)
    return ids


def all_file_ids(schema: list[Question], answers: dict) -> list[str]:
    ids = []
    for question in schema:
        ids.extend(file_ids(question, (answers or {}).get(question.key)))
    return ids
