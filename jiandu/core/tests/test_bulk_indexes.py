"""core.bulk.indexes_deferred: a bulk load's tables lose their secondary indexes, unique constraints
and foreign keys for the load and get exactly the migrated ones back, also when the load fails."""

import pytest
from django.db import connection

from jiandu.ballots.models import Answer, Receipt
from jiandu.core import bulk

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the indexes are dropped and rebuilt on PostgreSQL only; elsewhere nothing changes"),
]
TABLES = [Answer._meta.db_table, Receipt._meta.db_table]


def schema() -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) ORDER BY 1", [TABLES])
        indexes = cursor.fetchall()
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = ANY(%s::regclass[]) ORDER BY 1, 2",
            [TABLES],
        )
        return indexes + cursor.fetchall()


def test_the_tables_have_only_their_primary_keys_during_the_load_and_everything_back_after():
    migrated = schema()
    assert sum(1 for row in migrated if len(row) == 3 and "FOREIGN KEY" in row[2]) == 6  # answer: 5, receipt: 1
    with bulk.indexes_deferred(Answer, Receipt):
        during = schema()
        assert [row[0] for row in during if len(row) == 2] == ["ballots_answer_pkey", "ballots_receipt_pkey"]
        assert all("PRIMARY KEY" in row[2] for row in during if len(row) == 3)
    assert schema() == migrated


def test_a_failed_load_still_gets_its_indexes_back():
    migrated = schema()
    with pytest.raises(RuntimeError), bulk.indexes_deferred(Answer, Receipt):
        assert schema() != migrated
        raise RuntimeError("the load failed half-way")
    assert schema() == migrated
