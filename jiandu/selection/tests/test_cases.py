"""Selection cases end to end through the actions, and each rule of issue #15 at its edge."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from jiandu.accounts.models import Role
from jiandu.core.errors import ActionError
from jiandu.core.models import JournalEntry
from jiandu.decisions import actions as decision_actions
from jiandu.decisions import verdict
from jiandu.decisions.models import Body
from jiandu.matters import actions as matters_actions
from jiandu.matters.models import Check as MattersCheck
from jiandu.matters.models import ReplyItem as MattersReplyItem
from jiandu.oversight.models import Talk
from jiandu.registry.models import Tenure
from jiandu.selection import actions, queries, rules, sheet
from jiandu.selection.models import Candidate, CaseDecision, FileReview, Stage, VettingRequest
from jiandu.testing import api_client, log_in, make_cadre, make_position, make_tenure, make_unit, make_user

D = dt.date(2026, 9, 1)
PEOPLE = {"handler": "王经办", "responsible": "李部长"}


@pytest.fixture(autouse=True)
def english():
    """The rules' messages are asserted in English here; the zh-Hans catalogue is checked by test_translations."""
    with translation.override("en"):
        yield


@pytest.fixture
def world(db):
    root = make_unit(name="示范区委", kind="party_committee")
    bureau = make_unit(name="示范区教育局", parent=root)
    discipline = make_unit(name="示范区纪委监委机关", short_name="区纪委监委", parent=root, kind="discipline")
    audit = make_unit(name="示范区审计局", short_name="审计局", parent=root)
    members = []
    for n in range(9):
        cadre = make_cadre(unit=root, name=f"常委{n}")
        make_tenure(cadre=cadre, position=make_position(unit=root, title="区委书记" if n == 0 else "区委常委", is_principal=n == 0, order=n))
        members.append(cadre)
    officer = make_user(role=Role.ORG_OFFICER)
    head = make_user(role=Role.ORG_HEAD)
    matters_officer = make_user(role=Role.MATTERS_OFFICER)
    body = decision_actions.create_body(actor=officer, unit=root, name="区委常委会", kind=Body.Kind.STANDING_COMMITTEE, members=members, principal=members[0])
    post = make_position(unit=bureau, title="副局长")
    cadre = make_cadre(unit=bureau, name="张候选", work_start_on=dt.date(2005, 7, 1))
    vet_discipline = make_user(role=Role.VETTING_OFFICER, unit=discipline, include_descendants=False)
    vet_audit = make_user(role=Role.VETTING_OFFICER, unit=audit, include_descendants=False)
    return {
        "root": root,
        "bureau": bureau,
        "discipline": discipline,
        "audit": audit,
        "members": members,
        "officer": officer,
        "head": head,
        "body": body,
        "post": post,
        "cadre": cadre,
        "vet_discipline": vet_discipline,
        "vet_audit": vet_audit,
        "matters_officer": matters_officer,
    }


def _open(w):
    return actions.create_case(
        actor=w["officer"], unit=w["root"], title="教育局副局长选拔", positions=[w["post"]], reasons="职位空缺", proposed_by="区委组织部", held_on=D, **PEOPLE
    )


def _stage(w, case, stage, day):
    return actions.record_stage(actor=w["officer"], case=case, stage=stage, held_on=D + dt.timedelta(days=day), result="完成", **PEOPLE)


def _to_candidates(w, cadre=None):
    case = _open(w)
    _stage(w, case, Stage.RECOMMENDATION, 1)
    candidate = actions.add_candidate(
        actor=w["officer"], case=case, cadre=cadre or w["cadre"], position=w["post"], listed_on=D + dt.timedelta(days=2), recommendation_votes=31
    )
    _stage(w, case, Stage.CANDIDATES, 2)
    return case, candidate


def _reply_all(w, case, result="no_problem"):
    for request in VettingRequest.objects.filter(candidate__case=case):
        officer = w["vet_discipline"] if request.department == w["discipline"] else w["vet_audit"]
        actions.reply_vetting(
            actor=officer, request=request, result=result, replied_on=D + dt.timedelta(days=4), details="" if result == "no_problem" else "有信访件待核"
        )


def _to_decision(w, cadre=None):
    case, candidate = _to_candidates(w, cadre)
    actions.send_vetting(actor=w["officer"], case=case, sent_on=D + dt.timedelta(days=3))
    _reply_all(w, case)
    _stage(w, case, Stage.VETTING, 5)
    _stage(w, case, Stage.INSPECTION, 10)
    _stage(w, case, Stage.CONSULTATION, 12)
    return case, candidate


def conclude_matters_check(w, cadre, classification="consistent", handling="none"):
    """The targeted check opened when the cadre was listed, concluded by the personal-matters officer."""
    check = MattersCheck.objects.get(cadre=cadre, kind="targeted", status="open")
    request = matters_actions.send_request(actor=w["matters_officer"], check=check, department="不动产登记机构")
    rows = [{"kind": "real_estate", "values": {"address": "示范区滨河路88号", "area": "120"}}] if classification != "consistent" else []
    matters_actions.record_reply(actor=w["matters_officer"], request=request, replied_on=dt.date.today(), rows=rows)
    for item in MattersReplyItem.objects.filter(request=request):
        matters_actions.classify(actor=w["matters_officer"], check=check, reply_item_id=item.pk, classification=classification)
    return matters_actions.conclude_check(actor=w["matters_officer"], check=check, handling=handling, decided_on=dt.date.today(), deciding_body="区委组织部")


def review_file(w, candidate, **changes):
    cadre = candidate.cadre
    data = {"birth_on": cadre.birth_on, "party_join_on": cadre.party_join_on, "work_start_on": cadre.work_start_on, "education": cadre.education}
    data.update(changes)
    return actions.record_file_review(actor=w["officer"], candidate=candidate, reviewed_on=candidate.listed_on + dt.timedelta(days=1), **data)


def complete_four_checks(w, case):
    """凡提四必 for every candidate of the case: the file reviewed, the targeted check concluded
    (the discipline reply is part of the vetting, the clues of daily supervision are none)."""
    for candidate in case.candidates.select_related("cadre"):
        if not FileReview.objects.filter(candidate=candidate).exists():
            review_file(w, candidate)
        if MattersCheck.objects.filter(cadre=candidate.cadre, kind="targeted", status="open").exists():
            conclude_matters_check(w, candidate.cadre)


def _decide(w, case, candidate, *, present=9, yes=9, order=None):
    complete_four_checks(w, case)
    members = w["members"]
    absent = members[present:]
    here = members[1:present] + [members[0]] if order is None else order
    statements = [(m, verdict.AGREE if n < yes else verdict.DISAGREE) for n, m in enumerate(reversed(here))][::-1]
    return actions.record_decision(
        actor=w["officer"], case=case, body=w["body"], held_on=D + dt.timedelta(days=14), handler="王经办", absent=absent, statements={candidate: statements}
    )


def _refused(call, text=None):
    with pytest.raises(ActionError) as info:
        call()
    if text:
        assert text in info.value.message, info.value.message
    return info.value.message


# --- order of stages --------------------------------------------------------------------------


def test_stage_out_of_order_refused_with_the_rule(world):
    case = _open(world)
    message = _refused(lambda: _stage(world, case, Stage.INSPECTION, 1))
    assert "2019" in message
    _refused(lambda: _stage(world, case, Stage.CANDIDATES, 1))  # recommendation first
    _stage(world, case, Stage.RECOMMENDATION, 1)
    _refused(lambda: _stage(world, case, Stage.CANDIDATES, 2))  # no inspection subject listed
    assert case.next_stage() == Stage.CANDIDATES


def test_stage_needs_people_and_result_and_stores_nothing_when_refused(world):
    case = _open(world)
    with pytest.raises(ActionError):
        actions.record_stage(actor=world["officer"], case=case, stage=Stage.RECOMMENDATION, held_on=D, handler="", responsible="李", result="x")
    with pytest.raises(ActionError):
        actions.record_stage(actor=world["officer"], case=case, stage=Stage.RECOMMENDATION, held_on=D, handler="王", responsible="李", result="x\x00")
    assert case.stages.count() == 1


# --- art. 24 and 破格 ----------------------------------------------------------------------------


def _confirmed_grade(world, year, grade):
    """A confirmed annual appraisal of `year` in which the candidate got `grade` (stored as the
    appraisal app stores a confirmed result; the appraisal workflow itself is tested there)."""
    from jiandu.appraisals.models import AppraisalCycle, AssessedCadre, AssessedUnit

    cycle = AppraisalCycle.objects.create(year=year, title=f"{year}年度考核", unit=world["root"], status=AppraisalCycle.Status.GRADES_CONFIRMED)
    unit = AssessedUnit.objects.create(cycle=cycle, unit=world["bureau"], unit_name="示范区教育局")
    AssessedCadre.objects.create(cycle=cycle, assessed_unit=unit, cadre=world["cadre"], cadre_name=world["cadre"].name, grade=grade)


def test_art24_blocks_with_every_reason(world):
    from jiandu.audits.models import DepartureAudit
    from jiandu.oversight.actions import dispositions

    case = _open(world)
    _stage(world, case, Stage.RECOMMENDATION, 1)
    cadre = world["cadre"]
    _confirmed_grade(world, 2025, "basically_competent")
    admonishment = dispositions.record_disposition(
        actor=world["officer"], cadre=cadre, measure="admonishment_talk", decided_on=dt.date(2026, 6, 1), deciding_body="区纪委监委", grounds="履职不力"
    )
    # A post with financial authority: an audit subject, whose audit is still open (audits.queries.audit_clearance).
    old = make_tenure(cadre=cadre, position=make_position(unit=world["bureau"], title="科长", has_financial_authority=True), started_on=dt.date(2020, 1, 1))
    DepartureAudit.objects.create(tenure=old, cadre=cadre, unit=world["bureau"], period_start=dt.date(2020, 1, 1), period_end=dt.date(2026, 8, 1))
    actions.record_canvassing(actor=world["officer"], case=case, cadre=cadre, found_on=D, details="托人说情")
    message = _refused(
        lambda: actions.add_candidate(actor=world["officer"], case=case, cadre=cadre, position=world["post"], listed_on=D + dt.timedelta(days=2))
    )
    assert admonishment.influence_ends_on == dt.date(2026, 11, 30)  # six months, the last day included
    assert "2025" in message and "admonishment by talk" in message and "2026-11-30" in message
    assert "Economic-responsibility audit" in message and "2026-09-01" in message and ".;" not in message
    assert message.count("24") >= 3
    assert not Candidate.objects.exists()


def test_art24_competent_grade_and_no_influence_lists(world):
    _confirmed_grade(world, 2025, "competent")
    case, candidate = _to_candidates(world)
    assert candidate.exceptional == ""


def _deputy_since(world, started_on):
    cadre = make_cadre(unit=world["bureau"], name="李副职", leadership_level="section_deputy", work_start_on=dt.date(2010, 1, 1))
    make_tenure(cadre=cadre, position=make_position(unit=world["bureau"], title="副科长", level="section_deputy"), started_on=started_on)
    return cadre


def test_two_years_in_lower_post_exactly_is_not_exceptional(world):
    cadre = _deputy_since(world, D + dt.timedelta(days=2) - dt.timedelta(days=731))  # 2024-09-03 → 2026-09-03: two full years
    assert rules.full_years(dt.date(2024, 9, 3), dt.date(2026, 9, 3)) == 2
    assert rules.full_years(dt.date(2024, 9, 4), dt.date(2026, 9, 3)) == 1
    _case, candidate = _to_candidates(world, cadre)
    assert candidate.exceptional == ""


def test_exceptional_without_prior_approval_voids_the_decision(world):
    cadre = _deputy_since(world, dt.date(2025, 9, 4))  # one year before listing
    case, candidate = _to_decision(world, cadre)
    assert "art. 9" in candidate.exceptional
    _decide(world, case, candidate)
    candidate.refresh_from_db()
    assert candidate.outcome == verdict.VOID
    assert "破格" in candidate.outcome_note
    assert "the prior approval of the exceptional promotion" in sheet.missing(candidate)


def test_exceptional_with_prior_approval_passes(world):
    cadre = _deputy_since(world, dt.date(2025, 9, 4))
    case, candidate = _to_decision(world, cadre)
    actions.record_prior_approval(actor=world["officer"], case=case, approved_on=D + dt.timedelta(days=13), reference="市委组织部函〔2026〕8号")
    _decide(world, case, candidate)
    candidate.refresh_from_db()
    assert candidate.outcome == verdict.PASSED


def test_approval_after_the_meeting_does_not_count(world):
    cadre = _deputy_since(world, dt.date(2025, 9, 4))
    case, candidate = _to_decision(world, cadre)
    actions.record_prior_approval(actor=world["officer"], case=case, approved_on=D + dt.timedelta(days=15), reference="迟到的批复")
    _decide(world, case, candidate)
    candidate.refresh_from_db()
    assert candidate.outcome == verdict.VOID


# --- vetting ---------------------------------------------------------------------------------------


def test_vetting_gate_and_override(world):
    case, candidate = _to_candidates(world)
    actions.send_vetting(actor=world["officer"], case=case, sent_on=D + dt.timedelta(days=3))
    requests = list(VettingRequest.objects.filter(candidate=candidate))
    assert {r.department for r in requests} == {world["discipline"], world["audit"]}  # 卫健局, 信访局 do not exist here
    assert all(r.due_on == dt.date(2026, 9, 11) for r in requests)  # 5 working days after Fri 09-04
    _refused(lambda: _stage(world, case, Stage.VETTING, 5), "has not replied")
    _refused(lambda: _stage(world, case, Stage.INSPECTION, 5), "before")
    discipline = next(r for r in requests if r.department == world["discipline"])
    audit = next(r for r in requests if r.department == world["audit"])
    actions.reply_vetting(actor=world["vet_audit"], request=audit, result="no_problem", replied_on=D + dt.timedelta(days=4))
    actions.reply_vetting(actor=world["vet_discipline"], request=discipline, result="problem", details="有信访举报待核", replied_on=D + dt.timedelta(days=12))
    discipline.refresh_from_db()
    assert discipline.replied_on > discipline.due_on  # a late reply is recorded as such
    _refused(lambda: _stage(world, case, Stage.VETTING, 13), "unresolved problem")
    with pytest.raises(Exception):
        actions.override_vetting(actor=world["officer"], candidate=candidate, reason="x")  # the head's, not the officer's
    actions.resolve_vetting(actor=world["officer"], request=discipline, resolution="经核查，举报不属实")
    _stage(world, case, Stage.VETTING, 13)


def test_head_override_lets_inspection_start(world):
    case, candidate = _to_candidates(world)
    actions.send_vetting(actor=world["officer"], case=case, sent_on=D + dt.timedelta(days=3))
    actions.override_vetting(actor=world["head"], candidate=candidate, reason="换届时间紧，纪委口头意见无问题")
    _stage(world, case, Stage.VETTING, 5)


def test_a_department_sees_only_its_own_requests(world):
    case, candidate = _to_candidates(world)
    actions.send_vetting(actor=world["officer"], case=case, sent_on=D + dt.timedelta(days=3))
    discipline = VettingRequest.objects.get(candidate=candidate, department=world["discipline"])
    audit = VettingRequest.objects.get(candidate=candidate, department=world["audit"])
    assert list(queries.vetting_requests_for_department(world["vet_audit"])) == [audit]
    client = Client()
    log_in(client, world["vet_audit"])
    assert client.get(reverse("selection:vetting", args=[audit.pk])).status_code == 200
    assert client.get(reverse("selection:vetting", args=[discipline.pk])).status_code == 404
    assert client.get(reverse("selection:case", args=[case.pk])).status_code == 404
    api = api_client(world["vet_audit"])
    assert api.get(f"/api/v1/selection/vetting/{discipline.pk}").status_code == 404
    answer = api.post(f"/api/v1/selection/vetting/{discipline.pk}/reply", {"result": "no_problem", "replied_on": "2026-09-05"}, content_type="application/json")
    assert answer.status_code == 404
    with pytest.raises(Exception):
        actions.reply_vetting(actor=world["vet_audit"], request=discipline, result="no_problem", replied_on=D + dt.timedelta(days=4))
    discipline.refresh_from_db()
    assert discipline.result == ""
    # a district-wide vetting role names no department: it sees none
    wide = make_user(role=Role.VETTING_OFFICER)
    assert not queries.vetting_requests_for_department(wide).exists()
    # the page reply works for its own department
    response = client.post(reverse("selection:vetting", args=[audit.pk]), {"result": "problem", "details": "", "replied_on": "2026-09-05"})
    assert response.status_code == 200  # details required for a problem
    audit.refresh_from_db()
    assert audit.result == ""
    client.post(reverse("selection:vetting", args=[audit.pk]), {"result": "no_problem", "details": "", "replied_on": "2026-09-05"})
    audit.refresh_from_db()
    assert audit.result == "no_problem"
    assert JournalEntry.objects.filter(action="selection.vetting.replied").count() == 1


def test_overdue_list(world):
    case, candidate = _to_candidates(world)
    actions.send_vetting(actor=world["officer"], case=case, sent_on=D + dt.timedelta(days=3))
    rows = queries.overdue(queries.vetting_requests_visible_to(world["officer"]), today=dt.date(2026, 9, 11))
    assert rows.count() == 0  # due day itself
    rows = queries.overdue(queries.vetting_requests_visible_to(world["officer"]), today=dt.date(2026, 9, 12))
    assert rows.count() == 2


# --- decision ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("present", "yes", "outcome"), [(6, 6, verdict.PASSED), (5, 5, verdict.VOID), (9, 5, verdict.PASSED), (9, 4, verdict.FAILED), (6, 4, verdict.FAILED)]
)
def test_decision_arithmetic_at_the_edges(world, present, yes, outcome):
    case, candidate = _to_decision(world)
    _decide(world, case, candidate, present=present, yes=yes)
    candidate.refresh_from_db()
    assert candidate.outcome == outcome
    shown = " ".join(queries.candidate_verdict(candidate).explanation)
    assert "9" in shown


def test_principal_not_last_refused(world):
    case, candidate = _to_decision(world)
    members = world["members"]
    order = [members[0], *members[1:]]  # the principal first
    _refused(lambda: _decide(world, case, candidate, order=order))
    assert Stage.DECISION not in case.recorded_stages()
    assert not CaseDecision.objects.filter(case=case).exists()
    candidate.refresh_from_db()
    assert candidate.outcome == ""


# --- notice and appointment ----------------------------------------------------------------------


def _passed(world):
    case, candidate = _to_decision(world)
    _decide(world, case, candidate)
    candidate.refresh_from_db()
    return case, candidate


def _notice(world, case, ends_on, starts_on=dt.date(2026, 9, 29)):
    return actions.start_notice(actor=world["officer"], case=case, starts_on=starts_on, ends_on=ends_on, result="在区委组织部网站公示", **PEOPLE)


def test_notice_of_four_working_days_across_a_holiday_refused(world):
    case, _candidate = _passed(world)
    assert rules.notice_working_days(dt.date(2026, 9, 29), dt.date(2026, 10, 9)) == 4  # 09-29, 09-30, 10-08, 10-09
    message = _refused(lambda: _notice(world, case, dt.date(2026, 10, 9)), "2026-10-10")
    assert "4" in message
    _notice(world, case, dt.date(2026, 10, 10))  # the adjusted working Saturday is the fifth
    case.refresh_from_db()
    assert case.notice_ends_on == dt.date(2026, 10, 10)


def test_notice_before_decision_refused(world):
    case, _candidate = _to_decision(world)
    _refused(lambda: _notice(world, case, dt.date(2026, 10, 10)))


def test_objection_must_be_resolved_and_appointment_waits_for_notice_end(world):
    case, candidate = _passed(world)
    _notice(world, case, dt.date(2026, 10, 12))
    objection = actions.record_objection(actor=world["officer"], candidate=candidate, received_on=dt.date(2026, 10, 8), content="反映其工作作风问题")
    appoint = lambda day: actions.appoint_candidate(  # noqa: E731
        actor=world["officer"], candidate=candidate, started_on=day, handler="王经办", talkers="区委组织部部长", talked_on=dt.date(2026, 10, 14)
    )
    _refused(lambda: appoint(dt.date(2026, 10, 12)), "2026-10-12")  # the last day of the notice
    _refused(lambda: appoint(dt.date(2026, 10, 13)), "objection")
    actions.resolve_objection(actor=world["officer"], objection=objection, verification="经核实不影响任用", resolved_on=dt.date(2026, 10, 12))
    appoint(dt.date(2026, 10, 13))
    candidate.refresh_from_db()
    assert Tenure.objects.filter(cadre=candidate.cadre, position=world["post"], ended_on__isnull=True).exists()
    assert set(Talk.objects.filter(cadre=candidate.cadre).values_list("kind", flat=True)) == {"post_change", "pre_appointment"}
    assert candidate.probation_until == dt.date(2027, 10, 12)
    # Complete but for the files the setting asks of the recommendation and the inspection.
    assert sheet.missing(candidate) == [
        "no file attached to the stage: democratic recommendation (民主推荐)",
        "no file attached to the stage: inspection (考察)",
    ]
    for stage in (Stage.RECOMMENDATION, Stage.INSPECTION):
        actions.attach_stage_material(
            actor=world["officer"],
            record=case.stages.get(stage=stage),
            upload=SimpleUploadedFile("材料.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"),
        )
    assert sheet.missing(candidate) == []
    _refused(lambda: actions.review_probation(actor=world["head"], candidate=candidate, result="confirmed", reviewed_on=dt.date(2027, 10, 11)), "2027-10-12")


def test_record_sheet_lists_what_is_missing_and_downloads(world):
    case, candidate = _to_candidates(world)
    gaps = sheet.missing(candidate)
    assert any("考察" in g or "inspection" in g for g in gaps)
    assert "no vetting replies" in gaps
    client = Client()
    log_in(client, world["officer"])
    pdf = client.get(reverse("selection:sheet_pdf", args=[case.pk, candidate.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    xlsx = client.get(reverse("selection:sheet_xlsx", args=[case.pk, candidate.pk]))
    assert xlsx.status_code == 200
    assert client.get(reverse("selection:case", args=[case.pk])).status_code == 200
    other = make_user(role=Role.ORG_OFFICER, unit=world["audit"])
    log_in(client, other)
    assert client.get(reverse("selection:sheet_pdf", args=[case.pk, candidate.pk])).status_code == 404


def test_pages_open_for_the_officer(world):
    case, candidate = _passed(world)
    client = Client()
    log_in(client, world["officer"])
    for name, args in [("index", []), ("overdue", []), ("new_case", []), ("case", [case.pk]), ("start_notice", [case.pk]), ("add_candidate", [case.pk])]:
        assert client.get(reverse(f"selection:{name}", args=args)).status_code == 200, name
    response = client.post(
        reverse("selection:start_notice", args=[case.pk]),
        {"starts_on": "2026-09-29", "ends_on": "2026-10-09", "result": "公示", "handler": "王", "responsible": "李"},
    )
    assert response.status_code == 200
    assert "2026-10-10" in response.content.decode()


def test_api_runs_a_stage_and_refuses_out_of_order(world):
    case = _open(world)
    api = api_client(world["officer"])
    body = {"stage": "inspection", "held_on": "2026-09-02", "handler": "王", "responsible": "李", "result": "x"}
    assert api.post(f"/api/v1/selection/cases/{case.pk}/stages", body, content_type="application/json").status_code == 400
    body["stage"] = "recommendation"
    answer = api.post(f"/api/v1/selection/cases/{case.pk}/stages", body, content_type="application/json")
    assert answer.status_code == 200, answer.content
    assert answer.json()["next_stage"] == "candidates"


def test_trace_back_lists_people_of_every_stage(world):
    case, candidate = _passed(world)
    client = Client()
    log_in(client, world["officer"])
    page = client.get(reverse("selection:trace", args=[case.pk, candidate.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    for member in world["members"]:
        assert member.name in text
    assert world["vet_audit"].full_name in text and "区委组织部" in text
    assert JournalEntry.objects.filter(action="selection.trace.viewed").count() == 1
    log_in(client, world["vet_audit"])
    assert client.get(reverse("selection:trace", args=[case.pk, candidate.pk])).status_code == 404


def test_refusal_reads_in_chinese_on_the_page(world):
    case = _open(world)
    client = Client()
    log_in(client, world["officer"])
    with translation.override("zh-hans"):
        response = client.post(
            reverse("selection:record_stage", args=[case.pk, "inspection"]), {"held_on": "2026-09-02", "handler": "王", "responsible": "李", "result": "x"}
        )
    text = response.content.decode()
    assert "不能在" in text and "第二十四条" not in text and "民主推荐" in text


def test_home_card_counts_the_department_requests_awaiting_reply(world):
    from jiandu.selection.cards import vetting_card

    case, candidate = _to_candidates(world)
    assert vetting_card(world["officer"]) is None  # not a vetting department's officer
    assert vetting_card(world["vet_audit"])["number"] == 0
    actions.send_vetting(actor=world["officer"], case=case, sent_on=D + dt.timedelta(days=3))
    card = vetting_card(world["vet_audit"])
    assert card["number"] == 1 and card["attention"]
    audit = VettingRequest.objects.get(candidate=candidate, department=world["audit"])
    actions.reply_vetting(actor=world["vet_audit"], request=audit, result="verify", details="需调阅审计底稿", replied_on=D + dt.timedelta(days=4))
    assert vetting_card(world["vet_audit"])["number"] == 0
    with pytest.raises(ActionError):
        actions.reply_vetting(actor=world["vet_audit"], request=audit, result="no_problem", replied_on=D + dt.timedelta(days=5))
