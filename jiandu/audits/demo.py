"""Demo data of 责任监督: the demo's departures (ctx.departures) go through the consumer, which
opens their departure audits and handovers; the latest handover gets its parties and a first item.
The audit office starts one in-term audit directly, this year's risk-ranked plan is approved by the
head and next year's is drafted, awaiting the head's approval."""

from jiandu.core import events
from jiandu.registry.models import Tenure

from . import actions, queries
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
    _in_term_and_plans(ctx)


def _in_term_and_plans(ctx):
    auditor, head = ctx.users.get("audit"), ctx.users.get("org_head")
    if auditor is None or head is None:
        return
    ranked = queries.risk_candidates(auditor, on=ctx.today)
    if not ranked:
        return
    first, rest = ranked[0], ranked[1:]
    actions.start_in_term_audit(actor=auditor, tenure=first, reason="专项审计调查中发现财政资金拨付不规范，报经批准直接启动任中审计", on=ctx.today)
    this_year = actions.draft_plan(actor=auditor, year=ctx.today.year)
    for tenure in rest[:2]:
        actions.add_plan_entry(actor=auditor, plan=this_year, tenure=tenure, reason="风险评分居前", on=ctx.today)
    if this_year.entries.exists():
        actions.approve_plan(actor=head, plan=this_year, on=ctx.today)
    next_year = actions.draft_plan(actor=auditor, year=ctx.today.year + 1)
    for tenure in rest[2:5]:
        actions.add_plan_entry(actor=auditor, plan=next_year, tenure=tenure, reason="按风险评分列入", on=ctx.today)
    ctx.log(f"audits: 1 in-term audit started directly, plan {this_year.year} approved, plan {next_year.year} awaiting approval")
