"""Yearly reports (规定 arts. 2-5): the frozen list, self service and paper reports, versions,
deadline boundaries, reminders, encryption at rest and a journal without reported values."""

import datetime as dt
import json

import pytest

from jiandu.core import crypto
from jiandu.core.errors import ActionError
from jiandu.core.models import JournalEntry
from jiandu.matters import actions, queries
from jiandu.matters.models import Report, Reporter, ReportItem
from jiandu.registry import actions as registry_actions
from jiandu.testing import registrar

FLAT = {"address": "示范区东园路18号3单元502室", "area": "128.50", "nature": "商品房", "acquired_on": "2019-06-01"}


def _open(district, year=2026, deadline=dt.date(2026, 1, 31)):
    return actions.open_year(actor=district.officer, year=year, deadline=deadline)


def _reporter(year, cadre):
    return Reporter.objects.get(year=year, cadre=cadre)


def test_the_list_is_computed_from_levels_ranks_and_frozen_when_the_year_opens(district):
    year = _open(district)
    names = set(year.reporters.values_list("cadre__name", flat=True))
    # county levels report (规定 art. 2), the deputy-county rank too; a section chief does not.
    assert names == {"张伟明", "李秀英", "赵强"}
    registry_actions.update_cadre(actor=registrar(), cadre=district.wang, leadership_level="county_deputy")
    assert not year.reporters.filter(cadre=district.wang).exists()  # frozen
    with pytest.raises(ActionError):
        _open(district)  # once a year


def test_the_default_deadline_is_31_january_of_the_year(district):
    year = actions.open_year(actor=district.officer, year=2027)
    assert year.deadline == dt.date(2027, 1, 31)
    with pytest.raises(ActionError):
        actions.open_year(actor=district.officer, year=2028, deadline=dt.date(2027, 12, 31))


def test_self_service_report_and_correction_as_a_new_version(district):
    year = _open(district)
    reporter = _reporter(year, district.li)
    report = actions.start_report(actor=district.li_user, reporter=reporter)
    assert report.channel == Report.Channel.SELF
    actions.add_item(actor=district.li_user, report=report, kind="real_estate", values=FLAT)
    actions.add_item(actor=district.li_user, report=report, kind="marriage", values={"status": "已婚"})
    actions.submit_report(actor=district.li_user, report=report)
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED and report.submitted_on == dt.date.today()
    with pytest.raises(ActionError):  # a submitted report never changes
        actions.add_item(actor=district.li_user, report=report, kind="salary", values={"amount": "1"})
    with pytest.raises(ActionError):  # a correction needs its reason
        actions.start_report(actor=district.li_user, reporter=reporter)
    second = actions.start_report(actor=district.li_user, reporter=reporter, correction_reason="漏填一项存款")
    assert second.version == 2 and second.items.count() == 2
    assert second.items.get(kind="real_estate").values["address"] == FLAT["address"]
    actions.add_item(actor=district.li_user, report=second, kind="salary", values={"amount": "186000"})
    actions.submit_report(actor=district.li_user, report=second)
    assert queries.current_report(reporter).pk == second.pk
    assert report.items.count() == 2  # the first version kept as it was
    assert JournalEntry.objects.filter(action="matters.report.started", data__correction=True).count() == 1


def test_another_cadre_cannot_write_someone_elses_report(district):
    year = _open(district)
    from jiandu.accounts.access import NotVisible

    with pytest.raises(NotVisible):
        actions.start_report(actor=district.li_user, reporter=_reporter(year, district.zhang))


def test_bad_item_values_are_refused_with_the_field(district):
    year = _open(district)
    report = actions.start_report(actor=district.officer, reporter=_reporter(year, district.zhang))
    for values, field in (
        ({"address": ""}, "address"),
        ({**FLAT, "area": "很大"}, "area"),
        ({**FLAT, "acquired_on": "2019-13-01"}, "acquired_on"),
        ({**FLAT, "address": "x\x00"}, "address"),
        ({**FLAT, "nature": "长" * 201}, "nature"),
    ):
        with pytest.raises(ActionError) as exc:
            actions.add_item(actor=district.officer, report=report, kind="real_estate", values=values)
        assert exc.value.field == field
    with pytest.raises(ActionError):
        actions.add_item(actor=district.officer, report=report, kind="spouse", values={})
    with pytest.raises(ActionError):  # a spouse's item names the spouse
        actions.add_item(actor=district.officer, report=report, kind="employment", holder="spouse", values={"employer": "某公司"})
    assert report.items.count() == 0


@pytest.mark.parametrize(
    "received, state",
    [(dt.date(2026, 1, 30), "submitted"), (dt.date(2026, 1, 31), "submitted"), (dt.date(2026, 2, 1), "late")],
)
def test_paper_report_on_the_deadline_is_on_time_the_day_after_late(district, received, state):
    year = _open(district)
    reporter = _reporter(year, district.zhang)
    report = actions.start_report(actor=district.officer, reporter=reporter)
    assert report.channel == Report.Channel.PAPER
    actions.submit_report(actor=district.officer, report=report, received_on=received)
    assert queries.reporter_state(reporter, today=dt.date(2026, 3, 1)) == state


def test_paper_report_needs_a_received_date_not_in_the_future(district):
    year = _open(district)
    report = actions.start_report(actor=district.officer, reporter=_reporter(year, district.zhang))
    with pytest.raises(ActionError):
        actions.submit_report(actor=district.officer, report=report)
    with pytest.raises(ActionError):
        actions.submit_report(actor=district.officer, report=report, received_on=dt.date.today() + dt.timedelta(days=1))
    with pytest.raises(ActionError):
        actions.submit_report(actor=district.officer, report=report, received_on=dt.date(2025, 12, 31))


def test_missing_from_the_day_after_the_deadline(district):
    year = _open(district)
    reporter = _reporter(year, district.zhang)
    assert queries.reporter_state(reporter, today=dt.date(2026, 1, 31)) == "pending"
    assert queries.reporter_state(reporter, today=dt.date(2026, 2, 1)) == "missing"


def test_reminders_seven_days_before_and_the_day_after(district):
    year = _open(district)
    report = actions.start_report(actor=district.officer, reporter=_reporter(year, district.zhang))
    actions.submit_report(actor=district.officer, report=report, received_on=dt.date(2026, 1, 2))
    assert actions.send_reminders(today=dt.date(2026, 1, 23)) == 0
    assert actions.send_reminders(today=dt.date(2026, 1, 24)) == 2  # 李秀英 and 赵强
    assert actions.send_reminders(today=dt.date(2026, 1, 31)) == 0
    assert actions.send_reminders(today=dt.date(2026, 2, 1)) == 2
    chased = JournalEntry.objects.filter(action="matters.reminders.sent", data__overdue=True)
    assert set(chased.values_list("cadre_id", flat=True)) == {district.li.pk, district.zhao.pk}


def test_asset_items_are_encrypted_at_rest_and_bound_to_their_row(district):
    year = _open(district)
    report = actions.start_report(actor=district.officer, reporter=_reporter(year, district.zhang))
    flat = actions.add_item(actor=district.officer, report=report, kind="real_estate", values=FLAT)
    family = actions.add_item(actor=district.officer, report=report, kind="marriage", values={"status": "已婚"})
    stored = ReportItem.objects.get(pk=flat.pk)
    assert stored.plain == {} and stored.sealed.startswith(crypto.FIELD_ALGORITHM + ":")
    assert "东园路" not in stored.sealed and "128.50" not in stored.sealed
    assert stored.values["address"] == FLAT["address"]
    # Copied to another row, the value does not decrypt (the context names the row).
    other = ReportItem.objects.get(pk=family.pk)
    other.sealed = stored.sealed
    with pytest.raises(crypto.DecryptionError):
        _ = other.values


def test_the_journal_of_a_submission_holds_no_reported_value(district):
    year = _open(district)
    report = actions.start_report(actor=district.officer, reporter=_reporter(year, district.zhang))
    actions.add_item(actor=district.officer, report=report, kind="real_estate", values=FLAT)
    actions.add_item(actor=district.officer, report=report, kind="salary", values={"amount": "186000"})
    actions.add_item(
        actor=district.officer, report=report, kind="employment", holder="spouse", holder_name="陈静", values={"employer": "宏远贸易公司", "post": "总经理"}
    )
    actions.submit_report(actor=district.officer, report=report, received_on=dt.date(2026, 1, 20))
    text = json.dumps(list(JournalEntry.objects.filter(action__startswith="matters.").values_list("data", flat=True)), ensure_ascii=False)
    for secret in ("东园路", "128.5", "186000", "陈静", "宏远", "总经理"):
        assert secret not in text
    assert JournalEntry.objects.filter(action="matters.report.submitted", data__item_count=3).exists()
    assert not JournalEntry.objects.filter(action="matters.report.row_added").exclude(cadre_id=None).exists()
