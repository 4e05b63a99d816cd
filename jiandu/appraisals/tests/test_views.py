"""Pages: every view renders for the organisation department, is 404 for another unit's officer,
and the forms drive the actions (post/redirect/get, problems shown beside the fields)."""

import datetime as dt
import io
from urllib.parse import quote

import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from python_calamine import CalamineWorkbook

from jiandu.accounts.models import Role
from jiandu.appraisals import actions, queries
from jiandu.appraisals.models import AdmonishmentProposal, AppraisalCycle, DisqualifyingEvent
from jiandu.core.models import JournalEntry
from jiandu.testing import make_user

from .conftest import cast, make_team, open_cycle

pytestmark = pytest.mark.django_db


def login(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


@pytest.fixture
def scenario(district, officer):
    """A cycle whose evaluation has closed with one yellow card, grades proposed."""
    unit, _ = make_team(district, "区审计局", titles=("局长", "副局长"))
    cycle = actions.create_cycle(actor=officer, unit=district, year=2025)
    assessed = actions.add_unit(actor=officer, cycle=cycle, unit=unit)
    actions.save_indicators(actor=officer, assessed_unit=assessed, rows=[{"name": "审计项目", "weight": "1", "score": "92"}])
    open_cycle(officer, cycle)
    cast(officer, assessed, "staff", ["excellent", "good", "good"], {"区局长": ["incompetent", "competent", "excellent"], "区副局长": ["competent"] * 3})
    actions.close_evaluation(actor=officer, cycle=cycle)
    actions.propose_grades(actor=officer, cycle=cycle)
    return cycle


def urls(cycle):
    assessed = cycle.units.first()
    row = cycle.cadres.first()
    proposal = AdmonishmentProposal.objects.filter(cycle=cycle).first()
    get = [
        reverse("appraisals:cycle_detail", args=[cycle.pk]),
        reverse("appraisals:targets", args=[cycle.pk]),
        reverse("appraisals:targets_template", args=[cycle.pk]),
        reverse("appraisals:evaluation", args=[cycle.pk]),
        reverse("appraisals:grades", args=[cycle.pk]),
        reverse("appraisals:results", args=[cycle.pk]),
        reverse("appraisals:results_export", args=[cycle.pk]),
        reverse("appraisals:unit_detail", args=[assessed.pk]),
        reverse("appraisals:cadre_detail", args=[row.pk]),
    ]
    post = [
        reverse("appraisals:cycle_update", args=[cycle.pk]),
        reverse("appraisals:add_unit", args=[cycle.pk]),
        reverse("appraisals:complete", args=[cycle.pk]),
        reverse("appraisals:evaluation_close", args=[cycle.pk]),
        reverse("appraisals:grades_propose", args=[cycle.pk]),
        reverse("appraisals:unit_targets", args=[assessed.pk]),
        reverse("appraisals:unit_remove", args=[assessed.pk]),
        reverse("appraisals:unit_report", args=[assessed.pk]),
        reverse("appraisals:cadre_add", args=[assessed.pk]),
        reverse("appraisals:cadre_remove", args=[row.pk]),
        reverse("appraisals:cadre_use", args=[row.pk]),
        reverse("appraisals:follow_up_done", args=[row.pk]),
        reverse("appraisals:cadre_report_file", args=[row.pk]),
        reverse("appraisals:proposal_confirm", args=[proposal.pk]),
        reverse("appraisals:proposal_dismiss", args=[proposal.pk]),
    ]
    return get, post


def test_every_page_renders_for_the_department(scenario, officer, head):
    get, _post = urls(scenario)
    for client in (login(officer), login(head)):
        for url in get:
            response = client.get(url)
            assert response.status_code == 200, url
        for url in (reverse("appraisals:index"), reverse("appraisals:proposals"), reverse("appraisals:events"), reverse("appraisals:cycle_create")):
            assert client.get(url).status_code == 200, url
    page = login(head).get(reverse("appraisals:grades", args=[scenario.pk])).content.decode()
    assert "excellent 0/2 (20%), at most 0" in page
    assert "The 优秀 quota of this pool of 2 comes out as 0" in page  # the zero quota is warned about
    page = login(officer).get(reverse("appraisals:unit_detail", args=[scenario.units.first().pk])).content.decode()
    assert "(1×92) ÷ 1" in page


def test_wrong_unit_is_404_everywhere(scenario, outsider):
    client = login(outsider)
    get, post = urls(scenario)
    for url in get:
        assert client.get(url).status_code == 404, url
    for url in post:
        assert client.post(url, {"reason": "x", "note": "x", "title": "x"}).status_code == 404, url
    event = actions.record_disqualifying_event(
        actor=scenario_officer(scenario), cadre=scenario.cadres.first().cadre, occurred_on=dt.date(2025, 1, 2), kind="受到诫勉"
    )
    assert client.post(reverse("appraisals:event_withdraw", args=[event.pk]), {"reason": "x"}).status_code == 404
    # lists are scoped: nothing of the district shows
    assert scenario.title not in client.get(reverse("appraisals:index")).content.decode()
    assert "区局长" not in client.get(reverse("appraisals:proposals")).content.decode()
    assert "区局长" not in client.get(reverse("appraisals:events")).content.decode()


def test_roles_without_the_permission_get_404(scenario, district):
    """An auditor of the district has no appraisal permission: every page is a 404. A committee
    member reads (appraisals.view) and may change nothing."""
    get, post = urls(scenario)
    lists = [reverse("appraisals:index"), reverse("appraisals:cycle_create"), reverse("appraisals:proposals"), reverse("appraisals:events")]
    auditor_user = make_user(role=Role.AUDIT_OFFICER, unit=district)
    auditor = login(auditor_user)
    for url in get + lists:
        assert auditor.get(url).status_code == 404, url
    for url in post + lists:
        assert auditor.post(url, {"reason": "x", "note": "x", "title": "x"}).status_code == 404, url
    member_user = make_user(role=Role.COMMITTEE_MEMBER, unit=district)
    member = login(member_user)
    assert member.get(reverse("appraisals:cycle_detail", args=[scenario.pk])).status_code == 200
    assert member.get(reverse("appraisals:cycle_create")).status_code == 404
    for url in post + [reverse("appraisals:events")]:
        assert member.post(url, {"reason": "x", "note": "x", "title": "x", "cadre": "1"}).status_code == 404, url
    event = actions.record_disqualifying_event(
        actor=scenario_officer(scenario), cadre=scenario.cadres.first().cadre, occurred_on=dt.date(2025, 1, 2), kind="受到诫勉"
    )
    assert member.post(reverse("appraisals:event_withdraw", args=[event.pk]), {"reason": "x"}).status_code == 404
    assert AdmonishmentProposal.objects.get().is_pending and not DisqualifyingEvent.objects.get().is_withdrawn
    assert not JournalEntry.objects.filter(action__startswith="appraisals.", actor_id__in=[auditor_user.pk, member_user.pk]).exists()


def scenario_officer(cycle):
    from jiandu.accounts.models import User

    return User.objects.get(pk=cycle.created_by_id)


def test_anonymous_is_sent_to_login(scenario):
    response = Client().get(reverse("appraisals:cycle_detail", args=[scenario.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_create_cycle_and_units_through_pages(district, officer):
    client = login(officer)
    unit, _ = make_team(district, "区水务局", titles=("局长",))
    response = client.post(reverse("appraisals:cycle_create"), {"unit": district.pk, "year": 2025, "kind": "annual", "uses_target_scores": "on"})
    cycle = AppraisalCycle.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("appraisals:cycle_detail", args=[cycle.pk])
    response = client.post(reverse("appraisals:cycle_create"), {"unit": district.pk, "year": 2025, "kind": "annual"})
    assert response.status_code == 200 and "already has an annual assessment" in response.content.decode()
    client.post(reverse("appraisals:add_unit", args=[cycle.pk]), {"unit": unit.pk, "include_team": "on"})
    assessed = cycle.units.get()
    assert assessed.cadres.count() == 1
    # indicator editor: a bad row is shown with its problem, nothing stored
    response = client.post(
        reverse("appraisals:unit_targets", args=[assessed.pk]), {"name": ["供水", "排水"], "weight": ["60", "x"], "score": ["90", "80"], "note": ["", ""]}
    )
    assert response.status_code == 422 and "Weight must be a number." in response.content.decode()
    assert assessed.indicators.count() == 0
    response = client.post(
        reverse("appraisals:unit_targets", args=[assessed.pk]),
        {"name": ["供水", "排水", ""], "weight": ["60", "40", ""], "score": ["90", "80", ""], "note": ["", "", ""]},
    )
    assert response.status_code == 302 and assessed.indicators.count() == 2
    client.post(reverse("appraisals:unit_report", args=[assessed.pk]), {"text": "班子述职"})
    assessed.refresh_from_db()
    assert assessed.team_report_text == "班子述职"
    row = assessed.cadres.get()
    response = client.post(reverse("appraisals:cadre_detail", args=[row.pk]), {"text": "述职", "file": SimpleUploadedFile("a.pdf", b"not a pdf")})
    assert response.status_code == 200 and "Only PDF files can be attached." in response.content.decode()
    client.post(reverse("appraisals:cadre_detail", args=[row.pk]), {"text": "述职", "file": SimpleUploadedFile("述职报告.pdf", b"%PDF-1.4 x")})
    download = client.get(reverse("appraisals:cadre_report_file", args=[row.pk]))
    assert download.status_code == 200 and "attachment" in download["Content-Disposition"] and download["X-Content-Type-Options"] == "nosniff"
    # The download is a read of a personnel document: journaled, naming the cadre.
    entry = JournalEntry.objects.get(action="appraisals.cadre_report.downloaded")
    assert (entry.actor_id, entry.cadre_id, entry.target_id) == (officer.pk, row.cadre_id, str(row.pk))


def test_import_page_reports_rows_and_template_downloads(district, officer):
    client = login(officer)
    unit, _ = make_team(district, "区商务局", titles=("局长",))
    cycle = actions.create_cycle(actor=officer, unit=district, year=2025)
    actions.add_unit(actor=officer, cycle=cycle, unit=unit)
    template = client.get(reverse("appraisals:targets_template", args=[cycle.pk]))
    # Named after the cycle in the user's language (English here), without internal numbers.
    assert template["Content-Disposition"].endswith(quote(f"{cycle.title}-Target scores template.xlsx"))
    rows = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(template.streaming_content))).get_sheet_by_index(0).to_python()
    assert rows[1][0] == "区商务局"
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    for i, r in enumerate([rows[0], ["区商务局", "招商", 50, 88, ""], ["区商务局", "外贸", 50, 120, ""]]):
        sheet.write_row(i, 0, r)
    book.close()
    response = client.post(reverse("appraisals:targets", args=[cycle.pk]), {"file": SimpleUploadedFile("t.xlsx", buffer.getvalue())})
    page = response.content.decode()
    assert response.status_code == 200 and "Score must be from 0 to 100." in page and ">3<" in page
    assert not cycle.units.get().indicators.exists()


def test_evaluation_pages_drive_the_cycle(district, officer, head):
    client = login(officer)
    unit, _ = make_team(district, "区住建局", titles=("局长",))
    cycle = actions.create_cycle(actor=officer, unit=district, year=2025, uses_target_scores=False)
    assessed = actions.add_unit(actor=officer, cycle=cycle, unit=unit)
    page = client.get(reverse("appraisals:evaluation", args=[cycle.pk])).content.decode()
    assert f"headcount-{assessed.pk}-staff" in page
    response = client.post(reverse("appraisals:evaluation", args=[cycle.pk]), {f"headcount-{assessed.pk}-staff": "12"})
    assert response.status_code == 200 and cycle.units.get().ballot_id is None
    response = client.post(reverse("appraisals:evaluation", args=[cycle.pk]), {f"headcount-{assessed.pk}-staff": "12", f"headcount-{assessed.pk}-leaders": "4"})
    assert response.status_code == 302
    cycle.refresh_from_db()
    assert cycle.status == "evaluation_open"
    page = client.get(reverse("appraisals:evaluation", args=[cycle.pk])).content.decode()
    # links to the ballots app's pages, where that app provides them (never a dead link)
    links = queries.ballot_links(cycle.units.get().ballot_id)
    assert all(url in page for key, url in links.items() if key != "results")
    assert all(client.get(url).status_code == 200 for key, url in links.items() if key != "results")
    assert links["codes"].endswith("#codes")  # the codes are generated by the form on the ballot's page
    cast(officer, cycle.units.get(), "staff", ["good"] * 3, {"区局长": ["incompetent", "competent", "competent"]})
    client.post(reverse("appraisals:evaluation_close", args=[cycle.pk]))
    client.post(reverse("appraisals:grades_propose", args=[cycle.pk]))
    cycle.refresh_from_db()
    assert cycle.status == "grades_proposed"
    row = cycle.cadres.get()
    # officers cannot confirm
    assert client.post(reverse("appraisals:grades", args=[cycle.pk]), {}).status_code == 404
    head_client = login(head)
    response = head_client.post(reverse("appraisals:grades", args=[cycle.pk]), {f"cadre-{row.pk}": "excellent", f"team-{assessed.pk}": "good"})
    assert response.status_code == 422 and "Give the reason" in response.content.decode()
    response = head_client.post(reverse("appraisals:grades", args=[cycle.pk]), {f"cadre-{row.pk}": "", f"team-{assessed.pk}": ""})
    assert response.status_code == 302
    cycle.refresh_from_db()
    assert cycle.status == "grades_confirmed"
    # the yellow card at exactly 1/3
    proposal = AdmonishmentProposal.objects.get(cycle=cycle)
    assert proposal.figures == "不称职 1/3 = 33.33%"
    head_client.post(reverse("appraisals:proposal_dismiss", args=[proposal.pk]), {"reason": ""})
    proposal.refresh_from_db()
    assert proposal.is_pending
    head_client.post(reverse("appraisals:proposal_confirm", args=[proposal.pk]), {"note": "同意诫勉"})
    proposal.refresh_from_db()
    assert proposal.status == "confirmed"
    client.post(reverse("appraisals:cadre_use", args=[row.pk]), {"kind": "admonish", "decided_on": "2026-01-05", "note": "诫勉谈话"})
    assert row.uses.count() == 1
    client.post(reverse("appraisals:complete", args=[cycle.pk]))
    cycle.refresh_from_db()
    assert cycle.status == "results_used"
    export = client.get(reverse("appraisals:results_export", args=[cycle.pk]))
    # Named after the cycle in the user's language (English here), without internal numbers.
    assert export["Content-Disposition"].endswith(quote(f"{cycle.title}-Evaluation results.xlsx"))
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(export.streaming_content))).get_sheet_by_index(0).to_python()
    assert sheet[3][1] == "区局长" and "不称职 1/3 = 33.33%" in sheet[3][22]
    assert JournalEntry.objects.filter(action="appraisals.results.exported").exists()
    page = client.get(reverse("appraisals:results", args=[cycle.pk])).content.decode()
    assert 'id="appraisal-chart-data" type="application/json"' in page and "appraisals/charts.js" in page


def test_events_page_records_and_withdraws(district, officer):
    client = login(officer)
    unit, (cadre,) = make_team(district, "区城管局", titles=("局长",))
    page = client.get(reverse("appraisals:events"), {"cadre_q": "区局"}).content.decode()
    assert f'value="{cadre.pk}"' in page
    response = client.post(reverse("appraisals:events"), {"cadre_q": "区局", "cadre": cadre.pk, "occurred_on": "2999-01-01", "kind": "受到诫勉"})
    assert response.status_code == 422 and "The date is in the future." in response.content.decode()
    response = client.post(
        reverse("appraisals:events"), {"cadre_q": "区局", "cadre": cadre.pk, "occurred_on": "2025-04-01", "kind": "受到诫勉", "note": "诫勉谈话"}
    )
    assert response.status_code == 302
    event = DisqualifyingEvent.objects.get()
    client.post(reverse("appraisals:event_withdraw", args=[event.pk]), {"reason": "录错"})
    event.refresh_from_db()
    assert event.is_withdrawn


def test_dashboard_card(scenario, officer, outsider):
    from jiandu.appraisals.dashboard import pending_yellow_cards

    card = pending_yellow_cards(officer)
    assert card["number"] == 1 and card["attention"] and card["url"] == reverse("appraisals:proposals")
    assert pending_yellow_cards(outsider)["number"] == 0
    from jiandu.testing import make_user

    assert pending_yellow_cards(make_user()) is None
    assert "Yellow-card proposals awaiting a decision" in login(officer).get("/").content.decode()
