"""Child process that reads the first sheet of an uploaded workbook with python-calamine.

Run as a script by `jiandu.core.uploads.read_first_sheet` (never imported by the web process):
it limits its own address space (RLIMIT_AS) before loading the native reader, so a workbook that
makes calamine allocate without bound aborts this process, not a web worker. It needs neither
Django nor the project on the path.

    python sheet_reader.py <path> <memory bytes> <origin: 0|1>

Writes one JSON document to stdout: {"start": [row, column] or null, "rows": [[cell, …], …]}
with trailing empty cells dropped, dates as {"$d": iso}, datetimes {"$t": iso}, times
{"$h": iso}, durations {"$s": seconds}; or {"error": "unreadable"} when calamine refuses the file.
"""

import datetime as dt
import json
import resource
import sys


def _tag(value):
    if isinstance(value, dt.datetime):
        return {"$t": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$d": value.isoformat()}
    if isinstance(value, dt.time):
        return {"$h": value.isoformat()}
    if isinstance(value, dt.timedelta):
        return {"$s": value.total_seconds()}
    return str(value)


def _trim(cells: list) -> list:
    end = len(cells)
    while end and cells[end - 1] == "":
        end -= 1
    return cells[:end] if end != len(cells) else cells


def main(argv: list[str]) -> int:
    path, memory, origin = argv[1], int(argv[2]), argv[3] == "1"
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # an abort must not write a core file
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))  # nor any other file
    if memory > 0:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    import python_calamine

    try:
        workbook = python_calamine.CalamineWorkbook.from_path(path)
        try:
            sheet = workbook.get_sheet_by_index(0)
            if origin:
                rows = [_trim(cells) for cells in sheet.to_python(skip_empty_area=False)]
                start = None
            else:
                rows = [_trim(cells) for cells in sheet.iter_rows()]
                start = list(sheet.start) if sheet.start else None
        finally:
            workbook.close()
    except (python_calamine.CalamineError, OSError, ValueError, IndexError):
        sys.stdout.buffer.write(b'{"error": "unreadable"}')
        return 0
    sys.stdout.buffer.write(json.dumps({"start": start, "rows": rows}, ensure_ascii=False, separators=(",", ":"), default=_tag).encode("utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
