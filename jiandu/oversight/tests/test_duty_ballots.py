"""The audience evaluation of duty reports (群众评) through the ballot engine, end to end: the
session's ballot is created, opened, codes are generated, voters submit, the ballot is closed
and the counts land in the duty reports; the manual counts stay the fallback without a ballot."""

import datetime as dt

import pytest
from django.urls import reverse

from jiandu.accounts.access import NotVisible
from jiandu.ballots import actions as ballot_actions
from jiandu.ballots import queries as ballot_queries
from jiandu.core.errors import ActionError
from jiandu.core.models import JournalEntry
from jiandu.core.rates import format_percent
from jiandu.oversight.actions import duty
from jiandu.oversight.models import DutyReport, DutySession
from jiandu.testing import answer_all, make_position, make_tenure

from .test_access import browser

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()
GROUPS = [{"name": "本单位干部职工", "headcount": 6}, {"name": "服务对象代表", "headcount": 3}]


@pytest.fixture
def session(d):
    """Unit a's session where 王局长 (principal) and 张伟明 (deputy) were heard in public."""
    make_tenure(position=make_position(unit=d.a, title="副局长"), cadre=d.cadre_a)
    reports = duty.plan_duty_reports(actor=d.officer_a, year=TODAY.year, due_on=TODAY + dt.timedelta(days=10), unit=d.a)
    for report in reports:
        duty.submit_duty_report(actor=d.officer_a, report=report, text=f"{report.cadre.name}的述责述廉报告：履职尽责，廉洁自律。")
    return duty.record_duty_session(actor=d.officer_a, unit=d.a, year=TODAY.year, held_on=TODAY, mode="public", reports=reports, audience="全体干部职工")


def report_of(cadre):
    return DutyReport.objects.get(cadre=cadre)


def ballot_of(d, session):
    session.refresh_from_db()
    return ballot_queries.get_ballot_for(d.officer_a, session.ballot_id)


def vote(d, ballot, group_name, grades):
    """One voter of the group per entry of `grades`: {cadre name: option code} for each voter."""
    group = next(g for g in ballot.groups.all() if g.name == group_name)
    _batch, codes = ballot_actions.generate_codes(actor=d.officer_a, ballot=ballot, group=group, count=len(grades))
    for code, grade in zip(codes, grades, strict=True):
        ballot_actions.submit_ballot(
            code=code, answers=answer_all(ballot, code, lambda subject, question, options, g=grade: next(o for o in options if o.code == g[subject.label]))
        )


def test_the_evaluation_ballot_end_to_end(d, session):
    duty.create_evaluation_ballot(actor=d.officer_a, session=session, groups=GROUPS + [{"name": "", "headcount": None}], include_unknown=True)
    ballot = ballot_of(d, session)
    assert ballot.unit_id == d.a.pk and ballot.is_draft and ballot.title == f"{TODAY.year}年度述责述廉群众评议（财政局）"
    principal, deputy = report_of(d.principal_a), report_of(d.cadre_a)
    assert principal.ballot_id == deputy.ballot_id == ballot.pk
    subject = ballot_queries.subjects_referring_to("oversight", "dutyreport", principal.pk).get()
    assert subject.ballot_id == ballot.pk and subject.label == "王局长" and subject.report_text == principal.text
    options = [(o.code, o.label, o.is_valid_vote) for o in subject.section.questions.get().options.order_by("order")]
    assert options == [("good", "好", True), ("fairly_good", "较好", True), ("fair", "一般", True), ("poor", "差", True), ("unknown", "不了解", False)]
    assert [(g.name, g.headcount) for g in ballot.groups.order_by("order")] == [("本单位干部职工", 6), ("服务对象代表", 3)]
    assert JournalEntry.objects.filter(action="oversight.duty_report.ballot_linked", cadre_id=d.principal_a.pk).count() == 1
    assert JournalEntry.objects.get(action="oversight.duty_session.ballot_created").data["ballot_id"] == ballot.pk

    with pytest.raises(ActionError) as exc:
        duty.import_evaluation_results(actor=d.officer_a, session=session)
    assert "close it" in exc.value.message
    ballot = ballot_actions.open_ballot(actor=d.officer_a, ballot=ballot)
    vote(
        d,
        ballot,
        "本单位干部职工",
        [
            {"王局长": "good", "张伟明": "good"},
            {"王局长": "good", "张伟明": "fairly_good"},
            {"王局长": "good", "张伟明": "fair"},
            {"王局长": "fairly_good", "张伟明": "poor"},
            {"王局长": "unknown", "张伟明": "good"},
        ],
    )
    vote(d, ballot, "服务对象代表", [{"王局长": "good", "张伟明": "unknown"}, {"王局长": "poor", "张伟明": "unknown"}])
    # While the ballot runs: no counts by hand, no team opinion.
    with pytest.raises(ActionError):
        duty.record_evaluation(actor=d.officer_a, report=principal, counts={"count_good": 1, "count_fairly_good": 0, "count_average": 0, "count_poor": 0})
    with pytest.raises(ActionError):
        duty.record_team_opinion(actor=d.officer_a, report=principal, opinion="好")
    ballot_actions.close_ballot(actor=d.officer_a, ballot=ballot)

    imported = duty.import_evaluation_results(actor=d.officer_a, session=session)
    assert {r.cadre.name for r in imported} == {"王局长", "张伟明"}
    principal.refresh_from_db()
    deputy.refresh_from_db()
    counts = lambda r: (r.count_good, r.count_fairly_good, r.count_average, r.count_poor, r.count_unknown)  # noqa: E731
    assert counts(principal) == (4, 1, 0, 1, 1) and principal.valid_votes == 6
    assert counts(deputy) == (2, 1, 1, 1, 2) and deputy.valid_votes == 5
    assert format_percent(principal.count_good, principal.valid_votes) == "66.66%（4/6）"  # rounded down, the default
    assert format_percent(deputy.count_good + deputy.count_fairly_good, deputy.valid_votes) == "60.00%（3/5）"
    entry = JournalEntry.objects.get(action="oversight.duty_report.evaluated", cadre_id=d.principal_a.pk)
    assert entry.data == {
        "counts": {"count_good": 4, "count_fairly_good": 1, "count_average": 0, "count_poor": 1},
        "unknown": 1,
        "source": "ballot",
        "ballot_id": ballot.pk,
    }
    assert JournalEntry.objects.get(action="oversight.duty_session.results_imported").data == {"ballot_id": ballot.pk, "reports": 2}

    with pytest.raises(ActionError) as exc:
        duty.import_evaluation_results(actor=d.officer_a, session=session)
    assert exc.value.code == "duplicate"
    assert JournalEntry.objects.filter(action="oversight.duty_report.evaluated").count() == 2
    duty.record_team_opinion(actor=d.officer_a, report=principal, opinion="班子认为该同志履职尽责")
    assert report_of(d.principal_a).status == DutyReport.Status.CONCLUDED

    page = browser(d.officer_a).get(reverse("oversight:duty_session_detail", args=[session.pk])).content.decode()
    assert "66.66%（4/6）" in page and reverse("ballots:results", args=[ballot.pk]) in page
    # no link to the POST-only code generator (issue #9.6), nor to the codes of a closed ballot
    assert reverse("ballots:codes", args=[ballot.pk]) not in page and f"{reverse('ballots:detail', args=[ballot.pk])}#codes" not in page
    report_page = browser(d.officer_a).get(reverse("oversight:duty_report_detail", args=[deputy.pk])).content.decode()
    assert reverse("oversight:duty_evaluate", args=[deputy.pk]) not in report_page and "40.00%（2/5）" in report_page


def test_create_ballot_preconditions(d, session):
    for groups, message in (
        ([], "at least one voter group"),
        ([{"name": "干部职工", "headcount": 0}], "1 to 100000"),
        ([{"name": "", "headcount": 5}], "enter its name"),
        ([{"name": "干部职工", "headcount": 5}, {"name": "干部职工", "headcount": 3}], "Two voter groups"),
    ):
        with pytest.raises(ActionError) as exc:
            duty.create_evaluation_ballot(actor=d.officer_a, session=session, groups=groups)
        assert message in exc.value.message and exc.value.field == "groups"
    with pytest.raises(NotVisible):
        duty.create_evaluation_ballot(actor=d.officer_b, session=session, groups=GROUPS)
    with pytest.raises(NotVisible):
        duty.create_evaluation_ballot(actor=d.leader_a, session=session, groups=GROUPS)
    assert not ballot_queries.ballots_visible_to(d.officer).exists() and DutySession.objects.get().ballot_id is None
    duty.create_evaluation_ballot(actor=d.officer_a, session=session, groups=GROUPS)
    with pytest.raises(ActionError) as exc:
        duty.create_evaluation_ballot(actor=d.officer_a, session=session, groups=GROUPS)
    assert exc.value.code == "duplicate"
    with pytest.raises(NotVisible):
        duty.import_evaluation_results(actor=d.officer_b, session=session)
    assert ballot_queries.ballots_visible_to(d.officer).count() == 1


def test_without_unknown_the_quality_scale_only(d, session):
    duty.create_evaluation_ballot(actor=d.officer_a, session=session, groups=GROUPS[:1])
    subject = ballot_queries.subjects_referring_to("oversight", "dutyreport", report_of(d.cadre_a).pk).get()
    assert [o.code for o in subject.section.questions.get().options.order_by("order")] == ["good", "fairly_good", "fair", "poor"]
    ballot = ballot_actions.open_ballot(actor=d.officer_a, ballot=ballot_of(d, session))
    vote(d, ballot, "本单位干部职工", [{"王局长": "fair", "张伟明": "good"}])
    ballot_actions.close_ballot(actor=d.officer_a, ballot=ballot)
    duty.import_evaluation_results(actor=d.officer_a, session=session)
    principal = report_of(d.principal_a)
    assert (principal.count_good, principal.count_average, principal.count_unknown) == (0, 1, None)


def test_a_session_without_ballot_keeps_the_counts_by_hand(d, session):
    report = report_of(d.principal_a)
    with pytest.raises(ActionError) as exc:
        duty.import_evaluation_results(actor=d.officer_a, session=session)
    assert "no evaluation ballot" in exc.value.message
    duty.record_evaluation(actor=d.officer_a, report=report, counts={"count_good": 30, "count_fairly_good": 2, "count_average": 1, "count_poor": 0})
    assert JournalEntry.objects.get(action="oversight.duty_report.evaluated").data["source"] == "manual"
    page = browser(d.officer_a).get(reverse("oversight:duty_report_detail", args=[report.pk])).content.decode()
    assert reverse("oversight:duty_evaluate", args=[report.pk]) in page and "手工录入" in page
    # The ballot then covers only the report still without counts.
    duty.create_evaluation_ballot(actor=d.officer_a, session=session, groups=GROUPS)
    assert [s.label for s in ballot_of(d, session).subjects.all()] == ["张伟明"]
    assert report_of(d.principal_a).ballot_id is None


def test_a_discarded_draft_ballot_can_be_replaced_or_left_for_counts_by_hand(d, session):
    duty.create_evaluation_ballot(actor=d.officer_a, session=session, groups=GROUPS)
    first = ballot_of(d, session)
    ballot_actions.discard_draft(actor=d.officer_a, ballot=first)
    with pytest.raises(ActionError) as exc:
        duty.import_evaluation_results(actor=d.officer_a, session=session)
    assert "discarded" in exc.value.message
    duty.record_evaluation(
        actor=d.officer_a, report=report_of(d.cadre_a), counts={"count_good": 3, "count_fairly_good": 0, "count_average": 0, "count_poor": 0}
    )
    assert report_of(d.cadre_a).ballot_id is None
    duty.create_evaluation_ballot(actor=d.officer_a, session=session, groups=GROUPS)
    second = ballot_of(d, session)
    assert second.pk != first.pk and [s.label for s in second.subjects.all()] == ["王局长"]
    assert report_of(d.principal_a).ballot_id == second.pk


def test_session_pages(d, session):
    client = browser(d.officer_a)
    page = client.get(reverse("oversight:duty_session_detail", args=[session.pk])).content.decode()
    assert reverse("oversight:duty_session_ballot", args=[session.pk]) in page and "手工录入" in page
    response = client.post(reverse("oversight:duty_session_ballot", args=[session.pk]), {"group_1_name": "干部职工", "group_1_headcount": ""})
    assert response.status_code == 400 and DutySession.objects.get().ballot_id is None
    response = client.post(
        reverse("oversight:duty_session_ballot", args=[session.pk]),
        {"group_1_name": "干部职工", "group_1_headcount": "40", "group_2_name": "服务对象", "group_2_headcount": "8", "include_unknown": "on"},
    )
    assert response.status_code == 302
    ballot = ballot_of(d, session)
    assert [(g.name, g.headcount) for g in ballot.groups.order_by("order")] == [("干部职工", 40), ("服务对象", 8)]
    page = client.get(reverse("oversight:duty_session_detail", args=[session.pk])).content.decode()
    assert reverse("ballots:detail", args=[ballot.pk]) in page and reverse("oversight:duty_session_ballot", args=[session.pk]) not in page
    response = client.post(reverse("oversight:duty_session_import", args=[session.pk]), {"confirm": "on"})
    assert response.status_code == 400 and "关闭" in response.content.decode()
    listing = client.get(reverse("oversight:duty_session_list")).content.decode()
    assert reverse("oversight:duty_session_detail", args=[session.pk]) in listing
    assert browser(d.officer_b).get(reverse("oversight:duty_session_detail", args=[session.pk])).status_code == 404
