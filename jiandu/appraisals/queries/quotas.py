"""Grade quotas: the share of 优秀 (and of the team grades) and the pools they are counted in."""

from dataclasses import dataclass
from fractions import Fraction

from django.utils.translation import gettext as _

from jiandu.core import rates
from jiandu.core.practice import get_setting

from .. import scoring
from ..models import TEAM_SCALES, AppraisalCycle, AssessedCadre, AssessedUnit, Grade

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
