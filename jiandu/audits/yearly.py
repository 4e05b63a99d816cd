"""责任监督's sections of the yearly statistics (core.statistics), scoped by the viewer's audits.view."""

from django.db.models import Count, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiandu.core.statistics import UnitMeasure, register_statistics, register_unit_measures

from . import queries, training_queries
from .models import DepartureAudit, Finding, RectificationItem


def _by(qs, field, choices):
    counts = dict(qs.values_list(field).annotate(n=Count("pk")).values_list(field, "n"))
    return [(str(label), counts.get(value, 0)) for value, label in choices]


def sections(user, year: int) -> dict:
    audits = queries.audits_visible_to(user)
    if not audits.exists() and not queries.findings_visible_to(user).exists():
        return {}
    opened = audits.filter(opened_at__year=year)
    reported = audits.filter(report_issued_on__year=year)
    findings = queries.findings_visible_to(user).filter(audit__report_issued_on__year=year)
    items = queries.rectification_items_visible_to(user).filter(finding__audit__report_issued_on__year=year)
    amount = findings.aggregate(total=Sum("amount"))["total"] or 0
    sessions = training_queries.sessions_visible_to(user).filter(held_on__year=year)
    return {
        "audits": {"title": _("Economic-responsibility audits opened, by kind"), "rows": _by(opened, "kind", DepartureAudit.Kind.choices)},
        "grades": {"title": _("Audit reports issued, by evaluation"), "rows": _by(reported.exclude(grade=""), "grade", DepartureAudit.Grade.choices)},
        "findings": {
            "title": _("Audit findings by category"),
            "rows": _by(findings, "category", Finding.Category.choices) + [(_("amount involved (yuan)"), f"{amount:.2f}")],
        },
        "rectification": {
            "title": _("Rectification of audit findings"),
            "rows": [
                (_("items"), items.count()),
                (_("closed (销号)"), items.filter(status=RectificationItem.Status.CLOSED).count()),
                (_("still open"), items.exclude(status=RectificationItem.Status.CLOSED).count()),
            ],
        },
        "training": {
            "title": _("Training and warning education"),
            "rows": [(_("sessions"), sessions.count()), (_("hours of all sessions"), f"{sessions.aggregate(h=Sum('hours'))['h'] or 0}")],
        },
    }


register_statistics("audits", sections, label=gettext_lazy("Responsibility supervision"), order=30)


def measures(user, year: int) -> list:
    """The same rows as the sections "audits opened" and "findings", per audited unit."""
    audits = queries.audits_visible_to(user)
    return [
        UnitMeasure("audits", gettext_lazy("audits opened"), audits.filter(opened_at__year=year), "unit"),
        UnitMeasure("findings", gettext_lazy("audit findings"), queries.findings_visible_to(user).filter(audit__report_issued_on__year=year), "audit__unit"),
    ]


register_unit_measures("audits", measures)
