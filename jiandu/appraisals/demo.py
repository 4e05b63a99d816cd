"""Demo data for target supervision, built through the actions like real use:

- last year's annual appraisal of up to six units: target indicators, self-reports, ballots with
  codes and votes (one cadre at exactly one third 不称职, so a yellow card appears), closed and with
  grades proposed, waiting for the organisation department's head to confirm;
- one disqualifying event;
- this year's appraisal in setup, with its units added and some target scores entered.
"""

import datetime as dt

from django.utils import timezone

from jiandu.accounts import access
from jiandu.accounts.models import Role
from jiandu.ballots import actions as ballot_actions
from jiandu.ballots import structure
from jiandu.registry import queries as registry_queries

from . import actions, hooks
from .actions.evaluation import voter_groups
from .models import AppraisalCycle

INDICATORS = [
    ("重点工作任务完成情况", 30),
    ("经济社会发展指标", 25),
    ("民生实事办理", 15),
    ("党的建设和党风廉政建设", 20),
    ("依法行政和营商环境", 10),
]
STAFF_VOTERS = 18
LEADER_VOTERS = 6


def _actor(ctx, role):
    users = getattr(ctx, "users", {}) or {}
    return users.get(role) or users.get(str(role))


def _organiser(actor, units):
    candidates = [u for u in units if access.can(actor, "appraisals.manage", u)]
    return min(candidates, key=lambda u: (u.depth, u.path)) if candidates else None


def _teams(actor, organiser, units, limit=6):
    chosen = []
    for unit in sorted(units, key=lambda u: u.path):
        if unit.pk == organiser.pk or not unit.path.startswith(organiser.path) or not access.can(actor, "ballots.manage", unit):
            continue
        if registry_queries.leadership_team(unit).exists():
            chosen.append(unit)
        if len(chosen) == limit:
            break
    return chosen


def _indicators(rng):
    return [{"name": name, "weight": str(weight), "score": str(round(rng.uniform(78, 98), 1))} for name, weight in INDICATORS]


def _vote(ballot, code, pick):
    check = ballot_actions.check_code(code)
    shape = structure.load(ballot)
    subjects = shape.subject_by_id
    questions = shape.question_by_id
    answers = {}
    for item in shape.layouts[check.group.pk].items:
        options = shape.options[item.question_id]
        answers[(item.subject_id, item.question_id)] = pick(subjects[item.subject_id], questions[item.question_id], options).pk
    ballot_actions.submit_ballot(code=code, answers=answers)


def _cast_votes(actor, assessed_unit, rng, yellow_card_label=None):
    from jiandu.ballots import queries as ballot_queries

    ballot = ballot_queries.get_ballot_for(actor, assessed_unit.ballot_id)
    voter = 0
    for group in ballot.groups.order_by("order"):
        count = STAFF_VOTERS if group.code == "staff" else LEADER_VOTERS
        _batch, codes = ballot_actions.generate_codes(actor=actor, ballot=ballot, group=group, count=count)
        for code in codes:
            voter += 1

            def pick(subject, question, options, voter=voter):
                valid = [o for o in options if o.is_valid_vote]
                if subject.label == yellow_card_label and question.is_overall:
                    # every third voter: 不称职, so exactly one third of the valid votes
                    return valid[-1] if voter % 3 == 0 else valid[1]
                weights = [55, 35, 8, 2] if question.is_overall else [45, 45, 8, 2]
                return rng.choices(valid, weights=weights[: len(valid)])[0]

            _vote(ballot, code, pick)


def _sanction_for_no_grade(officer, cycle, exclude: set, year: int) -> None:
    row = cycle.cadres.exclude(cadre_id__in=[pk for pk in exclude if pk]).exclude(score__isnull=True).order_by("-score").first()
    if row is None:
        return
    hooks.record_demo_sanction(actor=officer, cadre=row.cadre, year=year)  # daily supervision's 记过, when installed


def load(ctx):
    if AppraisalCycle.objects.exists():
        return
    officer = _actor(ctx, Role.ORG_OFFICER) or _actor(ctx, Role.ORG_HEAD)
    if officer is None:
        return
    rng = ctx.rng
    # ctx.units maps both short and full names to a unit: keep each unit once.
    units = list({unit.pk: unit for unit in (getattr(ctx, "units", {}) or {}).values()}.values())
    organiser = _organiser(officer, units)
    if organiser is None:
        return
    teams = _teams(officer, organiser, units)
    if not teams:
        return
    year = timezone.localdate().year - 1

    cycle = actions.create_cycle(actor=officer, unit=organiser, year=year, description="按照《党政领导干部考核工作条例》组织年度考核。")
    assessed = [actions.add_unit(actor=officer, cycle=cycle, unit=unit) for unit in teams]
    for row in assessed:
        actions.save_indicators(actor=officer, assessed_unit=row, rows=_indicators(rng))
        actions.set_team_report(actor=officer, assessed_unit=row, text=f"{row.unit_name}领导班子{year}年度述职报告：围绕年度目标任务，狠抓落实……")
        for cadre_row in row.cadres.all():
            actions.set_cadre_report(actor=officer, assessed_cadre=cadre_row, text=f"{cadre_row.cadre_name}同志{year}年度述职述廉报告。")
    groups = voter_groups()
    headcounts = {row.pk: {g["code"]: (STAFF_VOTERS + 2 if g["code"] == "staff" else LEADER_VOTERS) for g in groups} for row in assessed}
    actions.open_evaluation(actor=officer, cycle=cycle, headcounts=headcounts)
    yellow = assessed[0].cadres.order_by("-order").first()
    for row in assessed:
        row.refresh_from_db()
        _cast_votes(officer, row, rng, yellow_card_label=yellow.cadre_name if yellow and yellow.assessed_unit_id == row.pk else None)
    actions.close_evaluation(actor=officer, cycle=cycle)

    # A disqualifying event for one of the best-rated cadres, so the proposal shows it.
    best = cycle.cadres.exclude(score__isnull=True).order_by("-score").first()
    if best is not None:
        actions.record_disqualifying_event(actor=officer, cadre=best.cadre, occurred_on=dt.date(year, 6, 18), kind="受到诫勉", note="因工作失职受到诫勉。")
    # A cadre under 记过 during the year: no grade, comments only (不定等次，只写评语); the grades
    # page shows the rule and the sanction.
    _sanction_for_no_grade(officer, cycle, exclude={best.cadre_id if best else None, yellow.cadre_id if yellow else None}, year=year)
    actions.propose_grades(actor=officer, cycle=cycle)

    # This year's appraisal, still in setup.
    current = actions.create_cycle(actor=officer, unit=organiser, year=year + 1)
    for i, unit in enumerate(teams[:3]):
        row = actions.add_unit(actor=officer, cycle=current, unit=unit)
        if i == 0:
            actions.save_indicators(actor=officer, assessed_unit=row, rows=_indicators(rng))
