"""Target indicators: checking a row, the xlsx template, and reading an import (python-calamine).

An import is checked completely before anything is stored; every problem is reported with its
row and column, so the clerk can fix the sheet and upload it again.
"""

import tempfile
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from jiandu.core import uploads
from jiandu.core.errors import ActionError
from jiandu.core.exports import Book

MAX_ROWS = 5000
MAX_FILE_MB = 5
MAX_COLUMNS = 64  # the template has five; extra columns are ignored but must stay near
ZIP_MAGIC = b"PK\x03\x04"
MAX_WEIGHT = Decimal("10000")

# Column headers of the template (the sheet is an official working form: headers in Chinese).
HEADERS = ["单位", "指标", "权重", "得分", "说明"]


@dataclass
class IndicatorRow:
    name: str
    weight: Decimal
    score: Decimal
    note: str = ""


def _number(value, label, *, minimum: Decimal, maximum: Decimal, positive: bool = False) -> tuple[Decimal | None, str]:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, _("%(label)s is required.") % {"label": label}
    if isinstance(value, bool):
        return None, _("%(label)s must be a number.") % {"label": label}
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        return None, _("%(label)s must be a number.") % {"label": label}
    if not number.is_finite():
        return None, _("%(label)s must be a number.") % {"label": label}
    number = number.normalize()
    if number.as_tuple().exponent < -2:
        return None, _("%(label)s has more than two decimals.") % {"label": label}
    if positive and number <= 0:
        return None, _("%(label)s must be greater than zero.") % {"label": label}
    if number < minimum or number > maximum:
        return None, _("%(label)s must be from %(min)s to %(max)s.") % {"label": label, "min": minimum, "max": maximum}
    return number.quantize(Decimal("0.01")), ""


def check_row(name, weight, score, note="") -> tuple[IndicatorRow | None, list[tuple[str, str]]]:
    """One indicator: (row, []) or (None, [(column, message), …])."""
    problems = []
    name = "" if name is None else str(name).strip()
    if not name:
        problems.append(("name", _("The indicator name is required.")))
    elif len(name) > 200:
        problems.append(("name", _("The indicator name is longer than 200 characters.")))
    elif "\x00" in name:
        problems.append(("name", _("The indicator name contains a NUL character.")))
    weight_value, problem = _number(weight, _("Weight"), minimum=Decimal("0.01"), maximum=MAX_WEIGHT, positive=True)
    if problem:
        problems.append(("weight", problem))
    score_value, problem = _number(score, _("Score"), minimum=Decimal(0), maximum=Decimal(100))
    if problem:
        problems.append(("score", problem))
    note = "" if note is None else str(note).strip()
    if len(note) > 500:
        problems.append(("note", _("The note is longer than 500 characters.")))
    elif "\x00" in note:
        problems.append(("note", _("The note contains a NUL character.")))
    if problems:
        return None, problems
    return IndicatorRow(name, weight_value, score_value, note), []


def column_label(column: str) -> str:
    return {"unit": _("Unit"), "name": _("Indicator"), "weight": _("Weight"), "score": _("Score"), "note": _("Note"), "file": _("File")}.get(column, column)


def template(units: list[tuple[str, list]]) -> bytes:
    """The import template: one row per existing indicator (or one empty row per unit). Written
    through core.exports.Book, so a name that starts with "=" stays text, never a formula."""
    book = Book()
    sheet = book.sheet("目标考核")
    sheet.header(HEADERS)
    sheet.width(0, 0, 24)
    sheet.width(1, 1, 36)
    sheet.width(2, 3, 10)
    sheet.width(4, 4, 40)
    for unit_name, indicators in units:
        if not indicators:
            sheet.values([unit_name])
        for indicator in indicators:
            sheet.values([unit_name, indicator.name, float(indicator.weight), float(indicator.score), indicator.note])
    sheet.freeze(1, 0)
    notes = book.sheet("填写说明")
    for line in (
        "1. 每行一个考核指标：单位名称须与本次考核的被考核单位一致。",
        "2. 权重为正数（如 30 或 0.3），得分为 0–100 分，最多两位小数。",
        "3. 导入时，文件中出现的单位的全部指标将被文件内容替换；未出现的单位不变。",
        "4. 目标考核得分（不含民主测评项）= Σ(权重 × 得分) ÷ Σ权重；民主测评得分按设置的权重计入最终得分。",
        "5. 只填单位、未填指标、权重和得分的行将被忽略。任何一行有错误时，整个文件都不会导入。",
    ):
        notes.note(line)
    notes.width(0, 0, 100)
    return book.close()


def read_sheet(file) -> list[list]:
    """The first sheet's rows from A1, or ActionError for a file that is not a readable xlsx. The
    upload is checked as every workbook is (jiandu.core.uploads: zip bombs, cells beyond the
    limits) and read in a memory-limited child process."""
    size = getattr(file, "size", None)
    if size is not None and size > MAX_FILE_MB * 1024 * 1024:
        raise ActionError(_("The file is larger than %(n)d MB.") % {"n": MAX_FILE_MB}, field="file")
    if hasattr(file, "seek"):
        file.seek(0)
    head = file.read(len(ZIP_MAGIC))
    if not head.startswith(ZIP_MAGIC):
        raise ActionError(_("This is not an Excel workbook (.xlsx). Download the template and fill it in."), field="file")
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as spool:
        spool.write(head)
        written = len(head)
        for chunk in iter(lambda: file.read(1024 * 1024), b""):
            written += len(chunk)
            if written > MAX_FILE_MB * 1024 * 1024:
                raise ActionError(_("The file is larger than %(n)d MB.") % {"n": MAX_FILE_MB}, field="file")
            spool.write(chunk)
        spool.flush()
        if hasattr(file, "seek"):
            file.seek(0)
        try:
            uploads.check_workbook(spool.name, max_rows=MAX_ROWS, max_columns=MAX_COLUMNS)
            _start, rows = uploads.read_first_sheet(spool.name, origin=True)
        except uploads.WorkbookError as exc:
            raise ActionError(exc.message, field="file") from exc
    return rows


def _cell(row, index):
    value = row[index] if index < len(row) else None
    if isinstance(value, str):
        value = value.strip()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return None if value == "" else value


def parse(file, unit_names: dict[str, object]) -> tuple[dict[object, list[IndicatorRow]], list[dict]]:
    """Read an import: {assessed unit: [rows]} and a list of errors ({row, column, message}).
    `file` is the upload or the rows `read_sheet` already returned; `unit_names` maps every
    accepted spelling of a unit's name to its assessed unit."""
    rows = file if isinstance(file, list) else read_sheet(file)
    errors: list[dict] = []
    if not rows:
        return {}, [{"row": 1, "column": column_label("file"), "message": _("The sheet is empty.")}]
    header = [str(c).strip() if c is not None else "" for c in rows[0]]
    if header[: len(HEADERS)] != HEADERS:
        return {}, [
            {"row": 1, "column": column_label("file"), "message": _("The first row must be the template's headers: %(h)s.") % {"h": " | ".join(HEADERS)}}
        ]
    if len(rows) - 1 > MAX_ROWS:
        return {}, [{"row": 1, "column": column_label("file"), "message": _("At most %(n)d rows can be imported at once.") % {"n": MAX_ROWS}}]
    found: dict[object, list[IndicatorRow]] = {}
    seen: set = set()
    for number, row in enumerate(rows[1:], start=2):
        unit_name, name, weight, score, note = (_cell(row, i) for i in range(5))
        if name is None and weight is None and score is None and note is None:
            continue  # empty, or a unit name left without indicators
        if unit_name is None:
            errors.append({"row": number, "column": column_label("unit"), "message": _("The unit is required.")})
            assessed = None
        else:
            assessed = unit_names.get(str(unit_name))
            if assessed is None:
                errors.append({"row": number, "column": column_label("unit"), "message": _("%(name)s is not assessed in this cycle.") % {"name": unit_name}})
        indicator, problems = check_row(name, weight, score, note)
        for column, message in problems:
            errors.append({"row": number, "column": column_label(column), "message": message})
        if indicator is not None and assessed is not None:
            if (assessed, indicator.name) in seen:
                errors.append({"row": number, "column": column_label("name"), "message": _("%(name)s appears twice for this unit.") % {"name": indicator.name}})
                continue
            seen.add((assessed, indicator.name))
            found.setdefault(assessed, []).append(indicator)
    if not found and not errors:
        errors.append({"row": 2, "column": column_label("file"), "message": _("The sheet has no indicators.")})
    return found, errors
