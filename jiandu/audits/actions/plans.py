"""In-term audits (任中审计) and the yearly audit plan."""

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from jiandu.accounts import access
from jiandu.core import journal
from jiandu.core.errors import ActionError
from jiandu.registry.models import Tenure

from .. import risk
from ..models import AuditPlan, AuditPlanEntry, DepartureAudit
from .base import _clean_reason

# --- in-term audits (任中审计) and the yearly audit plan ----------------------------------------


def _open_in_term(tenure: Tenure, *, actor, reason: str, on: dt.date) -> DepartureAudit:
    """Create an in-term audit of a serving subject's tenure (the caller checks access)."""
    if tenure.ended_on is not None:
        raise ActionError(_("This tenure has ended: its audit is a departure audit."), field="tenure")
    if on < tenure.started_on or on > dt.date.today():
        raise ActionError(_("The audit cannot start before the post began or in the future."), field="on")
    if not risk.is_subject(tenure, on):
        raise ActionError(_("This post is not an audit subject (a principal, a post with financial authority, or presiding for a year)."), field="tenure")
    running = DepartureAudit.objects.filter(tenure=tenure, kind=DepartureAudit.Kind.IN_TERM, stage__in=risk.RUNNING_STAGES).exists()
    if running:
        raise ActionError(_("An in-term audit of this tenure is already under way."), field="tenure")
    return DepartureAudit.objects.create(
        tenure=tenure,
        cadre=tenure.cadre,
        unit=tenure.position.unit,
        period_start=tenure.started_on,
        period_end=on,
        kind=DepartureAudit.Kind.IN_TERM,
        reason=reason,
        started_by=actor,
    )


def start_in_term_audit(*, actor, tenure: Tenure, reason: str, on: dt.date | None = None) -> DepartureAudit:
    """Directly start an in-term audit (任中审计) of a serving subject chosen by the audit office,
    with the reason (no event opened it); the period of responsibility runs to the start."""
    reason = _clean_reason(reason)
    on = on or dt.date.today()
    with transaction.atomic():
        tenure = Tenure.objects.select_for_update().select_related("position__unit", "cadre").get(pk=tenure.pk)
        if not access.can(actor, "audits.manage", tenure.position.unit):
            raise access.NotVisible()
        audit = _open_in_term(tenure, actor=actor, reason=reason, on=on)
        journal.record(
            "audits.in_term_audit.started",
            actor=actor,
            target=audit,
            unit=audit.unit,
            cadre=audit.cadre,
            data={"position": str(tenure.position), "period": f"{audit.period_start.isoformat()}–{on.isoformat()}", "reason": reason},
        )
    return audit


def draft_plan(*, actor, year: int) -> AuditPlan:
    """Start drafting the yearly audit plan (one per year)."""
    if not access.can(actor, "audits.manage"):
        raise access.NotVisible()
    if year is None or not (2000 <= int(year) <= 2100):
        raise ActionError(_("Give the year of the plan."), field="year")
    with transaction.atomic():
        if AuditPlan.objects.select_for_update().filter(year=year).exists():
            raise ActionError(_("There is already an audit plan for %(year)d.") % {"year": year}, field="year")
        plan = AuditPlan.objects.create(year=year, drafted_by=actor)
        journal.record("audits.plan.drafted", actor=actor, target=plan, data={"year": year})
    return plan


def _locked_draft(actor, plan: AuditPlan) -> AuditPlan:
    plan = AuditPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != AuditPlan.Status.DRAFT:
        raise ActionError(_("The plan is approved and can no longer be changed."))
    return plan


def add_plan_entry(*, actor, plan: AuditPlan, tenure: Tenure, reason: str = "", on: dt.date | None = None) -> AuditPlanEntry:
    """Put a serving subject into the draft plan, with the risk score and its parts as of `on`."""
    reason = _clean_reason(reason, required=False)
    on = on or dt.date.today()
    with transaction.atomic():
        plan = _locked_draft(actor, plan)
        tenure = Tenure.objects.select_related("position__unit", "cadre").get(pk=tenure.pk)
        if not access.can(actor, "audits.manage", tenure.position.unit):
            raise access.NotVisible()
        if tenure.ended_on is not None or not risk.is_subject(tenure, on):
            raise ActionError(_("Only serving audit subjects can be put into the plan."), field="tenure")
        if plan.entries.filter(tenure=tenure).exists():
            raise ActionError(_("This subject is already in the plan."), field="tenure")
        score = risk.score(tenure, on)
        entry = AuditPlanEntry.objects.create(
            plan=plan, tenure=tenure, cadre=tenure.cadre, unit=tenure.position.unit, score=score.total, parts=score.stored(), reason=reason
        )
        journal.record(
            "audits.plan.entry_added",
            actor=actor,
            target=plan,
            unit=entry.unit,
            cadre=entry.cadre,
            data={"year": plan.year, "position": str(tenure.position), "score": score.total, "computation": score.explain(), "reason": reason},
        )
    return entry


def remove_plan_entry(*, actor, plan: AuditPlan, entry_id: int) -> None:
    with transaction.atomic():
        plan = _locked_draft(actor, plan)
        entry = plan.entries.select_related("unit", "cadre").filter(pk=entry_id).first()
        if entry is None or not access.can(actor, "audits.manage", entry.unit):
            raise access.NotVisible()
        entry.delete()
        journal.record("audits.plan.entry_removed", actor=actor, target=plan, unit=entry.unit, cadre=entry.cadre, data={"year": plan.year})


def approve_plan(*, actor, plan: AuditPlan, on: dt.date | None = None) -> AuditPlan:
    """The head approves the draft plan; the approval starts an in-term audit for every entry.
    Whoever drafted the plan cannot approve it; a plan without entries is refused, and so is one
    whose subject has left since (remove the entry first)."""
    on = on or dt.date.today()
    if not access.can(actor, "audits.approve"):
        raise access.NotVisible()
    with transaction.atomic():
        plan = _locked_draft(actor, plan)
        if plan.drafted_by_id == actor.pk:
            raise ActionError(_("Whoever drafted the plan cannot approve it."))
        entries = list(plan.entries.select_related("tenure__position__unit", "tenure__cadre", "unit", "cadre"))
        if not entries:
            raise ActionError(_("The plan has no subjects yet."))
        for entry in entries:
            if not access.can(actor, "audits.approve", entry.unit):
                raise access.NotVisible()
        for entry in entries:
            try:
                audit = _open_in_term(entry.tenure, actor=actor, reason=entry.reason, on=on)
            except ActionError as exc:
                raise ActionError(_("%(name)s: %(problem)s") % {"name": entry.cadre.name, "problem": exc.message}) from exc
            entry.audit = audit
            entry.save(update_fields=["audit"])
            journal.record(
                "audits.in_term_audit.started",
                actor=actor,
                target=audit,
                unit=audit.unit,
                cadre=audit.cadre,
                data={"position": str(entry.tenure.position), "period": f"{audit.period_start.isoformat()}–{on.isoformat()}", "plan": plan.year},
            )
        plan.status = AuditPlan.Status.APPROVED
        plan.approved_by = actor
        plan.approved_on = on
        plan.save(update_fields=["status", "approved_by", "approved_on"])
        journal.record("audits.plan.approved", actor=actor, target=plan, data={"year": plan.year, "audits": len(entries)})
    return plan
