"""appraisals.hooks: what a higher app registers is what appraisals sees, asked at each month end,
without appraisals importing that app (layering.toml)."""

import datetime as dt

import pytest

from jiandu.appraisals import hooks, queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider():
    asked = []

    def bars(cadre, on):
        asked.append(on)
        return [hooks.Disqualification("probe", "probe fact", dt.date(2025, 2, 1))] if on >= dt.date(2025, 2, 28) else []

    hooks.register_excellence_bar(bars)
    yield asked
    hooks._excellence_bars.remove(bars)


def test_a_registered_bar_is_asked_at_every_month_end_and_counted_once(provider):
    found = queries.disqualifying_events(10**9, 2025)  # a cadre id without local events
    assert [(d.source, d.kind, d.on) for d in found] == [("probe", "probe fact", dt.date(2025, 2, 1))]
    assert dt.date(2025, 1, 31) in provider and dt.date(2025, 2, 28) in provider and dt.date(2025, 12, 31) in provider
    assert sorted(set(provider)) == [d for d in sorted(set(provider)) if (d + dt.timedelta(days=1)).day == 1]
    assert len(set(provider)) == 12


def test_oversight_registered_its_providers():
    from jiandu.oversight import appraisal_facts

    assert appraisal_facts.influence_bars_excellence in hooks._excellence_bars
    assert appraisal_facts.sanctions_of_year in hooks._year_sanctions
    assert hooks.measure_label("admin_demerit") != "admin_demerit"  # daily supervision names it
    assert hooks.measure_label("no_such_measure") == "no_such_measure"
