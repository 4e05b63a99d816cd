"""`manage.py backup_drill [--keep] [--dump FILE] [--target-url URL]`: back the database up, restore
the backup into a fresh database, and prove the copy (SECURITY.md "Reliability").

PostgreSQL:
 1. In one REPEATABLE READ snapshot of the live database: the row count and a checksum of every
    table (md5 over the md5 of each row, in primary-key order) and every sequence's position, and
    `pg_dump --format=custom --snapshot=…` of that same snapshot, so the application may keep
    writing while the drill runs.
 2. A fresh database (`CREATE DATABASE … TEMPLATE template0`, same encoding and locale), or the
    empty database `--target-url` names (another cluster, for a drill on a separate machine).
 3. `pg_restore --exit-on-error --no-owner --no-privileges` into it: the restore time reported.
 4. The same counts, checksums and sequences read from the copy: every one must be equal.
 5. Against the copy, in a subprocess with JIANDU_DATABASE_URL pointing at it:
    `manage.py verify_journal` (the hash chain, with the installation's journal key) and
    `manage.py migrate --check` (the copy's schema is the code's).
 6. The scratch database is dropped (kept with --keep; a --target-url database is never dropped).
pg_dump and pg_restore come from the PATH; their major version must be at least the server's
(Debian: `apt install postgresql-client-15` for a PostgreSQL 15 server).

SQLite (the embedded installation): pg_dump has no part; the backup is SQLite's online backup
API (a consistent copy while the application runs, like `sqlite3 … ".backup …"`), and the
restore is the backup file copied into a fresh database file. Steps 1, 4 and 5 are the same, with
`PRAGMA integrity_check` on the copy.

Exit status 0 only when everything matched and the journal verified; the figures are printed.
"""

import hashlib
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from jiandu.core.models import JournalEntry

SUBPROCESS_TIMEOUT = 3600


@dataclass
class TableState:
    rows: int
    checksum: str


@dataclass
class DrillReport:
    engine: str
    method: str
    source: str
    copy: str
    tables: dict[str, TableState] = field(default_factory=dict)
    sequences: dict[str, object] = field(default_factory=dict)
    mismatches: list[str] = field(default_factory=list)
    dump_bytes: int = 0
    dump_seconds: float = 0.0
    restore_seconds: float = 0.0
    compare_seconds: float = 0.0
    verify_seconds: float = 0.0
    journal: str = ""
    journal_ok: bool = False
    smoke: list[str] = field(default_factory=list)
    dropped: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return sum(t.rows for t in self.tables.values())

    @property
    def ok(self) -> bool:
        return not self.mismatches and self.journal_ok

    def lines(self) -> list[str]:
        out = [
            f"backup drill ({self.engine}, {self.method}): {self.source} → {self.copy}",
            f"  backup: {self.dump_bytes:,} bytes in {self.dump_seconds:.3f}s",
            f"  restore: {self.restore_seconds:.3f}s",
            f"  compared: {len(self.tables)} tables, {self.rows:,} rows, {len(self.sequences)} sequences in {self.compare_seconds:.3f}s; "
            f"{len(self.mismatches)} difference(s)",
            f"  journal on the copy: {self.journal or '—'} ({self.verify_seconds:.2f}s)",
        ]
        out += [f"  smoke: {line}" for line in self.smoke]
        out += [f"  DIFFERENT: {line}" for line in self.mismatches]
        out += [f"  note: {line}" for line in self.notes]
        out.append(f"  copy {'dropped' if self.dropped else 'kept'}; drill {'PASSED' if self.ok else 'FAILED'}")
        return out


# --- shared -----------------------------------------------------------------------------------


def _run(argv: list[str], env: dict | None = None) -> subprocess.CompletedProcess:
    """Run a program the drill chose itself (pg_dump/pg_restore from the PATH, this Python with
    manage.py), with an argument list and no shell."""
    return subprocess.run(argv, env=env, capture_output=True, text=True, timeout=SUBPROCESS_TIMEOUT, check=False)  # noqa: S603


def _compare(report: DrillReport, source_tables, copy_tables, source_sequences=None, copy_sequences=None) -> None:
    report.tables = source_tables
    for name in sorted(set(source_tables) | set(copy_tables)):
        before, after = source_tables.get(name), copy_tables.get(name)
        if before is None or after is None:
            report.mismatches.append(f"table {name}: {'missing from the copy' if after is None else 'not in the source'}")
        elif before.rows != after.rows:
            report.mismatches.append(f"table {name}: {before.rows} rows in the source, {after.rows} in the copy")
        elif before.checksum != after.checksum:
            report.mismatches.append(f"table {name}: same row count ({before.rows}) but different content")
    report.sequences = source_sequences or {}
    for name in sorted(set(source_sequences or {}) | set(copy_sequences or {})):
        if (source_sequences or {}).get(name) != (copy_sequences or {}).get(name):
            report.mismatches.append(f"sequence {name}: {(source_sequences or {}).get(name)} in the source, {(copy_sequences or {}).get(name)} in the copy")


def _manage(database_url: str, *args: str) -> subprocess.CompletedProcess:
    """Run a manage.py command against the copy in a separate process: the same code, settings and
    journal key, another database."""
    return _run([sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), *args], env={**os.environ, "JIANDU_DATABASE_URL": database_url})


def _journal_guard(report: DrillReport, triggers: int, *, expected: int) -> None:
    """The copy's journal must be append-only too: its triggers came back with the restore."""
    if triggers >= expected:
        report.smoke.append(f"the journal's append-only triggers are in the copy ({triggers})")
    else:
        report.mismatches.append(f"the copy's journal has {triggers} append-only trigger(s), {expected} expected")


def _verify_copy(report: DrillReport, database_url: str) -> None:
    started = time.monotonic()
    verified = _manage(database_url, "verify_journal")
    report.verify_seconds = time.monotonic() - started
    output = (verified.stdout + verified.stderr).strip().splitlines()
    report.journal = output[-1] if output else f"no output (exit status {verified.returncode})"
    report.journal_ok = verified.returncode == 0 and "journal ok" in verified.stdout
    migrations = _manage(database_url, "migrate", "--check", "--no-input")
    if migrations.returncode == 0:
        report.smoke.append("migrate --check: the copy's schema is the code's")
    else:
        report.mismatches.append(f"migrate --check on the copy failed: {(migrations.stdout + migrations.stderr).strip()[-300:]}")


# --- PostgreSQL -------------------------------------------------------------------------------


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise CommandError(
            f"{name} was not found on the PATH ({os.environ.get('PATH', '')}). The PostgreSQL backup drill needs the PostgreSQL "
            f"client programs pg_dump and pg_restore, of the server's major version or newer: on Debian/Ubuntu "
            f"`apt install postgresql-client-<major>` (e.g. postgresql-client-15)."
        )
    return path


def _major(version_output: str) -> int:
    match = re.search(r"\(PostgreSQL\)\s+(\d+)", version_output) or re.search(r"(\d+)\.\d+", version_output)
    if match is None:
        raise CommandError(f"cannot read the version of the PostgreSQL client: {version_output!r}")
    return int(match.group(1))


def _libpq_env(params: dict) -> dict:
    env = dict(os.environ)
    for key, variable in (("host", "PGHOST"), ("port", "PGPORT"), ("user", "PGUSER"), ("password", "PGPASSWORD"), ("sslmode", "PGSSLMODE")):
        if params.get(key):
            env[variable] = str(params[key])
    return env


def _params(settings_dict: dict) -> dict:
    params = {
        "dbname": settings_dict["NAME"],
        "user": settings_dict.get("USER") or None,
        "password": settings_dict.get("PASSWORD") or None,
        "host": settings_dict.get("HOST") or None,
        "port": str(settings_dict["PORT"]) if settings_dict.get("PORT") else None,
    }
    if settings_dict.get("OPTIONS", {}).get("sslmode"):
        params["sslmode"] = settings_dict["OPTIONS"]["sslmode"]
    return {k: v for k, v in params.items() if v is not None}


def _url(params: dict) -> str:
    auth = quote(params.get("user", ""), safe="")
    if params.get("password"):
        auth += ":" + quote(params["password"], safe="")
    host = params.get("host", "")
    port = f":{params['port']}" if params.get("port") else ""
    query = f"?sslmode={params['sslmode']}" if params.get("sslmode") else ""
    return f"postgresql://{auth}{'@' if auth else ''}{host}{port}/{quote(params['dbname'], safe='')}{query}"


def _pg_state(cursor) -> tuple[dict[str, TableState], dict[str, object]]:
    """Row count and checksum of every user table, and every sequence's position."""
    from psycopg import sql

    cursor.execute(
        """SELECT n.nspname, c.relname, c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%%'
           ORDER BY 1, 2"""
    )
    tables = {}
    for schema, name, oid in cursor.fetchall():
        cursor.execute(
            """SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
               WHERE i.indrelid = %s AND i.indisprimary ORDER BY array_position(i.indkey, a.attnum)""",
            [oid],
        )
        keys = [row[0] for row in cursor.fetchall()]
        order = sql.SQL(", ").join(sql.Identifier(k) for k in keys) if keys else sql.SQL('t::text COLLATE "C"')
        cursor.execute(
            sql.SQL("SELECT count(*), coalesce(md5(string_agg(md5(t::text), '' ORDER BY {order})), '') FROM {table} AS t").format(
                order=order, table=sql.Identifier(schema, name)
            )
        )
        rows, checksum = cursor.fetchone()
        tables[f"{schema}.{name}"] = TableState(rows, checksum)
    cursor.execute("SELECT schemaname, sequencename, last_value FROM pg_sequences ORDER BY 1, 2")
    sequences = {f"{schema}.{name}": value for schema, name, value in cursor.fetchall()}
    return tables, sequences


def _pg_drill(alias: str, *, keep: bool, dump_path: Path | None, target_url: str | None, log) -> DrillReport:
    import dj_database_url
    import psycopg
    from psycopg import sql

    connection = connections[alias]
    pg_dump, pg_restore = _tool("pg_dump"), _tool("pg_restore")
    connection.ensure_connection()
    server_major = connection.pg_version // 10000
    for tool in (pg_dump, pg_restore):
        client_major = _major(_run([tool, "--version"]).stdout)
        if client_major < server_major:
            raise CommandError(
                f"{tool} is PostgreSQL {client_major}, the server is {server_major}: a client older than the server cannot "
                f"dump or restore it. Install postgresql-client-{server_major}."
            )
    source = _params(connection.settings_dict)
    if target_url:
        target_settings = dj_database_url.parse(target_url)
        if target_settings["ENGINE"] != "django.db.backends.postgresql":
            raise CommandError("--target-url must name a PostgreSQL database")
        target = _params(target_settings)
        created = False
    else:
        scratch = f"{source['dbname'][:40]}_drill_{time.strftime('%Y%m%d%H%M%S')}"
        target = {**source, "dbname": scratch}
        created = True
    report = DrillReport(
        engine=f"PostgreSQL {server_major}",
        method="pg_dump --format=custom → pg_restore",
        source=source["dbname"],
        copy=f"{target.get('host', 'local')}:{target.get('port', '5432')}/{target['dbname']}",
    )
    with tempfile.TemporaryDirectory(prefix="jiandu-drill-") as workdir:
        dump = dump_path or Path(workdir) / "jiandu.dump"
        # 1. State and dump from one snapshot.
        with psycopg.connect(**source, autocommit=True) as snapshot:
            snapshot.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            snapshot_id = snapshot.execute("SELECT pg_export_snapshot()").fetchone()[0]
            started = time.monotonic()
            with snapshot.cursor() as cursor:
                source_tables, source_sequences = _pg_state(cursor)
            state_seconds = time.monotonic() - started
            log(f"source: {len(source_tables)} tables, {sum(t.rows for t in source_tables.values()):,} rows read in {state_seconds:.2f}s")
            started = time.monotonic()
            dumped = _run([pg_dump, "--format=custom", f"--snapshot={snapshot_id}", f"--file={dump}", source["dbname"]], env=_libpq_env(source))
            report.dump_seconds = time.monotonic() - started
            snapshot.execute("ROLLBACK")
        if dumped.returncode != 0:
            raise CommandError(f"pg_dump failed: {dumped.stderr.strip()}")
        report.dump_bytes = dump.stat().st_size
        log(f"dump: {report.dump_bytes:,} bytes in {report.dump_seconds:.2f}s ({dump if dump_path else 'temporary file'})")
        # 2. A fresh database.
        maintenance = {**target, "dbname": "postgres"}
        try:
            if created:
                with psycopg.connect(**source) as conn:
                    encoding, collate, ctype = conn.execute(
                        "SELECT pg_encoding_to_char(encoding), datcollate, datctype FROM pg_database WHERE datname = current_database()"
                    ).fetchone()
                with psycopg.connect(**maintenance, autocommit=True) as conn:
                    conn.execute(
                        sql.SQL("CREATE DATABASE {} TEMPLATE template0 ENCODING {} LC_COLLATE {} LC_CTYPE {}").format(
                            sql.Identifier(target["dbname"]), sql.Literal(encoding), sql.Literal(collate), sql.Literal(ctype)
                        )
                    )
            else:
                with psycopg.connect(**target) as conn:
                    count = conn.execute(
                        "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                        "WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%%'"
                    ).fetchone()[0]
                if count:
                    raise CommandError(f"the target database {target['dbname']} is not empty ({count} tables): restore into an empty one")
        except psycopg.errors.InsufficientPrivilege as exc:
            raise CommandError(f"cannot create the scratch database ({exc}): grant the role CREATEDB, or pass --target-url of an empty database")
        try:
            # 3. Restore.
            started = time.monotonic()
            restored = _run([pg_restore, "--exit-on-error", "--no-owner", "--no-privileges", f"--dbname={target['dbname']}", str(dump)], env=_libpq_env(target))
            report.restore_seconds = time.monotonic() - started
            if restored.returncode != 0:
                raise CommandError(f"pg_restore failed: {restored.stderr.strip()}")
            log(f"restore: {report.restore_seconds:.2f}s into {target['dbname']}")
            # 4. Compare.
            started = time.monotonic()
            with psycopg.connect(**target) as conn, conn.cursor() as cursor:
                copy_tables, copy_sequences = _pg_state(cursor)
                cursor.execute(
                    "SELECT count(*) FROM pg_trigger WHERE tgrelid = to_regclass(%s) AND NOT tgisinternal AND tgenabled <> 'D'", [JournalEntry._meta.db_table]
                )
                _journal_guard(report, cursor.fetchone()[0], expected=2)
            report.compare_seconds = time.monotonic() - started + state_seconds
            _compare(report, source_tables, copy_tables, source_sequences, copy_sequences)
            # 5. Journal and schema on the copy.
            _verify_copy(report, _url(target))
        finally:
            # 6. Drop what the drill created.
            if created and not keep:
                with psycopg.connect(**maintenance, autocommit=True) as conn:
                    conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(target["dbname"])))
                report.dropped = True
    client = _run([pg_dump, "--version"]).stdout.strip()
    report.notes.append(f"{client}; server {connection.pg_version // 10000}.{connection.pg_version % 10000}")
    return report


# --- SQLite -----------------------------------------------------------------------------------


def _sqlite_state(conn: sqlite3.Connection) -> dict[str, TableState]:
    """Row count and checksum of every table. Each row is read as SQLite's own text of its values
    (quote()), so the checksum does not depend on the Python type conversions a connection applies
    (Django's connection turns dates and decimals into objects; a plain one does not)."""
    tables = {}
    names = [row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    for name in names:
        quoted = '"' + name.replace('"', '""') + '"'
        columns = [row[1] for row in conn.execute(f"PRAGMA table_info({quoted})")]
        text = " || char(31) || ".join('quote("' + column.replace('"', '""') + '")' for column in columns) or "''"
        digest, rows = hashlib.md5(usedforsecurity=False), 0
        for (row,) in conn.execute(f"SELECT {text} FROM {quoted} ORDER BY rowid"):  # noqa: S608 (names from sqlite_master, quoted)
            digest.update(row.encode("utf-8", "surrogatepass") + b"\n")
            rows += 1
        tables[name] = TableState(rows, digest.hexdigest())
    return tables


def _sqlite_sequences(conn: sqlite3.Connection) -> dict[str, object]:
    """Where AUTOINCREMENT ids continue (sqlite_sequence), so the copy does not reuse an id."""
    if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'").fetchone() is None:
        return {}
    return dict(conn.execute("SELECT name, seq FROM sqlite_sequence ORDER BY name").fetchall())


def _sqlite_drill(alias: str, *, keep: bool, dump_path: Path | None, log) -> DrillReport:
    connection = connections[alias]
    connection.ensure_connection()
    source = connection.connection  # the running connection: works for a file and the in-memory test database
    name = str(connection.settings_dict["NAME"])
    report = DrillReport(engine=f"SQLite {sqlite3.sqlite_version}", method="online backup API → file copy", source=name, copy="")
    report.notes.append("SQLite installation: pg_dump/pg_restore have no part; the backup is SQLite's online backup API")
    workdir = Path(tempfile.mkdtemp(prefix="jiandu-drill-"))
    try:
        dump = dump_path or workdir / "backup.sqlite3"
        restored_path = workdir / "restored.sqlite3"
        # 1. State and backup from one read transaction (a consistent snapshot in WAL mode).
        opened = not source.in_transaction
        if opened:
            source.execute("BEGIN")
        try:
            started = time.monotonic()
            source_tables, source_sequences = _sqlite_state(source), _sqlite_sequences(source)
            state_seconds = time.monotonic() - started
            started = time.monotonic()
            with sqlite3.connect(dump) as target:
                source.backup(target)
            report.dump_seconds = time.monotonic() - started
        finally:
            if opened:
                source.execute("COMMIT")
        report.dump_bytes = Path(dump).stat().st_size
        log(f"backup: {report.dump_bytes:,} bytes in {report.dump_seconds:.2f}s")
        # 3. Restore: the backup file into a fresh database file.
        started = time.monotonic()
        with sqlite3.connect(dump) as backup, sqlite3.connect(restored_path) as fresh:
            backup.backup(fresh)
        report.restore_seconds = time.monotonic() - started
        report.copy = str(restored_path)
        # 4. Compare.
        started = time.monotonic()
        with sqlite3.connect(restored_path) as copy:
            copy_tables, copy_sequences = _sqlite_state(copy), _sqlite_sequences(copy)
            integrity = copy.execute("PRAGMA integrity_check").fetchone()[0]
            triggers = copy.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?", [JournalEntry._meta.db_table]).fetchone()[0]
        _journal_guard(report, triggers, expected=2)
        report.compare_seconds = time.monotonic() - started + state_seconds
        _compare(report, source_tables, copy_tables, source_sequences, copy_sequences)
        if integrity == "ok":
            report.smoke.append("PRAGMA integrity_check: ok")
        else:
            report.mismatches.append(f"PRAGMA integrity_check on the copy: {integrity}")
        # 5. Journal and schema on the copy.
        _verify_copy(report, f"sqlite:///{restored_path}")
    finally:
        if keep:
            report.notes.append(f"copy kept in {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
            report.dropped = True
    return report


def run_drill(
    *, alias: str = "default", keep: bool = False, dump_path: Path | None = None, target_url: str | None = None, log=lambda line: None
) -> DrillReport:
    vendor = connections[alias].vendor
    if vendor == "postgresql":
        return _pg_drill(alias, keep=keep, dump_path=dump_path, target_url=target_url, log=log)
    if vendor == "sqlite":
        if target_url:
            raise CommandError("--target-url is for PostgreSQL; the SQLite drill restores into a scratch file")
        return _sqlite_drill(alias, keep=keep, dump_path=dump_path, log=log)
    raise CommandError(f"no backup drill for the {vendor} backend")


class Command(BaseCommand):
    help = "Back up the database, restore it into a fresh database, and compare row counts, checksums and the journal."

    def add_arguments(self, parser):
        parser.add_argument("--keep", action="store_true", help="keep the restored copy instead of dropping it")
        parser.add_argument("--dump", type=Path, help="write the backup to this file and keep it (default: a temporary file)")
        parser.add_argument("--target-url", help="PostgreSQL: restore into this empty database (e.g. on another cluster) instead of a scratch database")
        parser.add_argument("--database", default="default", help="the database alias to back up")

    def handle(self, *args, keep, dump, target_url, database, **options):
        report = run_drill(alias=database, keep=keep, dump_path=dump, target_url=target_url, log=lambda line: self.stdout.write(line))
        for line in report.lines():
            self.stdout.write(line)
        if not report.ok:
            raise CommandError("backup drill failed: " + ("; ".join(report.mismatches) or f"journal on the copy: {report.journal}"))
        self.stdout.write(self.style.SUCCESS(f"backup drill passed: restore took {report.restore_seconds:.3f}s"))
