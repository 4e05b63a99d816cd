"""个人有关事项 in the dossier (core.timeline provider "matters"): the officers see reports, checks
and travel with the travel-versus-report differences (each view journaled); other roles at most
"report submitted" and a check's result; the cadre sees their own travel."""

import datetime as dt

import pytest
from django.utils import translation

from jiandu.accounts.models import Role
from jiandu.core import journal, timeline
from jiandu.core.models import JournalEntry
from jiandu.matters import actions, travel_compare
from jiandu.testing import make_user


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def history(district):
    """张伟明: the 2026 report (covering 2025) lists a trip to Japan on 2025-05-01; the custody
    register has an approved trip to Thailand on 2025-07-01 (not in the report) and the Japan one
    was never requested; a concluded random check."""
    year = actions.open_year(actor=district.officer, year=2026, deadline=dt.date(2026, 1, 31))
    reporter = year.reporters.get(cadre=district.zhang)
    report = actions.start_report(actor=district.officer, reporter=reporter)
    actions.add_item(
        actor=district.officer,
        report=report,
        kind="passport",
        values={"document": "E12345678", "destination": "日本", "departed_on": "2025-05-01", "returned_on": "2025-05-06"},
    )
    actions.add_item(actor=district.officer, report=report, kind="real_estate", values={"address": "示范区东园路1号", "area": "96.75"})
    actions.submit_report(actor=district.officer, report=report, received_on=dt.date(2026, 2, 2))
    holder = actions.register_holder(actor=district.org_officer, cadre=district.zhang, registered_on=dt.date(2025, 1, 5))
    document = actions.receive_document(actor=district.org_officer, holder=holder, kind="passport", number="E12345678", received_on=dt.date(2025, 1, 6))
    travel = actions.request_travel(
        actor=district.org_officer, holder=holder, destination="泰国", purpose="探亲", departs_on=dt.date(2025, 7, 1), returns_on=dt.date(2025, 7, 10)
    )
    actions.decide_travel(actor=district.org_head, travel=travel, approve=True)
    loan = actions.lend_document(actor=district.org_officer, document=document, travel=travel, lent_on=dt.date(2025, 6, 28))
    actions.return_document(actor=district.org_officer, loan=loan, returned_on=dt.date(2025, 7, 23))
    check = actions.request_targeted_check(actor=district.officer, cadre=district.zhang, reason="拟提拔")
    request = actions.send_request(actor=district.officer, check=check, department="不动产登记机构")
    actions.record_reply(actor=district.officer, request=request, replied_on=dt.date.today(), rows=[])
    actions.conclude_check(actor=district.officer, check=check, handling="none", decided_on=dt.date.today())
    return report, travel


def _entries(viewer, cadre):
    return timeline.collect(viewer, cadre, only="matters")


def test_officers_see_reports_checks_travel_and_the_differences_journaled(district, history):
    result = _entries(district.officer, district.zhang)
    assert not result.unavailable
    titles = [e.title for e in result.entries]
    assert "Personal-matters report 2026, version 1" in titles
    assert "Private travel to 泰国" in titles
    assert any("lent for the trip to 泰国" in t for t in titles)
    loan = next(e for e in result.entries if e.key.startswith("loan:"))
    assert "3 days late" in loan.summary  # due 2025-07-20, back on the 23rd
    report = next(e for e in result.entries if e.key.startswith("report:"))
    assert "late" in report.summary and report.sensitivity == timeline.SECRET
    # No asset value in the dossier (a value that cannot occur in an entry's dates or keys).
    assert "96.75" not in str(result.entries) and "东园路" not in str(result.entries)
    # the read is journaled by the dossier with its own view of the file, in one write (core.timeline: Source.shown)
    assert [r["data"] for r in result.journal if r["action"] == "matters.dossier.viewed"] == [{"entries": len(result.entries)}]
    journal.record_many(result.journal)
    assert JournalEntry.objects.filter(action="matters.dossier.viewed", actor_id=district.officer.pk, cadre_id=None).count() == 1
    facts = [e.summary for e in result.entries if e.key.startswith("difference:")]
    assert any("泰国" in f and "2025-07-01" in f and "not in the report of 2026" in f for f in facts)
    assert any("日本" in f and "2025-05-01" in f and "without an approved travel request" in f for f in facts)


def test_other_roles_see_only_report_submitted_and_the_check_result(district, history):
    discipline = make_user(role=Role.DISCIPLINE_OFFICER)
    for viewer in (district.org_officer, discipline):
        before = JournalEntry.objects.filter(action="matters.dossier.viewed").count()
        result = _entries(viewer, district.zhang)
        assert sorted(e.title for e in result.entries) == ["Check of the personal-matters report concluded", "Personal-matters report 2026 submitted"]
        assert all(e.url == "" and e.sensitivity == timeline.SENSITIVE for e in result.entries)
        assert "consistent" in [e.summary for e in result.entries]
        assert JournalEntry.objects.filter(action="matters.dossier.viewed").count() == before


def test_the_cadre_sees_their_own_travel_without_links(district, history):
    zhang_user = make_user(role=Role.CADRE, cadre=district.zhang)
    result = _entries(zhang_user, district.zhang)
    titles = [e.title for e in result.entries]
    assert "Private travel to 泰国" in titles and "Personal-matters report 2026 submitted" in titles
    assert all(e.url == "" for e in result.entries)
    assert not any("version" in t for t in titles)


def test_travel_matching_the_report_shows_no_difference_and_the_year_boundary(district, history):
    report, travel = history
    # the 2026 report covers 2025: a trip departing on 2026-01-01 belongs to the next report
    holder = travel.holder
    later = actions.request_travel(
        actor=district.org_officer, holder=holder, destination="新加坡", purpose="旅游", departs_on=dt.date(2026, 1, 1), returns_on=dt.date(2026, 1, 5)
    )
    actions.decide_travel(actor=district.org_head, travel=later, approve=True)
    texts = [d.text for d in travel_compare.travel_differences(district.zhang)]
    assert not any("新加坡" in t for t in texts)
    # a correction adding the Thailand trip and a request for the Japan trip settle both differences
    japan = actions.request_travel(
        actor=district.org_officer, holder=holder, destination="日本", purpose="旅游", departs_on=dt.date(2025, 5, 1), returns_on=dt.date(2025, 5, 6)
    )
    actions.decide_travel(actor=district.org_head, travel=japan, approve=True)
    correction = actions.start_report(actor=district.officer, reporter=report.reporter, correction_reason="补报出行")
    actions.add_item(
        actor=district.officer,
        report=correction,
        kind="passport",
        values={"document": "E12345678", "destination": "泰国", "departed_on": "2025-07-01", "returned_on": "2025-07-10"},
    )
    actions.submit_report(actor=district.officer, report=correction, received_on=dt.date(2026, 3, 1))
    assert travel_compare.travel_differences(district.zhang) == []
