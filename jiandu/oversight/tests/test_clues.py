import datetime as dt

import pytest

from jiandu.accounts.access import NotVisible
from jiandu.core.errors import ActionError
from jiandu.core.models import JournalEntry
from jiandu.oversight import queries
from jiandu.oversight.actions import clues
from jiandu.oversight.models import Attachment, Clue, JointMeeting

from .conftest import exe_upload, pdf_upload

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


@pytest.fixture
def joint(d):
    for unit in (d.org, d.audit, d.discipline):
        clues.add_member(actor=d.officer, unit=unit)
    return d


def register(d, **kw):
    values = {"cadre": d.cadre_a, "from_unit": d.org, "source": "petition", "summary": "反映其违规插手工程项目"}
    values.update(kw)
    return clues.register_clue(actor=d.officer, **values)


def test_members_and_meeting(joint):
    d = joint
    with pytest.raises(ActionError):
        clues.add_member(actor=d.officer, unit=d.org)
    meeting = clues.record_meeting(
        actor=d.officer, organiser=d.org, held_on=TODAY, title="第一季度联席会议", attending_units=[d.org, d.audit], minutes="通报线索"
    )
    assert set(meeting.attending_units.all()) == {d.org, d.audit}
    with pytest.raises(ActionError) as exc:
        clues.record_meeting(actor=d.officer, organiser=d.org, held_on=TODAY, title="x", attending_units=[d.b])
    assert exc.value.field == "attending_units"
    with pytest.raises(ActionError) as exc:
        clues.record_meeting(actor=d.officer, organiser=d.org, held_on=TODAY + dt.timedelta(days=1), title="x")
    assert exc.value.field == "held_on"
    assert JointMeeting.objects.count() == 1
    assert JournalEntry.objects.filter(action="oversight.joint_meeting.recorded").count() == 1
    member = clues.add_member(actor=d.officer, unit=d.b)
    clues.remove_member(actor=d.officer, member=member, reason="机构调整")
    assert JournalEntry.objects.filter(action="oversight.joint_member.removed").exists()


def test_clue_flow_and_deadlines(joint):
    d = joint
    clue = register(d, attachments=[pdf_upload("举报信.pdf")])
    assert clue.number.startswith("XS") and Attachment.objects.filter(owner_type="clue").count() == 1
    assert "summary" not in JournalEntry.objects.get(action="oversight.clue.registered").data
    clue = clues.transfer_clue(actor=d.officer, clue=clue, to_unit=d.audit)
    assert clue.status == Clue.Status.TRANSFERRED and clue.receipt_due_on and clue.feedback_due_on
    with pytest.raises(NotVisible):
        clues.confirm_receipt(actor=d.discipline_officer, clue=clue)
    with pytest.raises(ActionError):
        clues.report_handling(actor=d.auditor, clue=clue, handling="x", result="partly")
    clues.confirm_receipt(actor=d.auditor, clue=clue, received_on=TODAY)
    clues.report_handling(actor=d.auditor, clue=clue, handling="审计发现工程款支付不规范", result="partly", fed_back_on=TODAY)
    with pytest.raises(NotVisible):
        clues.close_clue(actor=d.auditor, clue=clue)
    clue = clues.close_clue(actor=d.officer, clue=clue)
    assert clue.status == Clue.Status.CLOSED and clue.result == "partly"
    actions = set(JournalEntry.objects.filter(target_id=str(clue.pk), target_type="oversight.clue").values_list("action", flat=True))
    assert actions == {"oversight.clue.registered", "oversight.clue.transferred", "oversight.clue.received", "oversight.clue.fed_back", "oversight.clue.closed"}


def test_transfer_preconditions(joint):
    d = joint
    clue = register(d)
    with pytest.raises(ActionError) as exc:
        clues.transfer_clue(actor=d.officer, clue=clue, to_unit=d.b)
    assert exc.value.field == "to_unit"
    with pytest.raises(ActionError) as exc:
        clues.transfer_clue(actor=d.officer, clue=clue, to_unit=d.org)
    assert exc.value.field == "to_unit"
    with pytest.raises(ActionError) as exc:
        clues.transfer_clue(actor=d.officer, clue=clue, to_unit=d.audit, transferred_on=TODAY - dt.timedelta(days=60))
    assert exc.value.field == "transferred_on" and "past" in exc.value.message
    with pytest.raises(NotVisible):
        clues.transfer_clue(actor=d.auditor, clue=clue, to_unit=d.discipline)
    clue.refresh_from_db()
    assert clue.status == Clue.Status.REGISTERED


def test_register_refuses_bad_input(joint):
    d = joint
    with pytest.raises(ActionError) as exc:
        register(d, summary="")
    assert exc.value.field == "summary"
    with pytest.raises(ActionError) as exc:
        register(d, cadre=123456)
    assert exc.value.field == "cadre"
    with pytest.raises(ActionError) as exc:
        register(d, attachments=[exe_upload()])
    assert exc.value.field == "file"
    with pytest.raises(NotVisible):
        clues.register_clue(actor=d.auditor, cadre=d.cadre_a, from_unit=d.org, source="audit", summary="x")
    assert not Clue.objects.exists() and not Attachment.objects.exists()


def test_receiving_department_sees_only_its_clues(joint):
    d = joint
    to_audit = clues.transfer_clue(actor=d.officer, clue=register(d), to_unit=d.audit)
    to_discipline = clues.transfer_clue(actor=d.officer, clue=register(d, summary="另一线索"), to_unit=d.discipline)
    assert list(queries.clues_visible_to(d.auditor)) == [to_audit]
    assert queries.get_clue_for(d.auditor, to_audit.pk) == to_audit
    with pytest.raises(NotVisible):
        queries.get_clue_for(d.auditor, to_discipline.pk)
    with pytest.raises(NotVisible):
        queries.get_clue_for(d.leader_a, to_audit.pk)


def test_managers_of_the_cadres_unit_do_not_even_see_that_a_clue_exists(joint):
    d = joint
    clue = clues.register_clue(actor=d.auditor, cadre=d.cadre_a, from_unit=d.audit, source="audit", summary="审计线索")
    # officer_a manages unit a (the cadre's unit) but neither sent nor received the clue: that a
    # cadre is the subject of a clue is itself sensitive, so no (masked) row either.
    assert list(queries.clues_visible_to(d.officer_a)) == []
    assert not queries.may_read_clue(d.officer_a, clue)
    with pytest.raises(NotVisible):
        queries.get_clue_for(d.officer_a, clue.pk)
    assert queries.may_read_clue(d.head, clue)  # view_clues_all: the convener reads (read only)
    assert not queries.is_clue_receiver(d.head, clue) and not queries.is_clue_sender(d.head, clue)
    assert not list(queries.clues_visible_to(d.officer_b))


def test_overdue_receipt_and_feedback(joint):
    d = joint
    clue = clues.transfer_clue(actor=d.officer, clue=register(d), to_unit=d.audit)
    assert list(queries.overdue_clue_receipts(d.officer, today=clue.receipt_due_on)) == []
    assert list(queries.overdue_clue_receipts(d.officer, today=clue.receipt_due_on + dt.timedelta(days=1))) == [clue]
    assert list(queries.overdue_clue_feedback(d.officer, today=clue.feedback_due_on + dt.timedelta(days=1))) == [clue]
    clues.confirm_receipt(actor=d.auditor, clue=clue)
    assert list(queries.overdue_clue_receipts(d.officer, today=clue.receipt_due_on + dt.timedelta(days=1))) == []
    assert list(queries.overdue_clue_feedback(d.officer, today=clue.feedback_due_on + dt.timedelta(days=1))) == [clue]


def test_viewing_is_journaled(joint):
    d = joint
    clue = register(d)
    clues.record_clue_view(actor=d.head, clue=clue, via="page")
    entry = JournalEntry.objects.get(action="oversight.clue.viewed")
    assert entry.actor_id == d.head.pk and entry.cadre_id == d.cadre_a.pk


def test_a_transferred_clue_notifies_the_receiving_clue_officers_once(joint):
    from django.urls import reverse
    from django.utils import translation

    from jiandu.core.models import Notification

    d = joint
    clue = clues.transfer_clue(actor=d.officer, clue=register(d), to_unit=d.audit)
    notes = Notification.objects.filter(cause=f"oversight.clue.transferred:{clue.pk}")
    assert list(notes.values_list("user_id", flat=True)) == [d.auditor.pk]  # the receiving department's clue officer only
    note = notes.get()
    assert note.kind == "clue_receipt" and note.sensitive and note.url == reverse("oversight:clue_detail", args=[clue.pk])
    with translation.override("zh-hans"):  # stored as the source text, shown in the reader's language
        assert note.text == f"有一条问题线索转交本部门，请于{clue.receipt_due_on.isoformat()}前确认接收"
    assert clue.summary not in note.text  # what the clue says stays in the clue
