"""Make the journal append-only at the database level: UPDATE and DELETE raise."""

from django.db import migrations

SQLITE = [
    "CREATE TRIGGER journal_no_update BEFORE UPDATE ON core_journalentry BEGIN SELECT RAISE(ABORT, 'journal is append-only'); END;",
    "CREATE TRIGGER journal_no_delete BEFORE DELETE ON core_journalentry BEGIN SELECT RAISE(ABORT, 'journal is append-only'); END;",
]
SQLITE_DROP = ["DROP TRIGGER IF EXISTS journal_no_update;", "DROP TRIGGER IF EXISTS journal_no_delete;"]

POSTGRES = [
    """CREATE OR REPLACE FUNCTION journal_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'journal is append-only'; END; $$ LANGUAGE plpgsql;""",
    "CREATE TRIGGER journal_no_update BEFORE UPDATE OR DELETE ON core_journalentry FOR EACH ROW EXECUTE FUNCTION journal_append_only();",
    "CREATE TRIGGER journal_no_truncate BEFORE TRUNCATE ON core_journalentry FOR EACH STATEMENT EXECUTE FUNCTION journal_append_only();",
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS journal_no_update ON core_journalentry;",
    "DROP TRIGGER IF EXISTS journal_no_truncate ON core_journalentry;",
    "DROP FUNCTION IF EXISTS journal_append_only();",
]


def forwards(apps, schema_editor):
    statements = {"sqlite": SQLITE, "postgresql": POSTGRES}.get(schema_editor.connection.vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    statements = {"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}.get(schema_editor.connection.vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
