"""三重一大 registers, violations, hand-over to 日常监督 and follow-through (issue #14 §2–3):
thresholds at the exact amount, execution dates around the decision date, void meetings, the
overdue boundary, hand-over once, and all-or-nothing imports."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from jiandu.accounts.models import Role
from jiandu.core.errors import ActionError
from jiandu.core.models import JournalEntry
from jiandu.decisions import actions, register_actions, register_setup, register_workbook, violations
from jiandu.decisions import verdict as rules
from jiandu.decisions.models import AgendaItem, Body, DecisionTask, RegisterEntry, ViolationClue
from jiandu.oversight.actions import clues
from jiandu.oversight.models import Clue
from jiandu.testing import api_client, grant_role, log_in, make_cadre, make_position, make_tenure, make_unit, make_user, make_xlsx

HELD = dt.date(2026, 11, 3)
Kind = ViolationClue.Kind


@pytest.fixture
def d(db):
    root = make_unit(name="示范区委", kind="party_committee")
    edu = make_unit(name="教育局", parent=root)
    org = make_unit(name="区委组织部", parent=root)
    disc = make_unit(name="区纪委监委", parent=root)
    leaders = []
    for n in range(9):
        cadre = make_cadre(unit=root, name=f"常委{n}")
        make_tenure(cadre=cadre, position=make_position(unit=root, title="区委书记" if n == 0 else "区委常委", is_principal=n == 0, order=n))
        leaders.append(cadre)
    head = make_cadre(unit=edu, name="教育局长")
    make_tenure(cadre=head, position=make_position(unit=edu, title="局长", is_principal=True))
    officer = make_user(role=Role.ORG_OFFICER)
    grant_role(officer, Role.CLUE_OFFICER, org)
    clues.add_member(actor=officer, unit=org)
    clues.add_member(actor=officer, unit=disc)
    body = actions.create_body(actor=officer, unit=root, name="区委常委会", kind=Body.Kind.STANDING_COMMITTEE, members=leaders, principal=leaders[0])

    def meeting(absent=0, title="研究第二中学新校区建设项目", held_on=HELD):
        absentees = leaders[9 - absent :] if absent else []
        present = [m for m in leaders if m not in absentees]
        said = [(m, rules.AGREE, "") for m in present[1:]] + [(leaders[0], rules.AGREE, "")]
        m = actions.record_meeting(
            actor=officer,
            body=body,
            held_on=held_on,
            title="区委常委会会议",
            absences={a: {"reason": "出差"} for a in absentees},
            items=[{"title": title, "category": AgendaItem.Category.MAJOR_PROJECT, "amount": "2000000", "statements": said}],
        )
        return m.items.get()

    passed = meeting()
    void = meeting(absent=5, title="研究某项目追加投资")  # 4 of 9 present: below the quorum (more than half)
    assert (passed.outcome, void.outcome) == (rules.PASSED, rules.VOID)
    return type("D", (), dict(root=root, edu=edu, org=org, disc=disc, leaders=leaders, head=head, officer=officer, body=body, passed=passed, void=void))


def _entry(d, amount, *, kind="payment", executed_on=HELD, decision=None, responsible=None, unit=None):
    return register_actions.add_entry(
        actor=d.officer,
        unit=unit or d.edu,
        kind=kind,
        title=f"支付{amount}",
        amount=amount,
        executed_on=executed_on,
        decision=decision,
        responsible=responsible or d.head,
    )


def _kinds(entry):
    return [v.kind for v in violations.entry_violations(entry, violations.rule_for(entry.unit))]


# --- the threshold ------------------------------------------------------------------------------


def test_threshold_is_inclusive_one_yuan_below_is_not_a_violation(d):
    assert _kinds(_entry(d, "99999")) == []
    assert _kinds(_entry(d, "99999.99")) == []
    assert _kinds(_entry(d, "100000")) == [Kind.NO_DECISION]  # exactly the threshold: needs a decision
    assert _kinds(_entry(d, "100001")) == [Kind.NO_DECISION]


def test_a_listed_kind_needs_a_decision_whatever_the_amount(d):
    assert _kinds(_entry(d, "1", kind="project")) == [Kind.NO_DECISION]
    assert _kinds(_entry(d, "1", kind="procurement")) == []


def test_a_unit_rule_applies_to_the_unit_and_those_below(d):
    school = make_unit(name="第二中学", parent=d.edu)
    register_actions.set_unit_rule(actor=d.officer, unit=d.edu, threshold="500000", matter_kinds=["procurement"], basis="教育局三重一大实施办法")
    assert _kinds(_entry(d, "499999.99", unit=school)) == []
    assert _kinds(_entry(d, "500000", unit=school)) == [Kind.NO_DECISION]
    assert _kinds(_entry(d, "1", kind="procurement", unit=school)) == [Kind.NO_DECISION]
    assert _kinds(_entry(d, "1", kind="project", unit=school)) == []  # the unit's list replaces the district's
    assert _kinds(_entry(d, "100000", unit=d.org)) == [Kind.NO_DECISION]  # other units: the district settings
    assert JournalEntry.objects.filter(action="decisions.rule.set").count() == 1


def test_a_passed_decision_makes_it_valid(d):
    assert _kinds(_entry(d, "2000000", kind="project", decision=d.passed)) == []


# --- execution date and void meetings -----------------------------------------------------------


def test_executed_the_day_before_the_decision_is_a_violation_the_day_of_and_after_are_not(d):
    assert _kinds(_entry(d, "2000000", decision=d.passed, executed_on=HELD - dt.timedelta(days=1))) == [Kind.EXECUTED_EARLY]
    assert _kinds(_entry(d, "2000000", decision=d.passed, executed_on=HELD)) == []
    assert _kinds(_entry(d, "2000000", decision=d.passed, executed_on=HELD + dt.timedelta(days=1))) == []


def test_a_decision_of_a_void_meeting_is_no_valid_decision_and_is_listed(d):
    entry = _entry(d, "2000000", kind="project", decision=d.void)
    found = violations.entry_violations(entry, violations.rule_for(entry.unit))
    assert [v.kind for v in found] == [Kind.NO_DECISION]
    assert "无效" in found[0].explanation  # the linked decision is void
    listed = violations.find(RegisterEntry.objects.all(), AgendaItem.objects.filter(outcome=rules.VOID))
    assert {(v.kind, v.item.pk if v.item else None) for v in listed if v.item} == {(Kind.VOID_MEETING, d.void.pk)}
    assert violations.item_violation(d.passed) is None


def test_violations_page_lists_the_unlinked_project(d):
    _entry(d, "2000000", kind="project")
    page = log_in(Client(), d.officer).get(reverse("decisions:violations"))
    text = page.content.decode()
    assert page.status_code == 200
    assert "支付2000000" in text and "研究某项目追加投资" in text


# --- hand-over to 日常监督 -------------------------------------------------------------------------


def test_hand_over_once_registers_and_transfers_a_clue(d):
    entry = _entry(d, "2000000", kind="project")
    handed = register_actions.hand_over_violation(actor=d.officer, kind=Kind.NO_DECISION, entry=entry, to_unit=d.disc)
    clue = handed.clue
    assert (clue.status, clue.to_unit, clue.from_unit, clue.cadre) == (Clue.Status.TRANSFERRED, d.disc, d.org, d.head)
    assert JournalEntry.objects.filter(action="decisions.violation.handed_over").count() == 1
    with pytest.raises(ActionError):
        register_actions.hand_over_violation(actor=d.officer, kind=Kind.NO_DECISION, entry=entry, to_unit=d.disc)
    assert (ViolationClue.objects.count(), Clue.objects.count()) == (1, 1)
    page = log_in(Client(), d.officer).get(reverse("decisions:violations")).content.decode()
    assert clue.number in page


def test_hand_over_of_a_void_item_names_the_chair(d):
    handed = register_actions.hand_over_violation(actor=d.officer, kind=Kind.VOID_MEETING, item=d.void, to_unit=d.disc)
    assert handed.clue.cadre == d.leaders[0]
    with pytest.raises(ActionError):  # a passed item is no violation
        register_actions.hand_over_violation(actor=d.officer, kind=Kind.VOID_MEETING, item=d.passed, to_unit=d.disc)


def test_only_a_clue_officer_hands_over_and_a_refusal_stores_nothing(d):
    entry = _entry(d, "2000000", kind="project")
    plain = make_user(role=Role.ORG_OFFICER)
    with pytest.raises(ActionError):
        register_actions.hand_over_violation(actor=plain, kind=Kind.NO_DECISION, entry=entry, to_unit=d.disc)
    with pytest.raises(ActionError):  # no violation of that kind
        register_actions.hand_over_violation(actor=d.officer, kind=Kind.EXECUTED_EARLY, entry=entry, to_unit=d.disc)
    assert (ViolationClue.objects.count(), Clue.objects.count()) == (0, 0)


def test_hand_over_through_the_page_then_the_second_post_is_refused(d):
    entry = _entry(d, "2000000", kind="project")
    client = log_in(Client(), d.officer)
    key = f"{Kind.NO_DECISION}:e:{entry.pk}"
    client.post(reverse("decisions:hand_over_violation"), {"violation": key, "to_unit": d.disc.pk})
    client.post(reverse("decisions:hand_over_violation"), {"violation": key, "to_unit": d.disc.pk})
    assert ViolationClue.objects.count() == 1


# --- follow-through ------------------------------------------------------------------------------


def test_task_is_overdue_from_the_day_after_its_due_date(d):
    today = dt.date.today()
    due_today = register_actions.create_task(actor=d.officer, decision=d.passed, unit=d.edu, owner="教育局长", description="开工建设", due_on=today)
    due_yesterday = register_actions.create_task(
        actor=d.officer, decision=d.passed, unit=d.edu, owner="教育局长", description="完成立项", due_on=today - dt.timedelta(days=1)
    )
    assert not due_today.is_overdue(today) and due_today.is_overdue(today + dt.timedelta(days=1))
    assert due_yesterday.is_overdue(today)
    card = register_setup.overdue_tasks_card(d.officer)
    assert card["number"] == 1 and card["attention"]
    page = log_in(Client(), d.officer).get(reverse("decisions:tasks") + "?overdue=1").content.decode()
    assert "完成立项" in page and "开工建设" not in page
    register_actions.close_task(actor=d.officer, task=due_yesterday, note="已完成")
    assert not DecisionTask.objects.get(pk=due_yesterday.pk).is_overdue(today)
    assert register_setup.overdue_tasks_card(d.officer)["number"] == 0


def test_task_in_working_days_keeps_its_computation(d):
    task = register_actions.create_task(actor=d.officer, decision=d.passed, unit=d.edu, owner="教育局长", description="报送方案", working_days=10)
    assert task.due_on == dt.date(2026, 11, 17)  # 10 working days after Tuesday 2026-11-03: two weekends skipped
    assert "2026-11-17" in task.due_rule


def test_only_a_passed_decision_creates_tasks_and_one_deadline_is_given(d):
    with pytest.raises(ActionError):
        register_actions.create_task(actor=d.officer, decision=d.void, unit=d.edu, owner="x", description="y", due_on=dt.date.today())
    with pytest.raises(ActionError):
        register_actions.create_task(actor=d.officer, decision=d.passed, unit=d.edu, owner="x", description="y")
    with pytest.raises(ActionError):
        register_actions.create_task(actor=d.officer, decision=d.passed, unit=d.edu, owner="x", description="y", due_on=HELD - dt.timedelta(days=1))
    assert DecisionTask.objects.count() == 0


def test_the_owner_unit_reports_progress_and_only_the_office_closes(d):
    task = register_actions.create_task(actor=d.officer, decision=d.passed, unit=d.edu, owner="教育局长", description="开工建设", due_on=dt.date.today())
    leader = make_user(role=Role.UNIT_LEADER, unit=d.edu)
    register_actions.report_progress(actor=leader, task=task, text="已完成招标")
    with pytest.raises(Exception):  # noqa: B017  (NotVisible: the unit does not close the office's task)
        register_actions.close_task(actor=leader, task=task)
    stranger = make_user(role=Role.UNIT_LEADER, unit=d.org)
    with pytest.raises(Exception):  # noqa: B017
        register_actions.report_progress(actor=stranger, task=task, text="x")
    assert log_in(Client(), stranger).get(reverse("decisions:task", args=[task.pk])).status_code == 404
    page = log_in(Client(), leader).get(reverse("decisions:task", args=[task.pk])).content.decode()
    assert "已完成招标" in page
    register_actions.close_task(actor=d.officer, task=task)
    with pytest.raises(ActionError):
        register_actions.report_progress(actor=leader, task=task, text="再报")


# --- import and export ---------------------------------------------------------------------------

HEADER = ["Kind", "Title", "Amount (yuan)", "Executed on", "Date of the approving meeting", "Approving agenda item", "Responsible leader"]


def _upload(client, d, path):
    with open(path, "rb") as handle:
        return client.post(reverse("decisions:import_register") + f"?unit={d.edu.pk}", {"unit": d.edu.pk, "workbook": handle})


def test_import_links_decisions_and_stores_every_row(d, tmp_path):
    path = make_xlsx(
        tmp_path / "ok.xlsx",
        [
            ["project", "第二中学新校区", "2000000", HELD, HELD, d.passed.title, "教育局长"],
            ["payment", "设备款", 150000, HELD, None, None, None],
        ],
        header=HEADER,
    )
    response = _upload(log_in(Client(), d.officer), d, path)
    assert response.status_code == 302
    linked, unlinked = RegisterEntry.objects.order_by("id")
    assert (linked.decision, linked.responsible, unlinked.amount) == (d.passed, d.head, Decimal("150000.00"))
    assert _kinds(linked) == [] and _kinds(unlinked) == [Kind.NO_DECISION]


def test_import_with_a_bad_row_refuses_all_and_names_the_row(d, tmp_path):
    path = make_xlsx(
        tmp_path / "bad.xlsx",
        [["project", "甲", "100", HELD], ["payment", "乙", "一百万", HELD], ["payment", "丙", "300", HELD]],
        header=HEADER[:4],
    )
    response = _upload(log_in(Client(), d.officer), d, path)
    text = response.content.decode()
    assert response.status_code == 200 and "第 3 行" in text  # row 1 the header, row 3 the bad amount
    assert RegisterEntry.objects.count() == 0
    with pytest.raises(ActionError) as error:
        register_actions.import_entries(
            actor=d.officer,
            unit=d.edu,
            rows=[
                (2, {"kind": "project", "title": "甲", "amount": "1", "executed_on": HELD}),
                (3, {"kind": "payment", "title": "乙", "amount": "x", "executed_on": HELD}),
            ],
        )
    assert "第 3 行" in str(error.value.message)
    assert RegisterEntry.objects.count() == 0


def test_import_with_an_unknown_decision_refuses_all(d, tmp_path):
    path = make_xlsx(tmp_path / "bad.xlsx", [["project", "甲", "100", HELD, HELD, "没有这个议题", None]], header=HEADER)
    with pytest.raises(ActionError) as error:
        register_workbook.read_rows(d.officer, d.edu, path)
    assert "第 2 行" in str(error.value.message)


def test_export_lists_entries_with_their_violations(d):
    _entry(d, "2000000", kind="project")
    response = log_in(Client(), d.officer).get(reverse("decisions:register_export"))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert log_in(Client(), d.officer).get(reverse("decisions:register_template")).status_code == 200
    assert JournalEntry.objects.filter(action="decisions.register.exported").exists()


# --- pages, access and API ------------------------------------------------------------------------


def test_register_pages_for_the_office_and_404_for_others(d):
    entry = _entry(d, "2000000", kind="project")
    office = log_in(Client(), d.officer)
    for name in ("registers", "violations", "rules", "tasks", "new_body"):
        assert office.get(reverse(f"decisions:{name}")).status_code == 200, name
    assert office.get(reverse("decisions:register_entry", args=[entry.pk])).status_code == 200
    assert office.get(reverse("decisions:new_register_entry") + f"?unit={d.edu.pk}").status_code == 200
    other = log_in(Client(), make_user(role=Role.UNIT_LEADER, unit=d.org))
    assert other.get(reverse("decisions:register_entry", args=[entry.pk])).status_code == 404
    assert other.get(reverse("decisions:new_register_entry") + f"?unit={d.edu.pk}").status_code == 404
    member = log_in(Client(), make_user(role=Role.COMMITTEE_MEMBER, cadre=d.leaders[2]))
    for name in ("registers", "violations", "rules", "tasks", "new_body"):
        assert member.get(reverse(f"decisions:{name}")).status_code == 404, name
    assert Client().get(reverse("decisions:registers")).status_code == 302


def test_page_forms_register_link_and_set_up_a_body(d):
    office = log_in(Client(), d.officer)
    response = office.post(
        reverse("decisions:new_register_entry") + f"?unit={d.edu.pk}",
        {"unit": d.edu.pk, "kind": "project", "title": "新校区\x00", "amount": "2000000", "executed_on": "2026-11-04"},
    )
    assert response.status_code == 200 and RegisterEntry.objects.count() == 0  # NUL refused with a message
    response = office.post(
        reverse("decisions:new_register_entry") + f"?unit={d.edu.pk}",
        {"unit": d.edu.pk, "kind": "project", "title": "新校区", "amount": "2000000", "executed_on": "2026-11-04", "responsible": d.head.pk},
    )
    entry = RegisterEntry.objects.get()
    assert response.status_code == 302 and entry.responsible == d.head
    office.post(reverse("decisions:register_entry", args=[entry.pk]), {"decision": d.passed.pk})
    assert RegisterEntry.objects.get().decision == d.passed
    response = office.post(reverse("decisions:new_body"), {"unit": d.edu.pk, "name": "教育局党组", "kind": "party_group"})
    body = Body.objects.get(name="教育局党组")
    assert response.status_code == 302 and body.principal == d.head and list(body.members.all()) == [d.head]


def test_api_operations(d):
    client = api_client(d.officer)
    created = client.post(
        "/api/v1/decisions/bodies", {"unit_id": d.edu.pk, "name": "教育局党组", "kind": "party_group", "member_ids": []}, content_type="application/json"
    )
    assert created.status_code == 201 and created.json()["members"] == 1
    added = client.post(
        "/api/v1/decisions/registers",
        {"unit_id": d.edu.pk, "kind": "project", "title": "新校区", "amount": "2000000", "executed_on": "2026-11-02", "responsible_id": d.head.pk},
        content_type="application/json",
    )
    assert added.status_code == 201 and added.json()["violations"] == ["no_decision"]
    entry_id = added.json()["id"]
    linked = client.post(f"/api/v1/decisions/registers/{entry_id}/decision", {"decision_id": d.passed.pk}, content_type="application/json")
    assert linked.json()["violations"] == ["executed_early"]
    batch = client.post(
        "/api/v1/decisions/registers/batch",
        {
            "unit_id": d.edu.pk,
            "rows": [
                {"kind": "payment", "title": "甲", "amount": "1", "executed_on": "2026-11-02"},
                {"kind": "payment", "title": " ", "amount": "1", "executed_on": "2026-11-02"},
            ],
        },
        content_type="application/json",
    )
    assert batch.status_code == 400 and "第 2 行" in batch.json()["message"]
    assert RegisterEntry.objects.count() == 1
    listed = client.get("/api/v1/decisions/violations").json()
    assert {v["kind"] for v in listed} == {"executed_early", "void_meeting"}
    handed = client.post(
        "/api/v1/decisions/violations/hand-over", {"kind": "void_meeting", "item_id": d.void.pk, "to_unit_id": d.disc.pk}, content_type="application/json"
    )
    assert handed.status_code == 201 and handed.json()["clue_number"]
    again = client.post(
        "/api/v1/decisions/violations/hand-over", {"kind": "void_meeting", "item_id": d.void.pk, "to_unit_id": d.disc.pk}, content_type="application/json"
    )
    assert again.status_code == 400
    rule = client.put(f"/api/v1/decisions/rules/{d.edu.pk}", {"threshold": "500000", "matter_kinds": ["procurement"]}, content_type="application/json")
    assert rule.status_code == 200 and rule.json()["threshold"] == "500000.00"
    task = client.post(
        "/api/v1/decisions/tasks",
        {"decision_id": d.passed.pk, "unit_id": d.edu.pk, "owner": "教育局长", "description": "开工", "working_days": 10},
        content_type="application/json",
    )
    assert task.status_code == 201 and task.json()["due_on"] == "2026-11-17"
    task_id = task.json()["id"]
    progress = client.post(f"/api/v1/decisions/tasks/{task_id}/progress", {"text": "已招标"}, content_type="application/json")
    assert progress.status_code == 201 and progress.json()["progress"][0]["text"] == "已招标"
    closed = client.post(f"/api/v1/decisions/tasks/{task_id}/close", {"note": "完成"}, content_type="application/json")
    assert closed.json()["status"] == "closed"
    assert client.get("/api/v1/decisions/tasks").json()["count"] == 1
    outsider = api_client(make_user(role=Role.UNIT_LEADER, unit=d.org))
    assert outsider.get("/api/v1/decisions/registers").json()["count"] == 0
    assert outsider.post(f"/api/v1/decisions/registers/{entry_id}/decision", {"decision_id": d.passed.pk}, content_type="application/json").status_code == 404
    assert outsider.get("/api/v1/decisions/violations").json() == []
    assert api_client(make_user()).get("/api/v1/decisions/violations").status_code == 404


def test_import_pages_are_the_units_office_only(d):
    other = log_in(Client(), make_user(role=Role.UNIT_LEADER, unit=d.org))
    assert other.get(reverse("decisions:import_register") + f"?unit={d.edu.pk}").status_code == 404
    assert other.get(reverse("decisions:import_register") + "?unit=abc").status_code == 404
    member = log_in(Client(), make_user(role=Role.COMMITTEE_MEMBER, cadre=d.leaders[2]))
    for name in ("register_template", "register_export", "new_task"):
        assert member.get(reverse(f"decisions:{name}")).status_code == 404, name
    office = log_in(Client(), d.officer)
    assert office.get(reverse("decisions:import_register") + f"?unit={d.edu.pk}").status_code == 200
    assert office.get(reverse("decisions:new_task")).status_code == 200
    # the unit leader of 组织部 gives no task from the district committee's decision
    assert other.get(reverse("decisions:new_task")).status_code == 200
    other.post(reverse("decisions:new_task"), {"decision": d.passed.pk, "unit": d.org.pk, "owner": "x", "description": "y", "due_on": "2026-12-31"})
    assert DecisionTask.objects.count() == 0


def test_hand_over_page_refuses_others(d):
    entry = _entry(d, "2000000", kind="project")
    key = f"{Kind.NO_DECISION}:e:{entry.pk}"
    member = log_in(Client(), make_user(role=Role.COMMITTEE_MEMBER, cadre=d.leaders[2]))
    assert member.post(reverse("decisions:hand_over_violation"), {"violation": key, "to_unit": d.disc.pk}).status_code == 404
    assert log_in(Client(), d.officer).get(reverse("decisions:hand_over_violation")).status_code == 405
    plain = make_user(role=Role.UNIT_LEADER, unit=d.edu)  # sees the violation, is no clue officer
    log_in(Client(), plain).post(reverse("decisions:hand_over_violation"), {"violation": key, "to_unit": d.disc.pk})
    assert ViolationClue.objects.count() == 0


def test_api_refuses_other_units(d):
    entry = _entry(d, "2000000", kind="project")
    task = register_actions.create_task(actor=d.officer, decision=d.passed, unit=d.edu, owner="教育局长", description="开工", due_on=dt.date.today())
    outsider = api_client(make_user(role=Role.UNIT_LEADER, unit=d.org))
    post = lambda url, body: outsider.post(url, body, content_type="application/json")  # noqa: E731
    row = {"kind": "payment", "title": "甲", "amount": "1", "executed_on": "2026-11-02"}
    assert post("/api/v1/decisions/registers", {"unit_id": d.edu.pk, **row}).status_code == 404
    assert post("/api/v1/decisions/registers/batch", {"unit_id": d.edu.pk, "rows": [row]}).status_code == 404
    assert outsider.put(f"/api/v1/decisions/rules/{d.edu.pk}", {"threshold": "1"}, content_type="application/json").status_code == 404
    assert post("/api/v1/decisions/violations/hand-over", {"kind": "no_decision", "entry_id": entry.pk, "to_unit_id": d.disc.pk}).status_code == 404
    assert outsider.get("/api/v1/decisions/tasks").json()["count"] == 0
    assert (
        post("/api/v1/decisions/tasks", {"decision_id": d.passed.pk, "unit_id": d.org.pk, "owner": "x", "description": "y", "working_days": 3}).status_code
        == 404
    )
    assert post(f"/api/v1/decisions/tasks/{task.pk}/progress", {"text": "x"}).status_code == 404
    assert post(f"/api/v1/decisions/tasks/{task.pk}/close", {}).status_code == 404
    assert (RegisterEntry.objects.count(), DecisionTask.objects.count(), ViolationClue.objects.count()) == (1, 1, 0)
    assert task.progress.count() == 0
