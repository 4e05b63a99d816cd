"""The journal chain under concurrent writers on PostgreSQL: 8 connections × 50 transactions each
must give one linear chain (seq 1..400, no gaps, no forks) that verifies. On SQLite writers are
serialised by the database itself, so this test is PostgreSQL-only by nature."""

import threading
import time

import pytest
from django.db import connection, connections, transaction

from jiandu.core import journal
from jiandu.core.models import JournalEntry, JournalHead

THREADS = 8
PER_THREAD = 50

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL row locking under concurrent connections; SQLite serialises writers itself"),
]


def _writer(number: int, barrier: threading.Barrier, errors: list):
    try:
        barrier.wait()
        for i in range(PER_THREAD):
            with transaction.atomic():
                journal.record("test.concurrency.recorded", target=("test.writer", f"{number}-{i}"), data={"writer": number, "i": i})
    except Exception as exc:  # noqa: BLE001 - reported by the test
        errors.append(f"writer {number}: {type(exc).__name__}: {exc}")
    finally:
        connections.close_all()


def test_concurrent_writers_build_one_linear_chain(transactional_db):
    # Real commits from several connections; conftest lifts the append-only trigger for the flush.
    assert not JournalEntry.objects.exists(), "the journal must start empty"
    barrier = threading.Barrier(THREADS)
    errors: list[str] = []
    threads = [threading.Thread(target=_writer, args=(n, barrier, errors)) for n in range(THREADS)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started

    seqs = list(JournalEntry.objects.order_by("seq").values_list("seq", flat=True))
    expected = THREADS * PER_THREAD
    gaps = len(set(range(1, expected + 1)) - set(seqs))
    result = journal.verify()
    print(
        f"journal concurrency on PostgreSQL: {THREADS} writers × {PER_THREAD} transactions = {len(seqs)}/{expected} entries, "
        f"seq {seqs[0] if seqs else '-'}..{seqs[-1] if seqs else '-'}, {gaps} gaps, {len(errors)} errors, "
        f"verify {'ok' if result.ok else 'BROKEN'} ({result.checked} checked), {expected / elapsed:.0f} entries/s"
    )
    assert errors == []
    assert seqs == list(range(1, expected + 1))
    assert result.ok and result.checked == expected
    assert JournalHead.objects.get(pk=1).seq == expected
    # Each writer's own entries keep its order inside the chain.
    for number in range(THREADS):
        mine = JournalEntry.objects.filter(target_type="test.writer", data__writer=number).order_by("seq")
        assert [e.data["i"] for e in mine] == list(range(PER_THREAD))
