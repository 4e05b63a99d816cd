"""The cycle's stages: what blocks each next step, and the stepper shown on the cycle page."""

from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiandu.core.blockers import Blocker

from ..models import AppraisalCycle, Grade

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
