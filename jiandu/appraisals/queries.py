"""Appraisal reads. Officers' reads are scoped by access.py on the cycle's organising unit (not
visible = 404). Other apps read through `pending_proposals`, `get_proposal`, `cadre_appraisals`
and `disqualifying_events`, after checking their own access.
"""

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiandu.accounts import access
from jiandu.core import rates
from jiandu.core.blockers import Blocker
from jiandu.core.practice import get_setting

from . import hooks, scoring
from .hooks import Disqualification
from .models import GRADE_ORDER, TEAM_SCALES, AdmonishmentProposal, AppraisalCycle, AssessedCadre, AssessedUnit, DisqualifyingEvent, Grade, ResultUse

# --- scoped reads -------------------------------------------------------------------------------


def cycles_visible_to(user, perm: str = "appraisals.view") -> QuerySet[AppraisalCycle]:
    return AppraisalCycle.objects.filter(access.scope_q(user, perm, "unit__path")).select_related("unit")


def get_cycle_for(user, pk, perm: str = "appraisals.view") -> AppraisalCycle:
    cycle = cycles_visible_to(user, perm).filter(pk=pk).first() if str(pk).isdigit() else None
    if cycle is None:
        raise access.NotVisible()
    return cycle


def get_assessed_unit_for(user, pk, perm: str = "appraisals.view") -> AssessedUnit:
    row = (
        AssessedUnit.objects.filter(access.scope_q(user, perm, "cycle__unit__path"), pk=pk).select_related("cycle", "unit").first()
        if str(pk).isdigit()
        else None
    )
    if row is None:
        raise access.NotVisible()
    return row


def get_assessed_cadre_for(user, pk, perm: str = "appraisals.view") -> AssessedCadre:
    row = (
        AssessedCadre.objects.filter(access.scope_q(user, perm, "cycle__unit__path"), pk=pk).select_related("cycle", "assessed_unit", "cadre").first()
        if str(pk).isdigit()
        else None
    )
    if row is None:
        raise access.NotVisible()
    return row


def unit_results_visible_to(user) -> QuerySet[AssessedUnit]:
    """A unit leader's own results: the assessed units within his scope, once their grades are
    confirmed (proposed grades are not results yet), newest first, with their cadres."""
    confirmed = (AppraisalCycle.Status.GRADES_CONFIRMED, AppraisalCycle.Status.RESULTS_USED)
    return (
        AssessedUnit.objects.filter(access.scope_q(user, "appraisals.view_unit_results", "unit__path"), cycle__status__in=confirmed)
        .select_related("cycle", "unit")
        .prefetch_related("cadres")
        .order_by("-cycle__year", "unit__path", "pk")
    )


def events_visible_to(user, perm: str = "appraisals.view") -> QuerySet[DisqualifyingEvent]:
    return DisqualifyingEvent.objects.filter(access.scope_q(user, perm, "cadre__unit__path")).select_related("cadre__unit")


def get_event_for(user, pk, perm: str = "appraisals.view") -> DisqualifyingEvent:
    event = events_visible_to(user, perm).filter(pk=pk).first() if str(pk).isdigit() else None
    if event is None:
        raise access.NotVisible()
    return event


def proposals_visible_to(user, perm: str = "appraisals.view") -> QuerySet[AdmonishmentProposal]:
    return AdmonishmentProposal.objects.filter(access.scope_q(user, perm, "cycle__unit__path")).select_related("cycle", "cadre", "assessed_cadre")


def get_proposal_for(user, pk, perm: str = "appraisals.view") -> AdmonishmentProposal:
    proposal = proposals_visible_to(user, perm).filter(pk=pk).first() if str(pk).isdigit() else None
    if proposal is None:
        raise access.NotVisible()
    return proposal


def uses_visible_to(user, perm: str = "appraisals.view") -> QuerySet[ResultUse]:
    return ResultUse.objects.filter(access.scope_q(user, perm, "cycle__unit__path")).select_related("cycle", "cadre")


# --- for other apps (they check their own access) ----------------------------------------------


def pending_proposals() -> QuerySet[AdmonishmentProposal]:
    """Yellow-card proposals nobody has confirmed or dismissed yet, oldest first (for the
    organisation department here, and for daily supervision once it consumes them)."""
    return AdmonishmentProposal.objects.filter(status=AdmonishmentProposal.Status.PENDING).select_related("cycle", "cadre").order_by("created_at", "id")


def get_proposal(pk) -> AdmonishmentProposal | None:
    return AdmonishmentProposal.objects.filter(pk=pk).select_related("cycle", "cadre").first() if str(pk).isdigit() else None


def cadre_appraisals(cadre) -> QuerySet[AssessedCadre]:
    """A cadre's appraisals, newest first (for the dossier)."""
    return AssessedCadre.objects.filter(cadre=cadre).select_related("cycle").order_by("-cycle__year", "-cycle_id")


def previous_confirmed_grade(cadre, year: int) -> str:
    """The cadre's confirmed annual grade of `year` ("" when there is none)."""
    row = (
        AssessedCadre.objects.filter(
            cadre=cadre,
            cycle__year=year,
            cycle__kind=AppraisalCycle.Kind.ANNUAL,
            cycle__status__in=[AppraisalCycle.Status.GRADES_CONFIRMED, AppraisalCycle.Status.RESULTS_USED],
        )
        .exclude(grade="")
        .order_by("-cycle_id")
        .first()
    )
    return row.grade if row else ""


# --- disqualifying events ----------------------------------------------------------------------


@dataclass(frozen=True)
class SanctionOutcome:
    """A grade the rules impose for a sanction in the assessment year (no grade, or 不称职)."""

    outcome: str  # Grade.NO_GRADE | Grade.INCOMPETENT
    measure: str
    decided_on: dt.date
    when: str  # "period" | "year"

    def as_reason(self) -> dict:
        return {"code": f"sanction_{self.outcome}", "params": {"measure": self.measure, "decided_on": self.decided_on.isoformat(), "when": self.when}}


def sanction_rules(lines=None) -> dict[str, tuple[str, str]]:
    """The setting appraisals.sanction_year_outcomes (or the `lines` a cycle recorded when its
    grades were proposed) as {measure: (outcome, when)}; lines that do not follow
    measure|outcome|when are ignored."""
    out = {}
    for line in (get_setting("appraisals.sanction_year_outcomes") if lines is None else lines) or []:
        parts = [p.strip() for p in str(line).split("|")]
        if len(parts) == 3 and parts[1] in (Grade.NO_GRADE, Grade.INCOMPETENT) and parts[2] in ("period", "year"):
            out[parts[0]] = (parts[1], parts[2])
    return out


def sanction_year_outcome(cadre, year: int, lines=None) -> SanctionOutcome | None:
    """The grade imposed by a sanction of the year (appraisals.sanction_year_outcomes, or the
    recorded `lines`): 不称职 wins over no grade; None when no rule applies or daily supervision is
    not installed."""
    rules = sanction_rules(lines)
    found = None
    for d in hooks.year_sanctions(cadre, year):
        rule = rules.get(d.measure)
        if rule is None:
            continue
        outcome, when = rule
        if when == "year" and d.decided_on.year != year:
            continue
        candidate = SanctionOutcome(outcome, d.measure, d.decided_on, when)
        if found is None or (found.outcome == Grade.NO_GRADE and outcome == Grade.INCOMPETENT):
            found = candidate
    return found


def _measure_label(code: str) -> str:
    return hooks.measure_label(code)


def disqualifying_events(cadre, year: int) -> list[Disqualification]:
    """Events in `year` that bar the cadre from 优秀 [R, 2019 考核条例]: the events officers recorded
    here, and — when daily supervision provides `active_influence(cadre, on=date)` — influence
    periods running at any month end of the year."""
    local = DisqualifyingEvent.objects.filter(cadre=cadre, occurred_on__year=year, withdrawn_at__isnull=True).order_by("occurred_on", "id")
    found = [Disqualification("appraisals", e.kind, e.occurred_on, e.note) for e in local]
    seen = set()
    for month in range(1, 13):
        month_end = dt.date(year, month, 1).replace(day=28) + dt.timedelta(days=4)
        month_end -= dt.timedelta(days=month_end.day)
        for item in hooks.excellence_bars(cadre, month_end):
            if (item.kind, item.on) not in seen:
                seen.add((item.kind, item.on))
                found.append(item)
    return found


ADMONISHMENT_MEASURES = ("admonishment_talk", "admonishment_writing")


def disqualifications_for(cadre, cycle: AppraisalCycle) -> list[Disqualification]:
    """The events that bar 优秀 in this cycle: those of its year; in a term assessment an 诫勉 of
    the year counts only where the local rule says so (appraisals.admonishment_bars_term_excellent)."""
    found = disqualifying_events(cadre, cycle.year)
    if cycle.kind == AppraisalCycle.Kind.TERM and not get_setting("appraisals.admonishment_bars_term_excellent"):
        found = [d for d in found if d.measure not in ADMONISHMENT_MEASURES and not (d.source == "appraisals" and "诫勉" in d.kind)]
    return found


# --- cycle overview ------------------------------------------------------------------------------

STAGES = [
    (AppraisalCycle.Status.SETUP, gettext_lazy("Setup")),
    (AppraisalCycle.Status.EVALUATION_OPEN, gettext_lazy("Evaluation open")),
    (AppraisalCycle.Status.EVALUATION_CLOSED, gettext_lazy("Evaluation closed")),
    (AppraisalCycle.Status.GRADES_PROPOSED, gettext_lazy("Grades proposed")),
    (AppraisalCycle.Status.GRADES_CONFIRMED, gettext_lazy("Grades confirmed")),
    (AppraisalCycle.Status.RESULTS_USED, gettext_lazy("Results used")),
]


def setup_problems(cycle: AppraisalCycle) -> list[Blocker]:
    """What stops the evaluation from opening (empty when it may open)."""
    problems = []
    units = list(cycle.units.annotate(n=Count("cadres")))
    if not units:
        problems.append(Blocker("no_units", _("Add at least one assessed unit.")))
    return problems


def close_problems(cycle: AppraisalCycle) -> list[Blocker]:
    """What stops the evaluation from closing, besides the ballots' own checks."""
    problems = []
    if cycle.uses_target_scores:
        missing = [u.unit_name for u in cycle.units.annotate(n=Count("indicators")).filter(n=0)]
        if missing:
            problems.append(
                Blocker(
                    "target_scores_missing",
                    _("Target scores are missing for: %(units)s. The target score is computed before the democratic assessment, so enter them first.")
                    % {"units": "、".join(missing)},
                )
            )
    return problems


def confirm_problems(cycle: AppraisalCycle) -> list[Blocker]:
    problems = []
    ungraded = cycle.cadres.filter(proposed_grade="").count()
    if ungraded:
        problems.append(Blocker("ungraded", _("%(n)d cadres have no proposed grade (no valid votes): choose their grades when confirming.") % {"n": ungraded}))
    return problems


def complete_problems(cycle: AppraisalCycle) -> list[Blocker]:
    """Every 不称职 cadre needs a recorded use of the result (post adjustment or dismissal)."""
    missing = [c.cadre_name for c in cycle.cadres.filter(grade=Grade.INCOMPETENT).annotate(n=Count("uses")).filter(n=0)]
    if missing:
        return [Blocker("use_not_recorded", _("Record how the result was used for the cadres graded incompetent: %(names)s.") % {"names": "、".join(missing)})]
    return []


def stepper(cycle: AppraisalCycle) -> list[dict]:
    """Stages as done / current / pending, with what blocks the current one."""
    codes = [code for code, _label in STAGES]
    current = codes.index(cycle.status)
    blockers = {
        AppraisalCycle.Status.SETUP: setup_problems,
        AppraisalCycle.Status.EVALUATION_OPEN: close_problems,
        AppraisalCycle.Status.GRADES_PROPOSED: confirm_problems,
        AppraisalCycle.Status.GRADES_CONFIRMED: complete_problems,
    }
    out = []
    for i, (code, label) in enumerate(STAGES):
        state = "done" if i < current else "current" if i == current else "pending"
        problems = blockers[code](cycle) if state == "current" and code in blockers else []
        out.append({"code": code, "label": label, "state": state, "problems": problems})
    if cycle.status == AppraisalCycle.Status.RESULTS_USED:
        out[-1]["state"] = "done"
    return out


# --- quota ---------------------------------------------------------------------------------------


@dataclass
class Quota:
    label: str  # scope name ("" for the whole cycle)
    participants: int
    allowed: int
    excellent: int  # currently graded (or proposed) 优秀
    share: Fraction
    rounding: str

    pool: str = "cycle"  # teams: "cycle" or "district" (appraisals.team_quota_pool)

    @property
    def exceeded(self) -> bool:
        return self.excellent > self.allowed

    @property
    def is_zero(self) -> bool:
        """No one in this pool can be 优秀: the page warns."""
        return self.allowed == 0 and self.participants > 0

    def text(self) -> str:
        """ "优秀 3/20 (15%)" style: graded 优秀 out of participants, with the quota share."""
        percent = rates.percent(self.share, 2, "down", strip_zeros=True)
        return _("excellent %(n)d/%(total)d (%(share)s%%), at most %(allowed)d") % {
            "n": self.excellent,
            "total": self.participants,
            "share": percent,
            "allowed": self.allowed,
        }


def quota_parameters(cycle: AppraisalCycle) -> tuple[Fraction, str, str]:
    """(share, rounding, scope) — the values recorded at proposal, or the current settings."""
    recorded = cycle.parameters.get("quota") if cycle.parameters else None
    if recorded:
        return Fraction(recorded["share"]), recorded["rounding"], recorded["scope"]
    return (
        Fraction(get_setting("appraisals.excellent_quota")),
        get_setting("appraisals.excellent_quota_rounding"),
        get_setting("appraisals.excellent_quota_scope"),
    )


def quota_pool_parameters(cycle: AppraisalCycle) -> tuple[int, str]:
    """(min_one_from, team pool) — recorded at proposal, or the current settings."""
    recorded = (cycle.parameters or {}).get("quota") or {}
    return (
        int(recorded.get("min_one_from", get_setting("appraisals.excellent_quota_min_one_from"))),
        recorded.get("team_pool", get_setting("appraisals.team_quota_pool")),
    )


def district_team_units(cycle: AppraisalCycle) -> set[int]:
    """The leadership teams of the district: active units below the organising unit with an
    active leading position, and every team of this cycle."""
    from jiandu.registry.models import Position, Unit

    below = Unit.objects.filter(path__startswith=cycle.unit.path, is_active=True).exclude(pk=cycle.unit_id)
    with_team = Position.objects.filter(unit__in=below, kind=Position.Kind.LEADING, is_active=True).values_list("unit_id", flat=True)
    return set(with_team) | set(cycle.units.values_list("unit_id", flat=True))


def team_pool(cycle: AppraisalCycle, pool: str) -> tuple[int, list[AssessedUnit]]:
    """(participants, teams of other cycles that share the quota) for the team quota: this cycle's
    teams alone ("cycle"), or all the district's teams ("district", appraisals.team_quota_pool) —
    the teams assessed in other cycles of the same year and kind then use the shared quota."""
    if pool != "district":
        return cycle.units.count(), []
    units = district_team_units(cycle)
    others = list(AssessedUnit.objects.filter(unit_id__in=units, cycle__year=cycle.year, cycle__kind=cycle.kind).exclude(cycle=cycle))
    return len(units), others


def team_grade_of(row: AssessedUnit) -> str:
    """A team's grade as it stands: confirmed, else proposed."""
    return row.grade or row.proposed_grade


def cadre_quotas(cycle: AppraisalCycle, grades: dict[int, str] | None = None, field: str = "grade") -> list[Quota]:
    """The 优秀 quota of the cycle's cadres (one per unit when the scope is per unit). `grades`
    overrides the grade per assessed-cadre id (for checking a confirmation before saving)."""
    share, rounding, scope = quota_parameters(cycle)
    min_one_from, _pool = quota_pool_parameters(cycle)
    rows = list(cycle.cadres.select_related("assessed_unit"))
    grades = grades or {}
    pools: dict[object, list[AssessedCadre]] = {}
    for row in rows:
        pools.setdefault(row.assessed_unit if scope == "unit" else None, []).append(row)
    out = []
    for scope_unit, members in pools.items():
        excellent = sum(1 for m in members if grades.get(m.pk, getattr(m, field)) == Grade.EXCELLENT)
        out.append(
            Quota(
                scope_unit.unit_name if scope_unit else "",
                len(members),
                scoring.allowed_excellent(len(members), share, rounding, min_one_from),
                excellent,
                share,
                rounding,
            )
        )
    return out


def team_quota(cycle: AppraisalCycle, grades: dict[int, str] | None = None, field: str = "grade") -> Quota:
    """The teams' 优秀 quota over the pool (appraisals.team_quota_pool): this cycle's teams count
    with `field` (or `grades`), teams of other cycles in a district pool as they stand."""
    share, rounding, _scope = quota_parameters(cycle)
    min_one_from, pool = quota_pool_parameters(cycle)
    top = team_codes(cycle)[0]
    participants, others = team_pool(cycle, pool)
    grades = grades or {}
    excellent = sum(1 for r in cycle.units.all() if grades.get(r.pk, getattr(r, field)) == top)
    excellent += sum(1 for r in others if team_grade_of(r) == top)
    return Quota("", participants, scoring.allowed_excellent(participants, share, rounding, min_one_from), excellent, share, rounding, pool)


def team_scale(cycle: AppraisalCycle) -> str:
    return (cycle.parameters or {}).get("team_scale") or get_setting("appraisals.team_scale")


def team_codes(cycle: AppraisalCycle) -> list[str]:
    return [code for code, _label in TEAM_SCALES[team_scale(cycle)]]


def team_grade_label(cycle: AppraisalCycle, code: str) -> str:
    return dict(TEAM_SCALES[team_scale(cycle)]).get(code, "")


def team_grade_choices(cycle: AppraisalCycle) -> list[tuple[str, str]]:
    return list(TEAM_SCALES[team_scale(cycle)])


# --- computation shown to users ------------------------------------------------------------------


def _num(value) -> str:
    """A weight or score as entered (no trailing zeros beyond two places)."""
    return f"{value:.2f}".rstrip("0").rstrip(".") if value is not None else "—"


def _frac(value: Fraction) -> str:
    return f"{rates.percent(value, 2, 'down', strip_zeros=True)}%"


def unit_computation(assessed_unit: AssessedUnit) -> list[dict]:
    """The steps from the target indicators to the final score, in the order they are computed."""
    cycle = assessed_unit.cycle
    places = get_setting("rates.display_places")
    mode = get_setting("rates.rounding_mode")
    indicators = list(assessed_unit.indicators.all())
    base = scoring.target_base([(i.weight, i.score) for i in indicators])
    steps = []
    if indicators:
        terms = " + ".join(f"{_num(i.weight)}×{_num(i.score)}" for i in indicators)
        weights = sum((i.weight for i in indicators), start=type(indicators[0].weight)(0))
        steps.append(
            {
                "label": _("1. Target score without the democratic item (T₀)"),
                "formula": f"({terms}) ÷ {_num(weights)}",
                "value": scoring.show(base, places, mode),
            }
        )
    else:
        steps.append({"label": _("1. Target score without the democratic item (T₀)"), "formula": _("no indicators entered"), "value": "—"})
    share = _score_parameter(cycle, "target_share_of_results")
    weight = _score_parameter(cycle, "democratic_item_weight")
    overall_weight = _score_parameter(cycle, "overall_weight_in_score")
    steps.append(
        {
            "label": _("2. Each cadre's 绩 element takes in T₀"),
            "formula": _(
                "绩′ = (1 − %(share)s) × ballot 绩 score + %(share)s × T₀; cadre score = (1 − %(overall)s) × mean of 德 能 勤 绩′ 廉 + %(overall)s × overall grade"
            )
            % {"share": _frac(share), "overall": _frac(overall_weight)},
            "value": "",
        }
    )
    democratic = assessed_unit.democratic_fraction
    steps.append(
        {
            "label": _("3. Team's democratic score (D)"),
            "formula": _("weighted mean of the voter groups' average points on the team's overall question"),
            "value": scoring.show(democratic, places, mode) if assessed_unit.democratic_exact or not cycle.results_available else "—",
        }
    )
    final = assessed_unit.final_fraction
    if cycle.results_available:
        formula = _("(1 − %(w)s) × %(base)s + %(w)s × %(d)s") % {
            "w": _frac(weight),
            "base": scoring.show(assessed_unit.target_base_fraction, places, mode),
            "d": scoring.show(democratic, places, mode),
        }
        value = scoring.show(final, places, mode)
    else:
        formula = _("(1 − %(w)s) × T₀ + %(w)s × D, once the evaluation has closed") % {"w": _frac(weight)}
        value = "—"
    steps.append({"label": _("4. Final score (T)"), "formula": formula, "value": value})
    return steps


def _score_parameter(cycle: AppraisalCycle, key: str) -> Fraction:
    """A weight of the score computation: as recorded when the evaluation closed, else the setting."""
    recorded = ((cycle.parameters or {}).get("scores") or {}).get(key)
    return Fraction(recorded if recorded else get_setting(f"appraisals.{key}"))


def cadre_computation(row: AssessedCadre) -> str:
    """One line: (1 − β) × mean of 德 能 勤 绩′ 廉 + β × overall = score."""
    if not row.dimension_scores:
        return ""
    places = get_setting("rates.display_places")
    mode = get_setting("rates.rounding_mode")
    labels = dict(zip(scoring.DIMENSIONS, ("德", "能", "勤", "绩′", "廉"), strict=True))
    parts = []
    for code in scoring.DIMENSIONS:
        value = row.results_element_exact if code == scoring.RESULTS_DIMENSION else row.dimension_scores.get(code, "")
        parts.append(f"{labels[code]} {scoring.show(Fraction(value), places, mode) if value else '—'}")
    weight = _score_parameter(row.cycle, "overall_weight_in_score")
    overall = row.dimension_scores.get("overall", "")
    text = (
        f"(1 − {_frac(weight)}) × (" + " + ".join(parts) + f") ÷ 5 + {_frac(weight)} × 总体 {scoring.show(Fraction(overall), places, mode) if overall else '—'}"
    )
    return f"{text} = {scoring.show(row.score_fraction, places, mode)}"


# --- results for charts and exports --------------------------------------------------------------


def grade_distribution(cycle: AppraisalCycle, field: str = "grade") -> list[dict]:
    counts = dict(cycle.cadres.exclude(**{field: ""}).values_list(field).annotate(n=Count("id")).order_by())
    return [{"code": g.value, "label": str(g.label), "count": counts.get(g.value, 0)} for g in GRADE_ORDER]


def team_distribution(cycle: AppraisalCycle, field: str = "grade") -> list[dict]:
    counts = dict(cycle.units.exclude(**{field: ""}).values_list(field).annotate(n=Count("id")).order_by())
    return [{"code": code, "label": label, "count": counts.get(code, 0)} for code, label in team_grade_choices(cycle)]


def chart_data(cycle: AppraisalCycle) -> dict:
    """Plain data for the ECharts page (numbers only; charts never decide anything)."""
    field = "grade" if cycle.grades_confirmed else "proposed_grade"
    units = list(cycle.units.all())
    return {
        "grades": grade_distribution(cycle, field),
        "teams": team_distribution(cycle, field),
        "units": [
            {
                "name": u.unit_name,
                "target": float(u.target_base) if u.target_base is not None else None,
                "democratic": float(u.democratic_score) if u.democratic_score is not None else None,
                "final": float(u.final_score) if u.final_score is not None else None,
            }
            for u in units
        ],
        "labels": {
            "grades": str(_("Cadre grades")),
            "teams": str(_("Team grades")),
            "scores": str(_("Unit scores")),
            "target": str(_("Target score (T₀)")),
            "democratic": str(_("Democratic score (D)")),
            "final": str(_("Final score (T)")),
            "count": str(_("Cadres")),
        },
    }


def proposal_counts(user) -> dict[str, int]:
    qs = proposals_visible_to(user)
    return dict(qs.values_list("status").annotate(n=Count("id")).order_by())


def search_events(qs: QuerySet[DisqualifyingEvent], text: str, year: str = "", include_withdrawn: bool = False) -> QuerySet[DisqualifyingEvent]:
    text = (text or "").strip().replace("\x00", "")  # PostgreSQL cannot compare NUL
    if text:
        qs = qs.filter(Q(cadre__name__contains=text) | Q(cadre__name_initials__startswith=text.lower()) | Q(kind__contains=text))
    if year and str(year).isascii() and str(year).isdigit() and 1 <= int(year) <= 9999:
        qs = qs.filter(occurred_on__year=int(year))
    if not include_withdrawn:
        qs = qs.filter(withdrawn_at__isnull=True)
    return qs


def ballot_links(ballot_id) -> dict[str, str]:
    """Links to the ballots app's pages for one ballot: its page, the voting-code section of that
    page (codes are generated there, by a form), paper entry and results."""
    if not ballot_id:
        return {}
    detail = reverse("ballots:detail", args=[ballot_id])
    return {
        "detail": detail,
        "codes": f"{detail}#codes",
        "paper": reverse("ballots:paper", args=[ballot_id]),
        "results": reverse("ballots:results", args=[ballot_id]),
    }


# --- proposal reasons ------------------------------------------------------------------------------


def _threshold(text: str) -> str:
    value = Fraction(text)
    return f"{text}（{rates.percent(value, 2, 'down', strip_zeros=True)}%）"


def describe_reason(reason: dict) -> str:
    """A stored proposal reason ({code, params}) as a sentence in the user's language."""
    code, params = reason.get("code"), dict(reason.get("params") or {})
    if "threshold" in params:
        params["threshold"] = _threshold(params["threshold"])
    if code == "no_votes":
        return _("No valid votes on the overall question: the department chooses the grade.")
    if code == "bottom":
        return _("%(label)s %(n)s/%(valid)s of the valid votes reaches %(threshold)s.") % params
    if code == "third":
        return _("%(label)s %(n)s/%(valid)s of the valid votes is below %(threshold)s.") % params
    if code == "top":
        if params.get("inclusive"):
            return _("%(label)s %(n)s/%(valid)s of the valid votes reaches %(threshold)s.") % params
        return _("%(label)s %(n)s/%(valid)s of the valid votes is more than %(threshold)s.") % params
    if code == "second":
        if params.get("inclusive"):
            return _("%(label)s %(n)s/%(valid)s of the valid votes is below %(threshold)s.") % params
        return _("%(label)s %(n)s/%(valid)s of the valid votes is not more than %(threshold)s.") % params
    if code == "disqualified":
        return _("Cannot be excellent because of: %(events)s.") % params
    if code in ("sanction_no_grade", "sanction_incompetent"):
        params["measure"] = _measure_label(params.get("measure", ""))
        if code == "sanction_incompetent":
            # 组通字〔1998〕19号
            return _("%(measure)s decided on %(decided_on)s, in the assessment year: graded incompetent (组通字〔1998〕19号).") % params
        if params.get("when") == "period":
            return _("Under %(measure)s of %(decided_on)s during the assessment year: no grade, comments only (不定等次，只写评语).") % params
        return _("%(measure)s decided on %(decided_on)s, in the assessment year: no grade, comments only (不定等次，只写评语).") % params
    if code == "beyond_quota":
        return _("Beyond the excellent quota: candidate %(position)s of %(candidates)s, at most %(allowed)s allowed.") % params
    if code == "tied_at_boundary":
        return _("Tied with other candidates at the quota boundary (%(candidates)s candidates, at most %(allowed)s allowed): the department decides.") % params
    return str(code)


def describe_reasons(reasons) -> list[str]:
    return [describe_reason(r) for r in reasons or []]


def confirmed_annual_grades(cadre, years: int) -> list[tuple[int, str]]:
    """The last `years` confirmed annual grades of a cadre, newest first: [(year, grade code), …]
    (the registry's 任免审批表 asks through registry.hooks)."""
    from .models import AssessedCadre

    return list(
        AssessedCadre.objects.filter(cadre=cadre, cycle__kind="annual", cycle__status__in=("grades_confirmed", "results_used"))
        .exclude(grade="")
        .order_by("-cycle__year")
        .values_list("cycle__year", "grade")[:years]
    )
