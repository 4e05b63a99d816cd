"""Reading a 100k-row workbook: python-calamine (Rust) against openpyxl in read-only mode.

Why the registry reads with calamine: the same 100k × 15 workbook is read ~10× faster than
openpyxl's streaming reader manages. Goal: openpyxl takes ≥ 5× calamine's time (a guard
that the fast reader stays fast; the measured ratio is higher).
"""

from pathlib import Path

import openpyxl
import python_calamine

from bench.measure import result, timed

from .bench_registry_import import ROWS, workbook


def read_calamine(path: Path) -> int:
    workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    count = sum(1 for _row in workbook.get_sheet_by_index(0).iter_rows())
    workbook.close()
    return count


def read_openpyxl(path: Path) -> int:
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    count = sum(1 for _row in workbook.worksheets[0].iter_rows(values_only=True))
    workbook.close()
    return count


def run() -> list[dict]:
    path = workbook()
    assert read_calamine(path) == ROWS + 2
    fast = timed(lambda: read_calamine(path), repeat=3)
    counted = []
    slow = timed(lambda: counted.append(read_openpyxl(path)), repeat=1)
    assert counted == [ROWS + 2]
    return [result("xlsx_read_openpyxl_vs_calamine", samples=slow, baseline_samples=fast, goal_ratio=5, lower_is_better=False, rows=ROWS)]
