"""Yellow cards (亮黄牌 → 诫勉): the appraisal's proposals confirmed into an admonishment with its
required talk, or dismissed with a reason; the follow-up at the next appraisal."""

import datetime as dt

import pytest
from django.urls import reverse

from jiandu.accounts.access import NotVisible
from jiandu.accounts.models import Role
from jiandu.appraisals import actions as appraisal_actions
from jiandu.appraisals import queries as appraisal_queries
from jiandu.core.dashboard import cards_for
from jiandu.core.errors import ActionError
from jiandu.core.models import JournalEntry
from jiandu.oversight import deadlines, queries
from jiandu.oversight.actions import yellow_cards
from jiandu.oversight.models import Disposition, Measure, Talk
from jiandu.testing import make_user

from .conftest import appraise, make_yellow_card
from .test_access import browser

pytestmark = pytest.mark.django_db
DECIDED = dt.date(2026, 9, 28)


def state_of(d, proposal):
    return queries.yellow_cards_visible_to(d.head).get(pk=proposal.pk).state


@pytest.fixture
def card(d):
    return make_yellow_card(d)


def confirm(d, card, **values):
    values = {"grounds": queries.yellow_card_grounds(card), "decided_on": DECIDED, **values}
    return yellow_cards.confirm_yellow_card(actor=d.head, proposal=card, **values)


def test_the_inbox_lists_the_pending_proposal_with_its_figures(d, card):
    assert card.figures == "不称职 1/3 = 33.33%" and card.state == queries.YellowCardState.PENDING
    assert list(queries.open_yellow_cards(d.officer)) == [card]
    assert queries.attention_counts(d.officer)["open_yellow_cards"] == 1
    assert queries.yellow_card_grounds(card) == (
        "2025年度领导班子和领导干部年度考核, democratic evaluation: 不称职 1/3 = 33.33% of the valid votes, at or above the yellow-card threshold of 1/3."
    )
    page = browser(d.officer).get(reverse("oversight:yellow_card_list")).content.decode()
    assert "王局长" in page and "不称职 1/3 = 33.33%" in page and "待决定" in page


def test_confirm_admonishes_with_a_talk_due_in_working_days_and_takes_the_proposal_up(d, card):
    disposition = confirm(d, card, note="部务会研究同意")
    assert disposition.cadre == d.principal_a and disposition.measure == Measure.ADMONISHMENT_TALK
    assert disposition.source_type == "appraisals.admonishmentproposal" and disposition.source_id == str(card.pk)
    assert disposition.figures["count"] == 1 and disposition.figures["valid"] == 3 and disposition.figures["threshold"] == "1/3"
    assert disposition.figures["text"] == "不称职 1/3 = 33.33%" and disposition.figures["year"] == 2025
    assert disposition.influence_ends_on == dt.date(2027, 3, 27)  # 诫勉: six months [R?]
    talk = Talk.objects.get(disposition=disposition)
    # 10 working days (the setting's default) from 2026-09-28: 09-29, 09-30, [10-01…10-07 National
    # Day], 10-08, 10-09, 10-10 (adjusted working Saturday), [10-11 Sunday], 10-12 … 10-16.
    assert talk.kind == Talk.Kind.ADMONISHMENT and talk.status == Talk.Status.REQUIRED and talk.due_on == dt.date(2026, 10, 16)
    assert "10-01" in deadlines.explain(talk.due_rule) and "10-10" in deadlines.explain(talk.due_rule)
    assert list(queries.overdue_required_talks(d.officer, today=dt.date(2026, 10, 16))) == []
    assert list(queries.overdue_required_talks(d.officer, today=dt.date(2026, 10, 17))) == [talk]
    proposal = appraisal_queries.get_proposal(card.pk)
    assert proposal.status == "confirmed" and proposal.reference == f"oversight.admonishment:{disposition.pk}"
    assert proposal.decided_by_id == d.head.pk and proposal.decision_note == "部务会研究同意"
    assert state_of(d, card) == queries.YellowCardState.TAKEN_UP
    assert queries.admonishment_of(card) == disposition
    entries = list(JournalEntry.objects.filter(cadre_id=d.principal_a.pk, seq__gt=0).order_by("seq").values_list("action", flat=True))
    assert entries[-3:] == ["appraisals.proposal.confirmed", "oversight.admonishment.created", "appraisals.proposal.taken_up"]
    created = JournalEntry.objects.get(action="oversight.admonishment.created")
    assert created.data["source_id"] == str(card.pk) and created.data["talk_due"]["due"] == "2026-10-16" and created.actor_id == d.head.pk


def test_a_proposal_is_admonished_once(d, card):
    confirm(d, card)
    with pytest.raises(ActionError) as exc:
        confirm(d, card)
    assert exc.value.code == "duplicate"
    with pytest.raises(ActionError) as exc:
        yellow_cards.dismiss_yellow_card(actor=d.head, proposal=card, reason="x")
    assert exc.value.code == "duplicate"
    assert Disposition.objects.count() == 1 and Talk.objects.count() == 1
    assert JournalEntry.objects.filter(action="appraisals.proposal.taken_up").count() == 1


def test_a_proposal_confirmed_in_the_appraisal_is_admonished_here(d, card):
    appraisal_actions.confirm_proposal(actor=d.head, proposal=card, note="考核办确认")
    assert state_of(d, card) == queries.YellowCardState.CONFIRMED
    assert [c["number"] for c in cards_for(d.head) if "yellow-cards" in c["url"]] == [1]
    with pytest.raises(ActionError) as exc:
        yellow_cards.dismiss_yellow_card(actor=d.head, proposal=card, reason="x")
    assert exc.value.code == "decided"
    disposition = confirm(d, card)
    assert state_of(d, card) == queries.YellowCardState.TAKEN_UP and Talk.objects.get().disposition == disposition
    assert JournalEntry.objects.filter(action="appraisals.proposal.confirmed").count() == 1
    assert not [c for c in cards_for(d.head) if "yellow-cards" in c["url"]]


def test_confirm_preconditions_store_nothing(d, card):
    before = JournalEntry.objects.count()
    with pytest.raises(ActionError) as exc:
        confirm(d, card, grounds="  ")
    assert exc.value.field == "grounds"
    with pytest.raises(ActionError) as exc:
        confirm(d, card, decided_on=dt.date.today() + dt.timedelta(days=1))
    assert exc.value.field == "decided_on"
    assert JournalEntry.objects.count() == before and not Disposition.objects.exists()
    assert state_of(d, card) == queries.YellowCardState.PENDING


def test_dismiss_needs_a_reason(d, card):
    with pytest.raises(ActionError) as exc:
        yellow_cards.dismiss_yellow_card(actor=d.head, proposal=card, reason=" ")
    assert exc.value.field == "reason" and state_of(d, card) == queries.YellowCardState.PENDING
    yellow_cards.dismiss_yellow_card(actor=d.head, proposal=card, reason="经核实系个别人有组织打低分")
    assert state_of(d, card) == queries.YellowCardState.DISMISSED
    entry = JournalEntry.objects.get(action="appraisals.proposal.dismissed")
    assert entry.data["reason"] == "经核实系个别人有组织打低分" and entry.cadre_id == d.principal_a.pk
    with pytest.raises(ActionError) as exc:
        confirm(d, card)
    assert exc.value.code == "decided" and not Disposition.objects.exists()


def test_wrong_unit_and_wrong_role_cannot_decide(d, card):
    head_b = make_user(role=Role.ORG_HEAD, unit=d.b, username="head_b")
    for actor in (head_b, d.officer, d.officer_a):
        with pytest.raises(NotVisible):
            yellow_cards.confirm_yellow_card(actor=actor, proposal=card, grounds="x", decided_on=DECIDED)
        with pytest.raises(NotVisible):
            yellow_cards.dismiss_yellow_card(actor=actor, proposal=card, reason="x")
    assert state_of(d, card) == queries.YellowCardState.PENDING and not Disposition.objects.exists()
    assert list(queries.yellow_cards_visible_to(head_b)) == [] and list(queries.yellow_cards_visible_to(d.officer_a)) == []
    for name in ("oversight:yellow_card_detail", "oversight:yellow_card_confirm", "oversight:yellow_card_dismiss"):
        assert browser(head_b).get(reverse(name, args=[card.pk])).status_code == 404


def test_confirm_and_dismiss_through_the_pages(d, card):
    client = browser(d.head)
    form = client.get(reverse("oversight:yellow_card_confirm", args=[card.pk])).content.decode()
    assert "不称职 1/3 = 33.33%" in form and "亮黄牌" in form
    response = client.post(reverse("oversight:yellow_card_dismiss", args=[card.pk]), {"reason": ""})
    assert response.status_code == 400 and state_of(d, card) == queries.YellowCardState.PENDING
    response = client.post(
        reverse("oversight:yellow_card_confirm", args=[card.pk]),
        {"decided_on": "2026-09-28", "deciding_body": "区委组织部", "grounds": "民主测评不称职票达三分之一", "note": ""},
    )
    disposition = Disposition.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("oversight:disposition_detail", args=[disposition.pk])
    assert disposition.deciding_body == "区委组织部" and disposition.grounds == "民主测评不称职票达三分之一"
    detail = client.get(reverse("oversight:yellow_card_detail", args=[card.pk])).content.decode()
    assert reverse("oversight:disposition_detail", args=[disposition.pk]) in detail
    assert reverse("oversight:yellow_card_confirm", args=[card.pk]) not in detail


def test_follow_up_shows_the_next_appraisal_beside_the_yellow_card(d, card):
    disposition = confirm(d, card)
    follow_up = queries.yellow_card_follow_up(d.principal_a, disposition.figures)
    assert follow_up.later == [] and follow_up.trigger.share_text() == "33.33%（1/3）"
    page = browser(d.head).get(reverse("oversight:disposition_detail", args=[disposition.pk])).content.decode()
    assert "33.33%（1/3）" in page and "下次考核后" in page
    appraise(d, year=2026, overall=["incompetent", "competent", "competent", "excellent"])
    follow_up = queries.yellow_card_follow_up(d.principal_a, disposition.figures)
    [(row, change, reaches)] = follow_up.rows()
    assert (row.year, row.count, row.valid, change, reaches) == (2026, 1, 4, "lower", False)
    assert row.share_text() == "25.00%（1/4）"
    for url in (reverse("oversight:disposition_detail", args=[disposition.pk]), reverse("oversight:yellow_card_detail", args=[card.pk])):
        page = browser(d.head).get(url).content.decode()
        assert (
            "2025年度领导班子和领导干部年度考核" in page
            and "33.33%（1/3）" in page
            and "2026年度领导班子和领导干部年度考核" in page
            and "25.00%（1/4）" in page
            and "下降" in page
        )
    # The 2026 figures reached no yellow card of their own.
    assert queries.yellow_cards_visible_to(d.head).filter(cycle__year=2026).count() == 0


def test_a_yellow_card_by_hand_with_the_same_source_type_has_no_follow_up(d):
    from jiandu.oversight.actions import dispositions

    disposition = dispositions.create_admonishment(
        actor=d.head, cadre=d.cadre_a, grounds="x", source_type="appraisals.admonishmentproposal", source_id="999", figures={"valid": 30}
    )
    assert queries.yellow_card_follow_up(d.cadre_a, disposition.figures) is None
    assert browser(d.head).get(reverse("oversight:disposition_detail", args=[disposition.pk])).status_code == 200
