"""Issue #11 §1: cumulation, two-tier bars, 停职检查 until lifted, the month-end convention."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from jiandu.core.errors import ActionError
from jiandu.core.models import JournalEntry
from jiandu.oversight import influence, queries
from jiandu.oversight.actions import dispositions as actions
from jiandu.oversight.models import Bar, Disposition, Measure

pytestmark = pytest.mark.django_db

D = dt.date


def record(d, measure, decided_on, cadre=None, **kw):
    kw.setdefault("deciding_body", "区纪委监委")
    kw.setdefault("grounds", "违反廉洁纪律")
    return actions.record_disposition(actor=d.officer, cadre=cadre or d.cadre_a, measure=measure, decided_on=decided_on, **kw)


def running(d, on):
    return [r.measure for r in queries.active_influence(d.cadre_a, on=on)]


def barring(d, move, on):
    return [r.measure for r in queries.barring_influence(d.cadre_a, move, on=on)]


# --- cumulation ----------------------------------------------------------------------------------


def test_party_warning_inside_a_running_warning_cumulates(d):
    """Warning 2025-01-01 (to 2025-12-31), another warning 2025-07-01: the unexpired rest
    (2025-07-01 … 2025-12-31) plus 12 months → barred to the end of 2026-12-31, not 2026-06-30."""
    first = record(d, Measure.PARTY_WARNING, D(2025, 1, 1))
    assert first.influence_ends_on == D(2025, 12, 31)
    second = record(d, Measure.PARTY_WARNING, D(2025, 7, 1))
    assert second.influence_ends_on == D(2026, 12, 31)
    assert second.influence_basis["previous"] == first.pk and second.influence_basis["rest_ends_on"] == "2025-12-31"
    assert running(d, D(2026, 12, 31)) == [Measure.PARTY_WARNING]
    assert running(d, D(2027, 1, 1)) == []
    with translation.override("en"):
        text = queries.active_influence(d.cadre_a, on=D(2026, 6, 30))[0].explanation
    assert "art. 21" in text and "2025-07-01 … 2025-12-31" in text and "12 months" in text and "2026-12-31" in text
    assert "further use" in text
    with translation.override("zh-hans"):
        zh = influence.explain(second)
    assert "第二十一条" in zh and "进一步使用" in zh and "2026-12-31" in zh


def test_warning_the_day_after_the_earlier_period_does_not_cumulate(d):
    record(d, Measure.PARTY_WARNING, D(2025, 1, 1))
    on_last_day = record(d, Measure.PARTY_WARNING, D(2025, 12, 31))
    assert on_last_day.influence_ends_on == D(2026, 12, 31) and on_last_day.influence_basis["previous"]
    day_after = record(d, Measure.PARTY_WARNING, D(2026, 1, 1), cadre=d.cadre_b)
    assert day_after.influence_ends_on == D(2026, 12, 31) and day_after.influence_basis == {}


def test_party_and_administrative_periods_do_not_cumulate_with_each_other(d):
    record(d, Measure.PARTY_WARNING, D(2025, 1, 1))
    admin = record(d, Measure.ADMIN_WARNING, D(2025, 7, 1))
    assert admin.influence_ends_on == D(2025, 12, 31) and admin.influence_basis == {}


def test_administrative_cumulation_is_capped_at_48_months(d):
    record(d, Measure.ADMIN_DISMISSAL_FROM_POST, D(2022, 1, 1))  # to 2023-12-31
    second = record(d, Measure.ADMIN_DISMISSAL_FROM_POST, D(2022, 1, 1))  # rest 24 + 24 = 48: to 2025-12-31
    assert second.influence_ends_on == D(2025, 12, 31) and not second.influence_basis["capped"]
    # Exactly 48 months from its decision: not capped.
    at_cap = record(d, Measure.ADMIN_WARNING, D(2022, 7, 1))
    assert at_cap.influence_ends_on == D(2026, 6, 30) and not at_cap.influence_basis["capped"]
    # One day earlier: the rest (to 2026-06-30) plus 6 months would be 48 months and a day → capped.
    capped = record(d, Measure.ADMIN_WARNING, D(2022, 6, 30), cadre=d.cadre_b)
    assert capped.influence_basis == {}  # cadre_b has nothing running
    record(d, Measure.ADMIN_DISMISSAL_FROM_POST, D(2022, 1, 1), cadre=d.cadre_b)
    record(d, Measure.ADMIN_DISMISSAL_FROM_POST, D(2022, 1, 1), cadre=d.cadre_b)
    over = record(d, Measure.ADMIN_WARNING, D(2022, 6, 30), cadre=d.cadre_b)
    # Of cadre_b's running periods the second dismissal ends last (2025-12-31): its rest cumulates.
    assert over.influence_basis["rest_ends_on"] == "2025-12-31"
    assert over.influence_basis["uncapped_ends_on"] == "2026-06-30" and over.influence_basis["capped"]
    assert over.influence_ends_on == D(2026, 6, 29)
    with translation.override("en"):
        text = influence.explain(over)
    assert "At most 48 months" in text and "2026-06-29" in text


def test_a_correction_does_not_cumulate_with_the_disposition_it_corrects(d):
    first = record(d, Measure.PARTY_WARNING, D(2025, 1, 1))
    new = actions.correct_disposition(actor=d.head, disposition=first, reason="日期有误", decided_on=D(2025, 2, 1))
    assert new.influence_ends_on == D(2026, 1, 31) and new.influence_basis == {}


# --- two-tier bars ---------------------------------------------------------------------------------


@pytest.mark.parametrize("measure", [Measure.RESIGNATION_ACCOUNTABILITY, Measure.RESIGNATION_ORDERED, Measure.REMOVAL_ACCOUNTABILITY])
def test_two_tier_bar_lateral_move_at_month_13_promotion_refused_to_month_24(d, measure):
    disposition = record(d, measure, D(2024, 3, 1))
    assert disposition.bar == Bar.HIGHER_POST
    assert disposition.no_leading_post_until == D(2025, 2, 28) and disposition.influence_ends_on == D(2026, 2, 28)
    # First year: no leading post at all, not even a lateral one.
    assert barring(d, "lateral", D(2025, 2, 28)) == [measure]
    # Month 13: a lateral move is allowed, a promotion still refused.
    assert barring(d, "lateral", D(2025, 3, 1)) == []
    assert barring(d, "further_use", D(2025, 3, 1)) == []
    assert barring(d, "promotion", D(2025, 3, 1)) == [measure]
    assert barring(d, "promotion", D(2026, 2, 28)) == [measure]
    assert barring(d, "promotion", D(2026, 3, 1)) == []
    with translation.override("en"):
        text = influence.explain(disposition)
    assert "2025-02-28" in text and "2026-02-28" in text and "lateral move is possible from 2025-03-01" in text


def test_unsuitable_for_the_post_bars_promotion_for_one_year_only(d):
    disposition = record(d, Measure.REMOVAL_UNSUITABLE, D(2025, 1, 1))
    assert disposition.bar == Bar.PROMOTION and disposition.influence_ends_on == D(2025, 12, 31)
    assert barring(d, "lateral", D(2025, 1, 1)) == [] and barring(d, "promotion", D(2025, 12, 31)) == [Measure.REMOVAL_UNSUITABLE]
    assert barring(d, "promotion", D(2026, 1, 1)) == []


def test_party_sanction_bars_promotion_and_further_use_not_a_plain_lateral_move(d):
    record(d, Measure.PARTY_SERIOUS_WARNING, D(2025, 1, 1))
    on = D(2025, 6, 1)
    assert barring(d, "promotion", on) == barring(d, "further_use", on) == [Measure.PARTY_SERIOUS_WARNING]
    assert barring(d, "lateral", on) == []


def test_undifferentiated_removal_is_refused_for_new_records(d):
    with pytest.raises(ActionError) as exc:
        record(d, Measure.REMOVAL, D(2025, 1, 1))
    assert exc.value.field == "measure" and not Disposition.objects.exists()


# --- 停职检查 until lifted -------------------------------------------------------------------------


def test_suspension_runs_until_lifted(d):
    suspension = record(d, Measure.SUSPENSION, D(2025, 3, 1))
    assert suspension.is_permanent and suspension.influence_ends_on is None and suspension.bar == Bar.ANY_POST
    assert running(d, D(2028, 1, 1)) == [Measure.SUSPENSION]
    assert barring(d, "lateral", D(2025, 3, 1)) == [Measure.SUSPENSION]
    with pytest.raises(ActionError) as exc:
        actions.lift_suspension(actor=d.head, disposition=suspension, lifted_on=D(2025, 3, 1), reason="审查结束")
    assert exc.value.field == "lifted_on"
    lifted = actions.lift_suspension(actor=d.head, disposition=suspension, lifted_on=D(2025, 5, 20), reason="审查结束")
    assert lifted.influence_ends_on == D(2025, 5, 19) and not lifted.is_permanent
    assert running(d, D(2025, 5, 19)) == [Measure.SUSPENSION] and running(d, D(2025, 5, 20)) == []
    assert JournalEntry.objects.filter(action="oversight.disposition.lifted", target_id=str(suspension.pk)).exists()
    with pytest.raises(ActionError):
        actions.lift_suspension(actor=d.head, disposition=suspension, lifted_on=D(2025, 6, 1), reason="再次")
    with translation.override("en"):
        assert "lifted on 2025-05-20" in influence.explain(Disposition.objects.get(pk=suspension.pk))


def test_only_a_suspension_can_be_lifted(d):
    warning = record(d, Measure.PARTY_WARNING, D(2025, 3, 1))
    with pytest.raises(ActionError):
        actions.lift_suspension(actor=d.head, disposition=warning, lifted_on=D(2025, 5, 20), reason="x")
    assert Disposition.objects.get(pk=warning.pk).influence_ends_on == D(2026, 2, 28)


def test_suspension_is_lifted_from_its_page(client, d):
    suspension = record(d, Measure.SUSPENSION, D(2025, 3, 1))
    client.force_login(d.head)
    detail = client.get(reverse("oversight:disposition_detail", args=[suspension.pk])).content.decode()
    assert reverse("oversight:disposition_lift", args=[suspension.pk]) in detail
    response = client.post(reverse("oversight:disposition_lift", args=[suspension.pk]), {"lifted_on": "2025-02-28", "reason": "审查结束"})
    # Before the decision date: refused with the reason, nothing stored.
    assert response.status_code == 400 and "2025-02-28" in response.content.decode()
    assert Disposition.objects.get(pk=suspension.pk).lifted_on is None
    response = client.post(reverse("oversight:disposition_lift", args=[suspension.pk]), {"lifted_on": "2025-05-20", "reason": "审查结束"})
    assert response.status_code == 302 and Disposition.objects.get(pk=suspension.pk).influence_ends_on == D(2025, 5, 19)


def test_settings_page_shows_each_source(client, d):
    client.force_login(d.head)
    with translation.override("zh-hans"):
        page = client.get(reverse("core:settings"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "依据：" in page and "《中国共产党巡视工作条例》第二十七条" in page and "《公务员考核规定》（2020年）" in page
