"""Democratic evaluation (民主测评) through the ballots app: one ballot per assessed unit, with a
team section and a cadre section (德 能 勤 绩 廉 + overall), and the default voter groups.
Closing copies the results, computes the scores in the fixed order of scoring.py and raises
the yellow cards."""

import re
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiandu.ballots import actions as ballot_actions
from jiandu.ballots import queries as ballot_queries
from jiandu.core import blockers, journal, rates
from jiandu.core.errors import ActionError
from jiandu.core.practice import definitions, get_setting

from .. import queries, scoring
from ..models import AdmonishmentProposal, AppraisalCycle, AssessedCadre, AssessedUnit
from .common import lock_cycle, require_manage, wrong_stage

CODE_RE = re.compile(r"^[a-z0-9_]{1,40}$")
MAX_HEADCOUNT = 100_000


def _setting_error(key: str, detail: str) -> ActionError:
    label = definitions()[key].label
    return ActionError(_("The setting “%(label)s” is not usable: %(detail)s Ask the administrator to correct it.") % {"label": label, "detail": detail})


def voter_groups() -> list[dict]:
    """The default voter groups from the setting (code|name|weight per line)."""
    groups = []
    for line in get_setting("appraisals.voter_groups") or []:
        parts = [p.strip() for p in str(line).split("|")]
        if len(parts) != 3:
            raise _setting_error("appraisals.voter_groups", _("“%(line)s” is not code|name|weight.") % {"line": line})
        code, name, weight = parts
        if not CODE_RE.match(code) or any(g["code"] == code for g in groups):
            raise _setting_error("appraisals.voter_groups", _("“%(code)s” is not a usable group code.") % {"code": code})
        try:
            value = Decimal(weight)
        except InvalidOperation:
            value = Decimal(0)
        if not value.is_finite() or value <= 0 or not name:
            raise _setting_error("appraisals.voter_groups", _("“%(line)s” needs a name and a positive weight.") % {"line": line})
        groups.append({"code": code, "name": name[:100], "weight": str(value)})
    if not groups:
        raise _setting_error("appraisals.voter_groups", _("no voter group is defined."))
    return groups


def _headcount(value) -> int | None:
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_HEADCOUNT:
        return value
    return None


def ballot_spec(
    cycle: AppraisalCycle, assessed_unit: AssessedUnit, groups: list[dict], headcounts: dict, team_scale: str, opens_at=None, closes_at=None
) -> dict:
    """The ballot of one unit: the team with the team scale, the cadres with 德 能 勤 绩 廉 and overall."""
    sections = [
        {
            "title": "领导班子",
            "questions": "team_overall",
            "scale": team_scale,
            "subjects": [
                {
                    "key": "team",
                    "kind": "team",
                    "label": f"{assessed_unit.unit_name}领导班子"[:200],
                    "ref": {"app": "registry", "model": "unit", "pk": assessed_unit.unit_id},
                    "report_text": assessed_unit.team_report_text,
                }
            ],
        }
    ]
    cadres = list(assessed_unit.cadres.all())
    if cadres:
        sections.append(
            {
                "title": "班子成员",
                "questions": "five_dimensions",
                "subjects": [
                    {
                        "key": f"c{row.pk}",
                        "kind": "cadre",
                        "label": row.cadre_name,
                        "note": row.post[:200],
                        "ref": {"app": "registry", "model": "cadre", "pk": row.cadre_id},
                        "report_text": row.report_text,
                    }
                    for row in cadres
                ],
            }
        )
    return {
        "title": f"{cycle.title}：{assessed_unit.unit_name}民主测评"[:200],
        "description": "请对领导班子和班子成员逐项作出评价，每项只选一个等次；“不了解”不计入有效票。",
        "opens_at": opens_at,
        "closes_at": closes_at,
        "sections": sections,
        "groups": [{**g, "headcount": headcounts[g["code"]]} for g in groups],
    }


def open_evaluation(*, actor, cycle: AppraisalCycle, headcounts: dict, opens_at=None, closes_at=None) -> AppraisalCycle:
    """Create and open one ballot per assessed unit (setup → evaluation open). `headcounts`:
    {assessed unit id: {group code: headcount}} for the default voter groups. Needs
    appraisals.manage on the cycle and ballots.manage on every assessed unit."""
    with transaction.atomic():
        cycle = lock_cycle(cycle)
        require_manage(actor, cycle)
        if not cycle.may_open_evaluation:
            raise wrong_stage(cycle)
        blockers.refuse(queries.setup_problems(cycle), code="not_ready")
        groups = voter_groups()
        team_scale = get_setting("appraisals.team_scale")
        units = list(cycle.units.select_related("unit"))
        counts = {}
        for assessed_unit in units:
            given = headcounts.get(assessed_unit.pk) or headcounts.get(str(assessed_unit.pk)) or {}
            counts[assessed_unit.pk] = {}
            for group in groups:
                value = _headcount(given.get(group["code"]))
                if value is None:
                    raise ActionError(
                        _("%(unit)s, %(group)s: enter the number of voters (1 to %(n)d).")
                        % {"unit": assessed_unit.unit_name, "group": group["name"], "n": MAX_HEADCOUNT},
                        field=f"headcount-{assessed_unit.pk}-{group['code']}",
                    )
                counts[assessed_unit.pk][group["code"]] = value
        ballots = []
        for assessed_unit in units:
            spec = ballot_spec(cycle, assessed_unit, groups, counts[assessed_unit.pk], team_scale, opens_at, closes_at)
            ballot = ballot_actions.create_ballot(actor=actor, unit=assessed_unit.unit, spec=spec)
            team = ballot_queries.subjects_referring_to("registry", "unit", assessed_unit.unit_id).filter(ballot_id=ballot.pk).first()
            assessed_unit.ballot_id = ballot.pk
            assessed_unit.team_subject_id = team.pk
            assessed_unit.headcounts = counts[assessed_unit.pk]
            assessed_unit.save(update_fields=["ballot_id", "team_subject_id", "headcounts"])
            for row in assessed_unit.cadres.all():
                subject = ballot_queries.subjects_referring_to("registry", "cadre", row.cadre_id).filter(ballot_id=ballot.pk).first()
                row.subject_id = subject.pk
                row.save(update_fields=["subject_id"])
                if row.report_file:
                    with row.report_file.open("rb") as stored:
                        data = stored.read()
                    ballot_actions.set_subject_report(actor=actor, subject=subject, file=ContentFile(data, name=row.report_file_name or "report.pdf"))
            ballots.append(ballot_actions.open_ballot(actor=actor, ballot=ballot))
        cycle.status = AppraisalCycle.Status.EVALUATION_OPEN
        cycle.evaluation_opened_at = timezone.now()
        cycle.parameters = {**(cycle.parameters or {}), "voter_groups": groups, "team_scale": team_scale}
        cycle.save(update_fields=["status", "evaluation_opened_at", "parameters"])
        journal.record(
            "appraisals.evaluation.opened",
            actor=actor,
            target=cycle,
            unit=cycle.unit,
            data={"ballots": [b.pk for b in ballots], "voter_groups": {g["name"]: g["weight"] for g in groups}, "team_scale": team_scale},
        )
    return cycle


def _counts(question) -> tuple[dict[str, int], int]:
    return {o.option.code: o.count for o in question.options}, question.valid


def _yellow_card_rule() -> dict:
    return {
        "question": str(get_setting("appraisals.yellow_card_question")).strip(),
        "options": [str(code).strip() for code in get_setting("appraisals.yellow_card_options") or []],
        "threshold": str(get_setting("appraisals.yellow_card_threshold")),
        "inclusive": bool(get_setting("appraisals.yellow_card_inclusive")),
    }


def dissatisfaction(subject_result, rule: dict) -> tuple[int, int, str]:
    """(count of the dissatisfaction options, valid votes, their labels) on the rule's question."""
    try:
        question = subject_result.question(rule["question"])
    except KeyError:
        raise _setting_error("appraisals.yellow_card_question", _("the ballot has no question %(code)s.") % {"code": rule["question"]})
    by_code = {o.option.code: o for o in question.options}
    if not rule["options"]:
        raise _setting_error("appraisals.yellow_card_options", _("no option is listed."))
    labels = []
    count = 0
    for code in rule["options"]:
        option = by_code.get(code)
        if option is None or not option.option.is_valid_vote:
            raise _setting_error("appraisals.yellow_card_options", _("%(code)s is not a valid-vote option of the question.") % {"code": code})
        labels.append(option.option.label)
        count += option.count
    return count, question.valid, "+".join(labels)


def reaches_yellow_card(count: int, valid: int, rule: dict) -> bool:
    """Dissatisfaction count ÷ valid votes at (or, when not inclusive, above) the threshold, exactly."""
    return rates.reaches(rates.rate(count, valid), Fraction(rule["threshold"]), inclusive=rule["inclusive"])


def _raise_yellow_card(actor, cycle, row: AssessedCadre, ballot_id: int, rule: dict, count: int, valid: int, labels: str) -> AdmonishmentProposal | None:
    if not reaches_yellow_card(count, valid, rule):
        return None
    figures = f"{labels} {count}/{valid} = {rates.format_percent(count, valid, with_counts=False)}"
    proposal = AdmonishmentProposal.objects.create(
        cycle=cycle,
        assessed_cadre=row,
        cadre_id=row.cadre_id,
        ballot_id=ballot_id,
        question_code=rule["question"],
        option_codes=rule["options"],
        numerator=count,
        denominator=valid,
        threshold=rule["threshold"],
        inclusive=rule["inclusive"],
        figures=figures[:300],
    )
    journal.record(
        "appraisals.proposal.created",
        actor=actor,
        target=proposal,
        unit=row.assessed_unit.unit,
        cadre=row.cadre_id,
        data={"figures": proposal.figures, "threshold": rule["threshold"], "inclusive": rule["inclusive"], "cycle": cycle.title},
    )
    # No event: the proposal row is the hand-off. Oversight lists open proposals itself
    # (oversight.queries.yellow_cards_visible_to); docs/events.md.
    return proposal


def close_evaluation(*, actor, cycle: AppraisalCycle) -> AppraisalCycle:
    """Close the ballots still open, copy their results and compute, in this order (scoring.py):
    target score without the democratic item → democratic assessment (绩 takes in the target
    score) → final score. Cadres whose dissatisfaction reaches the threshold get a yellow-card
    proposal. Target scores must be complete when the cycle includes them."""
    with transaction.atomic():
        cycle = lock_cycle(cycle)
        require_manage(actor, cycle)
        if not cycle.may_close_evaluation:
            raise wrong_stage(cycle)
        blockers.refuse(queries.close_problems(cycle), code="not_ready")
        share = Fraction(get_setting("appraisals.target_share_of_results"))
        weight = Fraction(get_setting("appraisals.democratic_item_weight"))
        overall_weight = Fraction(get_setting("appraisals.overall_weight_in_score"))
        rule = _yellow_card_rule()
        try:
            Fraction(rule["threshold"])
        except (ValueError, ZeroDivisionError):
            raise _setting_error("appraisals.yellow_card_threshold", _("it is not a fraction."))
        units = list(cycle.units.select_related("unit").prefetch_related("indicators"))
        proposals = 0
        closed_now = []
        cadre_scores: list[tuple[int, Fraction | None]] = []
        unit_scores: list[tuple[int, Fraction | None]] = []
        for assessed_unit in units:
            ballot = ballot_queries.get_ballot_for(actor, assessed_unit.ballot_id, "ballots.manage")
            if ballot.is_open:
                ballot = ballot_actions.close_ballot(actor=actor, ballot=ballot)
                closed_now.append(ballot.pk)
            elif not ballot.is_closed:
                raise ActionError(_("The ballot of %(unit)s has not been opened.") % {"unit": assessed_unit.unit_name})
            result = ballot_queries.results(ballot)
            # 1. target score without the democratic item
            base = scoring.target_base([(i.weight, i.score) for i in assessed_unit.indicators.all()]) if cycle.uses_target_scores else None
            # 2. democratic assessment of the team and of each cadre (绩 takes in T₀)
            team = result.subject(assessed_unit.team_subject_id)
            team_overall = next((q for q in team.questions if q.question.is_overall), team.questions[0])
            assessed_unit.votes, assessed_unit.valid_votes = _counts(team_overall)
            assessed_unit.ballots_counted = team.ballots
            democratic = team.score
            for row in assessed_unit.cadres.all():
                subject = result.subject(row.subject_id)
                dims = {}
                overall = None
                for question in subject.questions:
                    if question.question.is_overall:
                        overall = question
                    elif question.question.code in scoring.DIMENSIONS:
                        dims[question.question.code] = question.score
                if overall is None:
                    overall = subject.questions[0]
                results_element = scoring.results_element(dims.get(scoring.RESULTS_DIMENSION), base, share)
                score = scoring.cadre_score(dims, results_element, overall.score, overall_weight)
                row.votes, row.valid_votes = _counts(overall)
                row.ballots_counted = subject.ballots
                row.dimension_scores = {code: scoring.text(value) for code, value in dims.items()}
                row.dimension_scores["overall"] = scoring.text(overall.score)
                row.results_element_exact = scoring.text(results_element)
                row.score_exact = scoring.text(score)
                row.score = scoring.decimal(score)
                row.save(update_fields=["votes", "valid_votes", "ballots_counted", "dimension_scores", "results_element_exact", "score_exact", "score"])
                cadre_scores.append((row.pk, score))
                count, valid, labels = dissatisfaction(subject, rule)
                if _raise_yellow_card(actor, cycle, row, ballot.pk, rule, count, valid, labels):
                    proposals += 1
            # 3. final score
            final = scoring.final_score(base, democratic, weight)
            assessed_unit.target_base_exact, assessed_unit.target_base = scoring.text(base), scoring.decimal(base)
            assessed_unit.democratic_exact, assessed_unit.democratic_score = scoring.text(democratic), scoring.decimal(democratic)
            assessed_unit.final_exact, assessed_unit.final_score = scoring.text(final), scoring.decimal(final)
            assessed_unit.save()
            unit_scores.append((assessed_unit.pk, final))
        for pk, rank in _all_ranks(cadre_scores).items():
            AssessedCadre.objects.filter(pk=pk).update(rank=rank)
        for pk, rank in _all_ranks(unit_scores).items():
            AssessedUnit.objects.filter(pk=pk).update(rank=rank)
        cycle.status = AppraisalCycle.Status.EVALUATION_CLOSED
        cycle.evaluation_closed_at = timezone.now()
        cycle.parameters = {
            **(cycle.parameters or {}),
            "scores": {
                "target_share_of_results": scoring.text(share),
                "democratic_item_weight": scoring.text(weight),
                "overall_weight_in_score": scoring.text(overall_weight),
            },
            "yellow_card": rule,
        }
        cycle.save(update_fields=["status", "evaluation_closed_at", "parameters"])
        journal.record(
            "appraisals.evaluation.closed",
            actor=actor,
            target=cycle,
            unit=cycle.unit,
            data={"ballots_closed_now": closed_now, "units": len(units), "cadres": len(cadre_scores), "yellow_cards": proposals},
        )
    return cycle


def _all_ranks(items):
    ranks = scoring.competition_ranks(items)
    return {key: ranks.get(key) for key, _score in items}
