import datetime as dt

import pytest

from jiandu.accounts.access import NotVisible
from jiandu.core.errors import ActionError
from jiandu.core.models import JournalEntry
from jiandu.oversight import queries
from jiandu.oversight.actions import dispositions, talks
from jiandu.oversight.models import Attachment, Talk

from .conftest import exe_upload, pdf_upload

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def talk(d, **kw):
    values = {
        "kind": Talk.Kind.REMINDER,
        "talked_on": TODAY - dt.timedelta(days=3),
        "talkers": "赵部长",
        "talker_role": "组织部副部长",
        "reason": "群众反映",
        "summary": "提醒注意工作方法",
    }
    values.update(kw)
    return talks.record_talk(actor=d.officer, cadre=d.cadre_a, **values)


def test_record_talk_happy_path_journals(d):
    t = talk(d, follow_up="提交整改说明", follow_up_due_on=TODAY + dt.timedelta(days=10), explanation_required=True)
    assert t.status == Talk.Status.HELD and t.unit == d.a and t.explanation == Talk.Explanation.AWAITING
    entry = JournalEntry.objects.get(action="oversight.talk.recorded")
    assert entry.cadre_id == d.cadre_a.pk and entry.data["kind"] == "reminder"


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"kind": "gossip"}, "kind"),
        ({"talked_on": TODAY + dt.timedelta(days=1)}, "talked_on"),
        ({"talkers": ""}, "talkers"),
        ({"summary": " "}, "summary"),
        ({"follow_up": "补充材料", "follow_up_due_on": TODAY - dt.timedelta(days=1)}, "follow_up_due_on"),
        ({"follow_up": "补充材料"}, "follow_up_due_on"),
        ({"follow_up_due_on": TODAY}, "follow_up"),
        ({"kind": Talk.Kind.ROUTINE, "explanation_required": True}, "explanation_required"),
    ],
)
def test_record_talk_refuses_bad_input(d, values, field):
    with pytest.raises(ActionError) as exc:
        talk(d, **values)
    assert exc.value.field == field
    assert not Talk.objects.exists()


def test_unknown_cadre_and_wrong_unit(d):
    with pytest.raises(ActionError) as exc:
        talks.record_talk(actor=d.officer, cadre="abc", kind="routine", talked_on=TODAY, talkers="x", reason="x", summary="x")
    assert exc.value.field == "cadre"
    with pytest.raises(NotVisible):
        talks.record_talk(actor=d.officer_b, cadre=d.cadre_a, kind="routine", talked_on=TODAY, talkers="x", reason="x", summary="x")
    assert not Talk.objects.exists()


def test_follow_up_completion(d):
    t = talk(d, follow_up="提交整改说明", follow_up_due_on=TODAY)
    assert list(queries.overdue_follow_ups(d.officer, today=TODAY)) == []
    assert list(queries.overdue_follow_ups(d.officer, today=TODAY + dt.timedelta(days=1))) == [t]
    talks.complete_follow_up(actor=d.officer, talk=t, done_on=TODAY, result="已提交")
    assert JournalEntry.objects.filter(action="oversight.talk.follow_up_completed").exists()
    with pytest.raises(ActionError):
        talks.complete_follow_up(actor=d.officer, talk=t, done_on=TODAY, result="again")
    without = talk(d)
    with pytest.raises(ActionError):
        talks.complete_follow_up(actor=d.officer, talk=without, done_on=TODAY, result="x")


def test_explanation_submitted_by_the_cadre_and_signed_off(d):
    t = talk(d, explanation_required=True)
    with pytest.raises(ActionError) as exc:
        talks.submit_explanation(actor=d.self_a, talk=t, file=exe_upload())
    assert exc.value.field == "file"
    assert not Attachment.objects.exists()
    with pytest.raises(ActionError):
        talks.sign_off_explanation(actor=d.officer, talk=t, signed_off_on=TODAY)
    talks.submit_explanation(actor=d.self_a, talk=t, file=pdf_upload())
    t.refresh_from_db()
    assert t.explanation == Talk.Explanation.SUBMITTED
    with pytest.raises(ActionError):
        talks.submit_explanation(actor=d.self_a, talk=t, file=pdf_upload())
    talks.sign_off_explanation(actor=d.officer, talk=t, signed_off_on=TODAY)
    t.refresh_from_db()
    assert t.explanation == Talk.Explanation.SIGNED_OFF and t.explanation_signed_off_by == "王局长"
    assert JournalEntry.objects.filter(action="oversight.talk.explanation_signed_off", cadre_id=d.cadre_a.pk).exists()


def test_another_cadre_cannot_submit_an_explanation(d):
    t = talks.record_talk(actor=d.officer, cadre=d.cadre_b, kind="reminder", talked_on=TODAY, talkers="x", reason="x", summary="x", explanation_required=True)
    with pytest.raises(NotVisible):
        talks.submit_explanation(actor=d.self_a, talk=t, file=pdf_upload())


def test_hold_required_talk(d):
    disposition = dispositions.create_admonishment(actor=d.head, cadre=d.cadre_a, grounds="测评", source_type="s", source_id=1, figures={})
    required = Talk.objects.get(disposition=disposition)
    with pytest.raises(ActionError) as exc:
        talks.hold_talk(actor=d.officer, talk=required, talked_on=TODAY - dt.timedelta(days=1), talkers="部长", summary="诫勉谈话")
    assert exc.value.field == "talked_on"  # before the decision
    with pytest.raises(NotVisible):
        talks.hold_talk(actor=d.officer_b, talk=required, talked_on=TODAY, talkers="部长", summary="诫勉谈话")
    held = talks.hold_talk(actor=d.officer, talk=required, talked_on=TODAY, talkers="部长", summary="诫勉谈话")
    assert held.status == Talk.Status.HELD and held.explanation == Talk.Explanation.AWAITING
    assert JournalEntry.objects.get(action="oversight.talk.held").data["late"] is False
    with pytest.raises(ActionError):
        talks.hold_talk(actor=d.officer, talk=held, talked_on=TODAY, talkers="部长", summary="again")


def test_cancel_required_talk(d):
    disposition = dispositions.create_admonishment(actor=d.head, cadre=d.cadre_a, grounds="测评", source_type="s", source_id=1, figures={})
    required = Talk.objects.get(disposition=disposition)
    with pytest.raises(ActionError):
        talks.cancel_talk(actor=d.officer, talk=required, reason="")
    talks.cancel_talk(actor=d.officer, talk=required, reason="并入其他谈话")
    assert JournalEntry.objects.filter(action="oversight.talk.cancelled").exists()
    with pytest.raises(ActionError):
        talks.cancel_talk(actor=d.officer, talk=required, reason="again")
