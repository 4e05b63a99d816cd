"""Scoped reads of the matters app. Reports and checks: only with matters.view_reports (the
matters_officer role), scoped by the cadre's unit. Passports: matters.passports."""

import datetime as dt

from django.db.models import Exists, F, OuterRef, QuerySet

from jiandu.accounts import access
from jiandu.core.practice import get_setting
from jiandu.registry.models import Cadre, Unit

from .models import Check, EventReport, Loan, PassportHolder, Report, Reporter, ReportingYear, TravelRequest

VIEW = "matters.view_reports"
PASSPORTS = "matters.passports"


def require_view(user) -> None:
    if not access.can(user, VIEW):
        raise access.NotVisible()


def require_passports(user) -> None:
    if not access.can(user, PASSPORTS):
        raise access.NotVisible()


# --- who reports ---------------------------------------------------------------------------------


def cadres_who_report() -> QuerySet[Cadre]:
    """Serving cadres of the configured levels or ranks in units of the configured kinds (规定 art. 2)."""
    from django.db.models import Q

    levels = list(get_setting("matters.reporting_levels") or [])
    ranks = list(get_setting("matters.reporting_ranks") or [])
    kinds = list(get_setting("matters.reporting_unit_kinds") or [])
    return (
        Cadre.objects.filter(status=Cadre.Status.SERVING, unit__kind__in=kinds)
        .filter(Q(leadership_level__in=levels) | Q(rank__in=ranks))
        .select_related("unit")
        .order_by("unit__path", "sort_pinyin", "id")
    )


# --- years and reports ---------------------------------------------------------------------------


def years_visible_to(user) -> QuerySet[ReportingYear]:
    require_view(user)
    return ReportingYear.objects.all()


def get_year_for(user, year: int) -> ReportingYear:
    found = years_visible_to(user).filter(year=year).first()
    if found is None:
        raise access.NotVisible()
    return found


def reporters_visible_to(user, year: ReportingYear) -> QuerySet[Reporter]:
    require_view(user)
    submitted = Report.objects.filter(reporter=OuterRef("pk"), status=Report.Status.SUBMITTED)
    return (
        Reporter.objects.filter(year=year)
        .filter(access.scope_q(user, VIEW, "unit__path"))
        .annotate(has_submitted=Exists(submitted))
        .select_related("cadre", "unit", "year")
    )


def get_reporter_for(user, pk) -> Reporter:
    """A reporter the officer may read, or the user's own reporter row (self service)."""
    reporter = Reporter.objects.select_related("cadre", "unit", "year").filter(pk=pk).first()
    if reporter is None or not (access.can(user, VIEW, reporter.unit) or access.is_self(user, reporter.cadre)):
        raise access.NotVisible()
    return reporter


def own_reporters(user) -> QuerySet[Reporter]:
    cadre_id = getattr(user, "cadre_id", None)
    if not cadre_id or not access.is_self(user, cadre_id):
        return Reporter.objects.none()
    return Reporter.objects.filter(cadre_id=cadre_id).select_related("year", "cadre", "unit").order_by("-year__year")


def get_report_for(user, pk) -> Report:
    report = Report.objects.select_related("reporter__cadre", "reporter__unit", "reporter__year").filter(pk=pk).first()
    if report is None:
        raise access.NotVisible()
    get_reporter_for(user, report.reporter_id)
    return report


def current_report(reporter: Reporter) -> Report | None:
    """The latest submitted version."""
    return reporter.reports.filter(status=Report.Status.SUBMITTED).order_by("-version").first()


def first_submission(reporter: Reporter) -> Report | None:
    return reporter.reports.filter(status=Report.Status.SUBMITTED).order_by("version").first()


def reporter_state(reporter: Reporter, today: dt.date | None = None) -> str:
    """submitted | late | missing | pending. On the deadline itself a report is on time; the
    day after, a reporter without a submitted report is missing (规定 art. 5)."""
    today = today or dt.date.today()
    first = first_submission(reporter)
    deadline = reporter.year.deadline
    if first is not None:
        return "late" if first.submitted_on > deadline else "submitted"
    return "missing" if today > deadline else "pending"


def missing(reporters, today: dt.date | None = None) -> list[Reporter]:
    return [r for r in reporters if reporter_state(r, today) == "missing"]


# --- changes reported between the yearly reports (规定 art. 6) ------------------------------------


def events_visible_to(user) -> QuerySet[EventReport]:
    require_view(user)
    return EventReport.objects.filter(access.scope_q(user, VIEW, "unit__path")).select_related("cadre", "unit")


def own_events(user) -> QuerySet[EventReport]:
    cadre_id = getattr(user, "cadre_id", None)
    if not cadre_id or not access.is_self(user, cadre_id):
        return EventReport.objects.none()
    return EventReport.objects.filter(cadre_id=cadre_id)


def late_events(user) -> QuerySet[EventReport]:
    return events_visible_to(user).filter(reported_on__gt=F("due_on"))


# --- checks --------------------------------------------------------------------------------------


def checks_visible_to(user) -> QuerySet[Check]:
    require_view(user)
    return Check.objects.filter(access.scope_q(user, VIEW, "unit__path")).select_related("cadre", "unit", "report")


def get_check_for(user, pk) -> Check:
    check = checks_visible_to(user).filter(pk=pk).first()
    if check is None:
        raise access.NotVisible()
    return check


def check_outcome(cadre) -> str | None:
    """For selection: None when no check, "open" while one runs, "clear" or "issues" from the
    latest concluded targeted check (findings other than consistent are issues)."""
    check = Check.objects.filter(cadre=cadre, kind=Check.Kind.TARGETED).order_by("-opened_at", "-id").first()
    if check is None:
        return None
    if check.status == Check.Status.OPEN:
        return "open"
    return "issues" if check.findings.exclude(classification="consistent").exists() else "clear"


# The handling of 处理办法 that bars the cadre from the promotion at hand (art. 4: 取消考察对象资格
# and heavier); 批评教育, 书面检查 and 诫勉 alone do not end the selection case here.
DISQUALIFYING = {Check.Handling.DISQUALIFIED, Check.Handling.TRANSFER, Check.Handling.DEMOTION, Check.Handling.REMOVAL}


def targeted_check_state(cadre):
    """For selection (selection.hooks.TargetedCheckState): the latest targeted check's state and
    result, without any reported value; None when the cadre has had none."""
    from jiandu.selection.hooks import TargetedCheckState

    check = Check.objects.filter(cadre=cadre, kind=Check.Kind.TARGETED).order_by("-opened_at", "-id").first()
    if check is None:
        return None
    if check.status == Check.Status.OPEN:
        return TargetedCheckState(concluded=False, opened_on=check.opened_at.date())
    kinds = set(check.findings.values_list("classification", flat=True))
    return TargetedCheckState(
        concluded=True,
        opened_on=check.opened_at.date(),
        concluded_on=check.concluded_on,
        concealment="concealment" in kinds,
        omission="omission" in kinds,
        disqualifying=check.handling in DISQUALIFYING,
        handling=str(check.get_handling_display()) if check.handling else "",
    )


# --- passports -----------------------------------------------------------------------------------


def holders_visible_to(user) -> QuerySet[PassportHolder]:
    require_passports(user)
    return PassportHolder.objects.filter(access.scope_q(user, PASSPORTS, "cadre__unit__path")).select_related("cadre", "cadre__unit")


def get_holder_for(user, pk) -> PassportHolder:
    holder = holders_visible_to(user).filter(pk=pk).first()
    if holder is None:
        raise access.NotVisible()
    return holder


def travels_visible_to(user) -> QuerySet[TravelRequest]:
    require_passports(user)
    return TravelRequest.objects.filter(access.scope_q(user, PASSPORTS, "holder__cadre__unit__path")).select_related("holder__cadre")


def get_travel_for(user, pk) -> TravelRequest:
    travel = travels_visible_to(user).filter(pk=pk).first()
    if travel is None:
        raise access.NotVisible()
    return travel


def overdue_loans(user, today: dt.date | None = None) -> QuerySet[Loan]:
    """Lent documents not back by their due date: overdue from the day after it."""
    require_passports(user)
    return Loan.objects.filter(
        access.scope_q(user, PASSPORTS, "document__holder__cadre__unit__path"), returned_on__isnull=True, due_on__lt=today or dt.date.today()
    ).select_related("document__holder__cadre", "travel")


def loans_visible_to(user) -> QuerySet[Loan]:
    require_passports(user)
    return Loan.objects.filter(access.scope_q(user, PASSPORTS, "document__holder__cadre__unit__path")).select_related("document__holder__cadre", "travel")


def units_visible(user, perm) -> QuerySet[Unit]:
    return Unit.objects.filter(access.scope_q(user, perm, "path"))
