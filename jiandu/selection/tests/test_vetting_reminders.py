# ruff: noqa: F811  (the `world` fixture is imported from test_cases)
"""The daily vetting job (issue #15 §3): a reminder from the configured days before the due date to
the due date itself, an escalation to the organisation department the day after, each once per
request and journaled; the overdue list and the 待办 inboxes show them."""

import datetime as dt

from django.test import Client
from django.urls import reverse

from jiandu.core import jobs, todo
from jiandu.core.models import JournalEntry
from jiandu.selection import actions
from jiandu.selection.models import Stage, VettingRequest

from .test_cases import D, _stage, _to_candidates, english, world  # noqa: F401  (the fixtures)

DAY = dt.timedelta(days=1)


def _sent(world):
    case, candidate = _to_candidates(world)
    actions.send_vetting(actor=world["officer"], case=case, sent_on=D + 3 * DAY)
    audit = VettingRequest.objects.get(candidate=candidate, department=world["audit"])
    discipline = VettingRequest.objects.get(candidate=candidate, department=world["discipline"])
    return case, audit, discipline


def test_reminder_window_opens_two_days_before_the_due_date_once(world):
    case, audit, discipline = _sent(world)
    due = audit.due_on
    assert actions.send_vetting_reminders(due - 3 * DAY) == 0  # the day before the window
    assert actions.send_vetting_reminders(due - 2 * DAY) == 2  # its first day: both departments
    assert actions.send_vetting_reminders(due - 2 * DAY) == 0 and actions.send_vetting_reminders(due) == 0  # once
    audit.refresh_from_db()
    assert audit.reminded_on == due - 2 * DAY
    entries = JournalEntry.objects.filter(action="selection.vetting.reminded")
    assert entries.count() == 2 and {e.unit_id for e in entries} == {world["audit"].pk, world["discipline"].pk}
    item = next(i for i in todo.items_for(world["vet_audit"], due).items if i.key == f"selection.vetting:{audit.pk}")
    assert (due - 2 * DAY).isoformat() in item.detail


def test_reminder_on_the_due_day_itself_but_not_the_day_after(world):
    case, audit, discipline = _sent(world)
    due = audit.due_on
    actions.reply_vetting(actor=world["vet_discipline"], request=discipline, result="no_problem", replied_on=D + 4 * DAY)
    assert actions.send_vetting_reminders(due + DAY) == 0  # past due: no reminder, escalation instead
    assert actions.send_vetting_reminders(due) == 1  # the last day of the window; the answered one is left alone
    discipline.refresh_from_db()
    assert discipline.reminded_on is None


def test_overdue_reply_escalated_once_the_day_after_the_due_date(world):
    case, audit, discipline = _sent(world)
    due = audit.due_on
    actions.reply_vetting(actor=world["vet_discipline"], request=discipline, result="no_problem", replied_on=D + 4 * DAY)
    assert actions.escalate_overdue_vetting(due) == 0  # on the due day: not yet overdue
    assert actions.escalate_overdue_vetting(due + DAY) == 1
    assert actions.escalate_overdue_vetting(due + 2 * DAY) == 0  # once
    audit.refresh_from_db()
    assert audit.escalated_on == due + DAY
    entry = JournalEntry.objects.get(action="selection.vetting.escalated")
    assert entry.unit_id == case.unit_id and entry.data["days_overdue"] == 1 and entry.data["department"] == world["audit"].name
    # the organisation department's 待办 and the overdue list show it; the department does not get the escalation item
    keys = [i.key for i in todo.items_for(world["officer"], due + DAY).items]
    assert f"selection.vetting_overdue:{audit.pk}" in keys and f"selection.vetting_overdue:{discipline.pk}" not in keys
    assert not any(i.key.startswith("selection.vetting_overdue") for i in todo.items_for(world["vet_audit"], due + DAY).items)
    client = Client()
    client.force_login(world["officer"])
    page = client.get(reverse("selection:overdue")).content.decode()
    assert (due + DAY).isoformat() in page and world["audit"].name in page
    # the late reply still lands, and the escalation item is gone
    actions.reply_vetting(actor=world["vet_audit"], request=audit, result="no_problem", replied_on=due + 2 * DAY)
    assert not any(i.key.startswith("selection.vetting_overdue") for i in todo.items_for(world["officer"], due + 2 * DAY).items)


def test_closed_vetting_stage_is_neither_reminded_nor_escalated(world):
    case, audit, discipline = _sent(world)
    actions.override_vetting(actor=world["head"], candidate=audit.candidate, reason="急需用人，书记办公会同意")
    _stage(world, case, Stage.VETTING, 5)
    assert actions.send_vetting_reminders(audit.due_on) == 0
    assert actions.escalate_overdue_vetting(audit.due_on + DAY) == 0


def test_the_daily_job_is_registered_and_runs(world):
    _sent(world)
    job = jobs.jobs()["selection.vetting_reminders"]
    assert job.at is not None and "reminders" in job.run()


def test_vetting_requests_reminders_and_escalation_notify_each_department_once(world):
    from jiandu.core.models import Notification

    case, audit, discipline = _sent(world)
    due = audit.due_on
    sent = Notification.objects.filter(kind="vetting_request")
    # Each department's own vetting officers, and only for their own department's request.
    assert set(sent.filter(cause=f"selection.vetting.sent:{audit.pk}").values_list("user_id", flat=True)) == {world["vet_audit"].pk}
    assert set(sent.filter(cause=f"selection.vetting.sent:{discipline.pk}").values_list("user_id", flat=True)) == {world["vet_discipline"].pk}
    assert all(n.sensitive and n.url == reverse("selection:vetting", args=[n.cause.rsplit(":", 1)[1]]) for n in sent)
    for _run in range(2):
        actions.send_vetting_reminders(due - 2 * DAY)
        actions.escalate_overdue_vetting(due + DAY)
    reminded = Notification.objects.filter(cause=f"selection.vetting.reminded:{audit.pk}")
    assert list(reminded.values_list("user_id", flat=True)) == [world["vet_audit"].pk]
    escalated = Notification.objects.filter(cause=f"selection.vetting.escalated:{audit.pk}")
    assert world["officer"].pk in set(escalated.values_list("user_id", flat=True)) and world["vet_audit"].pk not in set(
        escalated.values_list("user_id", flat=True)
    )
    assert escalated.count() == len(set(escalated.values_list("user_id", flat=True)))  # once each
