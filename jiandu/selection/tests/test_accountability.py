# ruff: noqa: F811  (the `world` fixture is imported from test_cases)
"""The trace-back report (倒查) of an appointment and its accountability reviews (问责审查)."""

import datetime as dt
import io

import pytest
from django.test import Client
from django.urls import reverse

from jiandu.accounts.models import Role
from jiandu.core.models import JournalEntry
from jiandu.oversight.models import Disposition
from jiandu.selection import accountability_actions, accountability_report, actions
from jiandu.selection.accountability_models import AccountabilityReview
from jiandu.selection.models import Stage
from jiandu.testing import api_client, log_in, make_unit, make_user

from .test_cases import _notice, _passed, _refused, english, world  # noqa: F401  (the fixtures)


def _appointed(w):
    """A demo-like case: a 9-member decision, a notice across the holiday, an objection resolved, the appointment."""
    case, candidate = _passed(w)
    _notice(w, case, dt.date(2026, 10, 12))
    objection = actions.record_objection(actor=w["officer"], candidate=candidate, received_on=dt.date(2026, 10, 8), content="反映其工作作风问题")
    actions.resolve_objection(actor=w["officer"], objection=objection, verification="经核实不影响任用", resolved_on=dt.date(2026, 10, 12))
    actions.appoint_candidate(
        actor=w["officer"], candidate=candidate, started_on=dt.date(2026, 10, 13), handler="王经办", talkers="区委组织部部长", talked_on=dt.date(2026, 10, 14)
    )
    candidate.refresh_from_db()
    return case, candidate


def _open(w, candidate, **overrides):
    data = {
        "stage": Stage.INSPECTION,
        "responsible": ["王经办"],
        "finding": "考察时未发现其违规经商问题",
        "measures": "诫勉谈话",
        "opened_on": dt.date(2026, 11, 2),
    }
    data.update(overrides)
    return accountability_actions.open_review(actor=w["officer"], candidate=candidate, **data)


def test_report_lists_every_stage_and_each_members_vote(world):
    case, candidate = _appointed(world)
    rows = accountability_report.rows(candidate)
    stages = [r["stage"] for r in rows]
    for _value, label in Stage.choices:
        assert str(label) in stages
    assert not [r for r in rows if r["recorded"] == "not recorded"]
    votes = {r["people"]: r["recorded"] for r in rows if r["item"].startswith("Member's statement")}
    assert set(votes) == {m.name for m in world["members"]}
    assert all("agree" in text for text in votes.values())
    assert any("(principal)" in r["item"] and r["people"] == world["members"][0].name for r in rows)
    text = str(rows)
    assert "区委组织部" in text and world["vet_audit"].full_name in text and world["vet_discipline"].full_name in text
    assert "反映其工作作风问题 → 经核实不影响任用" in text
    assert any(r["item"] == "Appointment talk" and r["people"] == "区委组织部部长" for r in rows)
    assert any(r["item"] == "Recommendation votes" and r["recorded"] == "31" for r in rows)
    client = Client()
    log_in(client, world["officer"])
    page = client.get(reverse("selection:trace", args=[case.pk, candidate.pk])).content.decode()
    for member in world["members"]:
        assert member.name in page
    # reached from the registry tenure the case created
    answer = client.get(reverse("selection:trace_tenure", args=[candidate.tenure_id]))
    assert answer.status_code == 302 and answer["Location"] == reverse("selection:trace", args=[case.pk, candidate.pk])


def test_a_review_names_only_people_of_the_record(world):
    _case, candidate = _appointed(world)
    before = JournalEntry.objects.count()
    message = _refused(lambda: _open(world, candidate, responsible=["王经办", "赵路人"]), "赵路人")
    assert "not named in the record" in message
    _refused(lambda: _open(world, candidate, responsible=[]), "at least one")
    assert not AccountabilityReview.objects.exists() and JournalEntry.objects.count() == before
    review = _open(world, candidate, responsible=["王经办", world["members"][3].name, world["vet_audit"].full_name])
    assert review.responsible == ["王经办", world["members"][3].name, world["vet_audit"].full_name]
    assert JournalEntry.objects.filter(action="selection.accountability.opened").count() == 1


def test_a_review_chooses_a_recorded_stage(world):
    case, candidate = _passed(world)  # decided, no notice yet
    _refused(lambda: _open(world, candidate, stage=Stage.NOTICE), "stages recorded")
    _refused(lambda: _open(world, candidate, stage="nonsense"), "stages recorded")
    assert _open(world, candidate, stage=Stage.DECISION).stage == Stage.DECISION


def test_nul_refused_and_nothing_stored(world):
    _case, candidate = _appointed(world)
    _refused(lambda: _open(world, candidate, finding="考察\x00失察"), "cannot be stored")
    _refused(lambda: _open(world, candidate, responsible=["王经办\x00"]), "cannot be stored")
    assert not AccountabilityReview.objects.exists()
    client = Client()
    log_in(client, world["officer"])
    url = reverse("selection:review_new", args=[candidate.case_id, candidate.pk])
    answer = client.post(url, {"stage": "inspection", "responsible": ["王经办"], "finding": "失察\x00", "opened_on": "2026-11-02"})
    assert answer.status_code in (200, 400)
    assert not AccountabilityReview.objects.exists()


def test_conclude_once_and_not_before_opening(world):
    _case, candidate = _appointed(world)
    review = _open(world, candidate)
    _refused(
        lambda: accountability_actions.conclude_review(actor=world["officer"], review=review, concluded_on=dt.date(2026, 11, 1), conclusion="x"), "2026-11-02"
    )
    accountability_actions.conclude_review(actor=world["officer"], review=review, concluded_on=dt.date(2026, 11, 2), conclusion="给予诫勉")
    review.refresh_from_db()
    assert review.status == AccountabilityReview.Status.CONCLUDED
    _refused(
        lambda: accountability_actions.conclude_review(actor=world["officer"], review=review, concluded_on=dt.date(2026, 11, 3), conclusion="y"), "already"
    )
    assert JournalEntry.objects.filter(action="selection.accountability.concluded").count() == 1


def test_review_by_page_and_shown_in_the_report(world):
    case, candidate = _appointed(world)
    client = Client()
    log_in(client, world["officer"])
    url = reverse("selection:review_new", args=[case.pk, candidate.pk])
    assert client.get(url).status_code == 200
    answer = client.post(url, {"stage": "vetting", "responsible": [world["vet_audit"].full_name], "finding": "审计局回复不实", "opened_on": "2026-11-02"})
    assert answer.status_code == 302, answer.content.decode()[:2000]
    review = AccountabilityReview.objects.get()
    page = client.get(reverse("selection:trace", args=[case.pk, candidate.pk])).content.decode()
    assert "审计局回复不实" in page
    conclude = reverse("selection:review_conclude", args=[case.pk, review.pk])
    assert client.post(conclude, {"concluded_on": "2026-11-05", "conclusion": "已问责"}).status_code == 302
    assert client.get(conclude).status_code == 404  # concluded


def test_review_links_a_visible_disposition(world):
    from jiandu.oversight.actions.dispositions import record_disposition

    _case, candidate = _appointed(world)
    member = world["members"][3]
    disposition = record_disposition(
        actor=world["officer"], cadre=member, measure="admonishment_talk", decided_on=dt.date(2026, 11, 3), deciding_body="区委组织部", grounds="用人失察"
    )
    review = _open(world, candidate, responsible=[member.name], disposition=disposition)
    assert review.disposition == disposition
    assert str(disposition) in str(accountability_report.rows(candidate))
    client = Client()
    log_in(client, world["officer"])
    page = client.get(reverse("selection:trace", args=[candidate.case_id, candidate.pk])).content.decode()
    assert reverse("oversight:disposition_detail", args=[disposition.pk]) in page
    hidden = Disposition.objects.get(pk=disposition.pk)
    outsider = make_user(role=Role.ORG_OFFICER, unit=world["bureau"])
    assert not access_sees(outsider, hidden)


def access_sees(user, disposition) -> bool:
    from jiandu.oversight.queries import dispositions_visible_to

    return dispositions_visible_to(user).filter(pk=disposition.pk).exists()


def test_pdf_has_the_chinese_title_and_xlsx_opens(world):
    from openpyxl import load_workbook
    from pypdf import PdfReader

    case, candidate = _appointed(world)
    _open(world, candidate)
    client = Client()
    log_in(client, world["officer"])
    pdf = client.get(reverse("selection:trace_pdf", args=[case.pk, candidate.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages).replace("\x00", "").replace(" ", "")
    assert "干部选拔任用倒查报告" in text
    assert world["members"][5].name in text
    xlsx = client.get(reverse("selection:trace_xlsx", args=[case.pk, candidate.pk]))
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content) if xlsx.streaming else xlsx.content)).active
    values = [c for row in sheet.iter_rows(values_only=True) for c in row if c]
    assert world["members"][8].name in values and "考察时未发现其违规经商问题" in " ".join(map(str, values))
    assert JournalEntry.objects.filter(action="selection.trace.printed").count() == 2


def test_api_reads_the_report_and_records_a_review(world):
    case, candidate = _appointed(world)
    api = api_client(world["officer"])
    report = api.get(f"/api/v1/selection/candidates/{candidate.pk}/trace")
    assert report.status_code == 200
    body = report.json()
    assert {m.name for m in world["members"]} <= set(body["people"])
    post = f"/api/v1/selection/candidates/{candidate.pk}/reviews"
    review = {"stage": "inspection", "responsible": ["赵路人"], "finding": "失察", "opened_on": "2026-11-02"}
    assert api.post(post, review, content_type="application/json").status_code == 400
    review["responsible"] = ["王经办"]
    assert api.post(post, {**review, "finding": "失\x00察"}, content_type="application/json").status_code in (400, 422)
    assert not AccountabilityReview.objects.exists()
    answer = api.post(post, review, content_type="application/json")
    assert answer.status_code == 201, answer.content
    review_id = answer.json()["reviews"][0]["id"]
    done = api.post(f"/api/v1/selection/reviews/{review_id}/conclude", {"concluded_on": "2026-11-04", "conclusion": "已处理"}, content_type="application/json")
    assert done.status_code == 200 and done.json()["reviews"][0]["status"] == "concluded"


@pytest.mark.parametrize("who", ["other_unit", "vetting_officer", "viewer_without_manage"])
def test_wrong_role_or_department_gets_404(world, who):
    case, candidate = _appointed(world)
    review = _open(world, candidate)
    if who == "other_unit":
        user = make_user(role=Role.UNIT_LEADER, unit=make_unit(name="示范区卫健局"))
    elif who == "vetting_officer":
        user = world["vet_audit"]
    else:
        user = make_user(role=Role.COMMITTEE_MEMBER)
    client = Client()
    log_in(client, user)
    writes = [reverse("selection:review_new", args=[case.pk, candidate.pk]), reverse("selection:review_conclude", args=[case.pk, review.pk])]
    reads = [
        reverse("selection:trace", args=[case.pk, candidate.pk]),
        reverse("selection:trace_pdf", args=[case.pk, candidate.pk]),
        reverse("selection:trace_xlsx", args=[case.pk, candidate.pk]),
        reverse("selection:trace_tenure", args=[candidate.tenure_id]),
    ]
    before = JournalEntry.objects.count()
    for url in writes + (reads if who != "viewer_without_manage" else []):
        assert client.get(url).status_code == 404, url
    for url in writes:
        assert client.post(url, {"finding": "x"}).status_code == 404, url
    api = api_client(user)
    if who != "viewer_without_manage":
        assert api.get(f"/api/v1/selection/candidates/{candidate.pk}/trace").status_code == 404
    body = {"stage": "inspection", "responsible": ["王经办"], "finding": "x", "opened_on": "2026-11-02"}
    assert api.post(f"/api/v1/selection/candidates/{candidate.pk}/reviews", body, content_type="application/json").status_code == 404
    conclude = {"concluded_on": "2026-11-04", "conclusion": "x"}
    assert api.post(f"/api/v1/selection/reviews/{review.pk}/conclude", conclude, content_type="application/json").status_code == 404
    assert not JournalEntry.objects.filter(seq__gt=before, action__startswith="selection.accountability").exists()
    assert AccountabilityReview.objects.count() == 1
