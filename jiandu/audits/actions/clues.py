"""移送问题线索: a finding handed to the discipline inspection department as a clue, once."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiandu.accounts import access
from jiandu.core import journal
from jiandu.core.errors import ActionError

from ..models import Finding
from .course import _clean_text

# --- 移送问题线索: a finding handed to the discipline inspection department ----------------------


def transfer_finding_as_clue(*, actor, finding: Finding, to_unit, note: str = "") -> Finding:
    """Transfer a finding to the discipline inspection department as a clue (移送问题线索), through
    daily supervision's clue registry (core.clue_referrals): registered in the actor's clue
    department and transferred to `to_unit`, once per finding; the finding keeps the clue's number.
    The actor needs audits.manage on the audited unit and must be a department's clue officer."""
    from jiandu.core import clue_referrals

    note = _clean_text(note, field="note", required=False, limit=2000)
    with transaction.atomic():
        finding = Finding.objects.select_for_update(of=("self",)).select_related("audit__unit", "audit__cadre").get(pk=finding.pk)
        audit = finding.audit
        if not access.can(actor, "audits.manage", audit.unit):
            raise access.NotVisible()
        if finding.clue_id:
            raise ActionError(
                _("This finding was already transferred as a clue (%(number)s, to %(unit)s).") % {"number": finding.clue_number, "unit": finding.clue_to},
                code="transferred",
            )
        sending = clue_referrals.sending_department(actor)
        if sending is None:
            raise ActionError(_("Only a clue officer of a department can transfer a finding as a clue."), field="to_unit")
        if not str(getattr(to_unit, "pk", to_unit) or "").isdigit():
            raise ActionError(_("Choose the department the clue goes to."), field="to_unit")
        summary = _(
            "Finding of the economic-responsibility audit of %(cadre)s (%(unit)s, %(start)s–%(end)s), %(category)s, amount involved %(amount)s yuan: %(description)s"
        ) % {
            "cadre": audit.cadre.name,
            "unit": audit.unit.name,
            "start": audit.period_start.isoformat(),
            "end": audit.period_end.isoformat(),
            "category": finding.get_category_display(),
            "amount": finding.amount,
            "description": finding.description,
        }
        if note:
            summary = f"{summary}\n{note}"
        clue = clue_referrals.refer(actor=actor, cadre=audit.cadre, from_unit=sending, to_unit=to_unit, summary=summary, source="audit")
        finding.clue_id, finding.clue_number, finding.clue_to = clue.id, clue.number, clue.to_unit_name[:200]
        finding.clue_transferred_at, finding.clue_transferred_by = timezone.now(), actor
        finding.save(update_fields=["clue_id", "clue_number", "clue_to", "clue_transferred_at", "clue_transferred_by"])
        journal.record(
            "audits.finding.clue_transferred",
            actor=actor,
            target=audit,
            unit=audit.unit,
            cadre=audit.cadre,
            data={"finding": finding.pk, "clue": clue.id, "number": clue.number, "to": clue.to_unit_name},
        )
    return finding
