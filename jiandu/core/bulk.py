"""Set-based inserts for the few paths where building model instances is the cost: a 100,000-row
import, a worker batch of thousands of events. `insert_rows(Model, [{attname: value}, …])`
writes the rows without model instances and without the ORM compiler's per-value work:
PostgreSQL gets COPY (its bulk path; Django's client-side parameter binding makes large INSERTs
slow there), SQLite gets executemany in batches. Values are adapted as the ORM would (dates and
times by the backend's ops, JSON as text); a field type this does not know is refused, so a new
field cannot be written wrongly. Like bulk_create: no save(), no signals, no primary keys back
(read them afterwards by a natural key), unless the records carry the primary key themselves
(a UUID key made by the caller, as the ballots' counted rows have)."""

import contextlib
import json
import time

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models
from django.utils import timezone

BATCH_SIZE = 2000  # rows per executemany() call
_PLAIN_FIELDS = (models.CharField, models.TextField, models.BooleanField, models.IntegerField, models.ForeignKey, models.FileField)


def _json(value):
    return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)


def _uuid_adapter(field, postgres: bool):
    """PostgreSQL takes uuid.UUID as it is; elsewhere Django stores the 32 hex digits."""
    return None if postgres else (lambda v: v.hex)


def _plan(model, with_pk: bool = False) -> list[tuple]:
    """(attname, default, adapter) for each concrete column but the primary key (unless `with_pk`)."""
    ops = connection.ops
    postgres = connection.vendor == "postgresql"
    now = timezone.now()
    plan = []
    for f in model._meta.concrete_fields:
        if f.primary_key and not with_pk:
            continue
        if isinstance(f, models.UUIDField) or (isinstance(f, models.ForeignKey) and isinstance(f.target_field, models.UUIDField)):
            plan.append((f.attname, None if f.primary_key else f.get_default(), _uuid_adapter(f, postgres)))
            continue
        if isinstance(f, models.DateTimeField):
            default = now if (f.auto_now or f.auto_now_add) else f.get_default()
            plan.append((f.attname, default, None if postgres else ops.adapt_datetimefield_value))
        elif isinstance(f, models.DateField):
            plan.append((f.attname, f.get_default(), None if postgres else ops.adapt_datefield_value))
        elif isinstance(f, models.DecimalField):
            plan.append((f.attname, f.get_default(), None if postgres else (lambda v, f=f: ops.adapt_decimalfield_value(v, f.max_digits, f.decimal_places))))
        elif isinstance(f, models.JSONField):
            plan.append((f.attname, f.get_default(), _json))
        elif isinstance(f, _PLAIN_FIELDS):
            plan.append((f.attname, f.get_default(), None))
        else:
            raise TypeError(f"insert_rows cannot adapt {f.__class__.__name__} {model.__name__}.{f.name}")
    return plan


def insert_rows(model, records: list[dict]) -> None:
    """INSERT one row per record (a dict by attname; missing keys take the field's default). The
    primary key is written when the first record gives it."""
    if not records:
        return
    ops = connection.ops
    plan = _plan(model, with_pk=model._meta.pk.attname in records[0])

    def lines(batch):
        for record in batch:
            line = []
            for attname, default, adapt in plan:
                value = record.get(attname, default)
                line.append(adapt(value) if adapt is not None and value is not None else value)
            yield line

    # Identifiers come from the model's meta and are quoted; every value is a parameter.
    table = ops.quote_name(model._meta.db_table)
    columns = ", ".join(ops.quote_name(model._meta.get_field(attname).column) for attname, _default, _adapt in plan)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for line in lines(records):
                    copy.write_row(line)
            return
        sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(plan))})"  # noqa: S608
        for start in range(0, len(records), BATCH_SIZE):
            cursor.executemany(sql, list(lines(records[start : start + BATCH_SIZE])))


def analyze() -> None:
    """Refresh the query planner's statistics of every table after a bulk load (autovacuum would,
    some time later: until then PostgreSQL plans a 500,000-row table as if it were empty)."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


@contextlib.contextmanager
def indexes_deferred(*models, log=None):
    """For a bulk load of millions of rows into tables nobody else uses meanwhile (a generated data
    set in a new database): on PostgreSQL, drop the tables' secondary indexes, unique constraints
    and foreign keys, and rebuild them when the block ends, however it ends. One sorted build per
    index and one validating join per key cost far less than updating every index and checking
    every key row by row. Elsewhere nothing changes. The definitions are PostgreSQL's own
    (pg_get_indexdef, pg_get_constraintdef), so the rebuilt schema is the migrated one."""
    if connection.vendor != "postgresql" or not models:
        yield
        return
    tables = [model._meta.db_table for model in models]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        # Foreign keys first (dropped first, rebuilt last), then unique constraints.
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = ANY(%s::regclass[]) AND contype IN ('f', 'u') ORDER BY contype, conname",
            [tables],
        )
        constraints = cursor.fetchall()
        cursor.execute(
            "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index "
            "WHERE indrelid = ANY(%s::regclass[]) AND NOT indisprimary "
            "AND indexrelid NOT IN (SELECT conindid FROM pg_constraint WHERE contype IN ('p', 'u', 'x')) ORDER BY 1",
            [tables],
        )
        indexes = cursor.fetchall()
        for table, name, _definition in constraints:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {quote(name)}")
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {name}")
    try:
        yield
    finally:
        started = time.monotonic()
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '512MB'")
            for _name, definition in indexes:
                cursor.execute(definition)
            for table, name, definition in reversed(constraints):
                cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {quote(name)} {definition}")
            for table in tables:
                cursor.execute(f"ANALYZE {quote(table)}")
            cursor.execute("RESET maintenance_work_mem")
        if log:
            log(f"rebuilt {len(indexes)} indexes and {len(constraints)} constraints of {len(tables)} tables in {time.monotonic() - started:.1f} s")
