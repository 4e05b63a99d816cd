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
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import xlsxwriter
from django.conf import settings
from django.db import transaction
from django.http import FileResponse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from . import journal, uploads
from .uploads import WorkbookError  # noqa: F401 - callers catch it from here

TEXT = "text"
DATE = "date"
INT = "int"
BOOL = "bool"
CHOICE = "choice"
AUTO = "auto"  # exports only: dates as dates, numbers as numbers, anything else as text

# Uploads: a 200k-row roster is ~15 MB zipped; refuse more, and refuse archives that inflate
# beyond a sane size (zip bombs).
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
# Excel keeps 15 significant digits: a longer number typed as a number has already lost digits.
_UNSAFE_NUMBER = 10**15
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日")
_TRUE = {"1", "y", "yes", "true", "t", "是", "√", "✓", "有"}
_FALSE = {"0", "n", "no", "false", "f", "否", "×", "✗", "无"}
_TRIM = " \t\r\n\u00a0\u3000\u200b\ufeff"


@dataclass(frozen=True)
class Column:
    """One column of an export or an import template."""

    key: str
    label: str  # usually a lazy translation
    kind: str = TEXT
    required: bool = False
    choices: Sequence[tuple[str, str]] = ()  # (stored value, label) for CHOICE
    width: int = 16
    help: str = ""
    example: str = ""
    max_length: int | None = None
    min_value: int | None = None  # for INT
    aliases: Mapping[str, str] = field(default_factory=dict)  # CHOICE: other spellings clerks use → value
    # Lists of objects (pages and their exports read the same columns):
    value: Callable[[Any], Any] | None = None  # the cell's value for one object
    link: Callable[[Any], str] | None = None  # the page shows the cell as a link to this URL
    tone: Callable[[Any], str] | None = None  # "overdue" marks a cell red (with a ⚠ sign)
    title: Callable[[Any], str] | None = None  # hover text, e.g. how a deadline was computed
    mask: Callable[[Any], Any] | None = None  # a sensitive value as a viewer who may not see it gets it

    def cell(self, obj):
        """This column's value for one object (lazy translations become text)."""
        value = self.value(obj) if self.value is not None else getattr(obj, self.key)
        return str(value) if isinstance(value, Promise) else value

    @cached_property
    def _labels(self) -> dict:
        return dict(self.choices)

    def display(self, value):
        """The value as a cell shows it (choice labels, 是/否)."""
        if value is None or value == "":
            return ""
        if self.kind == CHOICE:
            return str(self._labels.get(value, value))
        if self.kind == BOOL:
            return _("yes") if value else _("no")
        return value


@dataclass
class CellError:
    row: int  # Excel row number, as the user sees it
    column: str  # the column's label, or "" for a problem with the whole row
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class ReadResult:
    rows: list[tuple[int, dict]] = field(default_factory=list)  # (Excel row number, {key: value})
    errors: list[CellError] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)


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


# --- reading ----------------------------------------------------------------------------------


def check_xlsx(path, *, max_rows: int, max_columns: int = uploads.MAX_COLUMNS) -> None:
    """Refuse anything that is not an xlsx workbook by its content (not its name), zip bombs,
    and a first sheet with cells beyond the limits (see jiandu.core.uploads)."""
    uploads.check_workbook(path, max_rows=max_rows, max_columns=max_columns)


def _labels_in_every_language(column: Column) -> set[str]:
    labels = {_normalise_header(column.key)}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            labels.add(_normalise_header(str(column.label)))
    return labels


def _normalise_header(value) -> str:
    return str(value).strip(_TRIM).strip("*＊").strip(_TRIM).lower()


def _choice_lookup(column: Column) -> dict[str, str]:
    lookup = {alias.strip().lower(): value for alias, value in column.aliases.items()}
    for value, label in column.choices:
        lookup[str(value).lower()] = value
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                lookup[str(label).strip().lower()] = value
    return lookup


def read_xlsx(path, columns: Sequence[Column], *, max_rows: int) -> ReadResult:
    """Read the first sheet of an uploaded workbook into {key: value} rows, converted by column
    kind (blank cells are None). Cell problems are collected, not raised; a workbook that cannot
    be used at all raises WorkbookError."""
    check_xlsx(path, max_rows=max_rows)
    start, sheet_rows = uploads.read_first_sheet(path)
    # Rows start at the first used row and column; positions below are relative to them.
    first_row = start[0] if start else 0
    rows = iter(sheet_rows)
    result = ReadResult()
    mapping, data_start, rows = _map_header(rows, columns, result)
    converters = [(position, column, _converter(column)) for position, column in mapping]
    width = max((position for position, _column, _convert in converters), default=-1) + 1
    row_number = first_row + data_start
    for cells in rows:
        row_number += 1
        if cells.count("") == len(cells):  # calamine gives "" for an empty cell
            continue
        if len(result.rows) >= max_rows:
            raise WorkbookError(_("The workbook has more than %(n)d data rows; split it into several files.") % {"n": max_rows})
        if len(cells) < width:
            cells = cells + [""] * (width - len(cells))
        values = {}
        for position, column, convert in converters:
            raw = cells[position]
            try:
                value = convert(raw)
            except ValueError as exc:
                result.errors.append(CellError(row_number, str(column.label), str(exc)))
                value = None
            else:
                if value is None and column.required:
                    result.errors.append(CellError(row_number, str(column.label), _("This column is required.")))
            values[column.key] = value
        result.rows.append((row_number, values))
    if not result.rows:
        raise WorkbookError(_("The workbook has no data rows: fill in the first sheet from row 3 of the template."))
    return result


def _map_header(rows, columns, result):
    """Find the header row (first non-empty row) and an optional key row under it. Returns the
    column positions, how many rows were consumed and the iterator of the remaining rows."""
    consumed = 0
    header = None
    for cells in rows:
        consumed += 1
        if any(str(cell).strip(_TRIM) for cell in cells):
            header = cells
            break
        if consumed > 20:
            break
    if header is None:
        raise WorkbookError(_("The workbook is empty: download the template and fill in its first sheet."))
    by_key = {column.key: column for column in columns}
    labels = {}
    for column in columns:
        for label in _labels_in_every_language(column):
            labels.setdefault(label, column)
    mapping: dict[str, int] = {}
    ignored = []
    for position, cell in enumerate(header):
        text = _normalise_header(cell)
        if not text:
            continue
        column = labels.get(text)
        if column is None:
            ignored.append(str(cell).strip(_TRIM))
            continue
        if column.key in mapping:
            raise WorkbookError(_("The column “%(column)s” appears twice.") % {"column": column.label})
        mapping[column.key] = position
    # An optional row of keys (our templates) right below the labels overrides label matching.
    key_row = next(rows, None)
    if key_row is not None:
        keys = [str(cell).strip(_TRIM) for cell in key_row]
        filled = [k for k in keys if k]
        if filled and all(k in by_key for k in filled):
            consumed += 1
            mapping = {key: position for position, key in enumerate(keys) if key}
            ignored = []
        else:
            rows = _prepend(key_row, rows)
    missing = [str(column.label) for column in columns if column.required and column.key not in mapping]
    if missing:
        raise WorkbookError(
            _("The workbook lacks the required column(s): %(columns)s. Download the template and copy your data into it.") % {"columns": "、".join(missing)}
        )
    result.ignored_columns = ignored
    return [(position, by_key[key]) for key, position in mapping.items()], consumed, rows


def _prepend(first, rows):
    yield first
    yield from rows


def _converter(column: Column):
    kind = column.kind
    if kind == DATE:
        return _to_date
    if kind == INT:
        if column.min_value is None:
            return _to_int
        minimum = column.min_value

        def to_bounded_int(raw):
            value = _to_int(raw)
            if value is not None and value < minimum:
                raise ValueError(_("At least %(n)d.") % {"n": minimum})
            return value

        return to_bounded_int
    if kind == BOOL:
        return _to_bool
    if kind == CHOICE:
        lookup = _choice_lookup(column)
        allowed = "、".join(str(label) for _value, label in column.choices)

        def to_choice(raw):
            text = _to_text(raw)
            if text is None:
                return None
            value = lookup.get(text.lower())
            if value is None:
                raise ValueError(_("Unknown value “%(value)s”; allowed: %(allowed)s.") % {"value": text[:50], "allowed": allowed})
            return value

        return to_choice
    max_length = column.max_length

    def to_text(raw):
        text = _to_text(raw)
        if text is not None and max_length and len(text) > max_length:
            raise ValueError(_("At most %(n)d characters (this cell has %(count)d).") % {"n": max_length, "count": len(text)})
        return text

    return to_text


def _to_text(raw) -> str | None:
    if type(raw) is str:  # the common case first: this runs for most cells of an import
        return raw.strip(_TRIM) or None
    if raw is None:
        return None
    if isinstance(raw, bool):
        return _("yes") if raw else _("no")
    if isinstance(raw, float):
        if raw.is_integer():
            if abs(raw) >= _UNSAFE_NUMBER:
                raise ValueError(_("This long number was stored as a number and has lost digits; format the column as text and type it again."))
            return str(int(raw))
        return repr(raw)
    if isinstance(raw, int):
        return str(raw)
    if isinstance(raw, dt.datetime):
        return raw.date().isoformat() if raw.time() == dt.time() else raw.isoformat(sep=" ")
    if isinstance(raw, dt.date):
        return raw.isoformat()
    text = str(raw).strip(_TRIM)
    return text or None


def _to_date(raw) -> dt.date | None:
    if type(raw) is dt.date:
        return raw
    if raw is None or raw == "":
        return None
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        # A date cell without a date format arrives as Excel's day number.
        if 1 <= raw < 2958466 and float(raw).is_integer():
            return _EXCEL_EPOCH + dt.timedelta(days=int(raw))
        raise ValueError(_("Not a date; enter it as 2026-11-26."))
    text = str(raw).strip(_TRIM)
    if not text:
        return None
    for pattern in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(_("“%(value)s” is not a date; enter it as 2026-11-26.") % {"value": text[:30]})


def _to_int(raw) -> int | None:
    if raw is None or raw == "":
        return None
    if isinstance(raw, bool):
        raise ValueError(_("Enter a whole number."))
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float):
        if raw.is_integer():
            return int(raw)
        raise ValueError(_("Enter a whole number."))
    text = str(raw).strip(_TRIM)
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        raise ValueError(_("Enter a whole number."))


def _to_bool(raw) -> bool | None:
    if raw is None or raw == "":
        return None
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, (int, float)) and raw in (0, 1):
        return bool(raw)
    text = str(raw).strip(_TRIM).lower()
    if not text:
        return None
    if text in _TRUE or text == _("yes").lower():
        return True
    if text in _FALSE or text == _("no").lower():
        return False
    raise ValueError(_("“%(value)s” is not yes or no (是/否).") % {"value": text[:20]})
