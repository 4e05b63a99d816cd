"""Who is an audit subject, and the transparent risk score of the yearly audit plan: each part
(years in post, years since the last audit, a post with financial authority) is a count times a
weight from the settings, and the score is their sum. The parts are stored with a plan's entry so
the plan shows why each subject was chosen."""

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from jiandu.core.calendar import add_months
from jiandu.core.practice import get_setting

# Stages of an audit that is still under way (a new in-term audit of the tenure is refused).
RUNNING_STAGES = ("planned", "notice", "fieldwork", "draft_report", "reported")


def presided_a_year(tenure, today: dt.date) -> bool:
    """An acting/presiding tenure counts from one full year: the same date a year later (or today)."""
    return add_months(tenure.started_on, 12) <= (tenure.ended_on or today)


def is_subject(tenure, on: dt.date) -> bool:
    """Principals, posts with financial authority, and acting/presiding tenures of a year or more."""
    position = tenure.position
    if position.is_principal or position.has_financial_authority:
        return True
    return bool(tenure.is_acting) and presided_a_year(tenure, on)


def full_years(start: dt.date, end: dt.date) -> int:
    years = 0
    while add_months(start, 12 * (years + 1)) <= end:
        years += 1
    return years


def _labels() -> dict:
    return {
        "years_in_post": _("years in post"),
        "years_since_audit": _("years since the last audit"),
        "never_audited": _("years in post without any audit"),
        "financial_authority": _("post with financial authority"),
    }


@dataclass
class Score:
    parts: list = field(default_factory=list)  # (key, count or None, weight, points)

    @property
    def total(self) -> int:
        return sum(points for _key, _count, _weight, points in self.parts)

    def stored(self) -> list[dict]:
        return [{"key": key, "count": count, "weight": weight, "points": points} for key, count, weight, points in self.parts]

    def explain(self) -> str:
        return explain_parts(self.stored())


def explain_parts(parts: list[dict]) -> str:
    """「任职年限 6 × 2 = 12；……；合计 35」 from stored parts."""
    labels = _labels()
    rows = []
    for part in parts:
        label = labels.get(part.get("key"), "")
        if part.get("count") is None:
            rows.append(_("%(label)s: %(points)d") % {"label": label, "points": part["points"]})
        else:
            rows.append(
                _("%(label)s: %(count)d × %(weight)d = %(points)d")
                % {"label": label, "count": part["count"], "weight": part["weight"], "points": part["points"]}
            )
    rows.append(_("total %(total)d") % {"total": sum(p["points"] for p in parts)})
    return _("; ").join(rows)


def score(tenure, on: dt.date, last_audit_end: dt.date | None = None, *, lookup: bool = True) -> Score:
    """The risk score of a serving subject's tenure on `on`. `last_audit_end` is the end of the
    period covered by the cadre's latest audit (looked up when not given and `lookup`)."""
    if last_audit_end is None and lookup:
        from .models import DepartureAudit

        latest = DepartureAudit.objects.filter(cadre_id=tenure.cadre_id).order_by("-period_end").values_list("period_end", flat=True).first()
        last_audit_end = latest
    in_post = full_years(tenure.started_on, on)
    result = Score()
    in_post_weight = int(get_setting("audits.risk_points_year_in_post"))
    result.parts.append(("years_in_post", in_post, in_post_weight, in_post * in_post_weight))
    per_year = int(get_setting("audits.risk_points_year_unaudited"))
    if last_audit_end is None:
        result.parts.append(("never_audited", in_post, per_year, in_post * per_year))
    else:
        since = full_years(last_audit_end, on)
        result.parts.append(("years_since_audit", since, per_year, since * per_year))
    if tenure.position.has_financial_authority:
        points = int(get_setting("audits.risk_points_financial_authority"))
        result.parts.append(("financial_authority", None, points, points))
    return result
