"""Columns of spreadsheets and lists: the one `Column` class (imports, exports and list pages),
the cell kinds, and the results of reading a workbook. See jiandu/core/exports.py."""

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _

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
