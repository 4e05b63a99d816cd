import datetime as dt

import pytest

from jiandu.accounts.access import NotVisible
from jiandu.core.errors import ActionError
from jiandu.core.models import JournalEntry, LocalSetting
from jiandu.oversight import queries
from jiandu.oversight.actions import duty
from jiandu.oversight.models import DutyReport
from jiandu.testing import make_position, make_tenure

from .conftest import pdf_upload

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def planned(d):
    make_tenure(position=make_position(unit=d.a, title="副局长"), cadre=d.cadre_a)
    return duty.plan_duty_reports(actor=d.officer, year=2026, due_on=TODAY + dt.timedelta(days=10), unit=d.root)


def test_plan_follows_the_positions_setting(d):
    reports = planned(d)
    assert {r.cadre.name for r in reports} == {"王局长", "张伟明"}
    assert duty.plan_duty_reports(actor=d.officer, year=2026, due_on=TODAY + dt.timedelta(days=10), unit=d.root) == []
    LocalSetting.objects.create(key="oversight.duty_report_positions", value="principal")
    assert {r.cadre.name for r in duty.plan_duty_reports(actor=d.officer, year=2027, due_on=TODAY + dt.timedelta(days=10), unit=d.root)} == {"王局长"}
    with pytest.raises(ActionError) as exc:
        duty.plan_duty_reports(actor=d.officer, year=2028, due_on=TODAY - dt.timedelta(days=1), unit=d.root)
    assert exc.value.field == "due_on"
    with pytest.raises(NotVisible):
        duty.plan_duty_reports(actor=d.officer_b, year=2028, due_on=TODAY, unit=d.a)


def test_full_report_flow_with_exact_rates(d):
    report = next(r for r in planned(d) if r.cadre == d.cadre_a)
    with pytest.raises(ActionError):
        duty.record_evaluation(actor=d.officer, report=report, counts={"count_good": 1, "count_fairly_good": 0, "count_average": 0, "count_poor": 0})
    duty.submit_duty_report(actor=d.self_a, report=report, text="述责述廉报告", file=pdf_upload("报告.pdf"))
    with pytest.raises(ActionError):
        duty.submit_duty_report(actor=d.self_a, report=report, text="again")
    session = duty.record_duty_session(actor=d.officer, unit=d.a, year=2026, held_on=TODAY, mode="public", reports=[report], audience="全体干部职工")
    report.refresh_from_db()
    assert report.session == session and report.status == DutyReport.Status.HEARD
    with pytest.raises(ActionError) as exc:
        duty.record_evaluation(actor=d.officer, report=report, counts={"count_good": -1, "count_fairly_good": 0, "count_average": 0, "count_poor": 0})
    assert exc.value.field == "count_good"
    with pytest.raises(ActionError):
        duty.record_evaluation(actor=d.officer, report=report, counts={"count_good": 0, "count_fairly_good": 0, "count_average": 0, "count_poor": 0})
    duty.record_evaluation(actor=d.officer, report=report, counts={"count_good": 131, "count_fairly_good": 1, "count_average": 1, "count_poor": 0})
    report.refresh_from_db()
    assert report.valid_votes == 133
    from jiandu.core.rates import format_percent

    assert format_percent(report.count_good, report.valid_votes) == "98.49%（131/133）"
    duty.record_team_opinion(actor=d.officer, report=report, opinion="班子认为该同志履职尽责")
    report.refresh_from_db()
    assert report.status == DutyReport.Status.CONCLUDED
    codes = list(
        JournalEntry.objects.filter(cadre_id=d.cadre_a.pk, action__startswith="oversight.duty_report.").order_by("seq").values_list("action", flat=True)
    )
    assert codes == [
        "oversight.duty_report.planned",
        "oversight.duty_report.submitted",
        "oversight.duty_report.heard",
        "oversight.duty_report.evaluated",
        "oversight.duty_report.concluded",
    ]


def test_missing_reports(d):
    report = planned(d)[0]
    assert list(queries.missing_duty_reports(d.officer, today=report.due_on)) == []
    assert set(queries.missing_duty_reports(d.officer, today=report.due_on + dt.timedelta(days=1))) == set(DutyReport.objects.all())


def test_session_preconditions(d):
    reports = planned(d)
    with pytest.raises(ActionError) as exc:
        duty.record_duty_session(actor=d.officer, unit=d.a, year=2026, held_on=TODAY, mode="public", reports=reports)
    assert exc.value.field == "reports"
    with pytest.raises(ActionError):
        duty.record_duty_session(actor=d.officer, unit=d.a, year=2026, held_on=TODAY, mode="public", reports=[])
    from jiandu.oversight.models import DutySession

    assert not DutySession.objects.exists()


def test_other_cadre_cannot_submit(d):
    report = next(r for r in planned(d) if r.cadre != d.cadre_a)
    with pytest.raises(NotVisible):
        duty.submit_duty_report(actor=d.self_a, report=report, text="x")
