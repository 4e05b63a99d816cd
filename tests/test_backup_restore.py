"""Backup and restore drill (SECURITY.md "Reliability"): `manage.py backup_drill` dumps the database,
restores the dump into a fresh database, and compares row counts, per-table checksums and
sequences, verifies the journal on the copy and checks its schema; the restore time is reported.

On PostgreSQL this is pg_dump/pg_restore into a scratch database that is dropped afterwards; on
SQLite (the embedded installation) it is SQLite's online backup API into a scratch file.
Transactional tests: pg_dump sees only what is committed.
"""

import importlib
import io
import os
import stat

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from jiandu.core.management.commands.backup_drill import DrillReport, TableState, _compare, run_drill
from jiandu.core.models import JournalEntry

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


@pytest.fixture
def district(settings):
    settings.DEMO_MODE = True
    call_command("load_demo", "--small", stdout=io.StringIO())


def _database_exists(name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return cursor.fetchone() is not None


def test_drill_restores_an_identical_copy_whose_journal_verifies(district):
    lines = []
    report = run_drill(log=lines.append)
    print("\n" + "\n".join(lines + report.lines()))
    assert report.ok, report.lines()
    assert report.mismatches == []
    # Every table of the application is in the comparison, with the seeded rows.
    assert len(report.tables) >= 40
    journal_rows = JournalEntry.objects.count()
    assert any(name.endswith("core_journalentry") and state.rows == journal_rows for name, state in report.tables.items())
    assert report.rows > journal_rows > 300
    assert report.journal_ok and report.journal == f"journal ok: {journal_rows} entries verified"
    assert report.restore_seconds > 0 and report.dump_bytes > 0
    assert report.dropped
    assert report.sequences  # ids continue where the source's stand, not from 1
    assert any("append-only triggers are in the copy" in line for line in report.smoke)
    if connection.vendor == "postgresql":
        assert not _database_exists(report.copy.rsplit("/", 1)[-1])
        assert any("migrate --check" in line for line in report.smoke)
    else:
        assert "PRAGMA integrity_check: ok" in report.smoke
        assert any("online backup API" in note for note in report.notes)


def test_a_tampered_journal_fails_the_drill(district):
    """The copy is faithful, tampering included: the drill must not pass a backup whose journal
    does not verify."""
    entry = JournalEntry.objects.order_by("seq")[10]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE core_journalentry DISABLE TRIGGER USER")
            cursor.execute("UPDATE core_journalentry SET action = 'registry.cadre.deleted' WHERE id = %s", [entry.pk])
            cursor.execute("ALTER TABLE core_journalentry ENABLE TRIGGER USER")
        else:  # SQLite cannot disable a trigger: drop it, tamper, put it back
            cursor.execute("DROP TRIGGER journal_no_update")
            cursor.execute("UPDATE core_journalentry SET action = 'registry.cadre.deleted' WHERE id = %s", [entry.pk])
            cursor.execute(importlib.import_module("jiandu.core.migrations.0002_journal_append_only").SQLITE[0])
    out = io.StringIO()
    with pytest.raises(CommandError, match="backup drill failed"):
        call_command("backup_drill", stdout=out)
    text = out.getvalue()
    print("\n" + text)
    assert f"journal broken at #{entry.seq}" in text
    assert "drill FAILED" in text and "0 difference(s)" in text  # the copy equals the (tampered) source


def test_compare_names_every_kind_of_difference():
    report = DrillReport(engine="x", method="x", source="a", copy="b")
    source = {"t1": TableState(3, "aaa"), "t2": TableState(2, "bbb"), "t3": TableState(1, "ccc"), "t4": TableState(5, "ddd")}
    copy = {"t1": TableState(3, "aaa"), "t2": TableState(1, "bbx"), "t3": TableState(1, "ccx"), "t5": TableState(0, "")}
    _compare(report, source, copy, {"s1": 7, "s2": 3}, {"s1": 7, "s2": 2})
    assert report.mismatches == [
        "table t2: 2 rows in the source, 1 in the copy",
        "table t3: same row count (1) but different content",
        "table t4: missing from the copy",
        "table t5: not in the source",
        "sequence s2: 3 in the source, 2 in the copy",
    ]
    assert not report.ok


def _fake_program(folder, name, output):
    path = folder / name
    path.write_text(f"#!/bin/sh\necho '{output}'\n")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)


def test_missing_or_old_postgresql_client_is_reported_clearly(tmp_path, monkeypatch):
    """CI machines are like this one, but a server without the client programs must get a clear
    message, not a traceback. (SQLite needs no client programs: the drill runs regardless.)"""
    monkeypatch.setenv("PATH", str(tmp_path))
    if connection.vendor != "postgresql":
        report = run_drill()
        assert report.ok, report.lines()
        return
    with pytest.raises(CommandError) as missing:
        call_command("backup_drill", stdout=io.StringIO())
    assert "pg_dump was not found" in str(missing.value) and "postgresql-client-" in str(missing.value)
    # A client older than the server cannot dump it.
    _fake_program(tmp_path, "pg_dump", "pg_dump (PostgreSQL) 9.6.24")
    _fake_program(tmp_path, "pg_restore", "pg_restore (PostgreSQL) 9.6.24")
    with pytest.raises(CommandError) as old:
        call_command("backup_drill", stdout=io.StringIO())
    server = connection.pg_version // 10000
    assert f"is PostgreSQL 9, the server is {server}" in str(old.value) and f"postgresql-client-{server}" in str(old.value)
    assert os.environ["PATH"] == str(tmp_path)
