"""How deadlines and answers read on the respondent's pages (Thai, Buddhist era, Thai digits).

``time_left(deadline, now=None)`` → "เหลืออีก ๓ วัน ๔ ชั่วโมง" (or "" once past);
``answer_items(schema, answers, files)`` → what a receipt shows for each question.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from cms.thai.dates import format_thai_date
from responses import schema as S
from responses.schema import Question, as_list
from responses.validation import number_text


def time_left(deadline: datetime.datetime | None, now: datetime.datetime | None = None) -> str:
    if deadline is None:
        return ""
    remaining = deadline - (now or timezone.now())
    if remaining.total_seconds() <= 0:
        return ""
    days = remaining.days
    hours = remaining.seconds // 3600
    minutes = (remaining.seconds % 3600) // 60
    if days:
        return _("%(days)s days %(hours)s hours left") % {
            "days": number_text(days),
            "hours": number_text(hours),
        }
    if hours:
        return _("%(hours)s hours %(minutes)s minutes left") % {
            "hours": number_text(hours),
            "minutes": number_text(minutes),
        }
    return _("%(minutes)s minutes left") % {"minutes": number_text(max(minutes, 1))}


def display_value(question: Question, value) -> str:
    """An answer as text: dates "๑๐ กุมภาพันธ์ ๒๕๖๔", yes/no in words, choices joined."""
    if question.kind == S.DATE:
        try:
            return format_thai_date(datetime.date.fromisoformat(str(value)))
        except ValueError:
            return str(value or "")
    if question.kind == S.YES_NO:
        return {S.YES: _("Yes"), S.NO: _("No")}.get(value, str(value or ""))
    if question.kind == S.MULTIPLE_CHOICE:
        return ", ".join(str(v) for v in as_list(value))
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)


@dataclass
class Cell:
    question: Question
    text: str = ""
    files: list = field(default_factory=list)


@dataclass
class AnswerItem:
    question: Question
    text: str = ""
    files: list = field(default_factory=list)
    rows: list = field(default_factory=list)  # list[list[Cell]]


def _cell(question: Question, value, files: dict) -> Cell:
    if question.is_file:
        return Cell(question, files=[files[str(i)] for i in as_list(value) if str(i) in files])
    return Cell(question, text=display_value(question, value))


def answer_items(schema: list[Question], answers: dict, files: dict) -> list[AnswerItem]:
    """files: file id → something with original_name (a ResponseFile or a version's dict)."""
    items = []
    for question in schema:
        value = (answers or {}).get(question.key)
        if question.is_table:
            rows = [
                [_cell(column, row.get(column.key), files) for column in question.columns]
                for row in as_list(value)
                if isinstance(row, dict)
            ]
            items.append(AnswerItem(question, rows=rows))
        else:
            cell = _cell(question, value, files)
            items.append(AnswerItem(question, text=cell.text, files=cell.files))
    return items
