"""Issue #13 "Done when", walked through the actions as the audit office would: a bureau
director's tenure ends and the departure audit and handover are already open; the audit goes
through notice, comments and the final report with two findings; rectification is tracked to
closing with one item overdue on the way (the early warning raised and closed); the three-party
handover is completed; a risk-ranked in-term plan is approved; and all of it is in the cadre's
history (the dossier's timeline)."""

import datetime as dt

from jiandu.audits import actions
from jiandu.audits.models import DepartureAudit, Handover, RectificationItem
from jiandu.core import events, timeline
from jiandu.core.calendar import add_working_days
from jiandu.dossier.actions import scan_alerts
from jiandu.dossier.models import Alert
from jiandu.registry import actions as registry_actions
from jiandu.testing import make_cadre, make_user

LEFT = dt.date(2026, 6, 30)
SERVED = dt.date(2026, 7, 6)
FIELDWORK = add_working_days(SERVED, 3).due
SENT = dt.date(2026, 7, 20)


def test_issue_13_done_when(district):
    from jiandu.accounts.models import Role

    d = district
    tenure = registry_actions.appoint(actor=d.registrar, cadre=d.zhang, position=d.director, started_on=dt.date(2019, 3, 1))
    registry_actions.end_tenure(actor=d.registrar, tenure=tenure, ended_on=LEFT, end_reason="transfer")
    assert events.process_pending() == 1  # the worker: 凡离必审
    audit = DepartureAudit.objects.get(cadre=d.zhang, kind=DepartureAudit.Kind.DEPARTURE)
    handover = Handover.objects.get(cadre=d.zhang)
    assert (audit.stage, handover.status) == ("planned", "open")

    actions.serve_notice(actor=d.auditor, audit=audit, served_on=SERVED, fieldwork_starts_on=FIELDWORK)
    actions.start_fieldwork(actor=d.auditor, audit=audit, started_on=FIELDWORK)
    audit = actions.send_draft_report(actor=d.auditor, audit=audit, sent_on=SENT)
    actions.record_comments(actor=d.auditor, audit=audit, received_on=audit.comments_due_on, comments="对第二项问题的金额有不同意见")
    issued = audit.comments_due_on + dt.timedelta(days=3)
    audit = actions.issue_final_report(actor=d.auditor, audit=audit, issued_on=issued, grade="fairly_good", conclusion="总体较好")
    first = actions.add_finding(
        actor=d.auditor,
        audit=audit,
        category="financial_rules",
        amount="125000.50",
        responsibility="leadership",
        description="专项资金未按规定用途使用",
        owner=d.li,
    )
    second = actions.add_finding(
        actor=d.auditor, audit=audit, category="state_assets", amount=0, responsibility="direct", description="固定资产未入账", owner_name="财政局办公室主任"
    )
    items = list(RectificationItem.objects.filter(finding__audit=audit).order_by("finding_id"))
    assert len(items) == 2 and all(i.due_on == issued + dt.timedelta(days=60) for i in items)

    # The first item is closed in time; the second goes overdue on the way: the early warning is
    # raised the day after its deadline (not on the deadline itself) and closes with the item.
    on_time, late = items
    actions.record_progress(actor=d.auditor, item=on_time, progress="已整改到位，附凭证", on=on_time.due_on - dt.timedelta(days=5))
    actions.close_item(actor=d.auditor, item=on_time, note="核实无误，予以销号", on=on_time.due_on - dt.timedelta(days=5))
    scan_alerts(actor=None, today=late.due_on)
    assert not Alert.objects.filter(rule="audits.finding_rectification_overdue", closed_at__isnull=True).exists()
    scan_alerts(actor=None, today=late.due_on + dt.timedelta(days=1))
    assert Alert.objects.filter(rule="audits.finding_rectification_overdue", closed_at__isnull=True).count() == 1
    actions.record_progress(actor=d.auditor, item=late, progress="逾期后整改到位", on=late.due_on + dt.timedelta(days=4))
    actions.close_item(actor=d.auditor, item=late, note="核实无误，予以销号", on=late.due_on + dt.timedelta(days=4))
    audit.refresh_from_db()
    assert audit.stage == "closed"
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == second.status == "verified"
    scan_alerts(actor=None, today=late.due_on + dt.timedelta(days=5))
    assert not Alert.objects.filter(rule="audits.finding_rectification_overdue", closed_at__isnull=True).exists()

    # The three-party handover.
    successor = make_cadre(unit=d.finance, name="赵接任")
    leaver_user = make_user(role=Role.CADRE, cadre=d.zhang)
    successor_user = make_user(role=Role.CADRE, cadre=successor)
    supervisor = make_user(role=Role.ORG_OFFICER, full_name="监交人")
    actions.set_handover_parties(actor=d.auditor, handover=handover, successor=successor, supervisor=supervisor)
    actions.sign_handover(actor=leaver_user, handover=handover, party="leaver")
    actions.sign_handover(actor=successor_user, handover=handover, party="successor")
    actions.sign_handover(actor=supervisor, handover=handover, party="supervisor")
    handover.refresh_from_db()
    assert handover.status == "completed"

    # A risk-ranked in-term plan, approved by the head, starts its audits.
    registry_actions.appoint(actor=d.registrar, cadre=d.wang, position=d.edu_director, started_on=dt.date(2018, 1, 1))
    plan = actions.draft_plan(actor=d.auditor, year=2027)
    entry = actions.add_plan_entry(actor=d.auditor, plan=plan, tenure=d.wang.tenures.get(), reason="任职时间长", on=dt.date(2026, 12, 1))
    assert entry.score > 0 and entry.parts
    actions.approve_plan(actor=d.head, plan=plan, on=dt.date(2026, 12, 1))
    assert DepartureAudit.objects.filter(cadre=d.wang, kind=DepartureAudit.Kind.IN_TERM).count() == 1

    # All of it in the cadre's history.
    history = timeline.collect(d.org_officer, d.zhang, only="audits").entries
    kinds = {str(e.kind) for e in history}
    assert {"离任审计", "离任交接"} <= kinds, kinds
    assert any(str(audit.pk) in e.key for e in history if e.key.startswith("audit:"))
    assert any(e.key.startswith("handover:") and ("completed" in e.summary.lower() or "完成" in e.summary) for e in history)
    owner_history = timeline.collect(d.org_officer, d.li, only="audits").entries
    assert any("专项资金" in f"{e.title}{e.summary}" for e in owner_history)  # the item the owner answered for
