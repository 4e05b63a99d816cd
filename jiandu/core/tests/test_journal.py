import contextlib

import pytest
from django.db import IntegrityError, InternalError, OperationalError, ProgrammingError, connection, transaction

from jiandu.core import journal
from jiandu.core.models import JournalEntry

pytestmark = pytest.mark.django_db(transaction=False)


def _write(n=5):
    with transaction.atomic():
        for i in range(n):
            journal.record("test.thing.done", target=("test.thing", i), data={"i": i})


@contextlib.contextmanager
def triggers_disabled():
    """Simulate a database administrator bypassing the application (tampering)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER journal_no_update")
            cursor.execute("DROP TRIGGER journal_no_delete")
        else:
            cursor.execute("ALTER TABLE core_journalentry DISABLE TRIGGER USER")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("CREATE TRIGGER journal_no_update BEFORE UPDATE ON core_journalentry BEGIN SELECT RAISE(ABORT, 'journal is append-only'); END;")
                cursor.execute("CREATE TRIGGER journal_no_delete BEFORE DELETE ON core_journalentry BEGIN SELECT RAISE(ABORT, 'journal is append-only'); END;")
            else:
                cursor.execute("ALTER TABLE core_journalentry ENABLE TRIGGER USER")


def test_chain_verifies():
    _write()
    result = journal.verify()
    assert result.ok and result.checked == 5


def test_application_cannot_update_or_delete():
    _write(2)
    entry = JournalEntry.objects.first()
    entry.action = "forged"
    with pytest.raises((IntegrityError, InternalError, OperationalError, ProgrammingError)), transaction.atomic():
        entry.save()
    with pytest.raises((IntegrityError, InternalError, OperationalError, ProgrammingError)), transaction.atomic():
        JournalEntry.objects.filter(pk=entry.pk).delete()
    assert journal.verify().ok


def _tamper(sql, params=()):
    with triggers_disabled(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_detects_modification():
    _write()
    _tamper("UPDATE core_journalentry SET data = %s WHERE seq = 3", ['{"i": 99}'])
    result = journal.verify()
    assert not result.ok and result.first_broken_seq == 3


def test_detects_deletion():
    _write()
    _tamper("DELETE FROM core_journalentry WHERE seq = 2")
    result = journal.verify()
    assert not result.ok and result.first_broken_seq == 2


def test_detects_insertion():
    _write()
    e = JournalEntry.objects.get(seq=3)
    _tamper(
        "INSERT INTO core_journalentry (seq, at, actor_username, role, ip, request_id, action, target_type, target_id, unit_path, outcome, data, algorithm, prev_hash, hash)"
        " VALUES (%s, %s, '', '', '', '', 'forged', '', '', '', 'ok', '{}', %s, %s, %s)",
        [0, e.at, e.algorithm, e.prev_hash, e.hash],
    )
    result = journal.verify()
    assert not result.ok


def test_detects_reordering():
    _write()
    _tamper("UPDATE core_journalentry SET seq = -1 WHERE seq = 2")
    _tamper("UPDATE core_journalentry SET seq = 2 WHERE seq = 3")
    _tamper("UPDATE core_journalentry SET seq = 3 WHERE seq = -1")
    result = journal.verify()
    assert not result.ok and result.first_broken_seq == 2


def test_detects_truncation():
    _write()
    _tamper("DELETE FROM core_journalentry WHERE seq >= 4")
    result = journal.verify()
    assert not result.ok and (result.first_broken_seq, result.kind) == (4, "truncated")


def test_journal_refuses_forbidden_keys():
    with pytest.raises(ValueError):
        journal.record("test.bad", data={"password": "x"})
    with pytest.raises(ValueError):
        journal.record("test.bad", data={"nested": [{"id_number": "x"}]})


def test_failed_journal_write_rolls_back_the_change():
    from jiandu.core.models import LocalSetting

    with pytest.raises(ValueError), transaction.atomic():
        LocalSetting.objects.create(key="x", value=1)
        journal.record("test.bad", data={"secret": 1})
    assert not LocalSetting.objects.filter(key="x").exists()
