"""Every response of a form as a spreadsheet (XLSX, openpyxl) or as CSV (UTF-8 with a BOM, so
Excel shows Thai), and the counts per choice.

What is exported
    The version each organisation last *submitted* (``ResponseVersion`` of kind submission whose
    number is the response's ``version``: the bulk form of ``Response.latest_submission()``).
    With ``include_drafts=True`` responses never submitted are added with their working draft
    (the answers that passed the format checks; input still waiting for correction is left
    out) and the status "draft". Organisations that have not started are not exported (the
    dashboard lists them). Rows are in the dashboard's order: province (Thai alphabetical),
    then อปท. code.

Layout
    * Main sheet / main CSV: one row per response. Responder columns (``RESPONDER_COLUMNS``:
      organisation code, organisation, province, status, reference, version, submitted at
      (Buddhist era), late), then one column per question that is not a table, headed by
      its label, then for each table question the number of its rows.
    * Table questions: one sheet per table in the XLSX, one CSV per table
      (``?table=<key>``): one row per table row, the responder columns repeated on each, then
      the row number and one column per table column.
    * XLSX only: a "summary" sheet with ``summarise``'s counts.

Cells
    Dates "15 มีนาคม 2564" (Buddhist era, Thai month, Arabic digits: readable, and searchable,
    but text, so a spreadsheet sorts them alphabetically, not chronologically); date-times "15 มีนาคม 2564 14:30" (Asia/Bangkok); choices joined by "; "; yes/no in
    words; files by their names ("; "); numbers as numbers in the XLSX. Text a spreadsheet
    would run as a formula (=, @, +/- not followed by a number) is written as text: a string
    cell in the XLSX, a leading apostrophe in the CSV.

Memory
    Responses are read in chunks (``iterator(chunk_size=500)``) with their submitted version
    prefetched, and each is written as soon as it is read: the XLSX uses openpyxl's write-only
    workbook (rows go to temporary files sheet by sheet, all sheets filled in the same single
    pass), the CSV is a generator for a StreamingHttpResponse.
"""

from __future__ import annotations

import csv
import datetime
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db.models import F, Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cms.thai.dates import format_thai_date
from responses import schema as S
from responses import services
from responses.models import Response, ResponseFile, ResponseVersion
from responses.schema import Question, as_list

CHUNK = 500
BOM = "\ufeff"
JOIN = "; "
SUMMARY_KINDS = (S.SINGLE_CHOICE, S.MULTIPLE_CHOICE, S.YES_NO)

RESPONDER_COLUMNS = (
    gettext_lazy("Organisation code"),
    gettext_lazy("Organisation"),
    gettext_lazy("Province"),
    gettext_lazy("Status"),
    gettext_lazy("Reference number"),
    gettext_lazy("Version"),
    gettext_lazy("Submitted at"),
    gettext_lazy("Late"),
)


# -- reading ------------------------------------------------------------------------------------


@dataclass
class Record:
    """One organisation's exported answers."""

    response: Response
    version: ResponseVersion | None  # None: a draft never submitted
    answers: dict
    files: dict[str, str]  # file id → original name

    @property
    def status(self) -> str:
        if self.version is None:
            return services.DRAFT
        return services.LATE if self.version.is_late else services.SUBMITTED


def latest_submissions():
    """Each response's last submitted version (the one whose number is the response's)."""
    return ResponseVersion.objects.filter(
        kind=ResponseVersion.Kind.SUBMISSION, version=F("response__version")
    )


def records(form, include_drafts: bool = False, chunk_size: int = CHUNK) -> Iterator[Record]:
    responses = (
        Response.objects.filter(form=form)
        .select_related("province", "local_organisation__province")
        .prefetch_related(Prefetch("versions", queryset=latest_submissions(), to_attr="sent"))
        .order_by("province__name_th", "local_organisation__code", "pk")
    )
    if include_drafts:
        names = ResponseFile.objects.only("pk", "uuid", "original_name", "response_id")
        responses = responses.prefetch_related(Prefetch("files", queryset=names, to_attr="held"))
    else:
        responses = responses.filter(status=Response.Status.SUBMITTED)
    for response in responses.iterator(chunk_size=chunk_size):
        sent = response.sent[0] if response.sent else None
        if sent is not None:
            files = {item["uuid"]: item["original_name"] for item in sent.files}
            yield Record(response, sent, sent.answers or {}, files)
        elif include_drafts and not response.is_submitted:
            files = {str(item.uuid): item.original_name for item in response.held}
            yield Record(response, None, response.answers or {}, files)


# -- cells --------------------------------------------------------------------------------------


def be_date(value) -> str:
    try:
        day = datetime.date.fromisoformat(str(value))
    except ValueError:
        return str(value or "")
    return format_thai_date(day, digits="arabic")


def be_datetime(value: datetime.datetime | None) -> str:
    if value is None:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{format_thai_date(local.date(), digits='arabic')} {local:%H:%M}"


def cell_value(question: Question, value, files: dict[str, str], typed: bool = False):
    """One answer as a spreadsheet cell (typed: numbers as Decimal/int, for the XLSX)."""
    if question.is_file:
        return JOIN.join(files.get(str(v), str(v)) for v in as_list(value))
    if question.kind == S.DATE:
        return be_date(value) if value else ""
    if question.kind == S.YES_NO:
        return {S.YES: _("Yes"), S.NO: _("No")}.get(value, str(value or ""))
    if question.kind == S.MULTIPLE_CHOICE or isinstance(value, (list, tuple)):
        return JOIN.join(str(v) for v in as_list(value))
    if question.kind == S.NUMBER and typed and value not in (None, ""):
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            return str(value)
        return number if "." in str(value) else int(number)
    return "" if value is None else str(value)


def responder_cells(record: Record) -> list:
    response, version = record.response, record.version
    organisation = response.organisation
    province = response.province if response.local_organisation_id else organisation
    return [
        response.organisation_code,
        getattr(organisation, "name", None) or str(organisation),
        str(province) if province is not None else "",
        str(services.STATUS_LABELS[record.status]),
        version.reference if version else "",
        version.version if version else "",
        be_datetime(version.created_at) if version else "",
        (_("Yes") if version.is_late else _("No")) if version else "",
    ]


def main_header(schema: list[Question]) -> list[str]:
    header = [str(label) for label in RESPONDER_COLUMNS]
    header += [q.label for q in schema if not q.is_table]
    header += [_("Rows: %(table)s") % {"table": q.label} for q in schema if q.is_table]
    return header


def main_cells(schema: list[Question], record: Record, typed: bool = False) -> list:
    cells = responder_cells(record)
    answers = record.answers
    cells += [
        cell_value(q, answers.get(q.key), record.files, typed) for q in schema if not q.is_table
    ]
    cells += [len(table_answer_rows(answers.get(q.key))) for q in schema if q.is_table]
    return cells


def table_answer_rows(value) -> list[dict]:
    return [row for row in as_list(value) if isinstance(row, dict)]


def table_header(table: Question) -> list[str]:
    header = [str(label) for label in RESPONDER_COLUMNS] + [_("Row")]
    return header + [column.label for column in table.columns]


def table_cells(table: Question, record: Record, typed: bool = False) -> Iterator[list]:
    """One list of cells per row of the table, the responder's columns repeated on each."""
    responder = responder_cells(record)
    for number, row in enumerate(table_answer_rows(record.answers.get(table.key)), start=1):
        yield [
            *responder,
            number,
            *(cell_value(c, row.get(c.key), record.files, typed) for c in table.columns),
        ]


# -- counts per choice --------------------------------------------------------------------------


@dataclass
class SummaryItem:
    """How often each choice of one question (or one table column) was chosen.

    ``total``: responses considered (table columns: table rows); ``answered``: those with an
    answer; ``counts``: (choice, count) in the form's order, then values no longer among the
    choices (an edited question) in the order met.
    """

    key: str
    label: str
    kind: str
    choices: list[str]
    table_label: str = ""
    total: int = 0
    answered: int = 0
    tally: dict[str, int] = field(default_factory=dict)

    @property
    def unanswered(self) -> int:
        return self.total - self.answered

    @property
    def counts(self) -> list[tuple[str, int]]:
        listed = [(choice, self.tally.get(choice, 0)) for choice in self.choices]
        extra = [(value, n) for value, n in self.tally.items() if value not in self.choices]
        return listed + extra

    def rows(self) -> list[dict]:
        """[{"choice", "count", "percent"}] (percent of the answered, one decimal)."""
        return [
            {
                "choice": choice,
                "count": count,
                "percent": round(100 * count / self.answered, 1) if self.answered else 0.0,
            }
            for choice, count in self.counts
        ]

    def add(self, value) -> None:
        self.total += 1
        if self.kind == S.MULTIPLE_CHOICE:
            chosen = [str(v) for v in as_list(value) if v not in (None, "")]
        else:
            chosen = [] if value in (None, "", []) else [str(value)]
        if self.kind == S.YES_NO:
            words = {S.YES: str(_("Yes")), S.NO: str(_("No"))}
            chosen = [words.get(v, v) for v in chosen]
        if not chosen:
            return
        self.answered += 1
        for choice in dict.fromkeys(chosen):
            self.tally[choice] = self.tally.get(choice, 0) + 1


class Summary:
    """Counts per choice of every single-choice, multiple-choice and yes/no question, table
    columns included (counted per table row). Feed it answers with ``add``."""

    def __init__(self, schema: list[Question]):
        self.items: list[SummaryItem] = []
        self._questions: list[tuple[Question, SummaryItem]] = []
        self._columns: list[tuple[Question, Question, SummaryItem]] = []
        for question in schema:
            if question.kind in SUMMARY_KINDS:
                item = _item(question)
                self.items.append(item)
                self._questions.append((question, item))
            elif question.is_table:
                for column in question.columns:
                    if column.kind in SUMMARY_KINDS:
                        item = _item(column, question)
                        self.items.append(item)
                        self._columns.append((question, column, item))
        self.responses = 0

    def add(self, answers: dict) -> None:
        answers = answers or {}
        self.responses += 1
        for question, item in self._questions:
            item.add(answers.get(question.key))
        for table, column, item in self._columns:
            for row in table_answer_rows(answers.get(table.key)):
                item.add(row.get(column.key))


def _item(question: Question, table: Question | None = None) -> SummaryItem:
    choices = list(question.choices)
    if question.kind == S.YES_NO:
        choices = [str(_("Yes")), str(_("No"))]
    return SummaryItem(
        key=f"{table.key}/{question.key}" if table else question.key,
        label=question.label,
        kind=question.kind,
        choices=choices,
        table_label=table.label if table else "",
    )


def summarise(form, include_drafts: bool = False) -> Summary:
    """Counts over the submitted versions (plus never-submitted drafts when asked)."""
    summary = Summary(form.schema())
    if not summary.items:
        return summary
    sent = latest_submissions().filter(response__form=form).values_list("answers", flat=True)
    for answers in sent.iterator(chunk_size=CHUNK):
        summary.add(answers)
    if include_drafts:
        drafts = Response.objects.filter(form=form, status=Response.Status.DRAFT)
        for answers in drafts.values_list("answers", flat=True).iterator(chunk_size=CHUNK):
            summary.add(answers)
    return summary


def summary_header() -> list[str]:
    return [_("Question"), _("Table"), _("Choice"), _("Count"), _("Percent of answered")]


def summary_cells(summary: Summary) -> Iterator[list]:
    for item in summary.items:
        for row in item.rows():
            yield [item.label, item.table_label, row["choice"], row["count"], row["percent"]]
        yield [item.label, item.table_label, _("Answered"), item.answered, ""]
        yield [item.label, item.table_label, _("Not answered"), item.unanswered, ""]


# -- CSV ----------------------------------------------------------------------------------------

_SAFE_SIGNED = re.compile(r"[+-][0-9 ().,\-]*")


def defuse(value):
    """Text a spreadsheet would run as a formula, made plain text (numbers stay numbers)."""
    if not isinstance(value, str) or not value:
        return value
    if value[0] in "=@\t\r" or (value[0] in "+-" and not _SAFE_SIGNED.fullmatch(value)):
        return "'" + value
    return value


class _Line:
    def write(self, value: str) -> str:
        return value


def csv_lines(form, table_key: str | None = None, include_drafts: bool = False) -> Iterator[str]:
    """The CSV, line by line, starting with the BOM. Raises KeyError for an unknown table."""
    schema = form.schema()
    table = None
    if table_key:
        table = S.by_key(schema).get(table_key)
        if table is None or not table.is_table:
            raise KeyError(table_key)
    return _csv_lines(form, schema, table, include_drafts)


def _csv_lines(form, schema, table, include_drafts) -> Iterator[str]:
    writer = csv.writer(_Line())
    yield BOM + writer.writerow(table_header(table) if table else main_header(schema))
    for record in records(form, include_drafts):
        if table is None:
            yield writer.writerow([defuse(v) for v in main_cells(schema, record)])
        else:
            for cells in table_cells(table, record):
                yield writer.writerow([defuse(v) for v in cells])


# -- XLSX ---------------------------------------------------------------------------------------

_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def sheet_title(label: str, taken: set[str]) -> str:
    """A valid, unique worksheet name (31 characters, none of []:*?/\\)."""
    base = _SHEET_FORBIDDEN.sub(" ", label).strip().strip("'") or "sheet"
    title, n = base[:31], 2
    while title.lower() in taken:
        suffix = f" ({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(title.lower())
    return title


def write_xlsx(form, out, include_drafts: bool = False) -> Summary:
    """Write the workbook into the binary file `out`; returns the summary it holds."""
    from openpyxl import Workbook

    schema = form.schema()
    tables = [q for q in schema if q.is_table]
    book = Workbook(write_only=True)
    taken: set[str] = set()
    main = book.create_sheet(sheet_title(str(_("Responses")), taken))
    main.append(_header_cells(main, main_header(schema)))
    sheets = {}
    for table in tables:
        sheet = book.create_sheet(sheet_title(table.label, taken))
        sheet.append(_header_cells(sheet, table_header(table)))
        sheets[table.key] = sheet
    summary_sheet = book.create_sheet(sheet_title(str(_("Summary")), taken))
    summary = Summary(schema)
    for record in records(form, include_drafts):
        main.append(_cells(main, main_cells(schema, record, typed=True)))
        for table in tables:
            for cells in table_cells(table, record, typed=True):
                sheets[table.key].append(_cells(sheets[table.key], cells))
        summary.add(record.answers)
    summary_sheet.append(_header_cells(summary_sheet, summary_header()))
    for cells in summary_cells(summary):
        summary_sheet.append(_cells(summary_sheet, cells))
    book.save(out)
    return summary


def _header_cells(sheet, values: Iterable) -> list:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    cells = []
    for value in values:
        cell = WriteOnlyCell(sheet, value=str(value))
        cell.data_type = "s"
        cell.font = Font(bold=True)
        cells.append(cell)
    return cells


def _cells(sheet, values: Iterable) -> list:
    """Values for a write-only row; strings are always text, never formulas."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    cells = []
    for value in values:
        if value == "":
            value = None  # an empty cell, not an empty string
        elif isinstance(value, str):
            value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if isinstance(value, str) and value.startswith("="):
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"
            cells.append(cell)
        else:
            cells.append(value)
    return cells


def file_name(form, extension: str, table: str = "") -> str:
    suffix = f"-{table}" if table else ""
    return f"wian-form-{form.pk}-responses{suffix}.{extension}"
