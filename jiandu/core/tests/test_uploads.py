"""Hostile uploads (security issue #8): workbooks that would make the native reader allocate
without bound, zip bombs, lying dimensions, a million rows, and a reader that dies in its child
process. Every workbook is written by hand with zipfile (`raw_xlsx`)."""

import io
import zipfile

import pytest
from django.utils import translation

from jiandu.core import uploads
from jiandu.core.exports import Column, read_xlsx
from jiandu.core.uploads import SPARE_ROWS, WorkbookError
from jiandu.testing import raw_xlsx


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in the English source (the Chinese ones: registry/tests/test_imports.py)."""
    with translation.override("en"):
        yield


ATTACK = {"A1": "姓名", "XFD1048576": "x"}  # the 1.6 kB workbook of the issue


def write(tmp_path, data: bytes, name="upload.xlsx"):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_the_attack_workbook_is_small_and_refused_before_any_dense_read(tmp_path):
    path = write(tmp_path, raw_xlsx(ATTACK))
    assert path.stat().st_size < 2000
    with pytest.raises(WorkbookError) as refused:
        uploads.check_workbook(path, max_rows=200_000)
    assert "XFD1048576" in refused.value.message and "200100" in refused.value.message
    with pytest.raises(WorkbookError):
        read_xlsx(path, [Column("name", "姓名")], max_rows=200_000)


def test_the_attack_kills_only_the_child_and_gives_a_clear_error(tmp_path):
    """Without the check, calamine asks for 16,384 × 1,048,576 cells: the child aborts on its
    memory limit and this process carries on."""
    path = write(tmp_path, raw_xlsx(ATTACK))
    with pytest.raises(WorkbookError) as refused:
        uploads.read_first_sheet(path)
    assert "could not be read" in refused.value.message
    assert "Error" not in refused.value.message and str(path) not in refused.value.message
    # The web process is alive and reads the next (normal) workbook.
    start, rows = uploads.read_first_sheet(write(tmp_path, raw_xlsx({"A1": "姓名", "A2": "张三"}), "ok.xlsx"))
    assert start == (0, 0) and rows == [["姓名"], ["张三"]]


def test_a_child_over_time_is_killed_with_a_clear_error(tmp_path):
    path = write(tmp_path, raw_xlsx({"A1": "x"}))
    with pytest.raises(WorkbookError) as refused:
        uploads.read_first_sheet(path, timeout=0.000001)
    assert "in time" in refused.value.message


def test_declared_dimension_beyond_the_limits_is_refused(tmp_path):
    path = write(tmp_path, raw_xlsx({"A1": "x"}, dimension="A1:XFD1048576"))
    with pytest.raises(WorkbookError) as refused:
        uploads.check_workbook(path, max_rows=1000)
    assert "XFD1048576" in refused.value.message


def test_a_small_declared_dimension_does_not_hide_a_far_cell(tmp_path):
    path = write(tmp_path, raw_xlsx({"A1": "x", "B2": "y", "C5000": "far"}, dimension="A1:B2"))
    uploads.check_workbook(path, max_rows=5000 - SPARE_ROWS)  # C5000 is the last row allowed
    with pytest.raises(WorkbookError) as refused:
        uploads.check_workbook(path, max_rows=4999 - SPARE_ROWS)
    assert "C5000" in refused.value.message


@pytest.mark.parametrize(
    ("ref", "accepted"),
    [("BL1", True), ("BM1", False), ("$BM$1", False), ("bm1", False), ("A1100", True), ("A1101", False), ("A0001101", False), ("A99999999", False)],
)
def test_limits_are_exact_on_the_fast_path(tmp_path, ref, accepted):
    """64 columns (BL) and max_rows + SPARE_ROWS rows (here 1000 + 100)."""
    path = write(tmp_path, raw_xlsx(sheet_data=[f'<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c><c r="{ref}"><v>1</v></c></row>'.encode()]))
    if accepted:
        assert not uploads.check_workbook(path, max_rows=1000).exact
    else:
        with pytest.raises(WorkbookError):
            uploads.check_workbook(path, max_rows=1000)


@pytest.mark.parametrize("count", [64, 65])
def test_cells_without_references_are_counted_exactly(tmp_path, count):
    """A writer may leave out `r`: each cell then follows the previous one."""
    row = b"<row>" + b"<c><v>1</v></c>" * count + b"</row>"
    path = write(tmp_path, raw_xlsx(sheet_data=[row]))
    if count == 64:
        assert uploads.check_workbook(path, max_rows=10).exact
    else:
        with pytest.raises(WorkbookError) as refused:
            uploads.check_workbook(path, max_rows=10)
        assert "BM1" in refused.value.message


def test_rows_without_references_are_counted_exactly(tmp_path):
    rows = [b"<row><c><v>1</v></c></row>"] * 111
    path = write(tmp_path, raw_xlsx(sheet_data=rows))
    uploads.check_workbook(path, max_rows=11)  # 111 = 11 + SPARE_ROWS
    with pytest.raises(WorkbookError) as refused:
        uploads.check_workbook(path, max_rows=10)
    assert "A111" in refused.value.message


def test_prefixed_and_reordered_cells_take_the_exact_path(tmp_path):
    sheet = b'<x:row r="1"><x:c s="1" r="XFD1"><x:v>1</x:v></x:c></x:row>'
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    member = f'<x:worksheet xmlns:x="{main}"><x:sheetData>'.encode() + sheet + b"</x:sheetData></x:worksheet>"
    path = write(tmp_path, raw_xlsx(members={"xl/worksheets/sheet1.xml": member}))
    with pytest.raises(WorkbookError) as refused:
        uploads.check_workbook(path, max_rows=10)
    assert "XFD1" in refused.value.message


def test_a_doctype_is_refused(tmp_path):
    member = b'<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY a "aaaa">]><worksheet><sheetData/></worksheet>'
    path = write(tmp_path, raw_xlsx(members={"xl/worksheets/sheet1.xml": member}))
    with pytest.raises(WorkbookError):
        uploads.check_workbook(path, max_rows=10)


def test_a_zip_bomb_member_is_refused_without_inflating_it(tmp_path):
    bomb = b"\0" * (30 * 1024 * 1024)  # deflates about 1000:1
    path = write(tmp_path, raw_xlsx({"A1": "x"}, members={"xl/media/image1.bin": bomb}))
    assert path.stat().st_size < 200_000
    with pytest.raises(WorkbookError) as refused:
        uploads.check_workbook(path, max_rows=10)
    assert "compressed abnormally" in refused.value.message


def test_a_member_that_inflates_beyond_its_declared_size_is_refused(tmp_path):
    """The central directory says 100 bytes; the data inflates to far more. Reading stops at the
    declared size and the CRC no longer matches."""
    rows = [b'<row r="1"><c r="A1"><v>1</v></c></row>'] + [b"<!-- padding -->" * 64] * 400
    data = bytearray(raw_xlsx(sheet_data=rows))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as package:
        info = package.getinfo("xl/worksheets/sheet1.xml")
    central = data.rfind(b"PK\x01\x02", 0, data.find(b"xl/worksheets/sheet1.xml", data.find(b"PK\x01\x02")) + 1)
    assert info.file_size > 100
    data[central + 24 : central + 28] = (100).to_bytes(4, "little")  # uncompressed size
    path = write(tmp_path, bytes(data))
    with pytest.raises(WorkbookError):
        uploads.check_workbook(path, max_rows=10)


def _million_rows():
    for start in range(1, 1_000_001, 10_000):
        yield b"".join(b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (n, n, n) for n in range(start, start + 10_000))


def test_a_million_rows_are_refused_while_streaming(tmp_path):
    """The scan stops at the first row beyond the limit: it reads a fifth of the sheet, not all."""
    path = write(tmp_path, raw_xlsx(sheet_data=_million_rows()))
    with zipfile.ZipFile(path) as package:
        total = package.getinfo("xl/worksheets/sheet1.xml").file_size
        scan = uploads.SheetScan()
        with pytest.raises(WorkbookError) as refused:
            uploads.scan_sheet(lambda: package.open("xl/worksheets/sheet1.xml"), row_limit=200_100, column_limit=64, scan=scan)
    assert "A200101" in refused.value.message
    assert scan.bytes_read < total * 0.25 and not scan.exact


def test_normal_workbooks_pass_and_are_read_in_the_child(tmp_path):
    path = write(tmp_path, raw_xlsx({"B3": "姓名", "B4": "张三"}, dimension="B3:B4"))
    assert uploads.check_workbook(path, max_rows=10).bytes_read > 0
    start, rows = uploads.read_first_sheet(path)
    assert start == (2, 1) and rows[-2:] == [["姓名"], ["张三"]]
    assert uploads.read_first_sheet(path, origin=True) == (None, [[], [], ["", "姓名"], ["", "张三"]])


def test_the_child_reader_gets_the_configured_memory_and_no_more(tmp_path, settings):
    path = write(tmp_path, raw_xlsx({"A1": "x"}))
    assert uploads.read_first_sheet(path) == ((0, 0), [["x"]])
    settings.JIANDU_UPLOAD_READ_MEMORY_MB = 1  # too little for the interpreter itself
    with pytest.raises(WorkbookError) as refused:
        uploads.read_first_sheet(path)
    assert "more memory than allowed" in refused.value.message


@pytest.mark.parametrize(
    ("kind", "data", "problem"),
    [
        ("png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + (100_000).to_bytes(4, "big") + (10).to_bytes(4, "big"), "too large"),
        ("png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + (2000).to_bytes(4, "big") + (1000).to_bytes(4, "big"), None),
        ("png", b"\x89PNG\r\n\x1a\n", "damaged"),
        ("xlsx", raw_xlsx({"A1": "x"}, members={"xl/media/x.bin": b"\0" * (5 * 1024 * 1024)}), "compressed abnormally"),
        ("xlsx", raw_xlsx({"A1": "x"}), None),
    ],
)
def test_attachment_structure(kind, data, problem):
    found = uploads.attachment_problem(kind, data)
    assert (found is None) if problem is None else (problem in found)


def test_too_many_members_are_refused_from_the_end_record(tmp_path):
    """Counted from the zip's end record before zipfile builds an object per entry."""
    members = {f"xl/media/{n}.bin": b"" for n in range(uploads.MAX_MEMBERS)}
    path = write(tmp_path, raw_xlsx({"A1": "x"}, members=members))
    with pytest.raises(WorkbookError) as refused:
        uploads.check_workbook(path, max_rows=10)
    assert "too many parts" in refused.value.message
    # The end record lies (one entry): the directory's size still gives it away.
    data = bytearray(path.read_bytes())
    end = data.rfind(b"PK\x05\x06")
    data[end + 8 : end + 12] = (1).to_bytes(2, "little") * 2
    with pytest.raises(WorkbookError) as refused:
        uploads.check_workbook(write(tmp_path, bytes(data), "lying.xlsx"), max_rows=10)
    assert "too many parts" in refused.value.message
    members.popitem()
    for _ in range(4):  # the package's own five parts bring it to exactly MAX_MEMBERS
        members.popitem()
    assert len(zipfile.ZipFile(write(tmp_path, raw_xlsx({"A1": "x"}, members=members), "ok.xlsx")).namelist()) == uploads.MAX_MEMBERS
    uploads.check_workbook(tmp_path / "ok.xlsx", max_rows=10)


def test_a_damaged_package_attachment_is_refused():
    assert "damaged" in uploads.attachment_problem("docx", b"PK\x03\x04not really a zip")


def test_no_reader_process_gives_a_clear_error(tmp_path, monkeypatch):
    """When the machine cannot start the reader (here: no interpreter), the user is told to retry."""
    monkeypatch.setattr(uploads.sys, "executable", str(tmp_path / "missing-python"))
    with pytest.raises(WorkbookError) as refused:
        uploads.read_first_sheet(write(tmp_path, raw_xlsx({"A1": "x"})))
    assert "try again" in refused.value.message


@pytest.mark.parametrize(("ref", "accepted"), [("BL1100", True), ("XFD1", False), ("A1101", False)])
def test_a_namespace_prefix_on_every_element_keeps_the_fast_path(tmp_path, ref, accepted):
    """Some .NET writers spell every element x:c, x:row…: checked as quickly, and as strictly."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    sheet = f'<x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c><x:c r="{ref}"><x:v>1</x:v></x:c></x:row>'.encode()
    member = f'<x:worksheet xmlns:x="{main}"><x:sheetData>'.encode() + sheet + b"</x:sheetData></x:worksheet>"
    path = write(tmp_path, raw_xlsx(members={"xl/worksheets/sheet1.xml": member}))
    if accepted:
        assert not uploads.check_workbook(path, max_rows=1000).exact
    else:
        with pytest.raises(WorkbookError) as refused:
            uploads.check_workbook(path, max_rows=1000)
        assert ref in refused.value.message


def test_a_cell_in_another_prefix_or_none_takes_the_exact_path(tmp_path):
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    sheet = f'<x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c><c xmlns="{main}"><v>1</v></c></x:row>'.encode()
    member = f'<x:worksheet xmlns:x="{main}"><x:sheetData>'.encode() + sheet + b"</x:sheetData></x:worksheet>"
    assert uploads.check_workbook(write(tmp_path, raw_xlsx(members={"xl/worksheets/sheet1.xml": member})), max_rows=10).exact
