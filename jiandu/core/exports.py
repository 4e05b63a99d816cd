"""Spreadsheet exchange (xlsx): list exports, import templates and reading uploaded workbooks.

No domain knowledge. An app describes its columns with `Column`; this module writes workbooks
with xlsxwriter (constant memory, spooled to a temporary file) and reads uploads with
python-calamine (fast, Rust). Cell values are converted by column kind and every problem is
reported with the Excel row number and the column's label, so a clerk can find it in Excel.

Workbooks we write for import carry two header rows: the labels (in the user's language) and a
hidden row of stable keys. Reading maps columns by that key row when present, otherwise by the
labels in any configured language, so a template filled in under either language is accepted.
"""

import datetime as dt
import io
import re
import tempfile
from collections.abc import Iterable, Mapping, Sequence

import xlsxwriter
from django.db import transaction
from django.http import FileResponse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from . import journal
from .columns import AUTO, BOOL, CHOICE, DATE, INT, MAX_UPLOAD_BYTES, TEXT, CellError, Column, ReadResult  # noqa: F401 - the public names stay here
from .uploads import WorkbookError  # noqa: F401 - callers catch it from here
from .workbook_import import check_xlsx, read_xlsx  # noqa: F401

# --- writing ----------------------------------------------------------------------------------


class _Formats:
    def __init__(self, workbook):
        self.header = workbook.add_format({"bold": True, "bg_color": "#F2F2F2", "border": 1, "text_wrap": True, "valign": "vcenter"})
        self.required = workbook.add_format({"bold": True, "bg_color": "#F2F2F2", "border": 1, "font_color": "#B42318", "text_wrap": True, "valign": "vcenter"})
        self.key = workbook.add_format({"font_color": "#888888", "italic": True})
        self.date = workbook.add_format({"num_format": "yyyy-mm-dd"})
        self.text = workbook.add_format({"num_format": "@"})
        self.title = workbook.add_format({"bold": True, "font_size": 14})
        self.wrap = workbook.add_format({"text_wrap": True, "valign": "top"})


def _header_label(column: Column) -> str:
    return f"*{column.label}" if column.required else str(column.label)


def write_rows(target, *, columns: Sequence[Column], rows: Iterable[Sequence], sheet_title: str) -> int:
    """Write a list export: one header row, then one row per item (values in column order, raw
    values; choices and booleans are shown by label). Returns the number of data rows."""
    workbook = xlsxwriter.Workbook(target, {"constant_memory": True, "strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False})
    formats = _Formats(workbook)
    sheet = workbook.add_worksheet(_sheet_name(sheet_title))
    for index, column in enumerate(columns):
        sheet.set_column(index, index, column.width, formats.text if column.kind == TEXT else None)
        sheet.write_string(0, index, str(column.label), formats.header)
    sheet.freeze_panes(1, 0)
    count = 0
    for count, values in enumerate(rows, start=1):
        for index, (column, value) in enumerate(zip(columns, values, strict=True)):
            _write_cell(sheet, count, index, column, value, formats)
    if columns:
        sheet.autofilter(0, 0, max(count, 1), len(columns) - 1)
    workbook.close()
    return count


def _write_cell(sheet, row, col, column, value, formats):
    if value is None or value == "":
        return
    if column.kind == DATE and isinstance(value, dt.date):
        if not isinstance(value, dt.datetime):
            value = dt.datetime(value.year, value.month, value.day)
        sheet.write_datetime(row, col, value, formats.date)
    elif column.kind == INT and isinstance(value, int) and not isinstance(value, bool):
        sheet.write_number(row, col, value)
    elif column.kind == AUTO and isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        sheet.write_datetime(row, col, dt.datetime(value.year, value.month, value.day), formats.date)
    elif column.kind == AUTO and isinstance(value, int | float) and not isinstance(value, bool):
        sheet.write_number(row, col, value)
    else:
        # Everything else as a string: ID numbers and phones must never become numbers.
        sheet.write_string(row, col, str(column.display(value)))


def export_response(filename: str, *, columns: Sequence[Column], rows: Iterable[Sequence], sheet_title: str) -> tuple[FileResponse, int]:
    """An xlsx download of `rows`, written to a temporary file (constant memory). Returns the
    response and the number of rows written (exports are journaled with their row count)."""
    spool = tempfile.TemporaryFile(suffix=".xlsx")
    count = write_rows(spool, columns=columns, rows=rows, sheet_title=sheet_title)
    spool.seek(0)
    return _download(spool, filename), count


def object_rows(columns: Sequence[Column], objects: Iterable) -> Iterable[list]:
    """Rows of cells for a list of objects, read through each column's `value`."""
    for obj in objects:
        yield [column.cell(obj) for column in columns]


class SensitiveTally:
    """Masks the sensitive cells of rows the viewer may not see in clear (columns with a `mask`)
    and counts rows shown in clear and masked, for the export's journal entry."""

    def __init__(self):
        self.clear = 0
        self.masked = 0

    def row(self, columns: Sequence[Column], values: Sequence, clear: bool) -> list:
        if clear:
            self.clear += 1
            return list(values)
        self.masked += 1
        return [column.mask(value) if column.mask is not None else value for column, value in zip(columns, values, strict=True)]

    def summary(self) -> str:
        """ "all", "some" or "none": whether ID numbers and phones went out in clear."""
        if self.masked and self.clear:
            return "some"
        return "all" if self.clear else "none"


def export_list(
    actor, *, code: str, title, columns: Sequence[Column], rows: Iterable[Sequence], data: Mapping | None = None, tally: SensitiveTally | None = None
) -> FileResponse:
    """The one way a list leaves as a file: an xlsx of `rows` named after `title` and the time,
    journaled once under `code` as a read with its row count, `data` (e.g. the filters) and,
    when a `tally` masked the rows, whether sensitive values went out in clear (SECURITY.md)."""
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response, count = export_response(f"{title}-{stamp}.xlsx", columns=columns, rows=rows, sheet_title=str(title))
    payload = {**(data or {}), "rows": count}
    if tally is not None:
        payload["sensitive_in_clear"] = tally.summary()
    with transaction.atomic():
        journal.record(code, actor=actor, data=payload)
    return response


def _download(handle, filename: str) -> FileResponse:
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


# --- report workbooks (several sheets, free layout) ------------------------------------------

# Text is written as text: a cell starting with "=" from a name or a note never becomes a formula.
_SAFE = {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False}
_AUTO_COLUMN = Column("", "", kind=AUTO)


class Sheet:
    """One sheet of a report workbook, written top to bottom: a title, notes, header rows and
    value rows (dates as dates, numbers as numbers, the rest as text)."""

    def __init__(self, worksheet, formats: _Formats):
        self._sheet = worksheet
        self._formats = formats
        self.row = 0

    def title(self, text) -> None:
        self._sheet.write_string(self.row, 0, str(text), self._formats.title)
        self.row += 1

    def note(self, text) -> None:
        self._sheet.write_string(self.row, 0, str(text))
        self.row += 1

    def skip(self, rows: int = 1) -> None:
        self.row += rows

    def header(self, labels: Sequence) -> None:
        for col, label in enumerate(labels):
            self._sheet.write_string(self.row, col, str(label), self._formats.header)
        self.row += 1

    def values(self, values: Sequence, *, wrap: Sequence[int] = ()) -> None:
        for col, value in enumerate(values):
            if isinstance(value, Promise):
                value = str(value)
            if col in wrap and value not in (None, ""):
                self._sheet.write_string(self.row, col, str(value), self._formats.wrap)
            else:
                _write_cell(self._sheet, self.row, col, _AUTO_COLUMN, value, self._formats)
        self.row += 1

    def width(self, first: int, last: int, width: int) -> None:
        self._sheet.set_column(first, last, width)

    def freeze(self, rows: int, columns: int = 0) -> None:
        self._sheet.freeze_panes(rows, columns)


class Book:
    """A report workbook in memory (results, statistics, code lists): `sheet()` per sheet, then
    `close()` for the bytes. List exports use `export_list` instead."""

    def __init__(self):
        self._buffer = io.BytesIO()
        self._workbook = xlsxwriter.Workbook(self._buffer, {"in_memory": True, **_SAFE})
        self._formats = _Formats(self._workbook)

    def sheet(self, title) -> Sheet:
        return Sheet(self._workbook.add_worksheet(_sheet_name(title)), self._formats)

    def close(self) -> bytes:
        self._workbook.close()
        return self._buffer.getvalue()


def xlsx_filename(*parts) -> str:
    """A workbook's download name in Chinese from its parts, without characters that file systems
    refuse: 2025年度领导班子和领导干部年度考核-测评结果.xlsx."""
    cleaned = [re.sub(r'[\\/:*?"<>|\r\n\t]+', "", str(part)).strip() for part in parts]
    return "-".join(part for part in cleaned if part) + ".xlsx"


def workbook_response(data: bytes, filename: str) -> FileResponse:
    """A report workbook as a download."""
    return _download(io.BytesIO(data), filename)


def write_template(target, *, columns: Sequence[Column], sheet_title: str, notes: Sequence[str] = (), data_rows: int = 5000) -> None:
    """An import template: row 1 the labels (required ones marked *), row 2 the hidden keys, a
    hidden sheet with allowed values feeding drop-downs, and a notes sheet explaining every column."""
    workbook = xlsxwriter.Workbook(target, {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False})
    formats = _Formats(workbook)
    sheet = workbook.add_worksheet(_sheet_name(sheet_title))
    lists = workbook.add_worksheet("lists")
    notes_sheet = workbook.add_worksheet(_sheet_name(_("Notes")))
    list_column = 0
    for index, column in enumerate(columns):
        cell_format = {TEXT: formats.text, DATE: formats.date}.get(column.kind)
        sheet.set_column(index, index, column.width, cell_format)
        sheet.write_string(0, index, _header_label(column), formats.required if column.required else formats.header)
        sheet.write_string(1, index, column.key, formats.key)
        allowed = _allowed_labels(column)
        if allowed:
            lists.write_string(0, list_column, column.key)
            for offset, label in enumerate(allowed, start=1):
                lists.write_string(offset, list_column, label)
            letter = xlsxwriter.utility.xl_col_to_name(list_column)
            sheet.data_validation(
                2,
                index,
                data_rows + 1,
                index,
                {
                    "validate": "list",
                    "source": f"=lists!${letter}$2:${letter}${len(allowed) + 1}",
                    "error_type": "warning",
                    "error_title": str(column.label),
                    "error_message": _("Choose one of the listed values."),
                },
            )
            list_column += 1
        elif column.kind == DATE:
            sheet.data_validation(
                2,
                index,
                data_rows + 1,
                index,
                {
                    "validate": "date",
                    "criteria": ">=",
                    "value": dt.date(1900, 1, 1),
                    "error_type": "warning",
                    "error_title": str(column.label),
                    "error_message": _("Enter a date such as 2026-11-26."),
                },
            )
        if column.help:
            sheet.write_comment(0, index, str(column.help), {"x_scale": 2, "y_scale": 1.5})
    sheet.set_row(0, 30)
    sheet.set_row(1, None, None, {"hidden": True})
    sheet.freeze_panes(2, 0)
    lists.hide()
    _write_notes(notes_sheet, columns, notes, formats)
    sheet.activate()
    workbook.close()


def template_response(filename: str, *, columns: Sequence[Column], sheet_title: str, notes: Sequence[str] = ()) -> FileResponse:
    spool = tempfile.TemporaryFile(suffix=".xlsx")
    write_template(spool, columns=columns, sheet_title=sheet_title, notes=notes)
    spool.seek(0)
    return _download(spool, filename)


def _allowed_labels(column: Column) -> list[str]:
    if column.kind == CHOICE:
        return [str(label) for _value, label in column.choices]
    if column.kind == BOOL:
        return [_("yes"), _("no")]
    return []


def _write_notes(sheet, columns, notes, formats):
    sheet.set_column(0, 0, 22)
    sheet.set_column(1, 1, 18)
    sheet.set_column(2, 2, 8)
    sheet.set_column(3, 3, 48)
    sheet.set_column(4, 4, 40)
    sheet.set_column(5, 5, 24)
    sheet.write_string(0, 0, _("How to fill in this template"), formats.title)
    general = [
        _("Fill in the first sheet from row 3 on; keep the header row and do not rename, delete or reorder the columns' keys (hidden row 2)."),
        _("Columns marked * are required. One row per record; empty rows are skipped."),
        _("Dates as 2026-11-26 (a date cell or text). Long numbers such as ID numbers must be entered as text."),
        _(
            "Upload the file: a preview lists every problem by row and column, and nothing is stored until you confirm; then either every row is stored or none."
        ),
    ]
    row = 1
    for line in [*general, *[str(n) for n in notes]]:
        sheet.write_string(row, 0, f"• {line}")
        row += 1
    row += 1
    for index, title in enumerate([_("Column"), _("Key"), _("Required"), _("Format and allowed values"), _("Explanation"), _("Example")]):
        sheet.write_string(row, index, title, formats.header)
    for column in columns:
        row += 1
        sheet.write_string(row, 0, str(column.label))
        sheet.write_string(row, 1, column.key)
        sheet.write_string(row, 2, _("yes") if column.required else _("no"))
        sheet.write_string(row, 3, _format_note(column), formats.wrap)
        sheet.write_string(row, 4, str(column.help), formats.wrap)
        sheet.write_string(row, 5, str(column.example))


def _format_note(column: Column) -> str:
    if column.kind == DATE:
        return _("date, e.g. 2026-11-26")
    if column.kind == INT:
        return _("whole number")
    if column.kind == BOOL:
        return _("yes or no (是/否)")
    if column.kind == CHOICE:
        note = _("one of: %(values)s") % {"values": "、".join(str(label) for _value, label in column.choices)}
        if column.aliases:
            note += " " + _("(also accepted: %(values)s)") % {"values": "、".join(column.aliases)}
        return note
    if column.max_length:
        return _("text, at most %(n)d characters") % {"n": column.max_length}
    return _("text")


def _sheet_name(title) -> str:
    name = "".join(ch for ch in str(title) if ch not in "[]:*?/\\")[:31]
    return name or "Sheet1"
