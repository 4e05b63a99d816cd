"""Two workers on PostgreSQL open each departure's audit and handover exactly once."""

import datetime as dt
import threading

import pytest
from django.db import connection, connections

from jiandu.audits.consumers import CONSUMER
from jiandu.audits.models import DepartureAudit, Handover, HandoverItem
from jiandu.core import events
from jiandu.core.models import EventHandling, JournalEntry
from jiandu.registry import actions as registry_actions
from jiandu.testing import make_cadre, make_position, make_unit, registrar

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent workers on PostgreSQL row locks; SQLite serialises writers itself"),
    pytest.mark.django_db(transaction=True),
]


def test_two_workers_open_each_departure_once():
    actor = registrar()
    unit = make_unit(name="财政局")
    tenures = []
    for n in range(20):
        position = make_position(unit=unit, title=f"岗位{n}", has_financial_authority=True)
        tenure = registry_actions.appoint(actor=actor, cadre=make_cadre(unit=unit), position=position, started_on=dt.date(2020, 1, 1))
        tenures.append(registry_actions.end_tenure(actor=actor, tenure=tenure, ended_on=dt.date(2026, 11, 30), end_reason="transfer"))
    barrier = threading.Barrier(2)
    errors, handled = [], []

    def work():
        try:
            barrier.wait()
            handled.append(events.process_pending())
        except Exception as exc:  # noqa: BLE001 - reported by the test
            errors.append(f"{type(exc).__name__}: {exc}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not errors, errors
    assert sum(handled) == 20
    assert DepartureAudit.objects.count() == 20 and Handover.objects.count() == 20
    assert sorted(DepartureAudit.objects.values_list("tenure_id", flat=True)) == sorted(t.pk for t in tenures)
    assert HandoverItem.objects.count() == 20 * 12
    assert EventHandling.objects.filter(consumer=CONSUMER, status=EventHandling.Status.DONE).count() == 20
    assert JournalEntry.objects.filter(action="audits.departure_audit.opened").count() == 20
