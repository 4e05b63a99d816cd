"""core.exports: reading uploaded workbooks cell by cell, and writing exports and templates."""

import datetime as dt
import io
import zipfile

import pytest
import python_calamine

from jiandu.core import exports
from jiandu.core.exports import BOOL, CHOICE, DATE, INT, Column, WorkbookError, read_xlsx
from jiandu.testing import make_xlsx

COLUMNS = (
    Column("name", "Name", required=True, max_length=4),
    Column("born", "Born", kind=DATE),
    Column("count", "Count", kind=INT, min_value=1),
    Column("flag", "Flag", kind=BOOL),
    Column("colour", "Colour", kind=CHOICE, choices=(("red", "Red"), ("blue", "Blue")), aliases={"红色": "red"}),
    Column("code", "Code"),
)
HEADER = ["Name", "Born", "Count", "Flag", "Colour", "Code"]


def read(tmp_path, rows, header=HEADER, **kwargs):
    return read_xlsx(make_xlsx(tmp_path / "t.xlsx", rows, header=header), COLUMNS, max_rows=kwargs.get("max_rows", 100))


def test_cells_are_converted_by_kind(tmp_path):
    result = read(
        tmp_path,
        [
            ["甲", dt.date(1980, 5, 17), 3, "是", "red", "0123"],
            ["乙", "1980/5/17", "4", "no", "Blue", 13812345678],
            ["丙", "1980年5月17日", 2.0, True, "BLUE", "  x  "],
            ["丁", 29358, None, None, "红色", None],
        ],
    )
    assert result.errors == []
    values = [v for _row, v in result.rows]
    assert [v["born"] for v in values] == [dt.date(1980, 5, 17)] * 4
    assert [v["count"] for v in values] == [3, 4, 2, None]
    assert [v["flag"] for v in values] == [True, False, True, None]
    assert [v["colour"] for v in values] == ["red", "blue", "blue", "red"]
    assert [v["code"] for v in values] == ["0123", "13812345678", "x", None]


def test_problems_name_the_excel_row_and_the_column(tmp_path):
    result = read(
        tmp_path,
        [
            ["甲", "1980-02-30", 0, "maybe", "green", 640104198005170011],
            [None, None, 1.5, None, None, None],
            ["太长的名字", None, None, None, None, None],
        ],
    )
    found = [(e.row, e.column) for e in result.errors]
    assert found == [(2, "Born"), (2, "Count"), (2, "Flag"), (2, "Colour"), (2, "Code"), (3, "Name"), (3, "Count"), (4, "Name")]
    assert "Red" in result.errors[3].message  # the allowed values are listed


def test_blank_rows_are_skipped_and_row_numbers_stay_those_of_excel(tmp_path):
    result = read(tmp_path, [["甲"], [], [None, None], ["乙", "bad"]])
    assert [row for row, _v in result.rows] == [2, 5]
    assert [(e.row, e.column) for e in result.errors] == [(5, "Born")]


def test_a_key_row_maps_columns_whatever_the_labels(tmp_path):
    header = ["随便", "写的", "标题"]
    path = make_xlsx(tmp_path / "k.xlsx", [["code", "name", "born"], ["X1", "甲", "2000-01-01"]], header=header)
    result = read_xlsx(path, COLUMNS, max_rows=10)
    assert result.rows == [(3, {"code": "X1", "name": "甲", "born": dt.date(2000, 1, 1)})]


def test_unknown_columns_are_reported_and_required_ones_enforced(tmp_path):
    result = read(tmp_path, [["甲", None, None, None, None, None, "extra"]], header=[*HEADER, "Remarks"])
    assert result.ignored_columns == ["Remarks"]
    with pytest.raises(WorkbookError) as exc:
        read(tmp_path, [["1980-01-01"]], header=["Born"])
    assert "Name" in exc.value.message
    with pytest.raises(WorkbookError):
        read(tmp_path, [["甲", "乙"]], header=["Name", "Name"])


def test_row_limit_is_exact(tmp_path):
    assert len(read(tmp_path, [["甲"], ["乙"]], max_rows=2).rows) == 2
    with pytest.raises(WorkbookError):
        read(tmp_path, [["甲"], ["乙"], ["丙"]], max_rows=2)


def test_files_that_are_not_xlsx_are_refused(tmp_path):
    text = tmp_path / "a.xlsx"
    text.write_text("a,b\n1,2\n")
    other_zip = tmp_path / "b.xlsx"
    with zipfile.ZipFile(other_zip, "w") as archive:
        archive.writestr("readme.txt", "hello")
    empty = make_xlsx(tmp_path / "c.xlsx", [])
    header_only = make_xlsx(tmp_path / "d.xlsx", [], header=HEADER)
    for path in (text, other_zip, empty, header_only):
        with pytest.raises(WorkbookError):
            read_xlsx(path, COLUMNS, max_rows=10)


def test_export_writes_typed_cells_and_labels():
    buffer = io.BytesIO()
    count = exports.write_rows(
        buffer,
        columns=COLUMNS,
        rows=[["甲", dt.date(2020, 1, 2), 7, True, "blue", "000123"], ["乙", None, None, False, None, "=1+1"]],
        sheet_title="List",
    )
    assert count == 2
    sheet = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(buffer.getvalue())).get_sheet_by_index(0)
    rows = sheet.to_python()
    assert rows[0] == HEADER
    assert rows[1][1] in (dt.date(2020, 1, 2), dt.datetime(2020, 1, 2)) and rows[1][2] == 7 and rows[1][4] == "Blue" and rows[1][5] == "000123"
    assert rows[2][5] == "=1+1"  # text stays text: no formula injection


def test_template_round_trip(tmp_path):
    path = tmp_path / "template.xlsx"
    exports.write_template(str(path), columns=COLUMNS, sheet_title="Data", notes=["One more note"])
    workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    rows = workbook.get_sheet_by_index(0).to_python()
    assert rows[0] == ["*Name", "Born", "Count", "Flag", "Colour", "Code"] and rows[1] == [c.key for c in COLUMNS]
    notes = workbook.get_sheet_by_index(2).to_python()
    assert any("One more note" in str(cell) for row in notes for cell in row)
    assert any("红色" in str(cell) for row in notes for cell in row)  # the accepted aliases are documented
