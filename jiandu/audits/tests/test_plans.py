"""Exemptions approved by the head, in-term audits started directly, the risk score and the
yearly audit plan (issue #13 parts 2 and 3)."""

import datetime as dt

import pytest
from django.urls import reverse

from jiandu.accounts.models import Role
from jiandu.audits import actions, queries, risk
from jiandu.audits.models import AuditPlan, AuditPlanEntry, DepartureAudit, DepartureExemption
from jiandu.core import events
from jiandu.core.actions import change_setting
from jiandu.core.errors import ActionError
from jiandu.core.models import DomainEvent, JournalEntry
from jiandu.registry import actions as registry_actions
from jiandu.testing import api_client, grant_role, system_admin

ON = dt.date(2026, 12, 1)


def _serving(d, cadre=None, position=None, started_on=dt.date(2020, 12, 1)):
    return registry_actions.appoint(actor=d.registrar, cadre=cadre or d.zhang, position=position or d.director, started_on=started_on)


def _departure_event(d):
    change_setting(actor=system_admin(), key="audits.every_departure", value=False)
    tenure = _serving(d, cadre=d.wang, position=d.edu_director)
    registry_actions.end_tenure(actor=d.registrar, tenure=tenure, ended_on=dt.date(2026, 11, 30), end_reason="transfer")
    events.process_pending()
    return DomainEvent.objects.get(kind="registry.departure")


# --- exemptions --------------------------------------------------------------------------------


def test_exemption_is_not_effective_before_the_heads_approval(district):
    event = _departure_event(district)
    exemption = actions.request_exemption(actor=district.auditor, event=event, reason="调往市级机关，由市审计局审计")
    assert exemption.status == DepartureExemption.Status.REQUESTED
    assert list(queries.open_departures_visible_to(district.auditor)) == [event]
    assert list(queries.pending_exemptions_for_approver(district.head)) == [exemption]
    # A second request while one awaits approval is refused.
    with pytest.raises(ActionError, match="等待审批|awaiting approval"):
        actions.request_exemption(actor=district.auditor, event=event, reason="再次")
    # The auditor has no right to approve; the finance-only head does not cover education.
    finance_head = grant_role(district.finance_auditor, Role.ORG_HEAD, district.finance)
    for who in (district.auditor, finance_head):
        with pytest.raises(Exception) as caught:
            actions.decide_exemption(actor=who, exemption=exemption, approve=True)
        assert caught.type.__name__ == "NotVisible"
    # A rejection needs a note; nothing changes without one.
    with pytest.raises(ActionError):
        actions.decide_exemption(actor=district.head, exemption=exemption, approve=False, note="  ")
    exemption.refresh_from_db()
    assert exemption.status == DepartureExemption.Status.REQUESTED and not JournalEntry.objects.filter(action="audits.departure.exemption_rejected").exists()

    actions.decide_exemption(actor=district.head, exemption=exemption, approve=False, note="应按规定审计")
    exemption.refresh_from_db()
    assert exemption.status == DepartureExemption.Status.REJECTED and exemption.decided_by == district.head
    assert JournalEntry.objects.get(action="audits.departure.exemption_rejected").data["note"] == "应按规定审计"
    assert list(queries.open_departures_visible_to(district.auditor)) == [event]  # still to be audited
    # Deciding twice is refused; after a rejection a new request may be made and approved.
    with pytest.raises(ActionError):
        actions.decide_exemption(actor=district.head, exemption=exemption, approve=True)
    second = actions.request_exemption(actor=district.auditor, event=event, reason="补充材料：已由市审计局立项")
    actions.decide_exemption(actor=district.education_head, exemption=second, approve=True)
    assert not queries.open_departures_visible_to(district.auditor).exists()
    assert JournalEntry.objects.get(action="audits.departure.exempted").actor_id == district.education_head.pk
    with pytest.raises(ActionError, match="已免于|already exempted"):
        actions.request_exemption(actor=district.auditor, event=event, reason="第三次")


def test_whoever_asked_cannot_approve_the_exemption(district):
    event = _departure_event(district)
    both = grant_role(district.auditor, Role.ORG_HEAD)
    exemption = actions.request_exemption(actor=both, event=event, reason="理由")
    with pytest.raises(ActionError, match="申请人|Whoever asked"):
        actions.decide_exemption(actor=both, exemption=exemption, approve=True)
    assert DepartureExemption.objects.get().status == DepartureExemption.Status.REQUESTED


def test_exemption_pages_request_and_decide(district, client):
    event = _departure_event(district)
    client.force_login(district.auditor)
    client.post(reverse("audits:departure_exempt", args=[event.pk]), {"reason": "理由\x00"})
    assert not DepartureExemption.objects.exists()  # NUL refused by the form, no server error
    client.post(reverse("audits:departure_exempt", args=[event.pk]), {"reason": "调往市级机关"})
    exemption = DepartureExemption.objects.get()
    decide = reverse("audits:exemption_decide", args=[exemption.pk])
    assert client.post(decide, {"decision": "approve"}).status_code == 404  # the auditor may not decide
    client.force_login(district.org_officer)
    assert client.post(decide, {"decision": "approve"}).status_code == 404
    client.force_login(district.head)
    body = client.get(reverse("audits:departures")).content.decode()
    assert "调往市级机关" in body and decide in body
    client.post(decide, {"decision": "reject", "note": ""})  # a rejection needs a note
    assert DepartureExemption.objects.get().status == "requested"
    client.post(decide, {"decision": "maybe", "note": "x"})
    assert DepartureExemption.objects.get().status == "requested"
    client.post(decide, {"decision": "approve", "note": "同意"})
    assert DepartureExemption.objects.get().status == "approved"


# --- in-term audits ----------------------------------------------------------------------------


def test_direct_start_of_an_in_term_audit(district):
    tenure = _serving(district)
    with pytest.raises(ActionError):
        actions.start_in_term_audit(actor=district.auditor, tenure=tenure, reason=" ")
    for day in (dt.date(2020, 11, 30), dt.date.today() + dt.timedelta(days=1)):  # before the post; tomorrow
        with pytest.raises(ActionError, match="任职之日|before the post"):
            actions.start_in_term_audit(actor=district.auditor, tenure=tenure, reason="理由", on=day)
    audit = actions.start_in_term_audit(actor=district.auditor, tenure=tenure, reason="财政资金管理风险较高", on=ON)
    assert (audit.kind, audit.period_start, audit.period_end, audit.stage) == ("in_term", dt.date(2020, 12, 1), ON, "planned")
    assert audit.source_event_id is None and audit.started_by == district.auditor
    entry = JournalEntry.objects.get(action="audits.in_term_audit.started")
    assert entry.cadre_id == district.zhang.pk and entry.data["reason"] == "财政资金管理风险较高"
    # While it runs, a second in-term audit of the same tenure is refused.
    with pytest.raises(ActionError, match="正在进行|already under way"):
        actions.start_in_term_audit(actor=district.auditor, tenure=tenure, reason="再次", on=ON)
    # The education bureau's auditor may not audit the finance bureau; an org officer may not start.
    with pytest.raises(Exception) as caught:
        actions.start_in_term_audit(actor=district.org_officer, tenure=tenure, reason="理由", on=ON)
    assert caught.type.__name__ == "NotVisible"
    assert DepartureAudit.objects.count() == 1


def test_in_term_audit_refused_for_ended_tenures_and_non_subjects(district):
    deputy_tenure = _serving(district, cadre=district.li, position=district.deputy)
    with pytest.raises(ActionError, match="不属于审计对象|not an audit subject"):
        actions.start_in_term_audit(actor=district.auditor, tenure=deputy_tenure, reason="理由", on=ON)
    change_setting(actor=system_admin(), key="audits.every_departure", value=False)
    tenure = _serving(district)
    registry_actions.end_tenure(actor=district.registrar, tenure=tenure, ended_on=dt.date(2026, 11, 30), end_reason="transfer")
    tenure.refresh_from_db()
    with pytest.raises(ActionError, match="离任审计|departure audit"):
        actions.start_in_term_audit(actor=district.auditor, tenure=tenure, reason="理由", on=ON)
    assert not DepartureAudit.objects.exists() and not JournalEntry.objects.filter(action="audits.in_term_audit.started").exists()


def test_in_term_pages_and_api(district, client):
    tenure = _serving(district)
    client.force_login(district.auditor)
    body = client.get(reverse("audits:candidates")).content.decode()
    assert "张伟明" in body and "合计" in body
    client.post(reverse("audits:start_in_term"), {"tenure": tenure.pk, "reason": "长" * 2001})
    client.post(reverse("audits:start_in_term"), {"tenure": "x", "reason": "理由"})
    assert not DepartureAudit.objects.exists()
    response = client.post(reverse("audits:start_in_term"), {"tenure": tenure.pk, "reason": "专项检查发现问题"})
    audit = DepartureAudit.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("audits:audit_detail", args=[audit.pk])
    page = client.get(response["Location"]).content.decode()
    assert "任中审计" in page and "专项检查发现问题" in page
    assert "张伟明" in client.get(reverse("audits:audits") + "?kind=in_term").content.decode()
    # Wrong unit and wrong role.
    client.force_login(district.cadre_user)
    for name in ("audits:candidates", "audits:audits", "audits:plans"):
        assert client.get(reverse(name)).status_code == 404
    client.force_login(district.org_officer)
    assert client.post(reverse("audits:start_in_term"), {"tenure": tenure.pk, "reason": "理由"}).status_code == 404
    client.force_login(district.finance_auditor)
    other = _serving(district, cadre=district.wang, position=district.edu_director)
    client.post(reverse("audits:start_in_term"), {"tenure": other.pk, "reason": "理由"})
    assert DepartureAudit.objects.count() == 1

    auditor = api_client(district.auditor)
    assert auditor.post("/api/v1/audits/audits", {"tenure_id": other.pk, "reason": ""}, content_type="application/json").status_code in (400, 422)
    made = auditor.post("/api/v1/audits/audits", {"tenure_id": other.pk, "reason": "年度重点"}, content_type="application/json")
    assert made.status_code == 201 and made.json()["kind"] == "in_term" and made.json()["reason"] == "年度重点"
    assert api_client(district.finance_auditor).get("/api/v1/audits/audits").json()["count"] == 1
    assert (
        api_client(district.org_officer).post("/api/v1/audits/audits", {"tenure_id": other.pk, "reason": "x"}, content_type="application/json").status_code
        == 404
    )
    assert api_client(district.cadre_user).get("/api/v1/audits/audits").status_code == 404


# --- the risk score ----------------------------------------------------------------------------


def test_risk_score_full_years_at_the_anniversary(district):
    tenure = _serving(district, started_on=dt.date(2020, 12, 1))
    day_before = risk.score(tenure, dt.date(2026, 11, 30))
    on_the_day = risk.score(tenure, dt.date(2026, 12, 1))
    # 5 full years the day before the anniversary, 6 on it; never audited; financial authority.
    assert day_before.stored() == [
        {"key": "years_in_post", "count": 5, "weight": 2, "points": 10},
        {"key": "never_audited", "count": 5, "weight": 3, "points": 15},
        {"key": "financial_authority", "count": None, "weight": 5, "points": 5},
    ]
    assert (day_before.total, on_the_day.total) == (30, 6 * 2 + 6 * 3 + 5)
    assert on_the_day.explain() == "任职年限：6 × 2 = 12分；任职以来从未审计的年数：6 × 3 = 18分；有财务审批权的岗位：5分；合计35分"
    # An audit covering up to 2024-06-30 counts the years since its period's end.
    actions.start_in_term_audit(actor=district.auditor, tenure=tenure, reason="理由", on=dt.date(2024, 6, 30))
    since = risk.score(tenure, dt.date(2026, 12, 1))
    assert since.stored()[1] == {"key": "years_since_audit", "count": 2, "weight": 3, "points": 6}
    # The weights are settings.
    change_setting(actor=system_admin(), key="audits.risk_points_financial_authority", value=9)
    assert risk.score(tenure, dt.date(2026, 12, 1)).stored()[2]["points"] == 9


def test_candidates_are_serving_subjects_ranked_by_score(district):
    _serving(district, started_on=dt.date(2018, 1, 1))  # finance director: 8 years + financial authority
    _serving(district, cadre=district.wang, position=district.edu_director, started_on=dt.date(2024, 1, 1))
    _serving(district, cadre=district.li, position=district.deputy)  # a deputy: not a subject
    rows = queries.risk_candidates(district.auditor, on=ON)
    assert [t.cadre.name for t in rows] == ["张伟明", "王建国"]
    assert rows[0].risk.total == 8 * 2 + 8 * 3 + 5 and rows[1].risk.total == 2 * 2 + 2 * 3
    assert [t.cadre.name for t in queries.risk_candidates(district.finance_auditor, on=ON)] == ["张伟明"]


# --- the yearly plan ---------------------------------------------------------------------------


def test_plan_drafted_ranked_and_approved_starts_the_audits(district):
    zhang = _serving(district, started_on=dt.date(2018, 1, 1))
    wang = _serving(district, cadre=district.wang, position=district.edu_director, started_on=dt.date(2024, 1, 1))
    plan = actions.draft_plan(actor=district.auditor, year=2027)
    with pytest.raises(ActionError):
        actions.draft_plan(actor=district.auditor, year=2027)
    with pytest.raises(ActionError, match="还没有审计对象|no subjects"):
        actions.approve_plan(actor=district.head, plan=plan)
    entry = actions.add_plan_entry(actor=district.auditor, plan=plan, tenure=zhang, reason="管理资金量大", on=ON)
    assert entry.score == 45 and entry.parts[0] == {"key": "years_in_post", "count": 8, "weight": 2, "points": 16}
    assert "合计45分" in JournalEntry.objects.get(action="audits.plan.entry_added").data["computation"]
    with pytest.raises(ActionError, match="已在计划|already in the plan"):
        actions.add_plan_entry(actor=district.auditor, plan=plan, tenure=zhang, on=ON)
    actions.add_plan_entry(actor=district.auditor, plan=plan, tenure=wang, on=ON)
    removed = plan.entries.get(tenure=wang)
    actions.remove_plan_entry(actor=district.auditor, plan=plan, entry_id=removed.pk)
    actions.add_plan_entry(actor=district.auditor, plan=plan, tenure=wang, on=ON)
    assert [e.cadre.name for e in plan.entries.all()] == ["张伟明", "王建国"]  # by score

    # The drafter cannot approve; nor can an auditor without audits.approve.
    drafter_head = grant_role(district.auditor, Role.ORG_HEAD)
    with pytest.raises(ActionError, match="起草人|drafted the plan"):
        actions.approve_plan(actor=drafter_head, plan=plan)
    with pytest.raises(Exception) as caught:
        actions.approve_plan(actor=district.finance_auditor, plan=plan)
    assert caught.type.__name__ == "NotVisible"
    assert not DepartureAudit.objects.exists()

    actions.approve_plan(actor=district.head, plan=plan, on=ON)
    plan.refresh_from_db()
    assert plan.status == "approved" and plan.approved_by == district.head and plan.approved_on == ON
    audits = DepartureAudit.objects.filter(kind="in_term").order_by("cadre__name")
    assert audits.count() == 2 and all(a.period_end == ON for a in audits)
    assert set(AuditPlanEntry.objects.values_list("audit__cadre__name", flat=True)) == {"张伟明", "王建国"}
    assert JournalEntry.objects.filter(action="audits.in_term_audit.started").count() == 2
    assert JournalEntry.objects.filter(action="audits.plan.approved").count() == 1
    # Approved: no more changes.
    with pytest.raises(ActionError):
        actions.remove_plan_entry(actor=district.auditor, plan=plan, entry_id=removed.pk)
    with pytest.raises(ActionError):
        actions.approve_plan(actor=district.head, plan=plan)


def test_plan_with_a_subject_who_left_is_not_approved_and_nothing_is_started(district):
    change_setting(actor=system_admin(), key="audits.every_departure", value=False)
    zhang = _serving(district, started_on=dt.date(2018, 1, 1))
    wang = _serving(district, cadre=district.wang, position=district.edu_director, started_on=dt.date(2024, 1, 1))
    plan = actions.draft_plan(actor=district.auditor, year=2027)
    actions.add_plan_entry(actor=district.auditor, plan=plan, tenure=zhang, on=ON)
    actions.add_plan_entry(actor=district.auditor, plan=plan, tenure=wang, on=ON)
    registry_actions.end_tenure(actor=district.registrar, tenure=wang, ended_on=dt.date(2026, 11, 30), end_reason="transfer")
    with pytest.raises(ActionError, match="王建国"):
        actions.approve_plan(actor=district.head, plan=plan, on=ON)
    plan.refresh_from_db()
    assert plan.status == "draft" and not DepartureAudit.objects.exists()
    assert not JournalEntry.objects.filter(action__in=["audits.plan.approved", "audits.in_term_audit.started"]).exists()
    with pytest.raises(ActionError):  # an ended tenure cannot be put in
        actions.add_plan_entry(actor=district.auditor, plan=actions.draft_plan(actor=district.auditor, year=2028), tenure=wang, on=ON)


def test_plan_pages_and_api(district, client):
    zhang = _serving(district, started_on=dt.date(2018, 1, 1))
    client.force_login(district.auditor)
    client.post(reverse("audits:plan_draft"), {"year": "１９"})
    client.post(reverse("audits:plan_draft"), {"year": "1999"})
    assert not AuditPlan.objects.exists()
    response = client.post(reverse("audits:plan_draft"), {"year": "2027"})
    plan = AuditPlan.objects.get()
    assert response["Location"] == reverse("audits:plan_detail", args=[plan.pk])
    assert "列入2027年度计划" in client.get(reverse("audits:candidates")).content.decode()
    client.post(reverse("audits:plan_add", args=[plan.pk]), {"tenure": zhang.pk, "reason": "重点\x00"})
    assert not plan.entries.exists()
    client.post(reverse("audits:plan_add", args=[plan.pk]), {"tenure": zhang.pk, "reason": "重点"})
    body = client.get(reverse("audits:plan_detail", args=[plan.pk])).content.decode()
    assert "张伟明" in body and "合计" in body and reverse("audits:plan_approve", args=[plan.pk]) not in body  # the drafter sees no approval
    # Wrong roles: a cadre reads nothing; the org officer reads but may not change or approve.
    client.force_login(district.cadre_user)
    assert client.get(reverse("audits:plan_detail", args=[plan.pk])).status_code == 404
    client.force_login(district.org_officer)
    assert client.get(reverse("audits:plan_detail", args=[plan.pk])).status_code == 200
    for name, data in (("audits:plan_add", {"tenure": zhang.pk}), ("audits:plan_remove", {"entry": plan.entries.get().pk}), ("audits:plan_approve", {})):
        assert client.post(reverse(name, args=[plan.pk]), data).status_code == 404
    assert client.post(reverse("audits:plan_draft"), {"year": "2028"}).status_code == 404
    client.force_login(district.head)
    assert reverse("audits:plan_approve", args=[plan.pk]) in client.get(reverse("audits:plan_detail", args=[plan.pk])).content.decode()
    client.post(reverse("audits:plan_approve", args=[plan.pk]))
    plan.refresh_from_db()
    assert plan.status == "approved" and DepartureAudit.objects.filter(kind="in_term").count() == 1

    auditor = api_client(district.auditor)
    j = "application/json"
    assert auditor.post("/api/v1/audits/plans", {"year": 1999}, content_type=j).status_code == 400
    made = auditor.post("/api/v1/audits/plans", {"year": 2028}, content_type=j)
    assert made.status_code == 201
    plan_id = made.json()["id"]
    wang = _serving(district, cadre=district.wang, position=district.edu_director, started_on=dt.date(2024, 1, 1))
    added = auditor.post(f"/api/v1/audits/plans/{plan_id}/entries", {"tenure_id": wang.pk, "reason": "新任"}, content_type=j).json()
    assert [e["cadre"] for e in added["entries"]] == ["王建国"] and added["entries"][0]["parts"][0]["key"] == "years_in_post"
    candidates = auditor.get("/api/v1/audits/candidates").json()
    # Both serve; 张伟明's audit of today leaves him 0 years since the last audit.
    assert [c["cadre"] for c in candidates["items"]] == ["张伟明", "王建国"] and candidates["items"][0]["parts"][1]["key"] == "years_since_audit"
    entry_id = added["entries"][0]["id"]
    assert api_client(district.finance_auditor).get(f"/api/v1/audits/plans/{plan_id}").json()["entries"] == []
    assert api_client(district.org_officer).post(f"/api/v1/audits/plans/{plan_id}/approval", content_type=j).status_code == 404
    assert auditor.post(f"/api/v1/audits/plans/{plan_id}/approval", content_type=j).status_code == 404
    assert auditor.delete(f"/api/v1/audits/plans/{plan_id}/entries/{entry_id}").json()["entries"] == []
    auditor.post(f"/api/v1/audits/plans/{plan_id}/entries", {"tenure_id": wang.pk}, content_type=j)
    approved = api_client(district.head).post(f"/api/v1/audits/plans/{plan_id}/approval", content_type=j).json()
    assert approved["status"] == "approved" and approved["entries"][0]["audit_id"] is not None
    assert [p["year"] for p in auditor.get("/api/v1/audits/plans").json()["items"]] == [2028, 2027]
    assert api_client(district.cadre_user).get("/api/v1/audits/plans").status_code == 404
