"""Random checks (seeded, reproducible) and targeted checks: requests, replies, field-by-field
comparison, classification with its article (处理办法 art. 3 / 4), handling through oversight."""

import datetime as dt
from fractions import Fraction

import pytest

from jiandu.accounts.access import NotVisible
from jiandu.core.errors import ActionError
from jiandu.core.models import JournalEntry
from jiandu.matters import actions, compare, queries
from jiandu.matters.models import Check, Reporter
from jiandu.testing import make_cadre

FLAT = {"address": "示范区东园路18号502室", "area": "128.50", "nature": "商品房"}
HIDDEN = {"address": "示范区西湖路7号1201室", "area": "96", "nature": "商品房"}


def _submitted(district, cadre, items=()):
    year = actions.open_year(actor=district.officer, year=2026, deadline=dt.date(2026, 1, 31))
    reporter = Reporter.objects.get(year=year, cadre=cadre)
    report = actions.start_report(actor=district.officer, reporter=reporter)
    for kind, values in items:
        actions.add_item(actor=district.officer, report=report, kind=kind, values=values)
    actions.submit_report(actor=district.officer, report=report, received_on=dt.date(2026, 1, 20))
    return year, report


def test_select_sample_is_reproducible_and_rounds_up():
    population = list(range(1, 26))
    first = actions.select_sample(population, Fraction(1, 10), "seed-2026")
    assert len(first) == 3  # ceil(25 × 10 %)
    assert actions.select_sample(list(reversed(population)), Fraction(1, 10), "seed-2026") == first
    assert actions.select_sample(population, Fraction(1, 10), "another seed") != first or len(first) == 25


def test_draw_is_journaled_with_its_seed_and_re_runs_to_the_same_list(district):
    year = actions.open_year(actor=district.officer, year=2026, deadline=dt.date(2026, 1, 31))
    draw = actions.draw_sample(actor=district.officer, year=year, seed="示范区2026")
    assert len(draw.selected) == 1  # ceil(3 × 1/10)
    assert Check.objects.filter(draw=draw, kind=Check.Kind.RANDOM).count() == 1
    entry = JournalEntry.objects.get(action="matters.draw.made")
    assert entry.data["seed"] == "示范区2026" and entry.data["selected"] == draw.selected and entry.data["share"] == "1/10"
    again, same = actions.rerun_draw(actor=district.officer, draw=draw)
    assert same and again == draw.selected
    assert JournalEntry.objects.filter(action="matters.draw.rerun", data__same=True).exists()
    with pytest.raises(ActionError):
        actions.draw_sample(actor=district.officer, year=year, seed="again")
    # A tampered stored list no longer matches the re-run.
    draw.selected = [pid for pid in draw.population if pid not in draw.selected][:1]
    assert actions.rerun_draw(actor=district.officer, draw=draw)[1] is False


def test_targeted_check_finds_an_unreported_flat_classified_as_concealment_and_recorded_in_oversight(district):
    _year, report = _submitted(district, district.zhang, [("real_estate", FLAT)])
    check = actions.request_targeted_check(cadre=district.zhang, reason="拟提拔考察对象", actor=district.head)
    assert check.report_id == report.pk
    assert queries.check_outcome(district.zhang) == "open"
    request = actions.send_request(actor=district.head, check=check, department="不动产登记机构")
    with pytest.raises(ActionError):
        actions.send_request(actor=district.head, check=check, department="不动产登记机构")
    with pytest.raises(ActionError):
        actions.send_request(actor=district.head, check=check, department="某个未列明的部门")
    actions.record_reply(
        actor=district.head,
        request=request,
        replied_on=dt.date.today(),
        rows=[{"kind": "real_estate", "values": {**FLAT, "area": "128.5"}}, {"kind": "real_estate", "values": HIDDEN}],
    )
    rows = compare.compare(check)
    assert [r.status for r in rows] == ["same", "not_reported"]
    with pytest.raises(ActionError):  # not all classified yet
        actions.conclude_check(actor=district.head, check=check, handling="removal", decided_on=dt.date.today(), deciding_body="区委组织部")
    actions.classify(actor=district.head, check=check, reply_item_id=rows[0].reply_item.pk, classification="consistent")
    finding = actions.classify(actor=district.head, check=check, reply_item_id=rows[1].reply_item.pk, classification="concealment")
    assert finding.article == "《领导干部个人有关事项报告查核结果处理办法》第四条（隐瞒不报）"
    with pytest.raises(ActionError):  # issues need handling
        actions.conclude_check(actor=district.head, check=check, handling="none", decided_on=dt.date.today())
    check = actions.conclude_check(actor=district.head, check=check, handling="removal", decided_on=dt.date.today(), deciding_body="区委组织部")
    from jiandu.oversight.models import Disposition

    disposition = Disposition.objects.get(pk=check.disposition_id)
    assert disposition.cadre_id == district.zhang.pk and disposition.measure == "removal_unsuitable"
    assert "西湖路" not in disposition.grounds
    assert queries.check_outcome(district.zhang) == "issues"
    with pytest.raises(ActionError):
        actions.classify(actor=district.head, check=check, reply_item_id=rows[1].reply_item.pk, classification="consistent")


def test_a_differing_field_is_shown_field_by_field(district):
    _year, _report = _submitted(district, district.zhang, [("real_estate", FLAT)])
    check = actions.request_targeted_check(cadre=district.zhang, reason="后备干部", actor=district.officer)
    request = actions.send_request(actor=district.officer, check=check, department="不动产登记机构")
    actions.record_reply(actor=district.officer, request=request, replied_on=dt.date.today(), rows=[{"kind": "real_estate", "values": {**FLAT, "area": "140"}}])
    (row,) = compare.compare(check)
    assert row.status == "differs"
    assert [label for label, _rep, _rec, differs in row.fields if differs] == [row.reply_item.kind_spec.fields[1].label]


def test_all_consistent_concludes_without_handling_and_clears(district):
    _submitted(district, district.zhang, [("real_estate", FLAT)])
    check = actions.request_targeted_check(cadre=district.zhang, reason="拟调整重要岗位", actor=district.officer)
    request = actions.send_request(actor=district.officer, check=check, department="市场监督管理部门")
    actions.record_reply(actor=district.officer, request=request, replied_on=dt.date.today(), rows=[])
    with pytest.raises(ActionError):
        actions.conclude_check(actor=district.officer, check=check, handling="criticism", decided_on=dt.date.today())
    actions.conclude_check(actor=district.officer, check=check, handling="none", decided_on=dt.date.today())
    assert queries.check_outcome(district.zhang) == "clear"


def test_a_reply_with_a_bad_row_stores_nothing(district):
    _submitted(district, district.zhang)
    check = actions.request_targeted_check(cadre=district.zhang, reason="拟提拔", actor=district.officer)
    request = actions.send_request(actor=district.officer, check=check, department="不动产登记机构")
    with pytest.raises(ActionError):
        actions.record_reply(
            actor=district.officer,
            request=request,
            replied_on=dt.date.today(),
            rows=[{"kind": "real_estate", "values": FLAT}, {"kind": "real_estate", "values": {"area": "x"}}],
        )
    request.refresh_from_db()
    assert request.replied_on is None and request.items.count() == 0


def test_selection_officer_may_request_a_targeted_check_but_not_read_it(district):
    other = make_cadre(unit=district.finance, name="孙立")
    check = actions.request_targeted_check(cadre=other, reason="拟列为考察对象", actor=district.org_officer)
    assert check.report_id is None
    with pytest.raises(NotVisible):
        queries.get_check_for(district.org_officer, check.pk)
    with pytest.raises(ActionError):  # one open targeted check at a time
        actions.request_targeted_check(cadre=other, reason="again", actor=district.officer)
