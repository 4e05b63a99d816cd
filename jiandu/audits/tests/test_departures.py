"""凡离必审: the registry.departure consumer opens a departure audit and a handover exactly once."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from jiandu.audits.consumers import CONSUMER
from jiandu.audits.models import DepartureAudit, DepartureExemption, Handover
from jiandu.core import events
from jiandu.core.actions import change_setting
from jiandu.core.calendar import add_working_days
from jiandu.core.models import DomainEvent, EventHandling, JournalEntry, LocalSetting
from jiandu.registry import actions as registry_actions
from jiandu.registry import imports
from jiandu.testing import make_user, make_xlsx, system_admin

ENDED = dt.date(2026, 11, 30)


def _depart(d, *, cadre=None, position=None, started=dt.date(2020, 1, 1), ended=ENDED):
    tenure = registry_actions.appoint(actor=d.registrar, cadre=cadre or d.zhang, position=position or d.director, started_on=started)
    return registry_actions.end_tenure(actor=d.registrar, tenure=tenure, ended_on=ended, end_reason="transfer")


def test_a_departure_opens_one_audit_and_one_handover(district):
    tenure = _depart(district)
    assert events.process_pending() == 1
    audit = DepartureAudit.objects.get()
    handover = Handover.objects.get()
    event = DomainEvent.objects.get(kind="registry.departure")
    assert (audit.tenure, audit.cadre, audit.unit, audit.stage) == (tenure, district.zhang, district.finance, "planned")
    assert (audit.period_start, audit.period_end) == (dt.date(2020, 1, 1), ENDED)
    assert (audit.source_event_id, audit.caused_by_id) == (event.pk, district.registrar.pk)
    # 15 working days after 2026-11-30 (a Monday): three full weeks → Monday 2026-12-21.
    assert handover.due_on == add_working_days(ENDED, 15).due == dt.date(2026, 12, 21)
    assert handover.source_event_id == event.pk
    opened = JournalEntry.objects.get(action="audits.departure_audit.opened")
    assert opened.actor_username == f"system:{CONSUMER}" and opened.data["caused_by"] == district.registrar.username
    assert opened.cadre_id == district.zhang.pk
    assert JournalEntry.objects.filter(action="audits.handover.opened", target_id=str(handover.pk)).count() == 1


def test_processing_again_and_a_retry_after_failure_create_nothing_twice(district):
    _depart(district)
    # The handover deadline setting is broken: the handler fails after creating the audit, and
    # nothing it wrote is kept (no audit without its handover).
    LocalSetting.objects.create(key="audits.handover_working_days", value="fifteen")
    assert events.process_pending() == 0
    handling = EventHandling.objects.get(consumer=CONSUMER)
    assert handling.status == EventHandling.Status.FAILED and handling.failures == 1
    assert not DepartureAudit.objects.exists() and not Handover.objects.exists()
    assert not JournalEntry.objects.filter(action__startswith="audits.").exists()

    LocalSetting.objects.filter(key="audits.handover_working_days").delete()
    assert events.process_pending(now=handling.next_attempt_at) == 1
    assert DepartureAudit.objects.count() == 1 and Handover.objects.count() == 1
    # Run again as if the handling were lost: the handler leaves what exists alone.
    EventHandling.objects.filter(pk=handling.pk).update(status=EventHandling.Status.PENDING, next_attempt_at=handling.next_attempt_at)
    assert events.process_pending(now=handling.next_attempt_at) == 1
    assert DepartureAudit.objects.count() == 1 and Handover.objects.count() == 1
    assert JournalEntry.objects.filter(action="audits.departure_audit.opened").count() == 1
    # And the database itself refuses a second audit for the same event.
    audit = DepartureAudit.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        DepartureAudit.objects.create(
            tenure=audit.tenure,
            cadre=audit.cadre,
            unit=audit.unit,
            period_start=audit.period_start,
            period_end=audit.period_end,
            source_event_id=audit.source_event_id,
        )


def test_a_departure_recorded_by_the_tenures_import_also_opens_them(district, tmp_path):
    header = ["身份证号", "姓名", "所在单位", "职务", "任职时间", "任职方式", "代理/主持", "免职时间", "免职原因", "备注"]
    tenure = registry_actions.appoint(actor=district.registrar, cadre=district.zhang, position=district.director, started_on=dt.date(2020, 1, 1))
    rows = [[district.zhang.id_number, "张伟明", "财政局", "局长", dt.date(2020, 1, 1), "", "", ENDED, "调任", ""]]
    path = make_xlsx(tmp_path / "roster.xlsx", rows, header=header)
    assert imports.commit(imports.IMPORTERS["tenures"], actor=district.registrar, path=path, source="roster.xlsx")["ended"] == 1
    assert events.process_pending() == 1
    audit = DepartureAudit.objects.get()
    assert audit.tenure == tenure and Handover.objects.get().tenure == tenure
    imports.commit(imports.IMPORTERS["tenures"], actor=district.registrar, path=path, source="roster.xlsx")  # the same roster again
    events.process_pending()
    assert DepartureAudit.objects.count() == 1 and Handover.objects.count() == 1


def test_with_the_rule_off_nothing_opens_and_the_departure_stays_listed(district, client):
    change_setting(actor=system_admin(), key="audits.every_departure", value=False)
    _depart(district)
    assert events.process_pending() == 1
    assert not DepartureAudit.objects.exists() and not Handover.objects.exists()
    left = JournalEntry.objects.get(action="audits.departure.left_to_plan")
    assert left.data["by_system"] is True and left.cadre_id == district.zhang.pk
    client.force_login(district.auditor)
    page = client.get(reverse("audits:departures"))
    assert page.status_code == 200 and "张伟明" in page.content.decode()


def test_a_deputys_departure_is_not_a_departure_event(district):
    tenure = registry_actions.appoint(actor=district.registrar, cadre=district.li, position=district.deputy, started_on=dt.date(2021, 1, 1))
    registry_actions.end_tenure(actor=district.registrar, tenure=tenure, ended_on=ENDED, end_reason="transfer")
    events.process_pending()
    assert not DepartureAudit.objects.exists()


def test_departures_page_lists_age_and_exemption_needs_a_reason(district, client):
    change_setting(actor=system_admin(), key="audits.every_departure", value=False)
    _depart(district, ended=dt.date.today() - dt.timedelta(days=12))
    events.process_pending()
    event = DomainEvent.objects.get(kind="registry.departure")
    client.force_login(district.auditor)
    body = client.get(reverse("audits:departures")).content.decode()
    assert "<td>12</td>" in body
    journal_before = JournalEntry.objects.count()
    for reason in ("", "   ", "长" * 2001):
        client.post(reverse("audits:departure_exempt", args=[event.pk]), {"reason": reason})
        assert not DepartureExemption.objects.exists()
    assert JournalEntry.objects.count() == journal_before
    response = client.post(reverse("audits:departure_exempt", args=[event.pk]), {"reason": "长" * 2000})
    assert response.status_code == 302
    exemption = DepartureExemption.objects.get()
    assert exemption.requested_by == district.auditor and exemption.status == "requested" and exemption.decided_by is None
    entry = JournalEntry.objects.get(action="audits.departure.exemption_requested")
    assert entry.data["reason"] == "长" * 2000 and entry.cadre_id == district.zhang.pk
    # Not yet effective: still listed, with the request awaiting approval.
    body = client.get(reverse("audits:departures")).content.decode()
    assert "张伟明" in body and "等待领导批准" in body
    client.force_login(district.head)
    client.post(reverse("audits:exemption_decide", args=[exemption.pk]), {"decision": "approve", "note": ""})
    exemption.refresh_from_db()
    assert exemption.status == "approved" and exemption.decided_by == district.head
    assert JournalEntry.objects.get(action="audits.departure.exempted").cadre_id == district.zhang.pk
    client.force_login(district.auditor)
    assert "张伟明" not in client.get(reverse("audits:departures")).content.decode()
    # Exempting again is refused: the event is no longer listed (404).
    assert client.post(reverse("audits:departure_exempt", args=[event.pk]), {"reason": "再次"}).status_code == 404


def test_wrong_unit_and_wrong_role_get_404(district, client):
    change_setting(actor=system_admin(), key="audits.every_departure", value=False)
    _depart(district, cadre=district.wang, position=district.edu_director)
    events.process_pending()
    event = DomainEvent.objects.get(kind="registry.departure")
    exempt = reverse("audits:departure_exempt", args=[event.pk])
    # The finance bureau's auditor does not see the education bureau's departure.
    client.force_login(district.finance_auditor)
    assert "王建国" not in client.get(reverse("audits:departures")).content.decode()
    assert client.post(exempt, {"reason": "理由"}).status_code == 404
    # The organisation officer reads, but may not exempt; a cadre reads nothing.
    client.force_login(district.org_officer)
    assert "王建国" in client.get(reverse("audits:departures")).content.decode()
    assert client.post(exempt, {"reason": "理由"}).status_code == 404
    client.force_login(district.cadre_user)
    for name in ("audits:index", "audits:departures"):
        assert client.get(reverse(name)).status_code == 404
    assert client.post(exempt, {"reason": "理由"}).status_code == 404
    assert not DepartureExemption.objects.exists()
    assert make_user  # builders used above


def test_subjects_list_principals_financial_posts_and_a_year_of_presiding(district, client):
    today = dt.date.today()
    _depart(district)  # 张伟明, principal, past
    registry_actions.appoint(actor=district.registrar, cadre=district.wang, position=district.edu_director, started_on=dt.date(2023, 5, 1))
    acting_year = district.li
    tenure = registry_actions.appoint(
        actor=district.registrar, cadre=acting_year, position=district.deputy, started_on=today.replace(year=today.year - 1), is_acting=True
    )
    events.process_pending()
    client.force_login(district.auditor)
    body = client.get(reverse("audits:index")).content.decode()
    assert "张伟明" in body and "王建国" in body and "李秀英" in body  # presiding exactly one year: counts
    assert "2020-01-01 – 2026-11-30" in body
    # One day short of a year: not a subject.
    tenure.started_on = today.replace(year=today.year - 1) + dt.timedelta(days=1)
    tenure.save(update_fields=["started_on"])
    assert "李秀英" not in client.get(reverse("audits:index")).content.decode()


def test_demo_processes_the_departures(district):
    from types import SimpleNamespace

    from jiandu.audits import demo

    tenure = _depart(district)
    successor = registry_actions.appoint(actor=district.registrar, cadre=district.li, position=district.director, started_on=dt.date(2026, 12, 1))
    logged = []
    demo.load(SimpleNamespace(departures=[tenure], users={"audit": district.auditor, "org_officer": district.org_officer}, log=logged.append))
    handover = Handover.objects.get()
    assert DepartureAudit.objects.get().tenure == tenure
    assert (handover.successor, handover.supervisor) == (successor.cadre, district.org_officer)
    assert handover.items.first().figures == "2项"
    assert logged == ["audits: 1 departure audits and handovers opened from 1 departures"]


def test_departures_handled_in_one_batch_open_each_audit_handover_and_checklist_once(district):
    from jiandu.audits.models import HandoverItem
    from jiandu.core import journal
    from jiandu.core.practice import get_setting

    _depart(district)
    _depart(district, cadre=district.wang, position=district.edu_director, ended=dt.date(2026, 12, 4))
    assert EventHandling.objects.filter(consumer=CONSUMER, status="pending").count() == 2
    assert events.process_pending() == 2  # one batch (core.events gives the consumer both at once)
    audits = {a.cadre: a for a in DepartureAudit.objects.all()}
    handovers = {h.cadre: h for h in Handover.objects.all()}
    assert set(audits) == set(handovers) == {district.zhang, district.wang}
    # Friday 2026-12-04 + 15 working days: Friday 2026-12-25.
    assert handovers[district.wang].due_on == add_working_days(dt.date(2026, 12, 4), 15).due == dt.date(2026, 12, 25)
    checklist = [str(t) for t in get_setting("audits.handover_checklist")]
    for handover in handovers.values():
        assert list(HandoverItem.objects.filter(handover=handover).values_list("title", flat=True)) == checklist
    for cadre, audit in audits.items():
        entry = JournalEntry.objects.get(action="audits.departure_audit.opened", target_id=str(audit.pk))
        assert entry.cadre_id == cadre.pk and entry.target_type == "audits.departureaudit" and entry.unit_id == audit.unit_id
        handover_entry = JournalEntry.objects.get(action="audits.handover.opened", target_id=str(handovers[cadre].pk))
        assert handover_entry.data["due_on"] == handovers[cadre].due_on.isoformat() and "工作日" in handover_entry.data["deadline"]
    assert journal.verify().ok
    # Lost handlings run again: nothing twice.
    EventHandling.objects.filter(consumer=CONSUMER).update(status=EventHandling.Status.PENDING, next_attempt_at=dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
    assert events.process_pending() == 2
    assert DepartureAudit.objects.count() == 2 == Handover.objects.count() and HandoverItem.objects.count() == 2 * len(checklist)
    assert JournalEntry.objects.filter(action__in=["audits.departure_audit.opened", "audits.handover.opened"]).count() == 4
