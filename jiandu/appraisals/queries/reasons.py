"""Proposal reasons in words, and the confirmed grades of past years."""

from fractions import Fraction

from django.utils.translation import gettext as _

from jiandu.core import rates

from ..models import AssessedCadre
from .disqualifications import _measure_label

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

    return list(
        AssessedCadre.objects.filter(cadre=cadre, cycle__kind="annual", cycle__status__in=("grades_confirmed", "results_used"))
        .exclude(grade="")
        .order_by("-cycle__year")
        .values_list("cycle__year", "grade")[:years]
    )
