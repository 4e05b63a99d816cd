"""Issue #11 §4: precision and rounding per ballot and section, the rule under every table of
rates and the note when shown shares do not add up to 100 %."""

from fractions import Fraction

import pytest
from django.urls import reverse
from django.utils import translation

from jiandu.accounts.models import Role
from jiandu.ballots import actions, queries
from jiandu.core import rates
from jiandu.core.errors import ActionError
from jiandu.core.models import JournalEntry
from jiandu.testing import answer_all, make_ballot, make_unit, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit():
    return make_unit(name="区委组织部")


@pytest.fixture
def officer(unit):
    return make_user(role=Role.ORG_OFFICER, unit=unit)


def two_part_spec(**extra):
    """一报告两评议: the selection work (two places) and a newly appointed cadre (one place)."""
    return {
        "title": "2009年度选人用人工作一报告两评议",
        "sections": [
            {"title": "选人用人工作", "questions": "overall", "subjects": [{"key": "work", "kind": "cadre", "label": "选人用人工作"}], "rate_places": 2},
            {"title": "新提拔干部", "questions": "overall", "subjects": [{"key": "new", "kind": "cadre", "label": "王新"}], "rate_places": 1},
        ],
        "groups": [{"code": "g1", "name": "全委会", "weight": "1", "headcount": 140}],
        **extra,
    }


def run(unit, officer, spec, voters, pick):
    ballot = make_ballot(unit=unit, actor=officer, spec=spec, open=True)
    group = ballot.groups.get(code="g1")
    _b, plain = actions.generate_codes(actor=officer, ballot=ballot, group=group, count=voters)
    for i, code in enumerate(plain):
        actions.submit_ballot(code=code, answers=answer_all(ballot, code, lambda s, q, o, i=i: o[pick(i, s)]))
    return actions.close_ballot(actor=officer, ballot=ballot)


def test_98_49_and_99_2_from_one_report(client, unit, officer):
    # 131 of 133 rate the selection work 优秀 and 132 of 133 the new cadre.
    ballot = run(unit, officer, two_part_spec(rate_rounding="down"), 133, lambda i, s: 0 if i < (131 if s.key == "work" else 132) else 1)
    res = queries.results(ballot)
    work, new = (section.subjects[0].question("overall").option("excellent") for section in res.sections)
    assert (work.count, new.count) == (131, 132)
    assert res.sections[0].display == rates.Display(2, "down") and res.sections[1].display == rates.Display(1, "down")
    client.force_login(officer)
    with translation.override("zh-hans"):
        page = client.get(reverse("ballots:results", args=[ballot.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "98.49%（131/133）" in page and "99.2%（132/133）" in page
    assert "比例按去尾法保留2位小数" in page and "比例按去尾法保留1位小数" in page


def test_the_note_explains_shares_that_add_up_to_99_98(unit, officer):
    # 1, 1 and 4 of 6: 16.66 + 16.66 + 66.66 = 99.98 (each 16.666… rounded down).
    picks = [0, 1, 2, 2, 2, 2]
    ballot = run(unit, officer, two_part_spec(), 6, lambda i, s: picks[i])
    question = queries.results(ballot).sections[0].subjects[0].question("overall")
    with translation.override("en"):
        note = queries.results(ballot).sections[0].subjects[0].question("overall").rounding_note
    assert "99.98%" in note and "rounded separately" in note
    assert question.option("competent").share == Fraction(1, 6)
    # Rounded half up the same shares are 16.67 + 16.67 + 66.67 = 100.01: explained too.
    actions.set_rate_display(actor=officer, ballot=ballot, places=2, rounding="half_up", section=ballot.sections.first())
    with translation.override("en"):
        assert "100.01%" in queries.results(ballot).sections[0].subjects[0].question("overall").rounding_note
    # Whole shares that add up exactly need no note.
    assert rates.Display(2, "down").sum_note([Fraction(1, 2), Fraction(1, 2)]) == ""


def test_gb_t_8170_rounds_an_exact_half_to_even():
    display = rates.Display(0, "half_even")
    assert display.share(Fraction(1, 8)) == "12%"  # 12.5 → 12
    assert display.share(Fraction(3, 8)) == "38%"  # 37.5 → 38
    assert display.share(Fraction(12501, 100000)) == "13%"  # more than half → up
    assert rates.Display(0, "half_up").share(Fraction(1, 8)) == "13%"


def test_rate_display_is_validated_and_journaled(unit, officer):
    with pytest.raises(ActionError) as exc:
        make_ballot(unit=unit, actor=officer, spec=two_part_spec(rate_places=5))
    assert exc.value.field == "rate_places"
    with pytest.raises(ActionError) as exc:
        make_ballot(unit=unit, actor=officer, spec=two_part_spec(rate_rounding="banker"))
    assert exc.value.field == "rate_rounding"
    ballot = make_ballot(unit=unit, actor=officer, spec=two_part_spec())
    with pytest.raises(ActionError):
        actions.set_rate_display(actor=officer, ballot=ballot, places=-1)
    actions.set_rate_display(actor=officer, ballot=ballot, places=1, rounding="half_even")
    ballot.refresh_from_db()
    assert (ballot.rate_places, ballot.rate_rounding) == (1, "half_even")
    assert JournalEntry.objects.filter(action="ballots.ballot.rate_display_set").count() == 1


def test_rate_display_is_set_from_the_ballot_page_after_closing(client, unit, officer):
    ballot = run(unit, officer, two_part_spec(), 3, lambda i, s: 0)
    section = ballot.sections.order_by("order").last()
    client.force_login(officer)
    page = client.get(reverse("ballots:detail", args=[ballot.pk])).content.decode()
    assert reverse("ballots:rate_display", args=[ballot.pk]) in page
    response = client.post(reverse("ballots:rate_display", args=[ballot.pk]), {"section": section.pk, "places": "3", "rounding": "half_even"})
    assert response.status_code == 302
    section.refresh_from_db()
    assert (section.rate_places, section.rate_rounding) == (3, "half_even")
    assert queries.results(ballot).sections[1].display == rates.Display(3, "half_even")
    # A section of another ballot is refused, nothing changes.
    other = make_ballot(unit=unit, actor=officer, spec=two_part_spec())
    client.post(reverse("ballots:rate_display", args=[other.pk]), {"section": section.pk, "places": "0"})
    section.refresh_from_db()
    assert section.rate_places == 3
