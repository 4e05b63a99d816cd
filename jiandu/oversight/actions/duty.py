"""Duty and integrity reports (述责述廉): 自己述、群众评、班子议.

    plan_duty_reports ─▶ pending ─submit_duty_report─▶ submitted ─record_duty_session─▶ heard
        ─record_team_opinion─▶ concluded

The audience evaluation (群众评) is allowed once the report is heard and before the team
opinion, in one of two ways:

- by ballot (jiandu.ballots): `create_evaluation_ballot` makes one draft ballot for a session,
  its subjects the cadres whose reports were heard there (their report text on the ballot),
  rated 好/较好/一般/差 (optionally 不了解) by the voter groups given; the officer opens it, hands
  out codes or paper ballots and closes it in the ballots pages; `import_evaluation_results`
  then copies each cadre's counts into the report;
- by hand (`record_evaluation`): the counts of a session evaluated on paper without the ballot
  engine, entered by an officer. A report whose session has a ballot takes its counts from it.

Who must report is the `oversight.duty_report_positions` setting (principals, or every leading
position).
"""

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from jiandu.accounts import access
from jiandu.ballots import actions as ballot_actions
from jiandu.ballots import queries as ballot_queries
from jiandu.ballots import scales
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
    if not access.may_answer(actor, report.cadre_id, report.unit, "oversight.manage"):
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


# --- the audience evaluation by ballot -------------------------------------------------------------

QUESTION_CODE = "overall"
# Report field ← option code of the quality scale 好/较好/一般/差 (jiandu.ballots.scales "quality").
OPTION_FIELDS = (("count_good", "good"), ("count_fairly_good", "fairly_good"), ("count_average", "fair"), ("count_poor", "poor"))
UNKNOWN_CODE = scales.UNKNOWN.code
MAX_GROUPS = 10
MAX_HEADCOUNT = 100_000  # as the ballot engine accepts (jiandu.ballots.spec)
MAX_REPORT_TEXT = 20_000  # the longest subject report the ballot engine keeps


def ballot_exists(report_ids, ballot_id) -> bool:
    """Whether the evaluation ballot still exists (a draft may have been discarded in the ballots
    pages): its subjects refer to the reports, whoever may see the ballot."""
    if ballot_id is None:
        return False
    return any(ballot_queries.subjects_referring_to("oversight", "dutyreport", pk).filter(ballot_id=ballot_id).exists() for pk in report_ids)


def _voter_groups(groups) -> list[dict]:
    cleaned = []
    for i, raw in enumerate(groups or []):
        name = str(raw.get("name") or "").strip()
        headcount = raw.get("headcount")
        if not name and headcount in (None, ""):
            continue
        row = {"n": i + 1}
        if not name:
            raise ActionError(_("Voter group %(n)d: enter its name.") % row, field="groups")
        if len(name) > 100:
            raise ActionError(_("Voter group %(n)d: the name is longer than 100 characters.") % row, field="groups")
        try:
            headcount = int(headcount)
        except (TypeError, ValueError):
            headcount = 0
        if not 1 <= headcount <= MAX_HEADCOUNT:
            raise ActionError(_("Voter group %(n)d: enter the number of voters (1 to %(max)d).") % {**row, "max": MAX_HEADCOUNT}, field="groups")
        if any(g["name"] == name for g in cleaned):
            raise ActionError(_("Two voter groups are called %(name)s.") % {"name": name}, field="groups")
        cleaned.append({"name": name, "headcount": headcount})
    if not cleaned:
        raise ActionError(_("Enter at least one voter group with its number of voters."), field="groups")
    if len(cleaned) > MAX_GROUPS:
        raise ActionError(_("At most %(n)d voter groups.") % {"n": MAX_GROUPS}, field="groups")
    return cleaned


def _report_text(text: str) -> str:
    if len(text) <= MAX_REPORT_TEXT:
        return text
    marker = _("… (shortened; the full report is kept with the duty report)")
    return text[: MAX_REPORT_TEXT - len(marker)] + marker


def evaluation_ballot_spec(session: DutySession, reports, groups: list[dict], include_unknown: bool, title: str = "") -> dict:
    """The ballot (jiandu.ballots.spec) of a session's audience evaluation: one question per
    reporting cadre on the quality scale, rated by every voter group. Title, instructions and
    option labels are the printed wording of the ballot (data, in Chinese)."""
    options = scales.scale_options("quality")
    if include_unknown:
        options.append({"code": UNKNOWN_CODE, "label": scales.UNKNOWN.label, "valid": False, "points": None})
    return {
        "title": title or f"{session.year}年度述责述廉群众评议（{session.unit.name}）",
        "description": "请根据述职人述责述廉情况，对每位述职人在“好、较好、一般、差”中选择一项。",
        "sections": [
            {
                "title": "述责述廉",
                "questions": [{"code": QUESTION_CODE, "label": "述责述廉评价", "overall": True, "scale": {"options": options}}],
                "subjects": [
                    {
                        "key": f"r{report.pk}",
                        "kind": "cadre",
                        "label": report.cadre.name,
                        "note": " ".join(part for part in (report.unit.name, report.position_title) if part)[:200],
                        "ref": {"app": "oversight", "model": "dutyreport", "pk": report.pk},
                        "report_text": _report_text(report.text),
                    }
                    for report in reports
                ],
            }
        ],
        "groups": [{"code": f"g{i + 1}", "name": g["name"], "weight": 1, "headcount": g["headcount"], "rates": "all"} for i, g in enumerate(groups)],
    }


def create_evaluation_ballot(*, actor, session: DutySession, groups, include_unknown: bool = False, title: str = "") -> DutySession:
    """Create the audience evaluation (群众评) of a session as a draft ballot of the session's
    organising unit (oversight.manage and ballots.manage there): its subjects are the cadres whose
    reports were heard at the session and have no evaluation yet, with their report text; the
    options 好/较好/一般/差 (and 不了解 when asked for, which is no valid vote); `groups` is a list
    of {name, headcount}. One ballot per session (a new one only if the draft was discarded)."""
    title = base.text(title, "title", required=False, max_length=200)
    groups = _voter_groups(groups)
    with transaction.atomic():
        session = DutySession.objects.select_for_update().select_related("unit").get(pk=session.pk)
        access.require(actor, "oversight.manage", session.unit)
        linked = list(session.reports.filter(ballot_id=session.ballot_id).values_list("pk", flat=True)) if session.ballot_id else []
        if session.ballot_id is not None and ballot_exists(linked, session.ballot_id):
            raise ActionError(_("This session already has an evaluation ballot (#%(ballot)d).") % {"ballot": session.ballot_id}, code="duplicate")
        reports = list(
            DutyReport.objects.select_for_update(of=("self",))
            .select_related("cadre", "unit")
            .filter(session=session, status=DutyReport.Status.HEARD, count_good__isnull=True)
            .order_by("unit__path", "id")
        )
        if not reports:
            raise ActionError(_("No report of this session awaits the audience evaluation (heard, without counts)."))
        ballot = ballot_actions.create_ballot(actor=actor, unit=session.unit, spec=evaluation_ballot_spec(session, reports, groups, include_unknown, title))
        session.ballot_id = ballot.pk
        session.save(update_fields=["ballot_id"])
        for report in reports:
            report.ballot_id = ballot.pk
            report.save(update_fields=["ballot_id"])
            journal.record(
                "oversight.duty_report.ballot_linked", actor=actor, target=report, unit=report.unit, cadre=report.cadre_id, data={"ballot_id": ballot.pk}
            )
        journal.record(
            "oversight.duty_session.ballot_created",
            actor=actor,
            target=session,
            unit=session.unit,
            data={"ballot_id": ballot.pk, "reports": len(reports), "groups": groups, "include_unknown": bool(include_unknown)},
        )
    return session


def import_evaluation_results(*, actor, session: DutySession) -> list[DutyReport]:
    """Copy each cadre's counts from the session's closed evaluation ballot into the duty reports
    (oversight.manage on the session's unit, ballots.view_results on the ballot's): 好/较好/一般/差
    and 不了解 as counts, from which the pages compute the exact rates. Reports already evaluated
    or concluded are left alone; nothing to import is an error, so running it twice does no harm."""
    with transaction.atomic():
        session = DutySession.objects.select_for_update().select_related("unit").get(pk=session.pk)
        access.require(actor, "oversight.manage", session.unit)
        if session.ballot_id is None:
            raise ActionError(_("This session has no evaluation ballot: enter the counts on each report."))
        linked = list(session.reports.filter(ballot_id=session.ballot_id).values_list("pk", flat=True))
        if not ballot_exists(linked, session.ballot_id):
            raise ActionError(_("The evaluation ballot #%(ballot)d was discarded: create a new one.") % {"ballot": session.ballot_id})
        ballot = ballot_queries.get_ballot_for(actor, session.ballot_id, "ballots.view_results")
        if not ballot.is_closed:
            raise ActionError(
                _("The evaluation ballot is %(status)s: close it in the ballot pages first, then import the results.") % {"status": ballot.get_status_display()}
            )
        results = ballot_queries.results(ballot)
        imported = []
        reports = DutyReport.objects.select_for_update(of=("self",)).select_related("cadre", "unit").filter(pk__in=linked).order_by("unit__path", "id")
        for report in reports:
            if not report.awaits_ballot_results:
                continue
            subject = ballot_queries.subjects_referring_to("oversight", "dutyreport", report.pk).filter(ballot_id=ballot.pk).first()
            counts = {o.option.code: o.count for o in results.subject(subject).question(QUESTION_CODE).options}
            values = {field: counts.get(code, 0) for field, code in OPTION_FIELDS}
            for field, value in values.items():
                setattr(report, field, value)
            report.count_unknown = counts.get(UNKNOWN_CODE) if UNKNOWN_CODE in counts else None
            report.save(update_fields=[*values, "count_unknown"])
            journal.record(
                "oversight.duty_report.evaluated",
                actor=actor,
                target=report,
                unit=report.unit,
                cadre=report.cadre_id,
                data={"counts": values, "unknown": report.count_unknown, "source": "ballot", "ballot_id": ballot.pk},
            )
            imported.append(report)
        if not imported:
            raise ActionError(_("Nothing to import: every report of this ballot already has its evaluation or the team's opinion."), code="duplicate")
        journal.record(
            "oversight.duty_session.results_imported",
            actor=actor,
            target=session,
            unit=session.unit,
            data={"ballot_id": ballot.pk, "reports": len(imported)},
        )
    return imported


def record_evaluation(*, actor, report: DutyReport, counts: dict) -> DutyReport:
    """Enter the audience evaluation (群众评) as counts per option (好/较好/一般/差), for a session
    evaluated on paper without the ballot engine; refused for a report evaluated by ballot."""
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
        if report.ballot_id is not None and ballot_exists([report.pk], report.ballot_id):
            raise ActionError(
                _("This report is evaluated by ballot #%(ballot)d: import the results on the session's page once the ballot is closed.")
                % {"ballot": report.ballot_id}
            )
        for field, value in values.items():
            setattr(report, field, value)
        report.count_unknown = None
        report.ballot_id = None  # a discarded draft ballot leaves nothing behind
        report.save(update_fields=[*values, "count_unknown", "ballot_id"])
        journal.record(
            "oversight.duty_report.evaluated",
            actor=actor,
            target=report,
            unit=report.unit,
            cadre=report.cadre_id,
            data={"counts": values, "source": "manual"},
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
        if report.awaits_ballot_results and ballot_exists([report.pk], report.ballot_id):
            raise ActionError(_("The audience evaluation is still out: close the evaluation ballot and import its results first."))
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
