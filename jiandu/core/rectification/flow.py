"""The state changes of rectification, for any concrete subclass of the bases in `models.py`.

Each app's action locks the item (`select_for_update`), checks access and its own preconditions
(the audit's or tour's stage), then calls one of these inside its transaction with its own
journal codes (`Codes`) and journal context (target, unit, cadre). The functions check the
item's state and the input, write, and journal."""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from jiandu.core import journal
from jiandu.core.calendar import Deadline, days_deadline, working_days_between
from jiandu.core.errors import ActionError
from jiandu.core.practice import get_setting

from . import evidence as evidence_files

TEXT_MAX = 10000


@dataclass(frozen=True)
class Codes:
    """An app's journal codes for the rectification events (literals at the app's call site)."""

    progress: str
    returned: str
    closed: str
    visited: str
    overdue: str
    escalated: str


def today() -> dt.date:
    return dt.date.today()


def clean_text(value, field: str, *, required: bool = True, limit: int = TEXT_MAX) -> str:
    value = (value or "").strip() if isinstance(value, str) or value is None else str(value).strip()
    if required and not value:
        raise ActionError(_("This field is required."), field=field)
    if "\x00" in value:
        raise ActionError(_("The text contains a character that cannot be stored."), field=field)
    if len(value) > limit:
        raise ActionError(_("The text is longer than %(n)d characters.") % {"n": limit}, field=field)
    return value


def clean_date(value, field: str, *, not_before: dt.date | None = None, not_before_label: str = "", allow_future: bool = False) -> dt.date:
    if not isinstance(value, dt.date):
        raise ActionError(_("Give the date."), field=field)
    if not allow_future and value > today():
        raise ActionError(_("The date cannot be in the future."), field=field)
    if not_before is not None and value < not_before:
        raise ActionError(_("The date cannot be before %(what)s (%(day)s).") % {"what": not_before_label, "day": not_before.isoformat()}, field=field)
    return value


def default_due(reported_on: dt.date) -> Deadline:
    """The default deadline: `rectification.default_days` calendar days after the report."""
    return days_deadline(reported_on, int(get_setting("rectification.default_days")), rule="rectification.default_days")


def deadline(due_on, *, reported_on: dt.date) -> tuple[dt.date, str]:
    """The item's deadline and how it was set: the given date (not before the report), or the default."""
    if due_on in (None, ""):
        due = default_due(reported_on)
        return due.due, str(due.explain())
    due_on = clean_date(due_on, "due_on", not_before=reported_on, not_before_label=_("the report"), allow_future=True)
    return due_on, _("set by hand")


def record_progress(*, actor, item, report_model, codes: Codes, context: dict, progress: str, on: dt.date, not_before=None, not_before_label="", evidence=None):
    """A progress report (with an optional evidence file) on an item that is not closed; the item
    then awaits verification."""
    progress = clean_text(progress, "progress")
    on = clean_date(on, "on", not_before=not_before, not_before_label=not_before_label)
    checked = evidence_files.check(evidence) if evidence is not None else None
    if not item.can_report_progress():
        raise ActionError(_("This item is already verified and closed."), code="closed")
    report = report_model(item=item, kind=report_model.Kind.PROGRESS, on=on, progress=progress, created_by=actor)
    if checked is not None:
        evidence_files.attach(report, checked)
    try:
        report.save()
    except Exception:
        if checked is not None:
            evidence_files.path_of(report).unlink(missing_ok=True)
        raise
    item.status = item.Status.REPORTED
    item.save(update_fields=["status"])
    journal.record(codes.progress, actor=actor, data={"item": item.pk, "on": on, "evidence": report.evidence_name}, **context)
    return report


def verify_and_close(*, actor, item, codes: Codes, context: dict, note: str, on: dt.date | None = None):
    """The verifier accepts the reported rectification and closes the item (销号)."""
    note = clean_text(note, "note", required=False)
    on = clean_date(on or today(), "on")
    if item.status == item.Status.CLOSED:
        raise ActionError(_("This item is already verified and closed."), code="closed")
    if item.status != item.Status.REPORTED:
        raise ActionError(_("Record the progress and its evidence before closing the item."), code="not_reported")
    latest = item.updates.filter(kind="progress").order_by("-on").values_list("on", flat=True).first()
    if latest and on < latest:
        raise ActionError(_("The date cannot be before %(what)s (%(day)s).") % {"what": _("the progress report"), "day": latest.isoformat()}, field="on")
    item.status, item.closed_on, item.verification_note, item.verified_by = item.Status.CLOSED, on, note, actor
    item.save(update_fields=["status", "closed_on", "verification_note", "verified_by"])
    journal.record(codes.closed, actor=actor, data={"item": item.pk, "on": on, "note": note}, **context)
    return item


def return_for_more_work(*, actor, item, report_model, codes: Codes, context: dict, note: str, on: dt.date | None = None):
    """The verifier returns a reported rectification with the reason; the item is open again."""
    note = clean_text(note, "note")
    on = clean_date(on or today(), "on")
    if item.status == item.Status.CLOSED:
        raise ActionError(_("This item is already verified and closed."), code="closed")
    if item.status != item.Status.REPORTED:
        raise ActionError(_("Only a reported rectification can be verified."), code="not_reported")
    report_model.objects.create(item=item, kind=report_model.Kind.RETURNED, on=on, progress=note, created_by=actor)
    item.status = item.Status.OPEN
    item.save(update_fields=["status"])
    journal.record(codes.returned, actor=actor, data={"item": item.pk, "on": on, "note": note}, **context)
    return item


def record_visit(*, actor, item, visit_model, codes: Codes, context: dict, visited_on: dt.date, visited_by: str, outcome: str, note: str = ""):
    """A follow-up visit (跟踪回访) on a closed item, on or after the day it was closed."""
    visited_by = clean_text(visited_by, "visited_by", limit=100)
    note = clean_text(note, "note", required=outcome != visit_model.Outcome.IN_PLACE)
    if outcome not in visit_model.Outcome.values:
        raise ActionError(_("Choose the outcome of the visit."), field="outcome")
    if not item.can_record_visit():
        raise ActionError(_("Follow-up visits are recorded once the item is verified and closed."), code="not_closed")
    visited_on = clean_date(visited_on, "visited_on", not_before=item.closed_on, not_before_label=_("the closing of the item"))
    visit = visit_model.objects.create(item=item, visited_on=visited_on, visited_by=visited_by, outcome=outcome, note=note, created_by=actor)
    journal.record(codes.visited, actor=actor, data={"item": item.pk, "visited_on": visited_on, "outcome": visit.get_outcome_display()}, **context)
    return visit


def send_overdue_reminders(*, items, codes: Codes, context_of, today: dt.date | None = None, notify_of=None) -> int:
    """Remind once per item the day after its deadline, and escalate once when it is still not
    closed `rectification.escalation_working_days` working days after the deadline. `items` is
    the app's queryset of items; `context_of(item)` gives the journal context;
    `notify_of(item, escalated) -> (user ids, url)` whom to notify of the step (core.notifications).
    Idempotent: a date field marks each step, set by a conditional update."""
    from jiandu.core import notifications

    def tell(item, escalated):
        if notify_of is None:
            return
        recipients, url = notify_of(item, escalated)
        if escalated:
            kind, title = notifications.ESCALATION, gettext_noop("Rectification item still open after its deadline %(day)s: escalated")
        else:
            kind, title = notifications.REMINDER, gettext_noop("Rectification item overdue since %(day)s")
        cause = f"{codes.escalated if escalated else codes.overdue}:{item.pk}"
        notifications.notify(recipients, kind, title, url, params={"day": item.due_on.isoformat()}, cause=cause, today=today)

    today = today or dt.date.today()
    after = int(get_setting("rectification.escalation_working_days"))
    model = items.model
    overdue = items.exclude(status=model.Status.CLOSED).filter(due_on__lt=today)
    done = 0
    for item in overdue.filter(reminded_on__isnull=True):
        with transaction.atomic():
            if model.objects.filter(pk=item.pk, reminded_on__isnull=True).update(reminded_on=today):
                journal.record(codes.overdue, data={"item": item.pk, "due_on": item.due_on}, role="system", **context_of(item))
                tell(item, False)
                done += 1
    for item in overdue.filter(escalated_on__isnull=True):
        days = working_days_between(item.due_on, today)
        if days < after:
            continue
        with transaction.atomic():
            if model.objects.filter(pk=item.pk, escalated_on__isnull=True).update(escalated_on=today):
                journal.record(codes.escalated, data={"item": item.pk, "due_on": item.due_on, "working_days": days}, role="system", **context_of(item))
                tell(item, True)
                done += 1
    return done
