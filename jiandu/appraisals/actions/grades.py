"""Grades: the system proposes, the organisation department confirms (appraisals.confirm).

Sources beside the rules: grades 《党政领导干部考核工作条例》(2019); no 优秀 with an 诫勉, organisational
handling or sanction in the year — same 条例 (disqualifying_kinds setting); 优秀 quota ≤ 20 % (up to
25 % with approval) — 《公务员考核规定》(2020); 不称职 → post lowered one level — 《公务员法》(2018)
art. 50; 不称职 two years running → dismissal — 《公务员法》(2018) art. 88; no grade / forced 不称职 in
sanction years — settings.py (组通字〔1998〕19号 and later replies).

Proposal from the overall question's votes (settings, [L]): 不称职 share at the threshold →
不称职; 优秀 + 称职 below its share → 基本称职; 优秀 share passing its threshold → candidate for
优秀; otherwise 称职. Candidates with a disqualifying event in the year are 称职 [R]; the rest are
capped by the 优秀 quota [R?], ranked by assessment score (ties at the boundary go to the
department). Teams follow the same rules on their scale, ranked by the final score.
Confirmed 不称职 flags a post adjustment; 不称职 in two consecutive annual assessments flags the
dismissal procedure [R, civil servants]; each flag gets a follow-up with a due date
(GradeFollowUp, `complete_follow_up`). Where the local rule is on, 基本称职 in two consecutive
annual assessments raises a 诫勉 proposal into the yellow-card inbox.
"""

import datetime as dt
from fractions import Fraction

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiandu.core import journal
from jiandu.core.errors import ActionError
from jiandu.core.practice import get_setting

from .. import queries, scoring
from ..models import GRADE_ORDER, TEAM_SCALES, AdmonishmentProposal, AppraisalCycle, AssessedCadre, Grade, GradeFollowUp
from .common import clean_text, lock_cycle, require_confirm, require_manage, wrong_stage

CADRE_CODES = [g.value for g in GRADE_ORDER]
CADRE_LABELS = {"excellent": "优秀", "competent": "称职", "basically_competent": "基本称职", "incompetent": "不称职"}


def grade_rules() -> scoring.GradeRules:
    return scoring.GradeRules(
        excellent_share=Fraction(get_setting("appraisals.grade_excellent_share")),
        excellent_inclusive=bool(get_setting("appraisals.grade_excellent_inclusive")),
        competent_share=Fraction(get_setting("appraisals.grade_competent_share")),
        incompetent_share=Fraction(get_setting("appraisals.grade_incompetent_share")),
    )


def _vote_reason(rule: str, votes: dict, valid: int, codes: list[str], labels: dict, rules: scoring.GradeRules) -> dict:
    """Why the votes suggest this grade, as a code with parameters (rendered translated)."""
    top, second, _third, bottom = codes
    if rule == "no_votes":
        return {"code": "no_votes", "params": {}}
    if rule == "bottom":
        return {
            "code": "bottom",
            "params": {"label": labels[bottom], "n": votes.get(bottom, 0), "valid": valid, "threshold": scoring.text(rules.incompetent_share)},
        }
    if rule == "third":
        n = int(votes.get(top, 0)) + int(votes.get(second, 0))
        return {
            "code": "third",
            "params": {"label": f"{labels[top]}+{labels[second]}", "n": n, "valid": valid, "threshold": scoring.text(rules.competent_share)},
        }
    code = "top" if rule == "top" else "second"
    return {
        "code": code,
        "params": {
            "label": labels[top],
            "n": votes.get(top, 0),
            "valid": valid,
            "threshold": scoring.text(rules.excellent_share),
            "inclusive": rules.excellent_inclusive,
        },
    }


def _apply_quota(pool: list, allowed: int, score_of, codes: list[str], proposals: dict) -> None:
    """Cap the candidates for the top grade in one pool; demoted ones get the second grade."""
    top, second = codes[0], codes[1]
    candidates = [
        scoring.Candidate(row.pk, score_of(row), Fraction(int(row.votes.get(top, 0)), row.valid_votes) if row.valid_votes else Fraction(0))
        for row in pool
        if proposals[row.pk]["grade"] == top
    ]
    kept, beyond, tied = scoring.apply_quota(candidates, allowed)
    order = {key: i for i, key in enumerate(kept + tied + beyond, start=1)}
    for key in beyond:
        proposals[key]["grade"] = second
        proposals[key]["reasons"].append({"code": "beyond_quota", "params": {"position": order[key], "candidates": len(candidates), "allowed": allowed}})
    for key in tied:
        proposals[key]["grade"] = second
        proposals[key]["reasons"].append({"code": "tied_at_boundary", "params": {"candidates": len(candidates), "allowed": allowed}})


def propose_grades(*, actor, cycle: AppraisalCycle) -> AppraisalCycle:
    """Propose a grade for every assessed cadre and team (after the evaluation closed; may be run
    again until the grades are confirmed, e.g. after a disqualifying event was recorded)."""
    with transaction.atomic():
        cycle = lock_cycle(cycle)
        require_manage(actor, cycle)
        if not cycle.may_propose_grades:
            raise wrong_stage(cycle)
        rules = grade_rules()
        share = Fraction(get_setting("appraisals.excellent_quota"))
        rounding = get_setting("appraisals.excellent_quota_rounding")
        scope = get_setting("appraisals.excellent_quota_scope")
        min_one_from = int(get_setting("appraisals.excellent_quota_min_one_from"))
        team_pool = get_setting("appraisals.team_quota_pool")
        sanction_lines = list(get_setting("appraisals.sanction_year_outcomes") or [])
        team_scale = queries.team_scale(cycle)
        # Cadres.
        rows = list(cycle.cadres.select_related("assessed_unit", "cadre"))
        proposals: dict[int, dict] = {}
        for row in rows:
            grade, rule = scoring.grade_from_votes(row.votes, row.valid_votes or 0, CADRE_CODES, rules)
            proposals[row.pk] = {"grade": grade, "reasons": [_vote_reason(rule, row.votes, row.valid_votes or 0, CADRE_CODES, CADRE_LABELS, rules)]}
            imposed = queries.sanction_year_outcome(row.cadre, cycle.year, sanction_lines)
            if imposed is not None:
                # 不定等次 / 不称职 in a sanction year (settings.py: appraisals.sanction_year_outcomes).
                proposals[row.pk]["grade"] = imposed.outcome
                proposals[row.pk]["reasons"].append(imposed.as_reason())
            elif grade == Grade.EXCELLENT:
                found = queries.disqualifications_for(row.cadre, cycle)
                if found:
                    proposals[row.pk]["grade"] = Grade.COMPETENT
                    proposals[row.pk]["reasons"].append({"code": "disqualified", "params": {"events": "；".join(str(d) for d in found)}})
        pools: dict[object, list[AssessedCadre]] = {}
        for row in rows:
            pools.setdefault(row.assessed_unit_id if scope == "unit" else None, []).append(row)
        for pool in pools.values():
            _apply_quota(pool, scoring.allowed_excellent(len(pool), share, rounding, min_one_from), lambda r: r.score_fraction, CADRE_CODES, proposals)
        for row in rows:
            row.proposed_grade = proposals[row.pk]["grade"]
            row.proposal_reasons = proposals[row.pk]["reasons"]
            row.save(update_fields=["proposed_grade", "proposal_reasons"])
        # Teams.
        team_codes = [code for code, _label in TEAM_SCALES[team_scale]]
        team_labels = dict(TEAM_SCALES[team_scale])
        units = list(cycle.units.all())
        team_proposals: dict[int, dict] = {}
        for unit in units:
            grade, rule = scoring.grade_from_votes(unit.votes, unit.valid_votes or 0, team_codes, rules)
            team_proposals[unit.pk] = {"grade": grade, "reasons": [_vote_reason(rule, unit.votes, unit.valid_votes or 0, team_codes, team_labels, rules)]}
        # The teams' pool: this cycle, or every team of the district in the year (the teams of other
        # cycles keep the top grades they already have; this cycle gets what is left).
        participants, others = queries.team_pool(cycle, team_pool)
        taken = sum(1 for u in others if queries.team_grade_of(u) == team_codes[0])
        team_allowed = max(0, scoring.allowed_excellent(participants, share, rounding, min_one_from) - taken)
        _apply_quota(units, team_allowed, lambda u: u.final_fraction, team_codes, team_proposals)
        for unit in units:
            unit.proposed_grade = team_proposals[unit.pk]["grade"]
            unit.proposal_reasons = team_proposals[unit.pk]["reasons"]
            unit.save(update_fields=["proposed_grade", "proposal_reasons"])
        cycle.status = AppraisalCycle.Status.GRADES_PROPOSED
        cycle.grades_proposed_at = timezone.now()
        cycle.parameters = {
            **(cycle.parameters or {}),
            "quota": {"share": scoring.text(share), "rounding": rounding, "scope": scope, "min_one_from": min_one_from, "team_pool": team_pool},
            "grades": {
                "excellent_share": scoring.text(rules.excellent_share),
                "excellent_inclusive": rules.excellent_inclusive,
                "competent_share": scoring.text(rules.competent_share),
                "incompetent_share": scoring.text(rules.incompetent_share),
            },
            "team_scale": team_scale,
            "sanction_year_outcomes": sanction_lines,
        }
        cycle.save(update_fields=["status", "grades_proposed_at", "parameters"])
        summary = {code: sum(1 for p in proposals.values() if p["grade"] == code) for code in CADRE_CODES}
        journal.record(
            "appraisals.grades.proposed",
            actor=actor,
            target=cycle,
            unit=cycle.unit,
            data={
                "cadres": summary,
                "teams": {code: sum(1 for p in team_proposals.values() if p["grade"] == code) for code in team_codes},
                "quota": cycle.parameters["quota"],
            },
        )
    return cycle


def _decision(decisions: dict, pk: int):
    value = decisions.get(pk, decisions.get(str(pk)))
    if value is None:
        return None, ""
    if isinstance(value, tuple | list):
        grade, reason = (list(value) + [""])[:2]
    else:
        grade, reason = value, ""
    return (grade or "").strip() or None, reason


def confirm_grades(*, actor, cycle: AppraisalCycle, cadre_grades: dict | None = None, team_grades: dict | None = None) -> AppraisalCycle:
    """Confirm the grades (appraisals.confirm). `cadre_grades` / `team_grades`: {id: (grade,
    reason)} where the department departs from the proposal (a reason is then required); others
    take the proposal. No 优秀 with a disqualifying event; no more 优秀 than the quota."""
    cadre_grades = cadre_grades or {}
    team_grades = team_grades or {}
    with transaction.atomic():
        cycle = lock_cycle(cycle)
        require_confirm(actor, cycle)
        if not cycle.may_confirm_grades:
            raise wrong_stage(cycle)
        rows = list(cycle.cadres.select_related("assessed_unit__unit", "cadre").select_for_update(of=("self",)))
        chosen: dict[int, tuple[str, str]] = {}
        for row in rows:
            grade, reason = _decision(cadre_grades, row.pk)
            grade = grade or row.proposed_grade
            field = f"cadre-{row.pk}"
            if not grade:
                raise ActionError(_("Choose a grade for %(name)s (no grade was proposed).") % {"name": row.cadre_name}, field=field)
            if grade not in Grade.values:
                raise ActionError(_("Unknown grade for %(name)s.") % {"name": row.cadre_name}, field=field)
            reason = clean_text(reason, f"reason-{row.pk}", _("Reason"), max_length=1000)
            if grade != row.proposed_grade and not reason:
                raise ActionError(_("Give the reason for grading %(name)s differently from the proposal.") % {"name": row.cadre_name}, field=f"reason-{row.pk}")
            imposed = queries.sanction_year_outcome(row.cadre, cycle.year, (cycle.parameters or {}).get("sanction_year_outcomes"))
            if imposed is not None and grade != imposed.outcome:
                raise ActionError(
                    _("%(name)s must be graded %(grade)s: %(why)s")
                    % {"name": row.cadre_name, "grade": Grade(imposed.outcome).label, "why": queries.describe_reason(imposed.as_reason())},
                    field=field,
                )
            if grade == Grade.EXCELLENT:
                found = queries.disqualifications_for(row.cadre, cycle)
                if found:
                    raise ActionError(
                        _("%(name)s cannot be graded excellent: %(events)s.") % {"name": row.cadre_name, "events": "；".join(str(d) for d in found)},
                        field=field,
                    )
            chosen[row.pk] = (grade, reason if grade != row.proposed_grade else "")
        for quota in queries.cadre_quotas(cycle, {pk: g for pk, (g, _r) in chosen.items()}):
            if quota.exceeded:
                scope = f"{quota.label}: " if quota.label else ""
                raise ActionError(_("Too many excellent grades: %(scope)s%(quota)s.") % {"scope": scope, "quota": quota.text()}, field="cadres")
        units = list(cycle.units.select_related("unit"))
        team_codes = queries.team_codes(cycle)
        team_chosen: dict[int, tuple[str, str]] = {}
        for unit in units:
            grade, reason = _decision(team_grades, unit.pk)
            grade = grade or unit.proposed_grade
            field = f"team-{unit.pk}"
            if not grade:
                raise ActionError(_("Choose a grade for the team of %(unit)s (no grade was proposed).") % {"unit": unit.unit_name}, field=field)
            if grade not in team_codes:
                raise ActionError(_("Unknown grade for the team of %(unit)s.") % {"unit": unit.unit_name}, field=field)
            reason = clean_text(reason, f"team-reason-{unit.pk}", _("Reason"), max_length=1000)
            if grade != unit.proposed_grade and not reason:
                raise ActionError(
                    _("Give the reason for grading the team of %(unit)s differently from the proposal.") % {"unit": unit.unit_name},
                    field=f"team-reason-{unit.pk}",
                )
            team_chosen[unit.pk] = (grade, reason if grade != unit.proposed_grade else "")
        quota = queries.team_quota(cycle, {pk: g for pk, (g, _r) in team_chosen.items()})
        if quota.exceeded:
            raise ActionError(_("Too many teams in the top grade: %(quota)s.") % {"quota": quota.text()}, field="teams")
        flagged = {"post_adjustment": 0, "dismissal_review": 0}
        for row in rows:
            grade, reason = chosen[row.pk]
            row.grade, row.grade_reason = grade, reason
            row.needs_post_adjustment = grade == Grade.INCOMPETENT
            row.needs_dismissal_review = (
                grade == Grade.INCOMPETENT
                and cycle.kind == AppraisalCycle.Kind.ANNUAL
                and queries.previous_confirmed_grade(row.cadre, cycle.year - 1) == Grade.INCOMPETENT
            )
            flagged["post_adjustment"] += row.needs_post_adjustment
            flagged["dismissal_review"] += row.needs_dismissal_review
            row.save(update_fields=["grade", "grade_reason", "needs_post_adjustment", "needs_dismissal_review"])
            journal.record(
                "appraisals.grade.confirmed",
                actor=actor,
                target=cycle,
                unit=row.assessed_unit.unit,
                cadre=row.cadre_id,
                data={
                    "year": cycle.year,
                    "grade": grade,
                    "proposed": row.proposed_grade,
                    "reason": reason,
                    "post_adjustment": row.needs_post_adjustment,
                    "dismissal_review": row.needs_dismissal_review,
                },
            )
            _follow_ups(actor, cycle, row)
            _consecutive_basic(actor, cycle, row)
        for unit in units:
            unit.grade, unit.grade_reason = team_chosen[unit.pk]
            unit.save(update_fields=["grade", "grade_reason"])
        cycle.status = AppraisalCycle.Status.GRADES_CONFIRMED
        cycle.grades_confirmed_at = timezone.now()
        cycle.grades_confirmed_by_id = actor.pk
        cycle.save(update_fields=["status", "grades_confirmed_at", "grades_confirmed_by_id"])
        journal.record(
            "appraisals.grades.confirmed",
            actor=actor,
            target=cycle,
            unit=cycle.unit,
            data={
                "cadres": {code: sum(1 for g, _r in chosen.values() if g == code) for code in CADRE_CODES},
                "teams": {code: sum(1 for g, _r in team_chosen.values() if g == code) for code in team_codes},
                "changed_from_proposal": sum(1 for row in rows if chosen[row.pk][0] != row.proposed_grade)
                + sum(1 for unit in units if team_chosen[unit.pk][0] != unit.proposed_grade),
                **flagged,
            },
        )
    return cycle


def _follow_ups(actor, cycle: AppraisalCycle, row: AssessedCadre) -> None:
    """A follow-up with a due date for each flag of a confirmed 不称职 (GradeFollowUp)."""
    kinds = []
    if row.needs_post_adjustment:
        kinds.append(GradeFollowUp.Kind.POST_ADJUSTMENT)
    if row.needs_dismissal_review:
        kinds.append(GradeFollowUp.Kind.DISMISSAL_REVIEW)
    due = timezone.localdate() + dt.timedelta(days=int(get_setting("appraisals.follow_up_days")))
    for kind in kinds:
        follow_up, created = GradeFollowUp.objects.get_or_create(
            assessed_cadre=row, kind=kind, defaults={"cycle": cycle, "cadre_id": row.cadre_id, "due_on": due}
        )
        if created:
            journal.record(
                "appraisals.follow_up.created",
                actor=actor,
                target=follow_up,
                unit=row.assessed_unit.unit,
                cadre=row.cadre_id,
                data={"kind": kind, "due_on": due, "year": cycle.year},
            )


def _consecutive_basic(actor, cycle: AppraisalCycle, row: AssessedCadre) -> None:
    """基本称职 two annual assessments running → a 诫勉 proposal in the yellow-card inbox, where the
    local rule is on (appraisals.consecutive_basic_admonishment, off by default)."""
    if not get_setting("appraisals.consecutive_basic_admonishment"):
        return
    if row.grade != Grade.BASICALLY_COMPETENT or cycle.kind != AppraisalCycle.Kind.ANNUAL:
        return
    if queries.previous_confirmed_grade(row.cadre, cycle.year - 1) != Grade.BASICALLY_COMPETENT:
        return
    if AdmonishmentProposal.objects.filter(assessed_cadre=row).exists():
        return  # one proposal per assessed cadre: the yellow card of the ballot already asks for 诫勉
    proposal = AdmonishmentProposal.objects.create(
        cycle=cycle,
        assessed_cadre=row,
        cadre_id=row.cadre_id,
        ballot_id=row.assessed_unit.ballot_id or 0,
        question_code="grade",
        option_codes=[Grade.BASICALLY_COMPETENT.value],
        numerator=2,
        denominator=2,
        threshold="",
        figures=f"{cycle.year - 1}年度基本称职、{cycle.year}年度基本称职",
        basis="grades",
    )
    journal.record(
        "appraisals.proposal.created",
        actor=actor,
        target=proposal,
        unit=row.assessed_unit.unit,
        cadre=row.cadre_id,
        data={"basis": "grades", "years": [cycle.year - 1, cycle.year]},
    )


def complete_follow_up(*, actor, follow_up: GradeFollowUp, done_on: dt.date, outcome: str) -> GradeFollowUp:
    """Record that a grade's follow-up was done (e.g. the post was lowered, or the dismissal review
    concluded), with its outcome. Needs appraisals.confirm on the cycle's unit; once only; the date
    may not be in the future nor before the grades were confirmed."""
    with transaction.atomic():
        follow_up = GradeFollowUp.objects.select_for_update().select_related("cycle__unit", "assessed_cadre__assessed_unit__unit").get(pk=follow_up.pk)
        require_confirm(actor, follow_up.cycle)
        if follow_up.done_on is not None:
            raise ActionError(_("This follow-up was already recorded as done on %(date)s.") % {"date": follow_up.done_on.isoformat()}, code="done")
        outcome = clean_text(outcome, "outcome", _("Outcome"), required=True, max_length=2000)
        if not isinstance(done_on, dt.date):
            raise ActionError(_("Enter the date it was done."), field="done_on")
        confirmed = timezone.localdate(follow_up.cycle.grades_confirmed_at) if follow_up.cycle.grades_confirmed_at else None
        if done_on > timezone.localdate() or (confirmed and done_on < confirmed):
            raise ActionError(_("The date must lie between the confirmation of the grades and today."), field="done_on")
        follow_up.done_on, follow_up.outcome, follow_up.done_by_id = done_on, outcome, actor.pk
        follow_up.save(update_fields=["done_on", "outcome", "done_by_id"])
        journal.record(
            "appraisals.follow_up.done",
            actor=actor,
            target=follow_up,
            unit=follow_up.assessed_cadre.assessed_unit.unit,
            cadre=follow_up.cadre_id,
            data={"kind": follow_up.kind, "done_on": done_on, "outcome": outcome, "due_on": follow_up.due_on},
        )
    return follow_up
