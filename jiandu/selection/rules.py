"""The rules a selection case applies (2019 《党政领导干部选拔任用工作条例》, DOMAIN.md §6): who may
not be listed as an inspection subject (art. 24), the basic qualifications whose breach makes a
case 破格 (art. 9 with settings), and the shortest public notice. Each reason names its basis."""

import datetime as dt

from django.utils.translation import gettext as _

from jiandu.core.calendar import add_months, add_working_days, is_working_day, working_days_between
from jiandu.core.practice import get_setting
from jiandu.registry.models import LeadershipLevel, Relative, Tenure

LEVELS = list(LeadershipLevel.values)
COUNTY_LEVELS = {LeadershipLevel.COUNTY_DEPUTY, LeadershipLevel.COUNTY_CHIEF, LeadershipLevel.BUREAU_DEPUTY, LeadershipLevel.BUREAU_CHIEF}
LOW_GRADES = {"basically_competent", "incompetent"}


def art24() -> str:
    return _("《党政领导干部选拔任用工作条例》(2019) art. 24")


def art13() -> str:
    return _("《党政领导干部选拔任用工作条例》(2019) art. 13: the recommendation is valid for one year")


def recommendation_valid_until(held_on: dt.date) -> dt.date:
    """The last day a recommendation held on `held_on` is valid (one year, art. 13)."""
    return add_months(held_on, 12) - dt.timedelta(days=1)


def order_rule() -> str:
    return _("《党政领导干部选拔任用工作条例》(2019): the procedure is followed stage by stage (动议, 民主推荐, 考察, 讨论决定, 任职)")


def is_promotion(cadre, position) -> bool:
    if not position.level:
        return False
    if not cadre.leadership_level:
        return True
    return LEVELS.index(position.level) > LEVELS.index(cadre.leadership_level)


def full_years(start: dt.date, on: dt.date) -> int:
    years = on.year - start.year
    if add_months(start, 12 * years) > on:
        years -= 1
    return max(years, 0)


def art24_blocks(cadre, case, on: dt.date) -> list[str]:
    """Why the cadre may not be listed as an inspection subject on `on` (empty: nothing)."""
    from jiandu.appraisals.queries import previous_confirmed_grade
    from jiandu.audits.hooks import audit_clearance
    from jiandu.oversight.queries import barring_influence

    reasons = []
    grade = previous_confirmed_grade(cadre, on.year - 1)
    if grade in LOW_GRADES:
        label = _("basically competent") if grade == "basically_competent" else _("incompetent")
        reasons.append(
            _("The annual appraisal of %(year)s is %(grade)s (基本称职 or lower), %(basis)s (3).") % {"year": on.year - 1, "grade": label, "basis": art24()}
        )
    for running in barring_influence(cadre, "promotion", on):
        until = running.ends_on.isoformat() if running.ends_on else _("no end")
        reasons.append(
            _("The influence period of %(measure)s decided on %(decided)s runs until %(until)s, %(basis)s (6).")
            % {"measure": running.measure_label, "decided": running.decided_on.isoformat(), "until": until, "basis": art24()}
        )
    for reason in audit_clearance(cadre, on):
        reasons.append(_("Economic-responsibility audit: %(reason)s; the audit must be completed before inspection.") % {"reason": str(reason).rstrip(".。")})
    for record in case.canvassing.filter(cadre=cadre).order_by("found_on", "id"):
        reasons.append(_("Canvassing recorded on %(date)s (跑官、拉票等非组织行为), %(basis)s (4).") % {"date": record.found_on.isoformat(), "basis": art24()})
    emigration = emigration_block(cadre, on)
    if emigration:
        reasons.append(emigration)
    return reasons


def emigration_block(cadre, on: dt.date) -> str:
    """裸官 (art. 24 (5)): the spouse has emigrated, or, without a spouse, every child has. From the
    registry's family records (the removed ones ignored); an emigration after `on` does not count."""
    family = list(Relative.objects.filter(cadre=cadre, is_removed=False).order_by("id"))
    spouses = [r for r in family if r.relation == Relative.Relation.SPOUSE]
    children = [r for r in family if r.relation in (Relative.Relation.SON, Relative.Relation.DAUGHTER)]

    def gone(r):
        return r.emigrated_on is not None and r.emigrated_on <= on

    if spouses:
        if any(gone(r) for r in spouses):
            return _("The spouse has emigrated (移居国（境）外), %(basis)s (5).") % {"basis": art24()}
        return ""
    if children and all(gone(r) for r in children):
        return _("Without a spouse, all children have emigrated (移居国（境）外), %(basis)s (5).") % {"basis": art24()}
    return ""


def qualification_breaches(cadre, position, on: dt.date) -> list[str]:
    """Basic qualifications (art. 9, settings) not met: listing the cadre makes the case 破格."""
    breaches = []
    need_work = int(get_setting("selection.min_work_years"))
    if position.level in COUNTY_LEVELS and cadre.work_start_on:
        years = full_years(cadre.work_start_on, on)
        if years < need_work:
            breaches.append(_("%(years)d years of work, %(need)d needed for a county-level post (2019 条例 art. 9).") % {"years": years, "need": need_work})
    if is_promotion(cadre, position):
        need_lower = int(get_setting("selection.min_years_in_lower_post"))
        current = (
            Tenure.objects.filter(cadre=cadre, ended_on__isnull=True, position__kind="leading", position__level=cadre.leadership_level)
            .order_by("started_on")
            .first()
        )
        if current is not None and cadre.leadership_level:
            years = full_years(current.started_on, on)
            if years < need_lower:
                breaches.append(
                    _("%(years)d years in the lower post since %(start)s, %(need)d needed for a promotion (2019 条例 art. 9).")
                    % {"years": years, "start": current.started_on.isoformat(), "need": need_lower}
                )
    return breaches


def exceptional_void(candidate, case, held_on: dt.date) -> str:
    """Why a 破格 candidate's decision of `held_on` is void (no prior approval of the higher
    organisation department before it); empty when it is not."""
    if candidate.exceptional and (case.prior_approval_on is None or case.prior_approval_on > held_on):
        return _(
            "Exceptional promotion (破格) without the higher organisation department's prior approval before the decision: the decision is void (2019 条例 art. 10, 11)."
        )
    return ""


def notice_working_days(starts_on: dt.date, ends_on: dt.date) -> int:
    """Working days the notice covers, its first and last day included."""
    if ends_on < starts_on:
        return 0
    return (1 if is_working_day(starts_on) else 0) + working_days_between(starts_on, ends_on)


def earliest_notice_end(starts_on: dt.date) -> dt.date:
    """The first day on which a notice started on `starts_on` has lasted the shortest period."""
    need = int(get_setting("selection.notice_working_days"))
    return add_working_days(starts_on, need - 1 if is_working_day(starts_on) else need).due
