"""The demo district: a finished promotion (two-thirds attendance, notice, a resolved objection,
the appointment with its talks and probation) and a promotion waiting for vetting replies."""

import datetime as dt
from io import StringIO

from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from jiandu.accounts.models import User
from jiandu.decisions import verdict
from jiandu.selection import four_checks, queries, sheet
from jiandu.selection.actions import material_path
from jiandu.selection.models import Candidate, Material, SelectionCase, Stage
from jiandu.testing import log_in


def test_demo_cases(db):
    call_command("load_demo", "--small", stdout=StringIO())
    finished, waiting = SelectionCase.objects.order_by("id")
    assert finished.next_stage() is None
    candidate = Candidate.objects.get(case=finished)
    assert candidate.outcome == verdict.PASSED and candidate.tenure_id and candidate.probation_until
    result = queries.candidate_verdict(candidate)
    assert result.present == result.quorum_needed  # exactly two thirds present
    assert candidate.objections.get().resolved_on is not None
    late = candidate.vetting.get(replied_on__gt=models_due(candidate))  # a late reply
    assert late.reminded_on == late.due_on and late.escalated_on == late.due_on + dt.timedelta(days=1)
    assert late.materials.get().name == "廉政意见回复函.pdf"
    # The files of the stages: real PDFs, listed on the record sheet by name and uploader.
    files = Material.objects.filter(stage_record__case=finished).order_by("id")
    assert [m.name for m in files] == ["民主推荐结果统计表.pdf", "考察材料.pdf", "任前公示.pdf"]
    assert all(material_path(m.stored_name).read_bytes().startswith(b"%PDF-") for m in files)
    items = dict(sheet.rows(candidate))
    assert "民主推荐结果统计表.pdf" in " ".join(v for k, v in sheet.rows(candidate))
    assert any("reminded" in v or "提醒" in v for v in items.values())
    assert sheet.missing(candidate) == []
    # 凡提四必 complete for the promotion decided: the file reviewed with its one difference settled
    assert four_checks.gate_problems(candidate) == []
    assert [d["field"] for d in candidate.file_review.differences] == ["work_start_on"]
    assert waiting.next_stage() == Stage.VETTING
    User.objects.filter(username__startswith="demo_").update(must_change_password=False)
    officer = User.objects.get(username="demo_org_officer")
    client = log_in(Client(), officer)
    assert client.get(reverse("selection:case", args=[finished.pk])).status_code == 200
    assert client.get(reverse("selection:sheet_pdf", args=[finished.pk, candidate.pk])).status_code == 200


def models_due(candidate):
    return min(v.due_on for v in candidate.vetting.all())


def test_demo_survey(db):
    from jiandu.selection import survey_queries
    from jiandu.selection.survey_models import SelectionSurvey

    call_command("load_demo", "--small", stdout=StringIO())
    survey = SelectionSurvey.objects.get(year=2025)
    assert survey.participants == 133 and survey.report_file
    results = survey_queries.survey_results(survey)
    assert results.work[0].rate_text == "98.49%（131/133）"
    assert len(results.appointees) == 2
    assert results.appointees[0].figure.rate_text == "99.2%（132/133）"
    assert [row.low for row in results.appointees] == [False, True]  # 45/133 不认同 ≥ 1/3
    User.objects.filter(username__startswith="demo_").update(must_change_password=False)
    client = log_in(Client(), User.objects.get(username="demo_org_officer"))
    page = client.get(reverse("selection:survey", args=[survey.pk])).content.decode()
    assert "98.49%（131/133）" in page and "99.2%（132/133）" in page


def test_demo_accountability_review(db):
    from jiandu.selection.accountability_models import AccountabilityReview

    call_command("load_demo", "--small", stdout=StringIO())
    review = AccountabilityReview.objects.get()
    candidate = review.candidate
    assert candidate.tenure_id and review.status == AccountabilityReview.Status.CONCLUDED
    assert review.stage == Stage.INSPECTION and review.concluded_on >= review.opened_on >= candidate.tenure.started_on
    User.objects.filter(username__startswith="demo_").update(must_change_password=False)
    client = log_in(Client(), User.objects.get(username="demo_org_officer"))
    page = client.get(reverse("selection:trace", args=[candidate.case_id, candidate.pk])).content.decode()
    assert "考察谈话范围存在不足" in page
    # reached from the registry's cadre page through the tenure the appointment created
    cadre_page = client.get(reverse("registry:cadre_detail", args=[candidate.cadre_id])).content.decode()
    assert reverse("selection:trace_tenure", args=[candidate.tenure_id]) in cadre_page
