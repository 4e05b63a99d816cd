"""Cycles: create, edit, who is assessed, self-reports (述职), completion."""

import datetime as dt
import uuid

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from jiandu.accounts import access
from jiandu.ballots import actions as ballot_actions
from jiandu.ballots import queries as ballot_queries
from jiandu.core import blockers, journal, uploads
from jiandu.core.errors import ActionError
from jiandu.core.practice import get_setting
from jiandu.registry import queries as registry_queries
from jiandu.registry.models import Cadre, Unit

from .. import queries
from ..models import AppraisalCycle, AssessedCadre, AssessedUnit
from .common import clean_text, lock_cycle, require_manage, wrong_stage

MIN_YEAR = 2000

# Default titles are data (the name printed on ballots and forms), so they are in Chinese.
KIND_TITLES = {
    AppraisalCycle.Kind.ANNUAL: "{year}年度领导班子和领导干部年度考核",
    AppraisalCycle.Kind.ROUTINE: "{year}年领导班子和领导干部平时考核",
    AppraisalCycle.Kind.SPECIAL: "{year}年领导班子和领导干部专项考核",
    AppraisalCycle.Kind.TERM: "{year}年领导班子和领导干部任期考核",
}


def default_title(year: int, kind: str) -> str:
    return KIND_TITLES[kind].format(year=year)


def _check_year(year) -> int:
    if isinstance(year, str) and year.strip().isdigit():
        year = int(year)
    this_year = timezone.localdate().year
    if not isinstance(year, int) or isinstance(year, bool) or not MIN_YEAR <= year <= this_year + 1:
        raise ActionError(_("Enter a year from %(first)d to %(last)d.") % {"first": MIN_YEAR, "last": this_year + 1}, field="year")
    return year


def create_cycle(
    *, actor, unit: Unit, year, kind: str = AppraisalCycle.Kind.ANNUAL, title: str = "", description: str = "", uses_target_scores: bool = True
) -> AppraisalCycle:
    """Start a cycle organised by `unit` (needs appraisals.manage there). One annual cycle per
    organising unit and year; the title defaults to "2026年度考核"."""
    if unit is None or not getattr(unit, "pk", None):
        raise ActionError(_("Choose the organising unit."), field="unit")
    access.require(actor, "appraisals.manage", unit)
    year = _check_year(year)
    if kind not in AppraisalCycle.Kind.values:
        raise ActionError(_("Unknown kind of assessment."), field="kind")
    title = clean_text(title, "title", pgettext("appraisal", "Title")) or default_title(year, kind)
    description = clean_text(description, "description", pgettext("appraisal", "Notes"), max_length=5000)
    with transaction.atomic():
        if kind == AppraisalCycle.Kind.ANNUAL and AppraisalCycle.objects.filter(unit=unit, year=year, kind=kind).exists():
            raise ActionError(_("%(unit)s already has an annual assessment for %(year)d.") % {"unit": unit.name, "year": year}, field="year")
        cycle = AppraisalCycle.objects.create(
            year=year,
            kind=kind,
            title=title[:200],
            unit=unit,
            description=description,
            uses_target_scores=bool(uses_target_scores),
            created_by_id=actor.pk,
        )
        journal.record(
            "appraisals.cycle.created",
            actor=actor,
            target=cycle,
            unit=unit,
            data={"title": cycle.title, "year": year, "kind": kind, "uses_target_scores": cycle.uses_target_scores},
        )
    return cycle


def update_cycle(*, actor, cycle: AppraisalCycle, title=None, description=None, uses_target_scores=None) -> AppraisalCycle:
    """Change the title or notes (any time) or whether targets are part of it (setup only)."""
    with transaction.atomic():
        cycle = lock_cycle(cycle)
        require_manage(actor, cycle)
        changed = {}
        if title is not None:
            title = clean_text(title, "title", pgettext("appraisal", "Title"), required=True)
            if title != cycle.title:
                changed["title"] = [cycle.title, title]
                cycle.title = title
        if description is not None:
            description = clean_text(description, "description", pgettext("appraisal", "Notes"), max_length=5000)
            if description != cycle.description:
                changed["description"] = True
                cycle.description = description
        if uses_target_scores is not None and bool(uses_target_scores) != cycle.uses_target_scores:
            if not cycle.is_setup:
                raise ActionError(_("Whether the target assessment is included can only change during setup."), field="uses_target_scores")
            changed["uses_target_scores"] = [cycle.uses_target_scores, bool(uses_target_scores)]
            cycle.uses_target_scores = bool(uses_target_scores)
        if changed:
            cycle.save()
            journal.record("appraisals.cycle.updated", actor=actor, target=cycle, unit=cycle.unit, data={"changed": changed})
    return cycle


def reference_date(cycle: AppraisalCycle) -> dt.date | None:
    """The day whose leadership teams are assessed: 31 December of a past year, else today."""
    today = timezone.localdate()
    return dt.date(cycle.year, 12, 31) if cycle.year < today.year else None


def _check_in_scope(cycle: AppraisalCycle, unit: Unit) -> None:
    if not unit.path.startswith(cycle.unit.path):
        raise ActionError(_("%(unit)s is not under the organising unit %(organiser)s.") % {"unit": unit.name, "organiser": cycle.unit.name}, field="unit")


def _next_order(qs) -> int:
    return (qs.aggregate(n=Max("order"))["n"] or 0) + 1


def _add_cadre_row(cycle, assessed_unit, cadre, post) -> AssessedCadre:
    return AssessedCadre.objects.create(
        cycle=cycle,
        assessed_unit=assessed_unit,
        cadre=cadre,
        cadre_name=cadre.name,
        post=(post or "")[:100],
        order=_next_order(assessed_unit.cadres),
    )


def add_unit(*, actor, cycle: AppraisalCycle, unit: Unit, include_team: bool = True) -> AssessedUnit:
    """Assess a unit's leadership team in the cycle (setup only); with `include_team`, its
    current leading cadres (on 31 December for a past year) are added as assessed cadres."""
    with transaction.atomic():
        cycle = lock_cycle(cycle)
        require_manage(actor, cycle)
        if not cycle.may_change_membership:
            raise wrong_stage(cycle)
        if unit is None or not getattr(unit, "pk", None):
            raise ActionError(_("Choose a unit."), field="unit")
        unit = Unit.objects.get(pk=unit.pk)
        _check_in_scope(cycle, unit)
        if not unit.is_active:
            raise ActionError(_("%(unit)s is no longer active.") % {"unit": unit.name}, field="unit")
        if cycle.units.filter(unit=unit).exists():
            raise ActionError(_("%(unit)s is already assessed in this cycle.") % {"unit": unit.name}, field="unit")
        assessed = AssessedUnit.objects.create(cycle=cycle, unit=unit, unit_name=unit.name[:100], order=_next_order(cycle.units))
        added, skipped = [], []
        if include_team:
            for tenure in registry_queries.leadership_team(unit, on=reference_date(cycle)):
                if tenure.cadre.status != Cadre.Status.SERVING or cycle.cadres.filter(cadre=tenure.cadre).exists():
                    skipped.append(tenure.cadre.name)
                    continue
                _add_cadre_row(cycle, assessed, tenure.cadre, tenure.position.title)
                added.append(tenure.cadre.name)
        journal.record(
            "appraisals.unit.added",
            actor=actor,
            target=cycle,
            unit=unit,
            data={"unit": unit.name, "cadres_added": len(added), "cadres_skipped": skipped},
        )
    return assessed


def remove_unit(*, actor, assessed_unit: AssessedUnit) -> AppraisalCycle:
    """Stop assessing a unit (setup only): its cadres, self-reports and target indicators go too."""
    with transaction.atomic():
        cycle = lock_cycle(assessed_unit.cycle)
        require_manage(actor, cycle)
        if not cycle.may_change_membership:
            raise wrong_stage(cycle)
        assessed_unit = AssessedUnit.objects.select_for_update().get(pk=assessed_unit.pk, cycle=cycle)
        files = [c.report_file for c in assessed_unit.cadres.all() if c.report_file]
        names = list(assessed_unit.cadres.values_list("cadre_name", flat=True))
        assessed_unit.indicators.all().delete()
        assessed_unit.cadres.all().delete()
        name = assessed_unit.unit_name
        unit_id = assessed_unit.unit_id
        assessed_unit.delete()
        for file in files:
            _delete_after_commit(file)
        journal.record("appraisals.unit.removed", actor=actor, target=cycle, unit=Unit.objects.get(pk=unit_id), data={"unit": name, "cadres": names})
    return cycle


def add_cadre(*, actor, assessed_unit: AssessedUnit, cadre: Cadre, post: str = "") -> AssessedCadre:
    """Assess one more cadre with a unit's team (setup only); a cadre is assessed once per cycle."""
    with transaction.atomic():
        cycle = lock_cycle(assessed_unit.cycle)
        require_manage(actor, cycle)
        if not cycle.may_change_membership:
            raise wrong_stage(cycle)
        if cadre is None or not getattr(cadre, "pk", None):
            raise ActionError(_("Choose a cadre."), field="cadre")
        cadre = Cadre.objects.select_related("unit").get(pk=cadre.pk)
        _check_in_scope(cycle, cadre.unit)
        if cadre.status != Cadre.Status.SERVING:
            raise ActionError(_("%(name)s is not serving.") % {"name": cadre.name}, field="cadre")
        if cycle.cadres.filter(cadre=cadre).exists():
            raise ActionError(_("%(name)s is already assessed in this cycle.") % {"name": cadre.name}, field="cadre")
        post = clean_text(post, "post", _("Post"), max_length=100)
        if not post:
            tenure = registry_queries.current_tenures(cadre).filter(position__unit=assessed_unit.unit).first()
            post = tenure.position.title if tenure else ""
        row = _add_cadre_row(cycle, AssessedUnit.objects.get(pk=assessed_unit.pk, cycle=cycle), cadre, post)
        journal.record(
            "appraisals.cadre.added", actor=actor, target=cycle, unit=assessed_unit.unit, cadre=cadre, data={"unit": assessed_unit.unit_name, "post": post}
        )
    return row


def remove_cadre(*, actor, assessed_cadre: AssessedCadre) -> AppraisalCycle:
    """Stop assessing a cadre (setup only)."""
    with transaction.atomic():
        cycle = lock_cycle(assessed_cadre.cycle)
        require_manage(actor, cycle)
        if not cycle.may_change_membership:
            raise wrong_stage(cycle)
        row = AssessedCadre.objects.select_for_update().select_related("assessed_unit__unit").get(pk=assessed_cadre.pk, cycle=cycle)
        if row.report_file:
            _delete_after_commit(row.report_file)
        cadre_id, name, unit = row.cadre_id, row.cadre_name, row.assessed_unit.unit
        row.delete()
        journal.record("appraisals.cadre.removed", actor=actor, target=cycle, unit=unit, cadre=cadre_id, data={"name": name})
    return cycle


def _delete_after_commit(file) -> None:
    storage, name = file.storage, file.name
    transaction.on_commit(lambda: storage.delete(name))


def _ballot_subject(actor, ballot_id, subject_id):
    ballot = ballot_queries.get_ballot_for(actor, ballot_id, "ballots.manage")
    return ballot_queries.get_subject_for(actor, ballot, subject_id, "ballots.manage")


def set_team_report(*, actor, assessed_unit: AssessedUnit, text: str) -> AssessedUnit:
    """The team's written self-report (班子述职), until the evaluation closes; once the ballot
    exists it is shown to voters with the team."""
    with transaction.atomic():
        cycle = lock_cycle(assessed_unit.cycle)
        require_manage(actor, cycle)
        if not cycle.may_change_reports:
            raise wrong_stage(cycle)
        row = AssessedUnit.objects.select_for_update().get(pk=assessed_unit.pk, cycle=cycle)
        text = clean_text(text, "report_text", _("Self-report"), max_length=20000)
        if text == row.team_report_text:
            return row
        row.team_report_text = text
        row.save(update_fields=["team_report_text"])
        if row.ballot_id and row.team_subject_id:
            ballot_actions.set_subject_report(actor=actor, subject=_ballot_subject(actor, row.ballot_id, row.team_subject_id), text=text)
        journal.record("appraisals.report.changed", actor=actor, target=cycle, unit=row.unit, data={"unit": row.unit_name, "fields": ["team_report_text"]})
    return row


def check_pdf(file) -> None:
    """Self-report files: PDF by content, within the ballots' size limit (jiandu.core.uploads)."""
    problem = uploads.pdf_problem(file, limit_mb=int(get_setting("ballots.report_max_mb")))
    if problem:
        raise ActionError(problem, field="report_file")


def set_cadre_report(*, actor, assessed_cadre: AssessedCadre, text: str | None = None, file=None, remove_file: bool = False) -> AssessedCadre:
    """A cadre's self-report (述职): written text and/or a PDF, until the evaluation closes. Once
    the ballot exists the report is passed on to its subject so voters can read it."""
    with transaction.atomic():
        cycle = lock_cycle(assessed_cadre.cycle)
        require_manage(actor, cycle)
        if not cycle.may_change_reports:
            raise wrong_stage(cycle)
        row = AssessedCadre.objects.select_for_update().select_related("assessed_unit__unit").get(pk=assessed_cadre.pk, cycle=cycle)
        changed = []
        if text is not None:
            text = clean_text(text, "report_text", _("Self-report"), max_length=20000)
            if text != row.report_text:
                row.report_text = text
                changed.append("report_text")
        if file is not None:
            check_pdf(file)
            if row.report_file:
                _delete_after_commit(row.report_file)
            row.report_file_name = (getattr(file, "name", "") or "report.pdf").rsplit("/", 1)[-1][:200]
            row.report_file.save(f"{uuid.uuid4().hex}.pdf", file, save=False)
            file.seek(0)
            changed += ["report_file", "report_file_name"]
        elif remove_file and row.report_file:
            _delete_after_commit(row.report_file)
            row.report_file = ""
            row.report_file_name = ""
            changed += ["report_file", "report_file_name"]
        if not changed:
            return row
        row.save(update_fields=changed)
        if row.ballot_subject_ready:
            ballot_actions.set_subject_report(
                actor=actor,
                subject=_ballot_subject(actor, row.assessed_unit.ballot_id, row.subject_id),
                text=row.report_text if "report_text" in changed else None,
                file=file,
                remove_file=remove_file and file is None,
            )
        journal.record(
            "appraisals.report.changed",
            actor=actor,
            target=cycle,
            unit=row.assessed_unit.unit,
            cadre=row.cadre_id,
            data={"name": row.cadre_name, "fields": sorted(set(changed) - {"report_file_name"})},
        )
    return row


def complete_cycle(*, actor, cycle: AppraisalCycle) -> AppraisalCycle:
    """Mark the results as used (grades confirmed; every 不称职 cadre has a recorded use)."""
    with transaction.atomic():
        cycle = lock_cycle(cycle)
        require_manage(actor, cycle)
        if not cycle.may_complete:
            raise wrong_stage(cycle)
        blockers.refuse(queries.complete_problems(cycle), code="not_ready")
        cycle.status = AppraisalCycle.Status.RESULTS_USED
        cycle.completed_at = timezone.now()
        cycle.save(update_fields=["status", "completed_at"])
        journal.record("appraisals.cycle.completed", actor=actor, target=cycle, unit=cycle.unit, data={"uses": cycle.uses.count()})
    return cycle


def export_results(*, actor, cycle: AppraisalCycle) -> bytes:
    """The results workbook; the export is journaled (SECURITY.md: exports of personnel data)."""
    from .. import exports

    access.require(actor, "appraisals.view", cycle.unit)
    if not cycle.results_available:
        raise ActionError(_("Results are available once the evaluation has closed."), code="stage")
    data = exports.results_workbook(cycle)
    with transaction.atomic():
        journal.record(
            "appraisals.results.exported", actor=actor, target=cycle, unit=cycle.unit, data={"cadres": cycle.cadres.count(), "units": cycle.units.count()}
        )
    return data


def record_report_download(*, actor, assessed_cadre: AssessedCadre):
    """Journal `appraisals.cadre_report.downloaded`: `actor` took a cadre's self-report (PDF) away.
    Preconditions: the actor may read the row (queries.get_assessed_cadre_for). Writes only the journal."""
    row = assessed_cadre
    access.require(actor, "appraisals.view", row.cycle.unit)
    with transaction.atomic():
        return journal.record(
            "appraisals.cadre_report.downloaded", actor=actor, target=row, unit=row.cycle.unit, cadre=row.cadre_id, data={"year": row.cycle.year}
        )
