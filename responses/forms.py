"""The respondent's HTML form without JavaScript: reading a post, row buttons, field views.

Field names (responses.schema.field_name): ``q.<key>`` for a question, ``q.<key>.<row>.<column>``
for a table cell; ``q.<key>.rows`` holds a table's row count, ``….kept`` the ids of files
already kept (``….remove`` ticks one off), ``….sent`` marks a question whose input may be
empty (checkboxes, files). ``action`` is ``save``, ``submit``, ``add_row:<key>`` or
``remove_row:<key>:<row>``; ``edit_token`` is the Response.edit_token the page was made from.

``read_post(schema, data, files)`` turns a post into ``Posted(raw, uploads, action,
edit_token)`` for responses.services; ``apply_row_action`` adds or removes a table row (and
moves the uploads of the rows below); ``build_fields`` makes what the template renders.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from cms.thai.formfields import ThaiDateInput
from responses import schema as S
from responses.schema import Question, as_list, field_name
from responses.validation import ROWS_HARD_LIMIT, AnswerError, number_text


@dataclass
class Posted:
    raw: dict
    uploads: dict
    action: str = "save"
    edit_token: str | None = None
    focus: str = ""


def field_id(key: str, row: int | None = None, column: str | None = None) -> str:
    """HTML id of a question's input (or a table's fieldset), or of a table cell's input."""
    if row is None:
        return f"f-{key}"
    return f"f-{key}-{row}-{column}"


def _int(value, default: int = 0) -> int:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return default


def _is_sent(question: Question, data, name: str) -> bool:
    if question.is_table:
        return f"{name}.rows" in data
    if question.kind == S.MULTIPLE_CHOICE or question.is_file:
        return f"{name}.sent" in data or name in data
    return name in data


def _value(question: Question, data, name: str, honour_removals: bool):
    if question.kind == S.MULTIPLE_CHOICE:
        return [v for v in data.getlist(name) if v]
    if question.is_file:
        removed = set(data.getlist(f"{name}.remove")) if honour_removals else set()
        return [v for v in data.getlist(f"{name}.kept") if v and v not in removed]
    return data.get(name, "")


def _uploads(files, name: str) -> list:
    if files is None:
        return []
    return [f for f in files.getlist(name) if getattr(f, "name", "")]


def read_post(schema: list[Question], data, files=None, honour_removals: bool = True) -> Posted:
    """What a post says; questions the post does not carry are left out (they keep their value)."""
    raw, uploads = {}, {}
    for question in schema:
        name = field_name(question.key)
        if not _is_sent(question, data, name):
            continue
        if question.is_table:
            count = min(max(_int(data.get(f"{name}.rows")), 0), ROWS_HARD_LIMIT)
            rows = []
            for index in range(count):
                row = {}
                for column in question.columns:
                    cell = field_name(question.key, index, column.key)
                    row[column.key] = _value(column, data, cell, honour_removals)
                    if column.is_file and _uploads(files, cell):
                        uploads[S.slot(question.key, index, column.key)] = _uploads(files, cell)
                rows.append(row)
            raw[question.key] = rows
            continue
        raw[question.key] = _value(question, data, name, honour_removals)
        if question.is_file and _uploads(files, name):
            uploads[question.key] = _uploads(files, name)
    token = data.get("edit_token")
    return Posted(raw, uploads, (data.get("action") or "save").strip(), token or None)


def apply_row_action(schema: list[Question], posted: Posted) -> Posted:
    """Carry out add_row / remove_row on the posted rows; sets posted.focus to an HTML id."""
    parts = posted.action.split(":")
    if parts[0] not in ("add_row", "remove_row") or len(parts) < 2:
        return posted
    question = S.by_key(schema).get(parts[1])
    if question is None or not question.is_table or question.key not in posted.raw:
        return posted
    rows = posted.raw[question.key]
    if parts[0] == "add_row":
        limit = min(question.max_rows or ROWS_HARD_LIMIT, ROWS_HARD_LIMIT)
        if len(rows) < limit:
            rows.append({})
        first = question.columns[0].key if question.columns else ""
        posted.focus = field_id(question.key, len(rows) - 1, first)
        return posted
    index = _int(parts[2], -1) if len(parts) > 2 else -1
    if 0 <= index < len(rows):
        del rows[index]
        moved = {}
        for slot, files in posted.uploads.items():
            key, row, column = S.parse_slot(slot)
            if key != question.key or row is None or row < index:
                moved[slot] = files
            elif row > index:
                moved[S.slot(key, row - 1, column)] = files
        posted.uploads = moved
    posted.focus = field_id(question.key)
    return posted


# -- what the template renders ------------------------------------------------------------------


@dataclass
class Choice:
    value: str
    label: str
    id: str
    checked: bool


@dataclass
class RowView:
    index: int
    number: str
    cells: list


@dataclass
class FieldView:
    question: Question
    name: str
    id: str
    value: str = ""
    values: list = field(default_factory=list)
    files: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    rows: list = field(default_factory=list)
    row: int | None = None
    can_add_row: bool = False
    can_remove_row: bool = False

    @property
    def kind(self) -> str:
        return self.question.kind

    @property
    def widget(self) -> str:
        """How the template draws it: text, textarea, number, date, email, tel, radios,
        checkboxes, select, file or table."""
        kind = self.kind
        if kind in (S.SINGLE_CHOICE, S.YES_NO):
            return "select" if self.row is not None else "radios"
        return {
            S.SHORT_TEXT: "text",
            S.LONG_TEXT: "textarea",
            S.NUMBER: "number",
            S.DATE: "date",
            S.MULTIPLE_CHOICE: "checkboxes",
            S.EMAIL: "email",
            S.PHONE: "tel",
            S.FILE: "file",
            S.TABLE: "table",
        }[kind]

    @property
    def help_id(self) -> str:
        return f"{self.id}-help" if self.question.help_text else ""

    @property
    def error_id(self) -> str:
        return f"{self.id}-error" if self.errors else ""

    @property
    def format_id(self) -> str:
        """The id of the date format hint (dd/mm/yyyy, Buddhist era) of a date field."""
        return f"{self.id}-format" if self.kind == S.DATE else ""

    @property
    def described_by(self) -> str:
        return " ".join(i for i in (self.help_id, self.format_id, self.error_id) if i)

    @property
    def cell_label(self) -> str:
        """What a screen reader hears for a table cell: "วันที่ลงนาม แถวที่ ๒"."""
        if self.row is None:
            return self.question.label
        return _("%(column)s, row %(row)s") % {
            "column": self.question.label,
            "row": number_text(self.row + 1),
        }

    @property
    def choices(self) -> list[Choice]:
        if self.kind == S.YES_NO:
            options = [(S.YES, _("Yes")), (S.NO, _("No"))]
        else:
            options = [(c, c) for c in self.question.choices]
        chosen = set(self.values) if self.kind == S.MULTIPLE_CHOICE else {self.value}
        return [
            Choice(value, label, f"{self.id}-{n}", value in chosen)
            for n, (value, label) in enumerate(options, 1)
        ]

    @property
    def row_count(self) -> int:
        return len(self.rows)


def input_text(question: Question, value) -> str:
    """The text an input shows for a stored (or typed) value: dates in the Buddhist era."""
    if isinstance(value, (list, tuple)):
        value = value[0] if value else ""
    if value is None:
        return ""
    text = str(value)
    if question.kind == S.DATE:
        try:
            return ThaiDateInput().format_value(datetime.date.fromisoformat(text))
        except ValueError:
            return text
    return text


def _view(question, values, errors_at, files_by_id, key, row=None) -> FieldView:
    column = question.key if row is not None else None
    name = field_name(key, row, column)
    view = FieldView(
        question=question,
        name=name,
        id=field_id(key, row, column),
        row=row,
        errors=errors_at.get((key, row, column), []),
    )
    value = values.get(question.key) if row is not None else values.get(key)
    if question.kind == S.MULTIPLE_CHOICE:
        view.values = [str(v) for v in as_list(value)]
    elif question.is_file:
        view.files = [files_by_id[str(i)] for i in as_list(value) if str(i) in files_by_id]
    else:
        view.value = input_text(question, value)
    return view


def build_fields(
    schema: list[Question], values: dict, errors: list[AnswerError], files_by_id: dict
) -> list[FieldView]:
    """One FieldView per question; a table's view has one RowView per row, each with cells."""
    errors_at: dict = {}
    for error in errors:
        errors_at.setdefault((error.key, error.row, error.column), []).append(error)
    views = []
    for question in schema:
        if not question.is_table:
            views.append(_view(question, values, errors_at, files_by_id, question.key))
            continue
        view = _view(question, {}, errors_at, files_by_id, question.key)
        rows = [r if isinstance(r, dict) else {} for r in as_list(values.get(question.key))]
        while len(rows) < max(question.min_rows, 1):
            rows.append({})
        for index, row in enumerate(rows):
            cells = [
                _view(column, row, errors_at, files_by_id, question.key, index)
                for column in question.columns
            ]
            view.rows.append(RowView(index, number_text(index + 1), cells))
        limit = min(question.max_rows or ROWS_HARD_LIMIT, ROWS_HARD_LIMIT)
        view.can_add_row = len(rows) < limit
        view.can_remove_row = len(rows) > max(question.min_rows, 1)
        views.append(view)
    return views
