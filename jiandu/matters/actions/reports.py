"""The yearly window (规定 art. 5) and the reports: start, items, submit, readings, export, reminders."""

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from jiandu.accounts import access
from jiandu.core import journal, notifications
from jiandu.core.errors import ActionError
from jiandu.core.practice import get_setting

from .. import items as item_specs
from .. import queries
from ..models import (
    Check,
    Report,
    Reporter,
    ReportingYear,
    ReportItem,
)
from .base import REASON_MAX, VIEW, _date, _officer, _text

# --- the yearly window (规定 art. 5) --------------------------------------------------------------


def default_deadline(year: int) -> dt.date:
    month, day = str(get_setting("matters.deadline")).split("-")
    return dt.date(year, int(month), int(day))


def open_year(*, actor, year: int, deadline: dt.date | None = None) -> ReportingYear:
    """Open a reporting year: the deadline (default: the setting's day of that year) and the list
    of reporters, computed from the registry (规定 art. 2) and frozen now."""
    if not access.is_unrestricted(actor, VIEW):
        raise access.NotVisible()
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise ActionError(_("Give a reporting year between 2000 and 2100."), field="year")
    deadline = deadline or default_deadline(year)
    if deadline.year != year:
        raise ActionError(_("The deadline must fall in the reporting year."), field="deadline")
    with transaction.atomic():
        if ReportingYear.objects.select_for_update().filter(year=year).exists():
            raise ActionError(_("This reporting year is already open."), field="year")
        opened = ReportingYear.objects.create(year=year, deadline=deadline, opened_by=actor)
        Reporter.objects.bulk_create(
            Reporter(year=opened, cadre=cadre, unit_id=cadre.unit_id, level=cadre.leadership_level or cadre.rank) for cadre in queries.cadres_who_report()
        )
        journal.record("matters.year.opened", actor=actor, target=opened, data={"year": year, "deadline": deadline, "reporters": opened.reporters.count()})
    return opened


# --- reports -------------------------------------------------------------------------------------


def _may_write(actor, reporter: Reporter) -> str:
    """The channel the actor writes through: the cadre's own account, or an officer's paper record."""
    if access.is_self(actor, reporter.cadre) and access.can(actor, "self.answer"):
        return Report.Channel.SELF
    _officer(actor, reporter.unit)
    return Report.Channel.PAPER


def start_report(*, actor, reporter: Reporter, correction_reason: str = "") -> Report:
    """A draft: the first report, or — after a submission — a new version with the items of the
    last one and the reason for the correction (submitted versions never change)."""
    channel = _may_write(actor, reporter)
    with transaction.atomic():
        reporter = Reporter.objects.select_for_update().select_related("cadre", "unit", "year").get(pk=reporter.pk)
        if reporter.reports.filter(status=Report.Status.DRAFT).exists():
            raise ActionError(_("A draft of this report is already open; finish or submit it."))
        last = queries.current_report(reporter)
        reason = ""
        if last is not None:
            reason = _text(correction_reason, "correction_reason", _("reason for the correction"), max_length=REASON_MAX)
        version = (reporter.reports.order_by("-version").values_list("version", flat=True).first() or 0) + 1
        report = Report.objects.create(reporter=reporter, version=version, channel=channel, correction_reason=reason, created_by=actor)
        if last is not None:
            for old in last.items.all():
                copy = ReportItem(report=report, position=old.position, kind=old.kind, holder=old.holder, holder_name=old.holder_name)
                copy.set_values(old.values)
                copy.save()
        journal.record(
            "matters.report.started",
            actor=actor,
            target=report,
            unit=reporter.unit,
            cadre=None,
            data={"year": reporter.year.year, "version": version, "channel": channel, "correction": bool(reason)},
        )
    return report


def _locked_draft(actor, report: Report) -> Report:
    report = Report.objects.select_for_update().select_related("reporter__cadre", "reporter__unit", "reporter__year").get(pk=report.pk)
    channel = _may_write(actor, report.reporter)
    if report.status != Report.Status.DRAFT:
        raise ActionError(_("A submitted report cannot be changed; start a new version to correct it."))
    if channel != report.channel:
        raise access.NotVisible()
    return report


def add_item(*, actor, report: Report, kind: str, holder: str = "self", holder_name: str = "", values: dict | None = None) -> ReportItem:
    """Add one item (a family matter or an asset) with its typed values to a draft."""
    spec = item_specs.KINDS.get(kind)
    if spec is None:
        raise ActionError(_("Choose the kind of item."), field="kind")
    if holder not in dict(item_specs.HOLDERS):
        raise ActionError(_("Choose whose item this is."), field="holder")
    holder_name = _text(holder_name, "holder_name", _("name"), max_length=50, required=holder != "self")
    try:
        clean = item_specs.clean_values(spec, values or {})
    except item_specs.ItemError as exc:
        raise ActionError(exc.message, field=exc.field) from None
    with transaction.atomic():
        report = _locked_draft(actor, report)
        position = (report.items.order_by("-position").values_list("position", flat=True).first() or 0) + 1
        item = ReportItem(report=report, position=position, kind=kind, holder=holder, holder_name=holder_name)
        item.set_values(clean)
        item.save()
        journal.record(
            "matters.report.row_added",
            actor=actor,
            target=report,
            unit=report.reporter.unit,
            cadre=None,
            data={"kind": kind, "position": position},
        )
    return item


def remove_item(*, actor, report: Report, position: int) -> None:
    with transaction.atomic():
        report = _locked_draft(actor, report)
        deleted, _rows = report.items.filter(position=position).delete()
        if not deleted:
            raise ActionError(_("This item is not in the report."), field="position")
        journal.record("matters.report.row_removed", actor=actor, target=report, unit=report.reporter.unit, cadre=None, data={"position": position})


def submit_report(*, actor, report: Report, received_on: dt.date | None = None) -> Report:
    """Submit a draft. The cadre's own submission is dated today; an officer recording a paper
    report gives the day it was received (not in the future, not before the reporting year)."""
    with transaction.atomic():
        report = _locked_draft(actor, report)
        if report.channel == Report.Channel.PAPER:
            received_on = _date(received_on, "received_on", _("received on"))
            if received_on.year < report.reporter.year.year:
                raise ActionError(_("A report of this year cannot have been received before the year began."), field="received_on")
        else:
            received_on = dt.date.today()
        report.status = Report.Status.SUBMITTED
        report.submitted_on = received_on
        report.submitted_by = actor
        report.save(update_fields=["status", "submitted_on", "submitted_by"])
        journal.record(
            "matters.report.submitted",
            actor=actor,
            target=report,
            unit=report.reporter.unit,
            cadre=report.reporter.cadre,
            data={
                "year": report.reporter.year.year,
                "version": report.version,
                "channel": report.channel,
                "submitted_on": received_on,
                "late": received_on > report.reporter.year.deadline,
                "item_count": report.items.count(),
            },
        )
    return report


def record_view(*, actor, report: Report | None = None, check: Check | None = None, year: ReportingYear | None = None, events: int | None = None) -> None:
    """Every read of a report, a check, the list of reporters or of reported changes (with the
    count shown) is journaled (issue #18 Sensitivity)."""
    if events is not None:
        journal.record("matters.events.listed", actor=actor, data={"rows": events})
    if report is not None:
        journal.record("matters.report.viewed", actor=actor, target=report, unit=report.reporter.unit, cadre=None, data={"version": report.version})
    if check is not None:
        journal.record("matters.check.viewed", actor=actor, target=check, unit=check.unit, cadre=None, data={"kind": check.kind})
    if year is not None:
        journal.record("matters.reports.listed", actor=actor, target=year, data={"year": year.year})


def export_reports(*, actor, year: ReportingYear) -> list[list]:
    """The head's export of a year's submitted reports, item by item (journaled with the count).
    Needs both the reading role and the head's export permission."""
    if not (access.is_unrestricted(actor, VIEW) and access.can(actor, "matters.export_reports")):
        raise access.NotVisible()
    rows = []
    for reporter in queries.reporters_visible_to(actor, year).order_by("unit__path", "cadre__sort_pinyin"):
        report = queries.current_report(reporter)
        if report is None:
            continue
        for item in report.items.all():
            spec = item.kind_spec
            values = item.values
            rows.append(
                [
                    reporter.cadre.name,
                    reporter.unit.label,
                    report.version,
                    str(spec.label),
                    str(dict(item_specs.HOLDERS)[item.holder]),
                    item.holder_name,
                    "；".join(f"{f.label}：{values.get(f.name, '')}" for f in spec.fields),
                ]
            )
    journal.record("matters.reports.exported", actor=actor, target=year, data={"year": year.year, "rows": len(rows)})
    return rows


def send_reminders(today: dt.date | None = None) -> int:
    """The daily job: remind each reporter without a submitted report the configured days before
    the deadline and the day after it (then missing: chased). Journaled as a count, no mail
    carries anything beyond the due date."""
    today = today or dt.date.today()
    days = int(get_setting("matters.reminder_days"))
    count = 0
    for year in ReportingYear.objects.all():
        due_soon = today == year.deadline - dt.timedelta(days=days)
        chase = today == year.deadline + dt.timedelta(days=1)
        if not (due_soon or chase):
            continue
        waiting = [r for r in year.reporters.select_related("cadre", "unit") if queries.first_submission(r) is None]
        for reporter in waiting:
            journal.record(
                "matters.reminders.sent",
                target=reporter.year,
                unit=reporter.unit,
                cadre=reporter.cadre,
                data={"year": year.year, "deadline": year.deadline, "overdue": chase},
            )
            notifications.notify(
                [access.user_for_cadre(reporter.cadre_id)],
                notifications.REMINDER,
                gettext_noop("Your report on personal matters for %(year)s was due on %(day)s and is not yet submitted")
                if chase
                else gettext_noop("Your report on personal matters for %(year)s is due on %(day)s"),
                reverse("matters:mine"),
                params={"year": year.year, "day": year.deadline.isoformat()},
                cause=f"matters.reminders.sent:{reporter.pk}:{'overdue' if chase else 'soon'}",
                sensitive=True,
                today=today,
            )
            count += 1
    return count
