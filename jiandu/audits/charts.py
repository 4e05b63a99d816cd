"""责任监督's figures on the role dashboards (core.dashboard): open rectification items of audit
findings and open departure handovers by deadline, audits in progress by stage (the audit
officer's queue) and the audit reports of the year by evaluation. Scope: the queue counts what
the user acts on (audits.manage), the overview what the user may read (audits.view), through this
app's own queries; one aggregate query per figure."""

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiandu.accounts import access
from jiandu.core.dashboard import OVERVIEW, QUEUE, WORK, Chart, Series, bucket_counts, register_chart, register_deadline

from . import queries
from .models import DepartureAudit, Handover, RectificationItem

AREA = gettext_lazy("Responsibility supervision")


def _perm(purpose: str) -> str:
    return "audits.manage" if purpose == QUEUE else "audits.view"


def _rectification(user, today, purpose):
    perm = _perm(purpose)
    if not access.can(user, perm):
        return None
    qs = RectificationItem.objects.filter(access.scope_q(user, perm, "finding__audit__unit__path")).exclude(status=RectificationItem.Status.CLOSED)
    return bucket_counts(qs, "due_on", today)


def _handovers(user, today, purpose):
    perm = _perm(purpose)
    if not access.can(user, perm):
        return None
    qs = Handover.objects.filter(access.scope_q(user, perm, "unit__path"), status=Handover.Status.OPEN)
    return bucket_counts(qs, "due_on", today)


register_deadline("audits.rectification", _rectification, label=gettext_lazy("Rectification items of audit findings"), area=AREA, order=30)
register_deadline("audits.handovers", _handovers, label=gettext_lazy("Departure handovers not yet signed"), area=AREA, order=31)


def audits_in_progress(user, today):
    if not access.can(user, "audits.manage"):
        return None
    qs = DepartureAudit.objects.filter(access.scope_q(user, "audits.manage", "unit__path")).exclude(stage=DepartureAudit.Stage.CLOSED)
    counts = dict(qs.order_by().values_list("stage").annotate(n=Count("pk")).values_list("stage", "n"))
    stages = [(value, label) for value, label in DepartureAudit.Stage.choices if value != DepartureAudit.Stage.CLOSED]
    return Chart(
        key="audits.in_progress",
        title=_("Audits in progress by stage"),
        categories=[str(label) for _value, label in stages],
        series=[Series(_("audits"), [counts.get(value, 0) for value, _label in stages])],
        horizontal=True,
        url=reverse("audits:audits"),
    )


def audits_by_grade(user, today):
    if not access.can(user, "audits.view"):
        return None
    qs = queries.audits_visible_to(user).filter(report_issued_on__year=today.year).exclude(grade="")
    counts = dict(qs.order_by().values_list("grade").annotate(n=Count("pk")).values_list("grade", "n"))
    return Chart(
        key="audits.by_grade",
        title=_("Audit reports of %(year)s by evaluation") % {"year": today.year},
        categories=[str(label) for label in DepartureAudit.Grade.labels],
        series=[Series(_("reports"), [counts.get(value, 0) for value in DepartureAudit.Grade.values])],
        url=reverse("audits:audits"),
    )


register_chart("audits.in_progress", audits_in_progress, section=WORK, order=30)
register_chart("audits.by_grade", audits_by_grade, section=OVERVIEW, order=50)
