"""Demo data of 责任监督: the demo's departures (ctx.departures) go through the consumer, which
opens their departure audits and handovers; the latest handover gets its parties and a first item."""

from jiandu.core import events
from jiandu.registry.models import Tenure

from . import actions
from .models import DepartureAudit, Handover


def load(ctx):
    events.process_pending(limit=100_000)  # the departures recorded by the registry's demo
    tenure_ids = [t.pk for t in getattr(ctx, "departures", [])]
    audits = DepartureAudit.objects.filter(tenure_id__in=tenure_ids).count()
    handover = Handover.objects.filter(tenure_id__in=tenure_ids).order_by("-departed_on", "-id").first()
    auditor = ctx.users.get("audit")
    if handover is not None and auditor is not None:
        successor = (
            Tenure.objects.filter(position_id=handover.tenure.position_id, started_on__gte=handover.departed_on)
            .exclude(cadre_id=handover.cadre_id)
            .order_by("started_on")
            .first()
        )
        actions.set_handover_parties(
            actor=auditor, handover=handover, successor=successor.cadre if successor else None, supervisor=ctx.users.get("org_officer")
        )
        first = handover.items.first()
        actions.record_handover_item(actor=auditor, handover=handover, item_id=first.pk, figures="2项", notes="均列入移交清册")
    ctx.log(f"audits: {audits} departure audits and handovers opened from {len(tenure_ids)} departures")
