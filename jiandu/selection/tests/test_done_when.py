"""Issue #15 "done when", through the pages as the demo roles use them: in the demo district, the
organisation department runs one promotion from the motion to the appointment — a vetting reply
that comes late after the daily job's reminder, a meeting with exactly two thirds of the members
present, a public notice across the National Day holiday (a four-working-day notice refused
first) and an objection verified before the appointment — prints the record sheet (PDF and xlsx
carry the facts) and the 干部任免审批表 filled from the case, runs the yearly survey of the
appointments of that year, and produces the trace-back report of the appointment.

Shortcuts, each the work of another app tested there: the vacant post is created through the
registry's action, the personal-matters targeted check is concluded through the matters app's
actions, and the survey's voters vote through the ballot engine's actions with their codes."""

import datetime as dt
import io
import re
from io import StringIO

import pytest
import python_calamine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

from jiandu.accounts.models import User
from jiandu.ballots import actions as ballot_actions
from jiandu.ballots.models import Ballot
from jiandu.core.models import JournalEntry
from jiandu.core.pdf import render_form
from jiandu.decisions import verdict
from jiandu.matters import actions as matters_actions
from jiandu.matters.models import Check as MattersCheck
from jiandu.registry import actions as registry_actions
from jiandu.registry import rules as registry_rules
from jiandu.registry.models import Cadre, Tenure, Unit
from jiandu.selection import rules, sheet
from jiandu.selection.actions import escalate_overdue_vetting, send_vetting_reminders
from jiandu.selection.models import Candidate, Material, SelectionCase, Stage, VettingRequest
from jiandu.selection.survey_models import SelectionSurvey
from jiandu.testing import answer_all, log_in

PEOPLE = {"handler": "组织部干部一科 赵新", "responsible": "组织部副部长 刘建华"}
D = dt.date


@pytest.fixture(autouse=True)
def english():
    """Messages asserted in English (the record sheet's facts are the same in every language)."""
    with translation.override("en"):
        yield


def _client(username):
    return log_in(Client(), User.objects.get(username=username))


def _ok(response, where):
    assert response.status_code == 302, (where, response.status_code, re.findall(r'class="errorlist[^"]*">(.*?)</ul>', response.content.decode(), re.S))
    return response


def _pdf(name, title):
    return SimpleUploadedFile(name, render_form(title, [], numbered=False), content_type="application/pdf")


def _eligible_cadre(bureau, post, on):
    """A serving cadre of the bureau whom nothing bars: no art. 24 block, no basic qualification
    missing (no 破格), no tenure or avoidance finding, not listed elsewhere, not a demo account."""
    taken = set(Candidate.objects.values_list("cadre_id", flat=True)) | set(User.objects.exclude(cadre_id=None).values_list("cadre_id", flat=True))
    probe = SelectionCase.objects.order_by("id").first()  # art. 24 reads canvassing of a case; the demo's names nobody
    for cadre in Cadre.objects.filter(unit=bureau, status=Cadre.Status.SERVING, leadership_level="").order_by("id"):
        if cadre.pk in taken or registry_rules.appointment_findings(cadre, post, on):
            continue
        if not rules.qualification_breaches(cadre, post, on) and not rules.art24_blocks(cadre, probe, on):
            return cadre
    raise AssertionError("no eligible cadre in the demo bureau")


def _xlsx_text(response) -> str:
    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content))
    return "\n".join(str(cell) for name in book.sheet_names for row in book.get_sheet_by_name(name).to_python() for cell in row if cell not in ("", None))


def test_one_promotion_from_motion_to_appointment_then_the_survey_and_the_trace_back(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", "--small", stdout=StringIO())
    User.objects.filter(username__startswith="demo_").update(must_change_password=False)
    officer = _client("demo_org_officer")
    org_officer = User.objects.get(username="demo_org_officer")
    demo_case = SelectionCase.objects.order_by("id").first()  # the demo's own finished promotion: its bureau and its committee
    bureau, body = demo_case.unit, demo_case.decision.body
    post = registry_actions.create_position(actor=org_officer, unit=bureau, title="副局长（分管教育督导）", level="section_deputy", order=95)
    cadre = _eligible_cadre(bureau, post, D(2026, 10, 13))

    # 动议
    response = _ok(
        officer.post(
            reverse("selection:new_case"),
            {
                "title": "教育局副局长（分管教育督导）选拔任用",
                "positions": [post.pk],
                "reasons": "分管教育督导的副局长职位空缺",
                "qualifications": "熟悉教育督导工作",
                "scope": "教育局机关及直属学校",
                "proposed_by": "区委组织部",
                "held_on": "2026-08-24",
                "participants": "区委组织部部务会成员",
                **PEOPLE,
            },
        ),
        "motion",
    )
    case = SelectionCase.objects.get(title="教育局副局长（分管教育督导）选拔任用")
    assert response["Location"] == reverse("selection:case", args=[case.pk])

    def stage(name, day, result, participants=""):
        _ok(
            officer.post(reverse("selection:record_stage", args=[case.pk, name]), {"held_on": day, "result": result, "participants": participants, **PEOPLE}),
            name,
        )

    def attach(name, file_name, title):
        record = case.stages.get(stage=name)
        _ok(officer.post(reverse("selection:attach_stage_material", args=[case.pk, record.pk]), {"file": _pdf(file_name, title)}), file_name)

    # 民主推荐, with its tally as a file
    stage(Stage.RECOMMENDATION, "2026-08-26", "会议推荐有效票 38 张", "教育局机关全体干部 40 人")
    attach(Stage.RECOMMENDATION, "推荐票统计表.pdf", "民主推荐票统计表")
    # 确定考察对象
    _ok(
        officer.post(
            reverse("selection:add_candidate", args=[case.pk]),
            {"cadre": cadre.pk, "position": post.pk, "listed_on": "2026-08-28", "recommendation_votes": 33},
        ),
        "candidate",
    )
    candidate = Candidate.objects.get(case=case)
    stage(Stage.CANDIDATES, "2026-08-28", f"确定{cadre.name}为考察对象")

    # 任前预审: the requests go out; each department's officer replies on its own page.
    _ok(officer.post(reverse("selection:send_vetting", args=[case.pk]), {"sent_on": "2026-08-31"}), "send vetting")
    sent = list(VettingRequest.objects.filter(candidate=candidate).select_related("department"))
    requests = {
        key: next(r for r in sent if key in (r.department.name, r.department.short_name) or r.department.name.endswith(key)) for key in ("审计局", "区纪委监委")
    }
    due = requests["区纪委监委"].due_on
    assert due == D(2026, 9, 7)  # five working days
    _ok(_client("demo_audit").post(reverse("selection:vetting", args=[requests["审计局"].pk]), {"result": "no_problem", "replied_on": "2026-09-02"}), "audit")
    # The discipline commission is late: the daily job reminds it on the due date, reports it the day after.
    assert send_vetting_reminders(today=due) >= 1 and escalate_overdue_vetting(today=due + dt.timedelta(days=1)) >= 1
    # Inspection cannot start while a reply is missing.
    refused = officer.post(reverse("selection:record_stage", args=[case.pk, Stage.VETTING]), {"held_on": "2026-09-08", "result": "联审完成", **PEOPLE})
    assert refused.status_code == 200 and Stage.VETTING not in case.recorded_stages()
    discipline = _client("demo_discipline")
    late = requests["区纪委监委"]
    assert "2026-09-07" in discipline.get(reverse("selection:vetting", args=[late.pk])).content.decode()  # the reminder shows
    _ok(discipline.post(reverse("selection:attach_vetting_material", args=[late.pk]), {"file": _pdf("廉政意见.pdf", "廉政意见回复")}), "vetting file")
    _ok(discipline.post(reverse("selection:vetting", args=[late.pk]), {"result": "no_problem", "details": "未发现问题", "replied_on": "2026-09-09"}), "late")
    stage(Stage.VETTING, "2026-09-10", "联审部门均已回复，未发现影响使用的问题")

    # 考察 with its materials, 凡提四必, 酝酿
    stage(Stage.INSPECTION, "2026-09-14", "个别谈话 22 人，民主测评称职以上 100%", "考察组：组织部 2 人")
    attach(Stage.INSPECTION, "考察材料.pdf", "干部考察材料")
    review = {"reviewed_on": "2026-09-11", "birth_on": cadre.birth_on.isoformat(), "education": cadre.education}
    review.update({k: getattr(cadre, k).isoformat() for k in ("party_join_on", "work_start_on") if getattr(cadre, k)})
    _ok(officer.post(reverse("selection:file_review", args=[case.pk, candidate.pk]), review), "file review")
    check = MattersCheck.objects.get(cadre=cadre, kind="targeted", status="open")
    request = matters_actions.send_request(actor=org_officer, check=check, department="不动产登记机构")
    matters_actions.record_reply(actor=org_officer, request=request, replied_on=dt.date.today(), rows=[])
    matters_actions.conclude_check(actor=org_officer, check=check, handling="none", decided_on=dt.date.today(), deciding_body="区委组织部")
    stage(Stage.CONSULTATION, "2026-09-16", "与分管区领导酝酿一致")

    # 讨论决定: exactly two thirds of the standing committee present, the principal last.
    members = [m.cadre for m in body.memberships.select_related("cadre").order_by("id")]
    total = len(members)
    present = verdict.quorum_needed(total, verdict.APPOINTMENT)
    assert present * 3 == total * 2 or present * 3 > total * 2 > (present - 1) * 3  # the least attendance that is valid
    others = [m for m in members if m.pk != body.principal_id]
    absent = others[: total - present]
    url = reverse("selection:record_decision", args=[case.pk]) + f"?body={body.pk}"
    data = {"held_on": "2026-09-22", "handler": PEOPLE["handler"]}
    for member in members:
        data[f"s_{candidate.pk}_{member.pk}"] = "absent" if member in absent else verdict.AGREE
    _ok(officer.post(url, data), "decision")
    candidate.refresh_from_db()
    assert candidate.outcome == verdict.PASSED

    # 任前公示 across the National Day holiday: 09-29 to 10-09 is four working days, refused.
    notice = {"starts_on": "2026-09-29", "result": "在示范区党建网公示", **PEOPLE}
    refused = officer.post(reverse("selection:start_notice", args=[case.pk]), {**notice, "ends_on": "2026-10-09"})
    assert refused.status_code == 200 and "2026-10-10" in refused.content.decode()
    _ok(officer.post(reverse("selection:start_notice", args=[case.pk]), {**notice, "ends_on": "2026-10-10"}), "notice")
    _ok(
        officer.post(
            reverse("selection:record_objection", args=[case.pk]),
            {"candidate": candidate.pk, "received_on": "2026-09-30", "content": "来信反映其督导检查走过场"},
        ),
        "objection",
    )
    objection = candidate.objections.get()
    appoint = {"started_on": "2026-10-13", "handler": PEOPLE["handler"], "talkers": "区委组织部部长", "talked_on": "2026-10-13"}
    refused = officer.post(reverse("selection:appoint", args=[case.pk, candidate.pk]), appoint)
    assert refused.status_code == 200 and not Tenure.objects.filter(cadre=cadre, position=post).exists()  # the objection is open
    _ok(
        officer.post(
            reverse("selection:resolve_objection", args=[case.pk, objection.pk]), {"verification": "经核实，反映问题不属实", "resolved_on": "2026-10-09"}
        ),
        "resolve",
    )
    # 任职
    _ok(officer.post(reverse("selection:appoint", args=[case.pk, candidate.pk]), appoint), "appoint")
    candidate.refresh_from_db()
    assert candidate.tenure.position == post and candidate.tenure.started_on == D(2026, 10, 13) and case.next_stage() is None

    # The record sheet: complete, and its PDF and xlsx carry the facts.
    assert sheet.missing(candidate) == []
    page = officer.get(reverse("selection:case", args=[case.pk])).content.decode()
    assert "2026-10-10" in page and "推荐票统计表.pdf" in page
    pdf = officer.get(reverse("selection:sheet_pdf", args=[case.pk, candidate.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    text = _xlsx_text(officer.get(reverse("selection:sheet_xlsx", args=[case.pk, candidate.pk])))
    assert text.count("2026-09-07") >= 2  # due, and reminded on the due date
    for fact in (
        cadre.name,
        "分管教育督导的副局长职位空缺",
        "推荐票统计表.pdf",
        "考察材料.pdf",
        "廉政意见.pdf",
        "2026-09-09",  # the late reply
        "2026-09-08",  # reported overdue the day after the due date
        "2026-09-29 – 2026-10-10",
        "来信反映其督导检查走过场",
        "经核实，反映问题不属实",
        "2026-10-13",
    ):
        assert fact in text, fact
    materials = Material.objects.filter(stage_record__case=case).count() + Material.objects.filter(vetting__candidate=candidate).count()
    assert materials == 3
    # The 干部任免审批表 filled from the case.
    lrmx = officer.get(reverse("selection:appform_lrmx", args=[case.pk, candidate.pk])).content.decode()
    assert "<NiRenZhiWu>" in lrmx and post.title in lrmx and "分管教育督导的副局长职位空缺" in lrmx and "区委常委会" in lrmx
    assert officer.get(reverse("selection:appform_pdf", args=[case.pk, candidate.pk])).content.startswith(b"%PDF-")

    # 一报告两评议 of 2026: the survey lists the cadre appointed this year; the participants vote.
    committee = Unit.objects.get(pk=body.unit_id)
    response = _ok(
        officer.post(
            reverse("selection:new_survey"),
            {
                "unit": committee.pk,
                "year": 2026,
                "count_committee": 3,
                "count_heads": 2,
                "count_others": 1,
                "report": _pdf("2026年度选人用人工作报告.pdf", "2026年度选人用人工作报告"),
            },
        ),
        "survey",
    )
    survey = SelectionSurvey.objects.get(year=2026, unit=committee)
    assert survey.appointees.filter(cadre=cadre).exists()
    ballot = Ballot.objects.get(pk=survey.ballot_id)
    voter = 0
    for group in ballot.groups.order_by("order"):
        _batch, codes = ballot_actions.generate_codes(actor=org_officer, ballot=ballot, group=group, count=group.headcount)
        for code in codes:
            # five 满意/认同, the last voter 不满意/不认同
            ballot_actions.submit_ballot(code=code, answers=answer_all(ballot, code, lambda s, q, o, n=voter: o[0 if n < 5 else 2]))
            voter += 1
    assert voter == 6
    _ok(officer.post(reverse("selection:close_survey", args=[survey.pk])), "close survey")
    results = officer.get(reverse("selection:survey", args=[survey.pk])).content.decode()
    # 5 of 6: the work's rate with two places, the appointee's with one, both rounded down
    assert "83.33%（5/6）" in results and f"{cadre.name}</td>" in results and "83.3%（5/6）" in results
    assert officer.get(reverse("selection:survey_xlsx", args=[survey.pk])).status_code == 200

    # 倒查: the trace-back report of this appointment, from the tenure, as page, PDF and xlsx.
    trace = officer.get(reverse("selection:trace_tenure", args=[candidate.tenure_id]), follow=True)
    assert trace.status_code == 200
    body_text = trace.content.decode()
    for fact in ("区委组织部", "来信反映其督导检查走过场", cadre.name):
        assert fact in body_text, fact
    assert officer.get(reverse("selection:trace_pdf", args=[case.pk, candidate.pk])).content.startswith(b"%PDF-")
    trace_text = _xlsx_text(officer.get(reverse("selection:trace_xlsx", args=[case.pk, candidate.pk])))
    assert "区委组织部" in trace_text and "no_problem" not in trace_text
    assert JournalEntry.objects.filter(action="selection.sheet.printed", target_id=case.pk).count() == 2
