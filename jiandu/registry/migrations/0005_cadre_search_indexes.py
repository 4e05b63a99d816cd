"""Indexes for the cadre search (registry.queries.search_cadres) at a province's size, on
PostgreSQL only (issue 17 §2): the search is `name LIKE '%…%'` or `name_pinyin LIKE '…%'` or
`name_initials LIKE '…%'` or `id_number LIKE '%…'` (ID digits, among the cadres the reader may see
in clear), as Django writes contains / startswith / endswith (`col::text LIKE %s`).

- name and id_number: GIN trigram indexes (pg_trgm; a trusted extension, so the database owner
  may create it). A pattern of three or more characters is answered from the index; CJK
  characters make trigrams in a UTF-8 database.
- name_pinyin and name_initials: btree with varchar_pattern_ops, which answers a LIKE prefix
  whatever the database's collation (the default operator class does so only under "C").

The indexes are not part of the models' state (the SQLite database, for development and the
demo, keeps working without them, slower). The reverse drops them and leaves the extension."""

from django.db import migrations

INDEXES = [
    ("registry_cadre_name_trgm", "USING gin (name gin_trgm_ops)"),
    ("registry_cadre_id_number_trgm", "USING gin (id_number gin_trgm_ops)"),
    ("registry_cadre_pinyin_prefix", "(name_pinyin varchar_pattern_ops)"),
    ("registry_cadre_initials_prefix", "(name_initials varchar_pattern_ops)"),
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, definition in INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON registry_cadre {definition}")
    schema_editor.execute("ANALYZE registry_cadre")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _definition in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0004_relative_emigrated_on"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
