"""Importing 100k cadres from an xlsx workbook, against a raw baseline measured in the same run.

Baseline: read the same workbook with python-calamine and executemany() its rows, unchecked,
into a plain SQLite table (no indexes, same journal mode and fsync setting) — the floor for
"get these cells into this database engine". Ours does much more per row: converts every
cell by kind, resolves the unit path, checks the ID number (GB 11643 check digit, birth date),
phone, dates and choices, checks uniqueness within the file and against the registry,
computes the name's pinyin and initials, inserts into a table with a unique index and three
secondary indexes, and journals the import.

Goals: commit ≤ 6× the baseline, preview (read + check, nothing stored) ≤ 4×. On the
development machine (2 shared cores, best of 3 runs) the commit measures ~2.7–3.5× and the
preview ~1.3–2×: the extra time is the per-cell conversion, the per-row validation, the pinyin
of each name and the registry's four indexes. The goals leave room for a busy machine yet fail
on a regression that doubles the cost of the pipeline; a goal at the measured value would flap.
"""

import datetime as dt
import random
import sqlite3
import tempfile
import time
from pathlib import Path

import python_calamine
import xlsxwriter
from django.db import connection

from bench.measure import result, timed

ROWS = 100_000
UNITS = 40
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国志红玉萍海燕斌宇浩凯鹏飞丹彬晨琳欣宁博文瑞雪梅"
POLITICAL = ["中共党员", "中共党员", "中共党员", "群众", "民主党派成员"]
EDUCATION = ["大学本科", "大学本科", "硕士研究生", "大学专科"]
RANKS = ["一级科员", "二级科员", "一级主任科员", "四级主任科员"]  # the 2019 rank scale (职级)


def _id_number(born: dt.date, serial: int) -> str:
    from jiandu.registry.validators import make_id_number

    return make_id_number("640104", born, serial)


def generate(path: Path, unit_paths: list[str]) -> None:
    """The workbook a clerk would upload: our template's two header rows, then ROWS people."""
    from jiandu.registry.imports import CADRE_COLUMNS

    rng = random.Random(20261126)
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False})
    sheet = workbook.add_worksheet("干部")
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write_row(0, 0, [str(c.label) for c in CADRE_COLUMNS])
    sheet.write_row(1, 0, [c.key for c in CADRE_COLUMNS])
    start = dt.date(1962, 1, 1)
    for i in range(ROWS):
        born = start + dt.timedelta(days=i % 20000)
        serial = (i // 20000) * 2 + i % 2  # unique with the birth date; odd = male
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
        row = 2 + i
        col = {c.key: n for n, c in enumerate(CADRE_COLUMNS)}  # by key: the template's columns move
        sheet.write_string(row, col["name"], name)
        sheet.write_string(row, col["gender"], "男" if serial % 2 else "女")
        sheet.write_string(row, col["ethnicity"], "汉族")
        sheet.write_datetime(row, col["birth_on"], dt.datetime(born.year, born.month, born.day), date_format)
        sheet.write_string(row, col["native_place"], "宁夏银川")
        sheet.write_string(row, col["id_number"], _id_number(born, serial))
        sheet.write_string(row, col["political_status"], rng.choice(POLITICAL))
        sheet.write_string(row, col["education"], rng.choice(EDUCATION))
        sheet.write_string(row, col["rank"], rng.choice(RANKS))
        sheet.write_string(row, col["phone"], f"139{i:08d}")
        work = born.replace(year=born.year + 22) if not (born.month == 2 and born.day == 29) else dt.date(born.year + 22, 3, 1)
        sheet.write_datetime(row, col["work_start_on"], dt.datetime(work.year, work.month, work.day), date_format)
        sheet.write_string(row, col["unit"], unit_paths[i % len(unit_paths)])
        sheet.write_string(row, col["managed_by_district"], "否")
        sheet.write_string(row, col["status"], "在职")
    workbook.close()


_generated: dict[str, Path] = {}


def workbook() -> Path:
    """The generated workbook, made once per run (under the run's throwaway media directory)."""
    if "path" not in _generated:
        from django.conf import settings

        directory = Path(settings.MEDIA_ROOT) / "bench"
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / "cadres.xlsx"
        started = time.perf_counter()
        generate(path, [f"示范区/部门{n:02d}" for n in range(UNITS)])
        _generated.update(path=path, seconds=time.perf_counter() - started)
    return _generated["path"]


def baseline(path: Path, database: Path) -> None:
    """Raw floor: calamine rows → executemany into a plain table in one transaction."""
    from jiandu.registry.imports import CADRE_COLUMNS

    sheet = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    rows = sheet.to_python()[2:]
    width = len(CADRE_COLUMNS)
    values = [tuple(cell.isoformat() if isinstance(cell, dt.date) else cell for cell in row[:width]) + (None,) * (width - len(row[:width])) for row in rows]
    db = sqlite3.connect(database, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.execute("DROP TABLE IF EXISTS cadre")
    db.execute("CREATE TABLE cadre (" + ", ".join(f"c{i} TEXT" for i in range(width)) + ")")
    db.execute("BEGIN")
    db.executemany("INSERT INTO cadre VALUES (" + ", ".join("?" * width) + ")", values)
    db.execute("COMMIT")
    db.close()


def run() -> list[dict]:
    from jiandu.registry import names
    from jiandu.registry.imports import IMPORTERS, commit, prepare
    from jiandu.registry.models import Cadre
    from jiandu.testing import make_unit, registrar

    actor = registrar()
    root = make_unit(name="示范区", kind="party_committee")
    for n in range(UNITS):
        make_unit(name=f"部门{n:02d}", parent=root)
    importer = IMPORTERS["cadres"]
    path = workbook()
    with tempfile.TemporaryDirectory(prefix="jiandu-bench-import-") as tmp:
        # Only this bench's cadres: the benchmarks share one throwaway database, and others'
        # cadres have rows that refer to them.
        units = [root.pk, *root.children.values_list("pk", flat=True)]

        def wipe():
            names._syllables.cache_clear()  # each import starts without the names an earlier run read
            with connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM registry_cadre WHERE unit_id IN ({', '.join(['%s'] * len(units))})", units)  # noqa: S608

        base = timed(lambda: baseline(path, Path(tmp) / "baseline.sqlite3"), repeat=3)
        ours = timed(lambda: commit(importer, actor=actor, path=path, source="bench.xlsx"), repeat=3, before=wipe)
        assert Cadre.objects.filter(unit_id__in=units).count() == ROWS
        wipe()
        preview_samples = []
        for _ in range(2):
            started = time.perf_counter()
            found = prepare(importer, actor=actor, path=path, mask_sensitive=False)
            preview_samples.append(time.perf_counter() - started)
            assert found.error_count == 0, found.errors[:3]
        size_mb = round(path.stat().st_size / 1e6, 2)
    common = {"rows": ROWS, "file_mb": size_mb, "generate_s": round(_generated["seconds"], 2)}
    commit_result = result("registry_import_cadres_commit", samples=ours, baseline_samples=base, goal_ratio=6, **common)
    commit_result["rows_per_s"] = round(ROWS / commit_result["value"])
    preview_result = result("registry_import_cadres_preview", samples=preview_samples, baseline_samples=base, goal_ratio=4, **common)
    preview_result["rows_per_s"] = round(ROWS / preview_result["value"])
    return [commit_result, preview_result]
