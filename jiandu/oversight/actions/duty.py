"""Duty and integrity reports (述责述廉): 自己述、群众评、班子议.

    plan_duty_reports ─▶ pending ─submit_duty_report─▶ submitted ─record_duty_session─▶ heard
        ─record_team_opinion─▶ concluded

`record_evaluation` (群众评: per-option counts entered by an officer, or later a ballot via
`ballot_id`) is allowed once the report is heard and before the team opinion. Who must report
is the `oversight.duty_report_positions` setting (principals, or every leading position).
"""

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from jiandu.accounts import access
from jiandu.core import journal
from jiandu.core.errors import ActionError
from jiandu.core.practice import get_setting
from jiandu.registry.models import Position, Tenure, Unit

from .. import uploads
from ..models import DutyReport, DutySession
from . import base


def plan_duty_reports(*, actor, year: int, due_on: dt.date, unit: Unit) -> list[DutyReport]:
    """Create the year's pending reports for the leading cadres of `unit` and the units below it
    (oversight.manage there); existing reports are kept. Returns the reports created."""
    access.require(actor, "oversight.manage", unit)
    due_on = base.future_deadline(due_on, "due_on")
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ActionError(_("Enter a year."), field="year")
    if not 2000 <= year <= 2100:
        raise ActionError(_("Enter a year."), field="year")
    tenures = Tenure.objects.filter(ended_on__isnull=True, position__kind=Position.Kind.LEADING, position__unit__path__startswith=unit.path).select_related(
        "cadre", "position__unit"
    )
    if get_setting("oversight.duty_report_positions") == "principal":
        tenures = tenures.filter(position__is_principal=True)
    created = []
    with transaction.atomic():
        existing = set(DutyReport.objects.filter(year=year).values_list("cadre_id", flat=True))
        for tenure in tenures.order_by("position__unit__path", "position__order"):
            if tenure.cadre_id in existing:
                continue
            existing.add(tenure.cadre_id)
            report = DutyReport.objects.create(
                year=year, cadre=tenure.cadre, unit=tenure.position.unit, position_title=tenure.position.title, due_on=due_on, created_by=actor
            )
            created.append(report)
            journal.record(
                "oversight.duty_report.planned", actor=actor, target=report, unit=report.unit, cadre=report.cadre, data={"year": year, "due_on": due_on}
            )
    return created


def submit_duty_report(*, actor, report: DutyReport, text: str, file=None, submitted_on: dt.date | None = None) -> DutyReport:
    """Submit the report (the cadre with self.answer, or an officer with oversight.manage)."""
    own = access.is_self(actor, report.cadre_id) and access.can(actor, "self.answer")
    if not (own or access.can(actor, "oversight.manage", report.unit)):
        raise access.NotVisible()
    text = base.text(text, "text")
    checked = uploads.check_upload(file) if file is not None else None
    with transaction.atomic():
        report = DutyReport.objects.select_for_update().select_related("unit").get(pk=report.pk)
        if report.status != DutyReport.Status.PENDING:
            raise ActionError(_("This report was already submitted."))
        report.text = text
        report.submitted_on = base.date(submitted_on or base.today(), "submitted_on", not_future=True)
        report.status = DutyReport.Status.SUBMITTED
        report.save(update_fields=["text", "submitted_on", "status"])
        if checked:
            uploads.store(actor=actor, owner=report, purpose="report", upload=file, checked=checked)
        journal.record(
            "oversight.duty_report.submitted",
            actor=actor,
            target=report,
            unit=report.unit,
            cadre=report.cadre_id,
            data={"year": report.year, "late": report.submitted_on > report.due_on},
        )
    return report


def record_duty_session(*, actor, unit: Unit, year: int, held_on: dt.date, mode: str, reports, place: str = "", audience: str = "") -> DutySession:
    """A session where submitted reports were heard (public or internal)."""
    access.require(actor, "oversight.manage", unit)
    base.choice(mode, DutySession.Mode, "mode")
    held_on = base.date(held_on, "held_on", not_future=True)
    reports = list(reports)
    if not reports:
        raise ActionError(_("Choose the reports heard at the session."), field="reports")
    with transaction.atomic():
        session = DutySession.objects.create(
            unit=unit, year=int(year), held_on=held_on, mode=mode, place=place or "", audience=audience or "", created_by=actor
        )
        for report in reports:
            report = DutyReport.objects.select_for_update().select_related("unit").get(pk=report.pk)
            access.require(actor, "oversight.manage", report.unit)
            if report.status != DutyReport.Status.SUBMITTED:
                raise ActionError(_("%(name)s's report is not submitted (or was already heard).") % {"name": report.cadre.name}, field="reports")
            if report.year != session.year:
                raise ActionError(_("%(name)s's report is for another year.") % {"name": report.cadre.name}, field="reports")
            report.session, report.status = session, DutyReport.Status.HEARD
            report.save(update_fields=["session", "status"])
            journal.record(
                "oversight.duty_report.heard", actor=actor, target=report, unit=report.unit, cadre=report.cadre_id, data={"held_on": held_on, "mode": mode}
            )
    return session


def record_evaluation(*, actor, report: DutyReport, counts: dict, ballot_id: int | None = None) -> DutyReport:
    """Enter the audience evaluation (群众评) as counts per option (好/较好/一般/差)."""
    values = {}
    for field, _label in DutyReport.OPTIONS:
        raw = counts.get(field)
        try:
            value = int(raw)
        except (TypeError, ValueError):
            raise ActionError(_("Enter a whole number."), field=field)
        if value < 0:
            raise ActionError(_("Enter a number that is not negative."), field=field)
        values[field] = value
    if sum(values.values()) == 0:
        raise ActionError(_("Enter at least one vote."), field="count_good")
    with transaction.atomic():
        report = DutyReport.objects.select_for_update().select_related("unit").get(pk=report.pk)
        access.require(actor, "oversight.manage", report.unit)
        if report.status != DutyReport.Status.HEARD:
            raise ActionError(_("The evaluation is entered after the report was heard and before the team's opinion."))
        for field, value in values.items():
            setattr(report, field, value)
        report.ballot_id = ballot_id
        report.save()
        journal.record(
            "oversight.duty_report.evaluated",
            actor=actor,
            target=report,
            unit=report.unit,
            cadre=report.cadre_id,
            data={"counts": values, "ballot_id": ballot_id},
        )
    return report


def record_team_opinion(*, actor, report: DutyReport, opinion: str, on: dt.date | None = None) -> DutyReport:
    """The leadership team's opinion (班子议); concludes the report."""
    opinion = base.text(opinion, "opinion")
    with transaction.atomic():
        # Lock the report row only: PostgreSQL cannot lock the nullable side (session) of an outer join.
        report = DutyReport.objects.select_for_update(of=("self",)).select_related("unit", "session").get(pk=report.pk)
        access.require(actor, "oversight.manage", report.unit)
        if report.status != DutyReport.Status.HEARD:
            raise ActionError(_("The team's opinion follows the session where the report was heard."))
        report.team_opinion = opinion
        report.team_opinion_on = base.date(on or base.today(), "on", not_future=True, not_before=report.session.held_on, not_before_label=_("the session"))
        report.status = DutyReport.Status.CONCLUDED
        report.save(update_fields=["team_opinion", "team_opinion_on", "status"])
        journal.record(
            "oversight.duty_report.concluded",
            actor=actor,
            target=report,
            unit=report.unit,
            cadre=report.cadre_id,
            data={"year": report.year, "valid_votes": report.valid_votes, "count_poor": report.count_poor},
        )
    return report
