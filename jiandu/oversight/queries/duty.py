"""Duty reports and sessions (述责述廉) in the caller's scope, and the missing reports."""

import datetime as dt

from django.db.models import Count, QuerySet

from jiandu.accounts import access

from ..models import (
    DutyReport,
    DutySession,
)
from .base import _get, _scoped

# --- duty reports -------------------------------------------------------------------------------


def duty_reports_visible_to(user) -> QuerySet[DutyReport]:
    return _scoped(DutyReport, user).select_related("cadre", "unit", "session")


def get_duty_report_for(user, pk) -> DutyReport:
    return _get(duty_reports_visible_to(user), pk)


def duty_sessions_visible_to(user) -> QuerySet[DutySession]:
    return _scoped(DutySession, user).select_related("unit").annotate(report_count=Count("reports")).order_by("-held_on", "-id")


def get_duty_session_for(user, pk) -> DutySession:
    return _get(duty_sessions_visible_to(user), pk)


def my_duty_reports(user) -> QuerySet[DutyReport]:
    """A cadre's own duty reports (self service: submit the yearly report)."""
    if not (getattr(user, "cadre_id", None) and access.can(user, "self.view")):
        return DutyReport.objects.none()
    return DutyReport.objects.filter(cadre_id=user.cadre_id).order_by("-year")


def get_duty_report_or_own(user, pk) -> DutyReport:
    """A report in the user's scope, or the cadre's own report (self service); else NotVisible."""
    report = duty_reports_visible_to(user).filter(pk=pk).first()
    if report is None:
        report = my_duty_reports(user).select_related("cadre", "unit", "session").filter(pk=pk).first()
    if report is None:
        raise access.NotVisible()
    return report


def missing_duty_reports(user, today: dt.date | None = None) -> QuerySet[DutyReport]:
    today = today or dt.date.today()
    return duty_reports_visible_to(user).filter(status=DutyReport.Status.PENDING, due_on__lt=today)
