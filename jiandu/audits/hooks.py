"""What other apps ask of economic-responsibility audits. Selection asks `audit_clearance` before a
candidate becomes an inspection subject (issue #15 §2): a minimal answer on today's models, to be
replaced by the fuller `queries.audit_clearance` of issue #13's next slice."""

import datetime as dt

from django.utils.translation import gettext as _

from .models import DepartureAudit


def audit_clearance(cadre, on: dt.date) -> list[str]:
    """Reasons why the cadre is not cleared by audits on `on` (empty: nothing stands in the way).
    A departure audit of the cadre that is still planned, or whose notice is served but whose
    fieldwork has not begun by `on`, is open: the candidate needs it completed first."""
    reasons = []
    for audit in DepartureAudit.objects.filter(cadre=cadre).order_by("period_end", "id"):
        if audit.stage == DepartureAudit.Stage.PLANNED or audit.fieldwork_starts_on is None or audit.fieldwork_starts_on >= on:
            reasons.append(
                _("the departure audit for %(start)s to %(end)s is not completed")
                % {"start": audit.period_start.isoformat(), "end": audit.period_end.isoformat()}
            )
    return reasons
