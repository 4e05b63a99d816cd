"""Hostile uploads: one place that decides whether an uploaded file may be opened (SECURITY.md
"Input and files").

Every upload path uses these checks: the registry and appraisal-target imports (xlsx read by
python-calamine), the self-report PDFs of appraisals and ballots, and oversight attachments.

* Packages (xlsx, docx): a real zip with few members, each member's declared size, the total
  and the compression ratio bounded (zip bombs), nothing encrypted.
* Workbooks to import: before the dense read, a streaming pass over the first sheet's XML
  checks its declared dimension and every cell reference against the importer's row and column
  limits, and stops at the first cell out of bounds (a 1,000,000-row file is refused after the
  rows the importer allows, not after reading them all). calamine allocates rows × columns of
  the used area, so one stray cell at XFD1048576 would otherwise ask for 512 GiB.
* The dense read itself runs in a child process (`sheet_reader.py`) with an address-space limit
  and a timeout: whatever the file does to the native reader, the web worker survives, and the
  user gets "the file could not be read".
"""

import io
import json
import os
import re
import signal
import subprocess
import sys
import zipfile
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.utils.translation import gettext as _

# Packages.
MAX_MEMBERS = 1000
MAX_MEMBER_BYTES = 400 * 1024 * 1024
MAX_INFLATED_BYTES = 800 * 1024 * 1024
MAX_RATIO = 100  # inflated ÷ compressed, for members above RATIO_FROM_BYTES
RATIO_FROM_BYTES = 1024 * 1024
MAX_PART_BYTES = 10 * 1024 * 1024  # workbook.xml and its relations, read whole
# Workbooks to import.
SPARE_ROWS = 100  # header rows and blank lines allowed beyond an importer's data-row limit
MAX_COLUMNS = 64
EXCEL_COLUMNS = 16384
EXCEL_ROWS = 1048576
CHUNK_BYTES = 1024 * 1024
# The child process that reads a sheet.
READ_TIMEOUT_SECONDS = 120
READER = Path(__file__).with_name("sheet_reader.py")
# Images attached to oversight records: no more pixels than a scanned A3 page at 600 dpi.
MAX_IMAGE_SIDE = 20000


class WorkbookError(Exception):
    """The upload as a whole cannot be used (not an xlsx, columns missing, too many rows)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _not_xlsx() -> str:
    return _("The file is not an Excel workbook (.xlsx). Save it in Excel as “Excel Workbook (*.xlsx)” and upload it again.")


def _unreadable() -> str:
    return _("The file could not be read. Open it in Excel or WPS, save it again as .xlsx and upload it again.")


# --- packages ---------------------------------------------------------------------------------


def package_problem(archive: zipfile.ZipFile) -> str | None:
    """Why a zip package must not be opened (zip bomb, encrypted, too many members), or None."""
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        return _("The file contains too many parts to be a normal document.")
    total = 0
    for info in members:
        if info.flag_bits & 0x1:
            return _("The file is encrypted; remove the password and upload it again.")
        total += info.file_size
        if info.file_size > MAX_MEMBER_BYTES or total > MAX_INFLATED_BYTES:
            return _("The file is too large once unpacked.")
        if info.file_size > RATIO_FROM_BYTES and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            return _("The file is compressed abnormally and is refused (it would unpack to %(mb)d MB).") % {"mb": info.file_size // (1024 * 1024)}
    return None


def _declared_members(tail: bytes) -> int | None:
    """Entries in the central directory as the end record declares them (read before zipfile
    builds one object per entry), or None when there is no end record."""
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) < at + 22:
        return None
    entries = int.from_bytes(tail[at + 10 : at + 12], "little")
    size = int.from_bytes(tail[at + 12 : at + 16], "little")
    if entries == 0xFFFF or size == 0xFFFFFFFF:  # zip64: no office document needs it
        return MAX_MEMBERS + 1
    # zipfile reads the directory by its size, not its count: bound both (300 bytes an entry).
    return entries if size <= MAX_MEMBERS * 300 else MAX_MEMBERS + 1


def _tail(source) -> bytes:
    if isinstance(source, (bytes, bytearray)):
        return bytes(source[-(65536 + 22) :])
    if hasattr(source, "read"):
        source.seek(0, os.SEEK_END)
        source.seek(max(0, source.tell() - 65536 - 22))
        tail = source.read()
        source.seek(0)
        return tail
    with open(source, "rb") as handle:
        return _tail(handle)


def check_package(source, *, not_a_zip: str | None = None) -> zipfile.ZipFile:
    """An open ZipFile for a package (a path, a binary file or bytes) that passed
    `package_problem`, or WorkbookError (with `not_a_zip` when it is no zip at all)."""
    try:
        declared = _declared_members(_tail(source))
    except OSError as exc:
        raise WorkbookError(not_a_zip or _not_xlsx()) from exc
    if declared is not None and declared > MAX_MEMBERS:
        raise WorkbookError(_("The file contains too many parts to be a normal document."))
    try:
        archive = zipfile.ZipFile(io.BytesIO(source) if isinstance(source, (bytes, bytearray)) else source)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise WorkbookError(not_a_zip or _not_xlsx()) from exc
    problem = package_problem(archive)
    if problem:
        archive.close()
        raise WorkbookError(problem)
    return archive


# --- cell references --------------------------------------------------------------------------


def column_number(letters: str) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number


def column_letters(number: int) -> str:
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


_REF = re.compile(r"^\$?([A-Za-z]+)\$?([0-9]+)$")


def _parse_ref(text: str) -> tuple[int, int] | None:
    """(row, column) of a reference such as "B7" or "$B$7", or None when it is not one."""
    match = _REF.match(text.strip())
    if not match:
        return None
    return int(match.group(2)), column_number(match.group(1))


def _greater_pattern(limit: str, small: str, large: str) -> str:
    """A regex for the strings of the same length as `limit`, over an alphabet whose characters
    sort like their values, that are greater than it (e.g. rows above 200100)."""
    branches = []
    for index, char in enumerate(limit):
        rest = len(limit) - index - 1
        if char == large:
            continue
        higher = f"[{chr(ord(char) + 1)}-{large}]"
        branches.append(re.escape(limit[:index]) + higher + (f"[{small}-{large}]{{{rest}}}" if rest else ""))
    return "|".join(branches) or "(?!)"


def _far_cell_pattern(row_limit: int, column_limit: int, prefix: bytes = b"") -> re.Pattern:
    """Matches the canonical `<c r="…"` of a cell beyond the limits, and only those (cheap: a
    well-formed upload gives no match at all)."""
    rows = str(row_limit)
    far_rows = f"[1-9][0-9]{{{len(rows)},}}|{_greater_pattern(rows, '0', '9')}"
    letters = column_letters(column_limit)
    far_letters = f"[A-Za-z]{{{len(letters) + 1},}}"
    upper = _greater_pattern(letters, "A", "Z")
    if upper != "(?!)":
        far_letters += "|" + upper + "|" + upper.lower()
    return re.compile(re.escape(b"<" + prefix) + f'c r="\\$?(?:(?:{far_letters})\\$?[0-9]|[A-Za-z]{{1,3}}\\$?0*(?:{far_rows})(?![0-9]))'.encode())


_DIMENSION = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?dimension\b[^>]*?\bref\s*=\s*[\"']([^\"']*)[\"']")
# A cell tag that is not exactly `<c r="`: no reference, other attribute order, odd spacing or a
# namespace prefix. Such files are checked by the exact (slower) parser.
_ROOT = re.compile(rb"<([A-Za-z_][\w.-]*:)?worksheet[\s>]")


def _odd_cell_patterns(prefix: bytes) -> list[re.Pattern]:
    """Cell tags that are not exactly `<c r="` (with the root element's namespace prefix, if
    any): no reference, other attribute order, odd spacing or another prefix. Such sheets are
    checked by the exact (slower) parser. Separate patterns: each starts with a literal."""
    if not prefix:
        return [re.compile(rb'<c(?! r=")[\s/>]'), re.compile(rb":c[\s/>]")]
    own = re.escape(prefix[:-1])
    return [
        re.compile(re.escape(b"<" + prefix + b"c") + rb'(?! r=")[\s/>]'),
        re.compile(rb"<c[\s/>]"),
        re.compile(rb"(?<!<" + own + rb")(?<!</" + own + rb"):c[\s/>]"),
    ]


_REF_BYTES = re.compile(rb"\$?[A-Za-z]+\$?[0-9]+")
_DOCTYPE = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)


class SheetScan:
    """What a scan read, for the caller and the tests (stops early on a refusal)."""

    def __init__(self):
        self.bytes_read = 0
        self.exact = False


def _too_far(row: int, column: int, row_limit: int, column_limit: int, *, declared: bool = False) -> WorkbookError | None:
    if row <= row_limit and column <= column_limit:
        return None
    cell = f"{column_letters(column)}{row}"
    if declared:
        message = _(
            "The sheet declares cells up to %(cell)s (row %(row)d, column %(column)s), beyond the %(rows)d rows and %(columns)d columns an import may use. Delete the rows and columns after your data (select them, right-click, Delete), save and upload again."
        )
    else:
        message = _(
            "The sheet has a cell at %(cell)s (row %(row)d, column %(column)s), beyond the %(rows)d rows and %(columns)d columns an import may use. Delete the rows and columns after your data (select them, right-click, Delete), save and upload again."
        )
    return WorkbookError(message % {"cell": cell, "row": row, "column": column_letters(column), "rows": row_limit, "columns": column_limit})


def scan_sheet(open_stream, *, row_limit: int, column_limit: int, scan: SheetScan | None = None) -> SheetScan:
    """Stream a worksheet's XML (`open_stream()` returns a fresh binary stream) and refuse, as
    soon as one is seen, a declared dimension or a cell reference beyond the limits. The fast
    path looks only for far references with one regex per chunk; a sheet whose cells are not
    all written as `<c r="…"` is parsed exactly, position by position."""
    scan = scan or SheetScan()
    far = odd = None
    with open_stream() as stream:
        carry = b""
        first = True
        while True:
            chunk = stream.read(CHUNK_BYTES)
            scan.bytes_read += len(chunk)
            data = carry + chunk
            if chunk:
                cut = data.rfind(b"<")
                data, carry = (data[:cut], data[cut:]) if cut > 0 else (data, b"")
            if _DOCTYPE.search(data):
                raise WorkbookError(_unreadable())
            if first:
                first = False
                root = _ROOT.search(data)
                prefix = (root.group(1) or b"") if root else b""
                far, odd = _far_cell_pattern(row_limit, column_limit, prefix), _odd_cell_patterns(prefix)
                match = _DIMENSION.search(data)
                if match:
                    end = match.group(1).decode("ascii", "replace").split(":")[-1]
                    position = _parse_ref(end)
                    if position:
                        error = _too_far(*position, row_limit, column_limit, declared=True)
                        if error:
                            raise error
            if any(pattern.search(data) for pattern in odd):
                scan.exact = True
                break
            match = far.search(data)
            if match:
                ref = _REF_BYTES.match(data, data.index(b'r="', match.start()) + 3).group(0).decode("ascii")
                raise _too_far(*_parse_ref(ref), row_limit, column_limit)
            if not chunk:
                return scan
    with open_stream() as stream:
        _scan_exact(stream, row_limit=row_limit, column_limit=column_limit, scan=scan)
    return scan


class _Stop(Exception):
    pass


def _scan_exact(stream, *, row_limit: int, column_limit: int, scan: SheetScan) -> None:
    """Every row and cell with its position as a reader computes it (an element without `r`
    follows the previous one), by expat without DTDs or entities."""
    from xml.parsers import expat

    parser = expat.ParserCreate(namespace_separator="}")
    state = {"row": 0, "column": 0}
    found: list[WorkbookError] = []

    def refuse(*_args):
        found.append(WorkbookError(_unreadable()))
        raise _Stop

    def start(name, attributes):
        local = name.rpartition("}")[2]
        if local == "row":
            reference = attributes.get("r", "")
            state["row"] = int(reference) if reference.isdigit() else state["row"] + 1
            state["column"] = 0
        elif local == "c":
            position = _parse_ref(attributes.get("r", ""))
            if position:
                row, state["column"] = position
            else:
                row, state["column"] = state["row"], state["column"] + 1
            error = _too_far(max(row, 1), max(state["column"], 1), row_limit, column_limit)
            if error:
                found.append(error)
                raise _Stop

    parser.StartElementHandler = start
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    try:
        while True:
            chunk = stream.read(CHUNK_BYTES)
            scan.bytes_read += len(chunk)
            parser.Parse(chunk, not chunk)
            if not chunk:
                break
    except _Stop:
        raise found[0] from None
    except expat.ExpatError as exc:
        raise WorkbookError(_unreadable()) from exc


def _first_sheet(archive: zipfile.ZipFile) -> list[str]:
    """The member(s) holding the first sheet: resolved through workbook.xml and its relations
    as calamine does; every worksheet when that fails (checking more is safe)."""
    sheets = sorted(n for n in archive.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml"))
    try:
        if max(archive.getinfo("xl/workbook.xml").file_size, archive.getinfo("xl/_rels/workbook.xml.rels").file_size) > MAX_PART_BYTES:
            raise WorkbookError(_unreadable())
        workbook = archive.read("xl/workbook.xml")
        relations = archive.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return sheets
    if _DOCTYPE.search(workbook) or _DOCTYPE.search(relations):
        raise WorkbookError(_unreadable())
    match = re.search(rb"<(?:[\w.-]+:)?sheet\b[^>]*?\br:id\s*=\s*[\"']([^\"']+)[\"']", workbook)
    if not match:
        return sheets
    for relation in re.finditer(rb"<(?:[\w.-]+:)?Relationship\b[^>]*>", relations):
        tag = relation.group(0)
        ident = re.search(rb"\bId\s*=\s*[\"']([^\"']+)[\"']", tag)
        target = re.search(rb"\bTarget\s*=\s*[\"']([^\"']+)[\"']", tag)
        if ident and target and ident.group(1) == match.group(1):
            name = target.group(1).decode("utf-8", "replace")
            path = name.lstrip("/") if name.startswith("/") else str(PurePosixPath("xl") / name)
            if path in archive.namelist():
                return [path]
    return sheets


def check_workbook(path, *, max_rows: int, max_columns: int = MAX_COLUMNS) -> SheetScan:
    """Everything that can be checked without the dense read: a real xlsx package, no zip bomb,
    and a first sheet whose cells lie within `max_rows` data rows (plus SPARE_ROWS for headers
    and blank lines) and `max_columns` columns."""
    archive = check_package(path)
    with archive:
        names = set(archive.namelist())
        if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
            raise WorkbookError(_not_xlsx())
        scan = SheetScan()
        try:
            for member in _first_sheet(archive):
                scan_sheet(lambda member=member: archive.open(member), row_limit=max_rows + SPARE_ROWS, column_limit=max_columns, scan=scan)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:  # a member that does not inflate as declared
            raise WorkbookError(_unreadable()) from exc
    return scan


# --- the dense read, in a child process ---------------------------------------------------------


def _untag(value: dict):
    import datetime as dt

    if "$d" in value:
        return dt.date.fromisoformat(value["$d"])
    if "$t" in value:
        return dt.datetime.fromisoformat(value["$t"])
    if "$h" in value:
        return dt.time.fromisoformat(value["$h"])
    if "$s" in value:
        return dt.timedelta(seconds=value["$s"])
    return value


def read_first_sheet(path, *, origin: bool = False, memory_bytes: int | None = None, timeout: float | None = None) -> tuple[tuple[int, int] | None, list[list]]:
    """The first sheet's rows (trailing empty cells dropped, "" for an empty cell), read by
    calamine in a child process limited to `memory_bytes` of address space and `timeout`
    seconds. With `origin` the rows start at A1; otherwise at the first used cell, whose
    (row, column) is returned. A child that fails in any way gives WorkbookError."""
    memory = memory_bytes if memory_bytes is not None else settings.JIANDU_UPLOAD_READ_MEMORY_MB * 1024 * 1024
    command = [sys.executable, "-I", str(READER), str(Path(path).resolve()), str(memory), "1" if origin else "0"]
    options = {"stdin": subprocess.DEVNULL, "stdout": subprocess.PIPE, "stderr": subprocess.DEVNULL, "close_fds": True, "start_new_session": True, "env": {}}
    try:
        child = subprocess.Popen(command, **options)  # noqa: S603 - our own script, no shell
    except OSError as exc:  # no process could be started (limits of the machine)
        raise WorkbookError(_("The file could not be read right now; try again in a moment.")) from exc
    try:
        output, _errors = child.communicate(timeout=timeout if timeout is not None else READ_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)
        child.communicate()
        raise WorkbookError(_("The file could not be read in time. Split it into smaller files and upload them one by one.")) from None
    if child.returncode != 0:
        raise WorkbookError(
            _("The file could not be read: opening it needs more memory than allowed. Check it for stray cells far below or right of the data, or split it.")
        )
    try:
        result = json.loads(output, object_hook=_untag)
    except ValueError as exc:
        raise WorkbookError(_unreadable()) from exc
    if "error" in result:
        raise WorkbookError(_unreadable())
    start = tuple(result["start"]) if result.get("start") else None
    return start, result["rows"]


# --- attachments --------------------------------------------------------------------------------


# The kinds of attachment accepted anywhere (oversight records, rectification evidence): the
# content type served back and the file-name extensions that agree with the content.
ATTACHMENT_KINDS = {
    "pdf": ("application/pdf", {".pdf"}),
    "jpeg": ("image/jpeg", {".jpg", ".jpeg"}),
    "png": ("image/png", {".png"}),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", {".docx"}),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", {".xlsx"}),
}
ATTACHMENT_KIND_NAMES = "PDF, JPEG, PNG, DOCX, XLSX"


def attachment_kind(data: bytes) -> str | None:
    """The kind of file the bytes really are (by their first bytes; a ZIP only when it is really a
    DOCX or XLSX package), or None when it is not on the allow list."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as package:
                names = set(package.namelist())
        except (zipfile.BadZipFile, ValueError, OSError):
            return None
        if "[Content_Types].xml" not in names:
            return None
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
    return None


def attachment_problem(kind: str, data: bytes) -> str | None:
    """Structure checks of an attachment whose kind was recognised by its first bytes."""
    if kind in ("docx", "xlsx"):
        try:
            check_package(data, not_a_zip=_("The file is damaged and cannot be accepted.")).close()
        except WorkbookError as exc:
            return exc.message
        return None
    if kind == "png":
        if len(data) < 24 or data[12:16] != b"IHDR":
            return _("The file is damaged and cannot be accepted.")
        width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
        if not (0 < width <= MAX_IMAGE_SIDE and 0 < height <= MAX_IMAGE_SIDE):
            return _("The image is too large (%(width)d × %(height)d pixels).") % {"width": width, "height": height}
    return None


PDF_MAGIC = b"%PDF-"


def pdf_problem(file, *, limit_mb: int) -> str | None:
    """Self-report files: a PDF by content, not empty, within `limit_mb`."""
    size = getattr(file, "size", None)
    if size is not None and size > limit_mb * 1024 * 1024:
        return _("The file is larger than %(n)d MB.") % {"n": limit_mb}
    file.seek(0)
    head = file.read(len(PDF_MAGIC))
    file.seek(0)
    if head != PDF_MAGIC:
        return _("Only PDF files can be attached.")
    return None
