"""Final reports and appeal decisions issued at the same moment on PostgreSQL draw distinct
document numbers (core.documents counter, taken inside the issuing action's transaction)."""

import datetime as dt
import threading

import pytest
from django.db import connection, connections

from jiandu.audits import actions
from jiandu.audits.models import AuditAppeal, DepartureAudit
from jiandu.registry import actions as registry_actions
from jiandu.testing import make_cadre, make_position

from .test_appeals import FIELDWORK, ISSUED, RECEIVED, SENT, SERVED

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent issuers on PostgreSQL row locks; SQLite serialises writers itself"),
    pytest.mark.django_db(transaction=True),
]
WORKERS = 4


def _draft(d, n) -> DepartureAudit:
    position = make_position(unit=d.finance, title=f"岗位{n}", has_financial_authority=True)
    tenure = registry_actions.appoint(actor=d.registrar, cadre=make_cadre(unit=d.finance), position=position, started_on=dt.date(2020, 1, 1))
    audit = actions.start_in_term_audit(actor=d.auditor, tenure=tenure, reason="测试", on=SERVED - dt.timedelta(days=10))
    actions.serve_notice(actor=d.auditor, audit=audit, served_on=SERVED, fieldwork_starts_on=FIELDWORK)
    actions.start_fieldwork(actor=d.auditor, audit=audit, started_on=FIELDWORK)
    return actions.send_draft_report(actor=d.auditor, audit=audit, sent_on=SENT)


def _in_parallel(calls):
    barrier = threading.Barrier(len(calls))
    errors = []

    def run(call):
        try:
            barrier.wait()
            call()
        except Exception as exc:  # noqa: BLE001 - reported by the test
            errors.append(f"{type(exc).__name__}: {exc}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    return errors


def test_reports_and_decisions_issued_together_get_distinct_numbers(district):
    audits = [_draft(district, n) for n in range(WORKERS)]

    def issue(audit):
        return lambda: actions.issue_final_report(actor=district.auditor, audit=audit, issued_on=ISSUED, grade="good", conclusion="好")

    assert _in_parallel([issue(a) for a in audits]) == []
    numbers = sorted(DepartureAudit.objects.values_list("report_number", flat=True))
    assert numbers == sorted(f"审经责报〔{ISSUED.year}〕{n}号" for n in range(1, WORKERS + 1))

    appeals = [
        actions.apply_for_appeal(actor=district.auditor, audit=a, level="review", received_on=RECEIVED, applied_on=RECEIVED, grounds="不服")
        for a in DepartureAudit.objects.all()
    ]

    def decide(appeal):
        return lambda: actions.decide_appeal(actor=district.auditor, appeal=appeal, decided_on=RECEIVED + dt.timedelta(days=3), outcome="upheld", note="")

    assert _in_parallel([decide(a) for a in appeals]) == []
    year = (RECEIVED + dt.timedelta(days=3)).year
    assert sorted(AuditAppeal.objects.values_list("decision_number", flat=True)) == sorted(f"审复查决〔{year}〕{n}号" for n in range(1, WORKERS + 1))
