"""Yellow-card proposals: confirm, dismiss with a reason, daily supervision's hook; disqualifying events."""

import datetime as dt

import pytest

from jiandu.accounts.access import NotVisible
from jiandu.accounts.models import Role
from jiandu.appraisals import actions, queries
from jiandu.appraisals.models import AdmonishmentProposal
from jiandu.core.errors import ActionError
from jiandu.core.models import JournalEntry
from jiandu.testing import make_cadre, make_unit, make_user

from .conftest import cast, make_team, open_cycle

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposal(district, officer):
    unit, _ = make_team(district, "丁单位", titles=("局长",))
    cycle = actions.create_cycle(actor=officer, unit=district, year=2025, uses_target_scores=False)
    assessed = actions.add_unit(actor=officer, cycle=cycle, unit=unit)
    open_cycle(officer, cycle)
    cast(officer, assessed, "staff", ["good"] * 3, {"丁局长": ["incompetent", "competent", "excellent"]})
    actions.close_evaluation(actor=officer, cycle=cycle)
    return AdmonishmentProposal.objects.get()


def test_proposal_at_exactly_one_third(proposal):
    assert proposal.figures == "不称职 1/3 = 33.33%" and proposal.is_pending and proposal.threshold == "1/3"


def test_confirm_proposal(proposal, head, officer):
    with pytest.raises(NotVisible):
        actions.confirm_proposal(actor=officer, proposal=proposal)
    actions.confirm_proposal(actor=head, proposal=proposal, note="部务会研究同意")
    proposal.refresh_from_db()
    assert proposal.status == "confirmed" and proposal.decided_by_id == head.pk
    entry = JournalEntry.objects.get(action="appraisals.proposal.confirmed")
    assert entry.cadre_id == proposal.cadre_id and entry.data["note"] == "部务会研究同意"
    assert not queries.pending_proposals().exists()
    with pytest.raises(ActionError) as exc:
        actions.dismiss_proposal(actor=head, proposal=proposal, reason="x")
    assert exc.value.code == "decided"


def test_dismiss_proposal_needs_a_reason(proposal, head):
    with pytest.raises(ActionError) as exc:
        actions.dismiss_proposal(actor=head, proposal=proposal, reason="  ")
    assert exc.value.field == "reason"
    actions.dismiss_proposal(actor=head, proposal=proposal, reason="经核实系个别人有组织打低分")
    proposal.refresh_from_db()
    assert proposal.status == "dismissed" and proposal.decision_note == "经核实系个别人有组织打低分"
    assert JournalEntry.objects.get(action="appraisals.proposal.dismissed").data["reason"] == "经核实系个别人有组织打低分"
    with pytest.raises(ActionError):
        actions.take_up_proposal(actor=head, proposal=proposal, reference="oversight.admonishment:1")


def test_take_up_proposal_hook(proposal, district, officer):
    discipline = make_user(role=Role.DISCIPLINE_OFFICER, unit=district)
    with pytest.raises(NotVisible):
        actions.take_up_proposal(actor=officer, proposal=proposal, reference="oversight.admonishment:7")
    head = make_user(role=Role.ORG_HEAD, unit=district)  # holds oversight.confirm and appraisals.confirm
    with pytest.raises(ActionError) as exc:
        actions.take_up_proposal(actor=head, proposal=proposal, reference="")
    assert exc.value.field == "reference"
    actions.take_up_proposal(actor=head, proposal=proposal, reference="oversight.admonishment:7")
    proposal.refresh_from_db()
    assert proposal.status == "confirmed" and proposal.reference == "oversight.admonishment:7"
    assert JournalEntry.objects.get(action="appraisals.proposal.taken_up").data["reference"] == "oversight.admonishment:7"
    with pytest.raises(ActionError):
        actions.take_up_proposal(actor=head, proposal=proposal, reference="oversight.admonishment:8")
    with pytest.raises(NotVisible):
        actions.take_up_proposal(actor=discipline, proposal=proposal, reference="x")


def test_record_disqualifying_event_preconditions(district, officer, outsider):
    cadre = make_cadre(unit=make_unit(parent=district))
    with pytest.raises(ActionError) as exc:
        actions.record_disqualifying_event(actor=officer, cadre=cadre, occurred_on=dt.date(2025, 1, 1), kind="迟到")
    assert exc.value.field == "kind"
    with pytest.raises(ActionError) as exc:
        actions.record_disqualifying_event(actor=officer, cadre=cadre, occurred_on=dt.date(2999, 1, 1), kind="受到诫勉")
    assert exc.value.field == "occurred_on"
    with pytest.raises(ActionError) as exc:
        actions.record_disqualifying_event(actor=officer, cadre=cadre, occurred_on=None, kind="受到诫勉")
    assert exc.value.field == "occurred_on"
    with pytest.raises(NotVisible):
        actions.record_disqualifying_event(actor=outsider, cadre=cadre, occurred_on=dt.date(2025, 1, 1), kind="受到诫勉")
    event = actions.record_disqualifying_event(actor=officer, cadre=cadre, occurred_on=dt.date(2025, 5, 4), kind="受到诫勉", note="函询后诫勉")
    entry = JournalEntry.objects.get(action="appraisals.disqualification.recorded")
    assert entry.cadre_id == cadre.pk and entry.data["kind"] == "受到诫勉"
    found = queries.disqualifying_events(cadre, 2025)
    assert [(d.source, d.kind, d.on) for d in found] == [("appraisals", "受到诫勉", dt.date(2025, 5, 4))]
    assert queries.disqualifying_events(cadre, 2026) == []
    with pytest.raises(ActionError) as exc:
        actions.withdraw_disqualifying_event(actor=officer, event=event, reason="")
    assert exc.value.field == "reason"
    actions.withdraw_disqualifying_event(actor=officer, event=event, reason="重复录入")
    assert JournalEntry.objects.get(action="appraisals.disqualification.withdrawn").cadre_id == cadre.pk
    with pytest.raises(ActionError):
        actions.withdraw_disqualifying_event(actor=officer, event=event, reason="again")


def test_take_up_a_confirmed_proposal_records_the_reference(proposal, head):
    actions.confirm_proposal(actor=head, proposal=proposal)
    actions.take_up_proposal(actor=head, proposal=proposal, reference="oversight.admonishment:3")
    proposal.refresh_from_db()
    assert proposal.status == "confirmed" and proposal.reference == "oversight.admonishment:3"
