"""Demo data of 责任监督: the demo's departures (ctx.departures) go through the consumer, which
opens their departure audits and handovers; the latest handover gets its parties and a first item.
The audit office starts one in-term audit directly, this year's risk-ranked plan is approved by the
head and next year's is drafted, awaiting the head's approval. Four training and warning-education
sessions: three held (one cadre absent without leave from a required one, one excused) and one
coming."""

import datetime as dt

from jiandu.core import events
from jiandu.core.calendar import add_working_days
from jiandu.registry.demo import showcase_cadre
from jiandu.registry.models import Cadre, Tenure

from . import actions, queries, training_actions
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
    _training(ctx)


def _walk_to_rectification(ctx, auditor, audit, started):
    """Notice, fieldwork, draft report, comments, final report and two findings: one rectified,
    verified and closed with a follow-up visit, one with an item past its deadline (reminded and
    escalated by the rectification job; shown on the audit office's card)."""
    served = started + dt.timedelta(days=2)
    fieldwork = add_working_days(served, 3).due
    actions.serve_notice(actor=auditor, audit=audit, served_on=served, fieldwork_starts_on=fieldwork)
    actions.start_fieldwork(actor=auditor, audit=audit, started_on=fieldwork)
    sent = fieldwork + dt.timedelta(days=20)
    actions.send_draft_report(actor=auditor, audit=audit, sent_on=sent)
    actions.record_comments(actor=auditor, audit=audit, received_on=sent + dt.timedelta(days=6), comments="对审计报告征求意见稿无异议，将认真整改。")
    issued = sent + dt.timedelta(days=8)
    actions.issue_final_report(
        actor=auditor, audit=audit, issued_on=issued, grade="fairly_good", conclusion="任职期间较好地履行了经济责任，但存在专项资金拨付不规范等问题。"
    )
    showcase = showcase_cadre(ctx)  # the demo's cadre with a fact of every pillar, when of the audited unit
    if showcase is not None and showcase.unit.path.startswith(audit.unit.path) and showcase.pk != audit.cadre_id:
        owner = showcase
    else:
        owner = Cadre.objects.filter(unit__path__startswith=audit.unit.path).exclude(pk=audit.cadre_id).order_by("pk").first() or audit.cadre
    done = actions.add_finding(
        actor=auditor,
        audit=audit,
        category="financial_rules",
        amount="186000.00",
        responsibility="direct",
        description="专项资金未按规定程序拨付",
        evidence="2023年度专项资金拨付凭证12笔，缺少集体决策记录",
        severity="high",
        owner=owner,
        measure="补办审批手续，修订专项资金拨付办法",
    )
    actions.add_finding(
        actor=auditor,
        audit=audit,
        category="state_assets",
        amount="42000.00",
        responsibility="leadership",
        description="部分固定资产未入账",
        owner_name="财务科 王会计",
        measure="清查固定资产并全部入账",
        due_on=issued + dt.timedelta(days=14),
    )
    item = done.items.get()
    actions.record_progress(actor=auditor, item=item, progress="已补办审批手续并修订资金拨付办法", on=issued + dt.timedelta(days=10))
    actions.close_item(actor=auditor, item=item, note="经核查，整改到位", on=issued + dt.timedelta(days=12))
    actions.record_visit(actor=auditor, item=item, visited_on=issued + dt.timedelta(days=40), visited_by="审计局 回访组", outcome="in_place", note="")
    actions.send_rectification_reminders(today=ctx.today)


def _in_term_and_plans(ctx):
    auditor, head = ctx.users.get("audit"), ctx.users.get("org_head")
    if auditor is None or head is None:
        return
    ranked = queries.risk_candidates(auditor, on=ctx.today)
    if not ranked:
        return
    started = ctx.today - dt.timedelta(days=90)
    # The showcase cadre's unit first (its finding is theirs to rectify: registry.demo.showcase_cadre).
    showcase = showcase_cadre(ctx)
    ranked = sorted(ranked, key=lambda t: not (showcase is not None and t.position.unit_id == showcase.unit_id))
    first = next((t for t in ranked if t.started_on <= started - dt.timedelta(days=365)), None)
    if first is None:
        return
    rest = [t for t in ranked if t.pk != first.pk]
    audit = actions.start_in_term_audit(actor=auditor, tenure=first, reason="专项审计调查中发现财政资金拨付不规范，报经批准直接启动任中审计", on=started)
    _walk_to_rectification(ctx, auditor, audit, started)
    this_year = actions.draft_plan(actor=auditor, year=ctx.today.year)
    for tenure in rest[:2]:
        actions.add_plan_entry(actor=auditor, plan=this_year, tenure=tenure, reason="风险评分居前", on=ctx.today)
    if this_year.entries.exists():
        actions.approve_plan(actor=head, plan=this_year, on=ctx.today)
    next_year = actions.draft_plan(actor=auditor, year=ctx.today.year + 1)
    for tenure in rest[2:5]:
        actions.add_plan_entry(actor=auditor, plan=next_year, tenure=tenure, reason="按风险评分列入", on=ctx.today)
    ctx.log(f"audits: 1 in-term audit started directly, plan {this_year.year} approved, plan {next_year.year} awaiting approval")


def _training(ctx):
    auditor = ctx.users.get("audit")
    organiser = getattr(ctx, "units", {}).get("组织部")
    if auditor is None or organiser is None:
        return
    cadres = list(Cadre.objects.filter(status="serving").order_by("pk")[:8])
    if len(cadres) < 4:
        return
    today = ctx.today
    plan = [
        (
            "economic_responsibility",
            "领导干部经济责任履职专题培训",
            120,
            "区委党校报告厅",
            "6",
            True,
            "《党政主要领导干部和国有企事业单位主要领导人员经济责任审计规定》解读讲义",
        ),
        ("warning_education", "赴廉政教育基地开展警示教育", 60, "市廉政教育基地", "3", True, "观看警示教育片，参观典型案例展"),
        ("regulation_study", "《中国共产党纪律处分条例》专题学习", 30, "区委组织部会议室", "2.5", False, ""),
        ("economic_responsibility", "新任领导干部财经纪律培训", -14, "区委党校", "4", True, ""),
    ]
    sessions = []
    for kind, title, days_ago, place, hours, required, materials in plan:
        session = training_actions.create_session(
            actor=auditor,
            kind=kind,
            title=title,
            held_on=today - dt.timedelta(days=days_ago),
            hours=hours,
            organiser=organiser,
            required=required,
            place=place,
            materials=materials,
        )
        for cadre in cadres:
            training_actions.add_participant(actor=auditor, session=session, cadre=cadre)
        sessions.append(session)
    for index, session in enumerate(sessions[:3]):
        for participant in session.participants.order_by("pk"):
            attendance, reason = "attended", ""
            if index == 1 and participant.cadre_id == cadres[2].pk:
                attendance, reason = "absent", "未请假，称工作繁忙"
            elif index == 1 and participant.cadre_id == cadres[3].pk:
                attendance, reason = "excused", "经批准外出学习"
            training_actions.record_attendance(actor=auditor, session=session, participant_id=participant.pk, attendance=attendance, reason=reason, today=today)
    ctx.log(f"audits: {len(sessions)} training sessions, {cadres[2].name} absent without leave from a required one")
