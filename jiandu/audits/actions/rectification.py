"""Findings of the final report and their rectification, on the shared building blocks of
jiandu.core.rectification (the same as the inspection tours'):

    finding ─add_rectification_item─▶ item open ─record_progress─▶ reported ─close_item─▶ closed
                                         ▲                            │              │
                                         └──────return_item───────────┘     record_visit (跟踪回访)

A finding is rectified (status verified) when every item is closed; when every finding of the
audit is rectified, the audit closes. Every write needs audits.manage on the audited unit (the
audit office records the owners' reports and verifies them); items are added and worked on while
the audit is at the reported stage, follow-up visits also after it closed. Overdue items are
reminded and escalated by `send_rectification_reminders` (the audits.rectification_reminders job).
"""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from jiandu.accounts import access
from jiandu.core import journal
from jiandu.core.errors import ActionError
from jiandu.core.rectification import flow

from ..models import DepartureAudit, Finding, FollowUpVisit, RectificationItem, RectificationUpdate
from .course import _clean_text, _close, _locked_audit

CODES = flow.Codes(
    progress="audits.rectification.reported",
    returned="audits.rectification.returned",
    closed="audits.rectification.accepted",
    visited="audits.rectification.visited",
    overdue="audits.rectification.overdue",
    escalated="audits.rectification.escalated",
)


def _context(audit: DepartureAudit) -> dict:
    return {"target": audit, "unit": audit.unit, "cadre": audit.cadre}


def _owner(audit: DepartureAudit, owner, owner_name: str) -> tuple[object, str]:
    """The owner: a cadre of the audited unit (or below), or a named person."""
    owner_name = _clean_text(owner_name, field="owner_name", required=False, limit=100)
    if owner is not None:
        if not owner.unit.path.startswith(audit.unit.path):
            raise ActionError(_("Choose the rectification owner from the audited unit's cadres."), field="owner")
        return owner, owner.name[:100]
    if not owner_name:
        raise ActionError(_("Choose the rectification owner: a cadre of the audited unit or a named person."), field="owner")
    return None, owner_name


def _create_item(actor, finding: Finding, *, measure: str, owner, owner_name: str, due_on) -> RectificationItem:
    audit = finding.audit
    cadre, name = _owner(audit, owner, owner_name)
    due, rule = flow.deadline(due_on, reported_on=audit.report_issued_on)
    item = RectificationItem.objects.create(finding=finding, measure=measure, owner=name, owner_cadre=cadre, due_on=due, due_rule=rule)
    if finding.status == Finding.Status.VERIFIED:
        finding.status, finding.verified_on = Finding.Status.OPEN, None
        finding.save(update_fields=["status", "verified_on"])
    journal.record(
        "audits.rectification.item_added",
        actor=actor,
        data={"finding": finding.pk, "item": item.pk, "owner": name, "due_on": due, "rule": rule},
        **_context(audit),
    )
    return item


def add_finding(
    *,
    actor,
    audit: DepartureAudit,
    category: str,
    amount,
    responsibility: str,
    description: str,
    severity: str = Finding.Severity.MEDIUM,
    evidence: str = "",
    owner=None,
    owner_name: str = "",
    measure: str = "",
    due_on: dt.date | None = None,
) -> Finding:
    """A finding of the final report; with an owner (a cadre of the audited unit or a named
    person) also its first rectification item (the measure defaults to the description, the
    deadline to the setting rectification.default_days after the report)."""
    description = _clean_text(description, field="description")
    evidence = _clean_text(evidence, field="evidence", required=False)
    measure = _clean_text(measure, field="measure", required=False) or description
    if category not in Finding.Category.values:
        raise ActionError(_("Choose the category of the finding."), field="category")
    if responsibility not in Finding.Responsibility.values:
        raise ActionError(_("Choose the kind of responsibility."), field="responsibility")
    if severity not in Finding.Severity.values:
        raise ActionError(_("Choose the severity of the finding."), field="severity")
    try:
        amount = Decimal(str(amount if amount not in (None, "") else 0))
    except InvalidOperation:
        raise ActionError(_("The amount is not a number."), field="amount") from None
    if not amount.is_finite() or amount < 0 or amount >= Decimal("1e14") or amount != amount.quantize(Decimal("0.01")):
        raise ActionError(_("The amount must be zero or more, in yuan with at most two decimals."), field="amount")
    with transaction.atomic():
        audit = _locked_audit(actor, audit, DepartureAudit.Stage.REPORTED)
        finding = Finding.objects.create(
            audit=audit, category=category, amount=amount, severity=severity, responsibility=responsibility, description=description, evidence=evidence
        )
        journal.record(
            "audits.finding.recorded",
            actor=actor,
            data={
                "finding": finding.pk,
                "category": finding.get_category_display(),
                "amount": str(amount),
                "severity": finding.get_severity_display(),
                "responsibility": finding.get_responsibility_display(),
            },
            **_context(audit),
        )
        if owner is not None or (owner_name or "").strip():
            _create_item(actor, finding, measure=measure, owner=owner, owner_name=owner_name, due_on=due_on)
    return finding


def _locked_finding(actor, finding: Finding) -> Finding:
    finding = Finding.objects.select_for_update(of=("self",)).select_related("audit__unit", "audit__cadre").get(pk=finding.pk)
    if not access.can(actor, "audits.manage", finding.audit.unit):
        raise access.NotVisible()
    return finding


def _locked_item(actor, item: RectificationItem, *, closed_audit_allowed: bool = False) -> RectificationItem:
    item = RectificationItem.objects.select_for_update(of=("self",)).select_related("finding__audit__unit", "finding__audit__cadre").get(pk=item.pk)
    audit = item.finding.audit
    if not access.can(actor, "audits.manage", audit.unit):
        raise access.NotVisible()
    allowed = (DepartureAudit.Stage.REPORTED, DepartureAudit.Stage.CLOSED) if closed_audit_allowed else (DepartureAudit.Stage.REPORTED,)
    if audit.stage not in allowed:
        raise ActionError(_("The audit is closed."))
    return item


def add_rectification_item(*, actor, finding: Finding, measure: str, owner=None, owner_name: str = "", due_on: dt.date | None = None) -> RectificationItem:
    """Another rectification item of a finding, while the audit is at the reported stage."""
    measure = _clean_text(measure, field="measure")
    with transaction.atomic():
        finding = _locked_finding(actor, finding)
        if finding.audit.stage != DepartureAudit.Stage.REPORTED:
            raise ActionError(_("The audit is closed."))
        return _create_item(actor, finding, measure=measure, owner=owner, owner_name=owner_name, due_on=due_on)


def record_progress(*, actor, item: RectificationItem, progress: str, on: dt.date, evidence=None) -> RectificationUpdate:
    """A progress report received from the owner, with an optional evidence file; not before the
    audit report, not on a closed item."""
    with transaction.atomic():
        item = _locked_item(actor, item)
        audit = item.finding.audit
        return flow.record_progress(
            actor=actor,
            item=item,
            report_model=RectificationUpdate,
            codes=CODES,
            context=_context(audit),
            progress=progress,
            on=on,
            not_before=audit.report_issued_on,
            not_before_label=_("the audit report"),
            evidence=evidence,
        )


def close_item(*, actor, item: RectificationItem, note: str = "", on: dt.date | None = None) -> RectificationItem:
    """The audit office verifies a reported item and closes it (销号); the finding is rectified
    when all its items are closed, and the audit closes when every finding is."""
    with transaction.atomic():
        item = _locked_item(actor, item)
        flow.verify_and_close(actor=actor, item=item, codes=CODES, context=_context(item.finding.audit), note=note, on=on)
        finding = Finding.objects.select_for_update(of=("self",)).get(pk=item.finding_id)
        if not finding.items.exclude(status=RectificationItem.Status.CLOSED).exists():
            finding.status, finding.verified_on = Finding.Status.VERIFIED, item.closed_on
            finding.save(update_fields=["status", "verified_on"])
            audit = item.finding.audit
            if not audit.findings.exclude(status=Finding.Status.VERIFIED).exists():
                _close(actor, audit, item.closed_on)
    return item


def return_item(*, actor, item: RectificationItem, note: str, on: dt.date | None = None) -> RectificationItem:
    """The audit office returns a reported item for more work, with the reason."""
    with transaction.atomic():
        item = _locked_item(actor, item)
        return flow.return_for_more_work(
            actor=actor, item=item, report_model=RectificationUpdate, codes=CODES, context=_context(item.finding.audit), note=note, on=on
        )


def record_visit(*, actor, item: RectificationItem, visited_on: dt.date, visited_by: str, outcome: str, note: str = "") -> FollowUpVisit:
    """A follow-up visit (跟踪回访) on a closed item, also after the audit closed."""
    with transaction.atomic():
        item = _locked_item(actor, item, closed_audit_allowed=True)
        return flow.record_visit(
            actor=actor,
            item=item,
            visit_model=FollowUpVisit,
            codes=CODES,
            context=_context(item.finding.audit),
            visited_on=visited_on,
            visited_by=visited_by,
            outcome=outcome,
            note=note,
        )


def send_rectification_reminders(*, today: dt.date | None = None) -> int:
    """Remind once about each overdue item and escalate it once after the setting's working days."""
    items = RectificationItem.objects.select_related("finding__audit__unit", "finding__audit__cadre")
    return flow.send_overdue_reminders(items=items, codes=CODES, context_of=lambda item: _context(item.finding.audit), today=today, notify_of=_notify_of)


def _notify_of(item, escalated: bool):
    """The audit officers over the audited unit are reminded; the head (audits.approve) hears of
    an escalation."""
    from django.urls import reverse

    from jiandu.accounts import access

    audit = item.finding.audit
    return access.holders("audits.approve" if escalated else "audits.manage", audit.unit), reverse("audits:audit_detail", args=[audit.pk])
