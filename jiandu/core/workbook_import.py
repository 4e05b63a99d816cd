"""Reading uploaded workbooks (python-calamine): columns mapped by the hidden key row or by their
labels in any configured language, cells converted by kind, every problem reported with the Excel
row number and the column's label. Imported through jiandu.core.exports."""

import datetime as dt
from collections.abc import Sequence

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from . import uploads
from .columns import _DATE_FORMATS, _EXCEL_EPOCH, _FALSE, _TRIM, _TRUE, _UNSAFE_NUMBER, BOOL, CHOICE, DATE, INT, CellError, Column, ReadResult
from .uploads import WorkbookError  # noqa: F401 - callers catch it from here

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
