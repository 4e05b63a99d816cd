import datetime as dt

import pytest

from jiandu.accounts.access import NotVisible
from jiandu.core.errors import ActionError
from jiandu.core.models import JournalEntry
from jiandu.oversight import queries
from jiandu.oversight.actions import clues, tours
from jiandu.oversight.models import Clue, InspectionTour, RectificationItem

from .conftest import exe_upload, pdf_upload

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()
Stage = InspectionTour.Stage


def planned(d):
    return tours.plan_tour(
        actor=d.officer,
        organiser=d.org,
        name="2026年第一轮巡察",
        year=TODAY.year,
        planned_start=TODAY,
        planned_end=TODAY + dt.timedelta(days=30),
        targets=[d.a],
    )


def stationed(d):
    tour = planned(d)
    leader = tours.add_team_member(actor=d.officer, tour=tour, name="周组长", role="leader")
    tours.declare_interest(actor=d.officer, member=leader, has_conflict=False)
    return tours.start_stationing(actor=d.officer, tour=tour, stationed_on=TODAY)


def test_preparation_blockers_and_stationing(d):
    tour = planned(d)
    assert tour.stage == Stage.PREPARATION
    blockers = [str(b) for b in tour.next_stage_blockers()]
    assert any("leader" in b for b in blockers)
    with pytest.raises(ActionError) as exc:
        tours.start_stationing(actor=d.officer, tour=tour)
    assert exc.value.code == "blocked"
    leader = tours.add_team_member(actor=d.officer, tour=tour, name="周组长", role="leader")
    member = tours.add_team_member(actor=d.officer, tour=tour, name="吴组员")
    with pytest.raises(ActionError):
        tours.add_team_member(actor=d.officer, tour=tour, name="另一组长", role="leader")
    tours.declare_interest(actor=d.officer, member=leader, has_conflict=False)
    assert any("吴组员" in str(b) for b in tour.next_stage_blockers())
    with pytest.raises(ActionError) as exc:
        tours.declare_interest(actor=d.officer, member=member, has_conflict=True)
    assert exc.value.field == "declaration"
    tours.declare_interest(actor=d.officer, member=member, has_conflict=True, declaration="配偶在被巡察单位工作")
    assert any("replaced" in str(b) for b in tour.next_stage_blockers())
    tours.remove_team_member(actor=d.officer, member=member, reason="回避")
    tour = tours.start_stationing(actor=d.officer, tour=tour, stationed_on=TODAY)
    assert tour.stage == Stage.STATIONING
    assert JournalEntry.objects.filter(action="oversight.tour.stationed").exists()
    with pytest.raises(ActionError) as exc:
        tours.add_team_member(actor=d.officer, tour=tour, name="迟到者")
    assert exc.value.code == "stage"


def test_plan_checks(d):
    with pytest.raises(ActionError) as exc:
        tours.plan_tour(actor=d.officer, organiser=d.org, name="x", year=2026, planned_start=TODAY, planned_end=TODAY - dt.timedelta(days=1))
    assert exc.value.field == "planned_end"
    with pytest.raises(NotVisible):
        tours.plan_tour(actor=d.officer_b, organiser=d.b, name="x", year=2026, planned_start=TODAY, planned_end=TODAY, targets=[d.a])
    assert not InspectionTour.objects.exists()


def test_full_tour(d):
    for unit in (d.org, d.discipline):
        clues.add_member(actor=d.officer, unit=unit)
    tour = stationed(d)
    with pytest.raises(ActionError):
        tours.finish_stationing(actor=d.officer, tour=tour)
    with pytest.raises(ActionError) as exc:
        tours.log_work(actor=d.officer, tour=tour, unit=d.b, method="symposium", on=TODAY, description="座谈")
    assert exc.value.field == "unit"
    tours.log_work(actor=d.officer, tour=tour, unit=d.a, method="symposium", on=TODAY, description="召开干部职工座谈会", participants=25)
    finding = tours.record_finding(
        actor=d.officer, tour=tour, unit=d.a, category="finance", description="违规发放津贴", severity="high", evidence="凭证12张", cadres=[d.cadre_a]
    )
    assert JournalEntry.objects.filter(action="oversight.finding.cadre_involved", cadre_id=d.cadre_a.pk).exists()
    tour = tours.finish_stationing(actor=d.officer, tour=tour)
    with pytest.raises(ActionError):
        tours.give_feedback(actor=d.officer, tour=tour, feedback_on=TODAY)
    with pytest.raises(ActionError) as exc:
        tours.record_report(actor=d.officer, tour=tour, report_text="报告", file=exe_upload())
    assert exc.value.field == "file"
    tours.record_report(actor=d.officer, tour=tour, report_text="巡察报告正文", file=pdf_upload("报告.pdf"))
    tour = tours.give_feedback(actor=d.officer, tour=tour, feedback_on=TODAY)
    assert tour.stage == Stage.FEEDBACK
    # 巡视工作条例 art. 27: the target unit's principal on the feedback day is first responsible.
    assert [(t.unit, t.first_responsible) for t in tour.targets.all()] == [(d.a, d.principal_a)]
    entry = JournalEntry.objects.filter(action="oversight.tour.feedback_given").get()
    assert entry.data["first_responsible"] == {str(d.a.pk): d.principal_a.pk}
    assert tour.rectification_due_on == __import__("jiandu.core.calendar", fromlist=["add_months"]).add_months(TODAY, 2)
    clue = tours.transfer_finding(actor=d.officer, finding=finding, cadre=d.cadre_a, to_unit=d.discipline, from_unit=d.org)
    assert clue.source == Clue.Source.INSPECTION and clue.source_tour == tour and clue.status == Clue.Status.TRANSFERRED
    with pytest.raises(ActionError):
        tours.start_rectification(actor=d.officer, tour=tour)
    with pytest.raises(ActionError) as exc:
        tours.add_rectification_item(actor=d.officer, tour=tour, unit=d.a, measure="退回津贴", owner="王局长", due_on=TODAY - dt.timedelta(days=1))
    assert exc.value.field == "due_on"
    item = tours.add_rectification_item(
        actor=d.officer, tour=tour, unit=d.a, measure="退回津贴", owner="王局长", due_on=TODAY + dt.timedelta(days=20), finding=finding
    )
    tour = tours.start_rectification(actor=d.officer, tour=tour)
    with pytest.raises(ActionError):
        tours.close_item(actor=d.officer, item=item, verification_note="已核实")
    tours.record_progress(actor=d.officer, item=item, progress="已退回全部津贴", evidence=pdf_upload("凭证.pdf"))
    assert item.updates.get().evidence_name == "凭证.pdf"
    assert list(queries.overdue_rectification_items(d.officer, today=item.due_on)) == []
    assert list(queries.overdue_rectification_items(d.officer, today=item.due_on + dt.timedelta(days=1))) == [item]
    tours.close_item(actor=d.officer, item=item, verification_note="已核实销号")
    assert any("rectification report" in str(b) for b in tour.next_stage_blockers())
    tours.record_rectification_report(actor=d.officer, tour=tour, text="整改报告")
    with pytest.raises(ActionError) as exc:
        tours.set_public_summary(actor=d.officer, tour=tour, summary="", is_publishable=True)
    assert exc.value.field == "summary"
    tours.set_public_summary(actor=d.officer, tour=tour, summary="整改完成情况", is_publishable=True)
    tour = tours.close_tour(actor=d.officer, tour=tour)
    assert tour.stage == Stage.CLOSED and tour.is_publishable
    codes = set(JournalEntry.objects.filter(target_type="oversight.inspectiontour", target_id=str(tour.pk)).values_list("action", flat=True))
    assert {"oversight.tour.planned", "oversight.tour.feedback_given", "oversight.tour.closed", "oversight.tour.item_closed"} <= codes


def test_reminders_once(d):
    tour = stationed(d)
    tours.log_work(actor=d.officer, tour=tour, unit=d.a, method="document_review", on=TODAY, description="查阅文件")
    tours.finish_stationing(actor=d.officer, tour=tour)
    tours.record_report(actor=d.officer, tour=tour, report_text="报告")
    tours.give_feedback(actor=d.officer, tour=tour, feedback_on=TODAY)
    tours.add_rectification_item(actor=d.officer, tour=tour, unit=d.a, measure="整改", owner="王局长", due_on=TODAY)
    tours.start_rectification(actor=d.officer, tour=tour)
    later = TODAY + dt.timedelta(days=90)
    assert tours.send_rectification_reminders(today=TODAY) == 0
    assert tours.send_rectification_reminders(today=later) == 3  # the item (reminded and escalated) and the report
    assert tours.send_rectification_reminders(today=later) == 0
    item = RectificationItem.objects.get()
    assert item.reminded_on == later and item.escalated_on == later


def test_wrong_unit_cannot_see_or_change_tours(d):
    tour = planned(d)
    assert list(queries.tours_visible_to(d.leader_a)) == [tour]  # the target unit sees its tour
    with pytest.raises(NotVisible):
        queries.get_tour_for(d.officer_b, tour.pk)
    with pytest.raises(NotVisible):
        tours.add_team_member(actor=d.officer_a, tour=tour, name="x")


def test_targets_and_summary_preconditions(d):
    tour = planned(d)
    with pytest.raises(ActionError) as exc:
        tours.add_target(actor=d.officer, tour=tour, unit=d.a)
    assert exc.value.field == "unit"
    tours.add_target(actor=d.officer, tour=tour, unit=d.b)
    assert JournalEntry.objects.filter(action="oversight.tour.target_added").exists()
    with pytest.raises(ActionError) as exc:
        tours.set_public_summary(actor=d.officer, tour=tour, summary="x", is_publishable=True)
    assert exc.value.code == "stage"


def test_tour_rectification_return_visit_and_evidence_download(d, client):
    """The shared rectification blocks on a tour: return for more work, closing, a follow-up visit
    only on the closed item, and the evidence download (scoped, journaled)."""
    from django.urls import reverse

    tour = stationed(d)
    tours.log_work(actor=d.officer, tour=tour, unit=d.a, method="document_review", on=TODAY, description="查阅文件")
    tours.finish_stationing(actor=d.officer, tour=tour)
    tours.record_report(actor=d.officer, tour=tour, report_text="报告")
    tours.give_feedback(actor=d.officer, tour=tour, feedback_on=TODAY)
    item = tours.add_rectification_item(actor=d.officer, tour=tour, unit=d.a, measure="整改", owner="王局长")
    assert item.due_on == TODAY + dt.timedelta(days=60)  # the shared default after the feedback
    tours.start_rectification(actor=d.officer, tour=tour)
    with pytest.raises(ActionError):  # a visit before the item is closed
        tours.record_visit(actor=d.officer, item=item, visited_on=TODAY, visited_by="回访组", outcome="in_place")
    update = tours.record_progress(actor=d.officer, item=item, progress="已整改", evidence=pdf_upload("凭证.pdf"))
    tours.return_item(actor=d.officer, item=item, note="凭证不全")
    tours.record_progress(actor=d.officer, item=item, progress="已补齐")
    tours.close_item(actor=d.officer, item=item, verification_note="")
    tours.record_visit(actor=d.officer, item=item, visited_on=TODAY, visited_by="回访组", outcome="in_place")
    assert item.visits.count() == 1 and [u.kind for u in item.updates.all()] == ["progress", "returned", "progress"]
    url = reverse("oversight:rectification_evidence", args=[update.pk])
    client.force_login(d.officer_b)
    assert client.get(url).status_code == 404
    client.force_login(d.officer)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    assert JournalEntry.objects.filter(action="oversight.tour.evidence_downloaded").count() == 1
    page = client.get(reverse("oversight:tour_detail", args=[tour.pk])).content.decode()
    assert "凭证.pdf" in page and "回访组" in page
