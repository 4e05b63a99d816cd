"""Demo data of collective decisions: the district committee's standing committee, the committee
member's account linked to one of its members, and one meeting whose appointment item fails the
2/3 quorum and is shown void (issue #14)."""

import datetime as dt

from jiandu.accounts.models import User

from . import actions
from . import verdict as rules
from .models import AgendaItem, Body


def load(ctx):
    officer = ctx.users.get("org_officer")
    committee_unit = ctx.units.get("区委")
    if officer is None or committee_unit is None:
        return
    leaders = actions.current_leaders(committee_unit)
    if len(leaders) < 3:
        return
    principal = leaders[0]
    body = actions.create_body(
        actor=officer, unit=committee_unit, name="中共示范区委常委会", kind=Body.Kind.STANDING_COMMITTEE, members=leaders, principal=principal
    )
    # The committee member's account is one of the members (the demo account has no cadre).
    member = next((c for c in leaders[1:] if not User.objects.filter(cadre_id=c.pk).exists()), None)
    account = ctx.users.get("committee")
    if member is not None and account is not None and not account.cadre_id:
        User.objects.filter(pk=account.pk).update(cadre_id=member.pk)
        account.cadre_id = member.pk

    total = len(leaders)
    present_count = rules.quorum_needed(total, rules.APPOINTMENT) - 1  # one short of 2/3: void
    others = leaders[1:]
    absent = others[-(total - present_count) :]
    present_others = [c for c in others if c not in absent]
    absences = {c: {"reason": "外出学习", "opinions": {1: (rules.AGREE, "同意")}} for c in absent}

    def statements(stance):
        said = [(c, stance, "") for c in present_others]
        return said + [(principal, stance, "")]

    held_on = ctx.today - dt.timedelta(days=ctx.rng.randint(10, 30))
    actions.record_meeting(
        actor=officer,
        body=body,
        held_on=held_on,
        title=f"区委常委会{held_on.year}年第{ctx.rng.randint(5, 9)}次会议",
        absences=absences,
        items=[
            {"title": "研究区教育局副局长拟任人选", "category": AgendaItem.Category.APPOINTMENT, "proposer": others[0], "statements": statements(rules.AGREE)},
            {
                "title": "研究区第二中学新校区建设项目",
                "category": AgendaItem.Category.MAJOR_PROJECT,
                "amount": "20000000",
                "proposer": others[0],
                "statements": statements(rules.AGREE),
            },
        ],
    )
    ctx.log(f"decisions: 1 standing committee of {total} members, 1 meeting ({present_count} present; the appointment item void)")
    load_registers(ctx, body)


def load_registers(ctx, body):
    """三重一大 registers and follow-through (issue #14 §2–3): the school project approved by the
    standing committee, a ¥2M project registered without any decision (a violation), a payment made
    the day before its decision, and two tasks from the decision, one of them overdue."""
    from . import register_actions
    from .models import Meeting

    officer = ctx.users.get("org_officer")
    edu = ctx.units.get("教育局")
    meeting = Meeting.objects.filter(body=body).order_by("-id").first()
    if officer is None or edu is None or meeting is None:
        return
    approved = meeting.items.filter(outcome=rules.PASSED).order_by("order").first()
    if approved is None:
        return
    leaders = actions.current_leaders(edu)
    head = leaders[0] if leaders else None
    held = meeting.held_on
    register_actions.add_entry(
        actor=officer,
        unit=edu,
        kind="project",
        title="第二中学新校区建设项目",
        amount="20000000",
        executed_on=held + dt.timedelta(days=3),
        decision=approved,
        responsible=head,
    )
    register_actions.add_entry(
        actor=officer, unit=edu, kind="project", title="区体育中心改造工程", amount="2000000", executed_on=held + dt.timedelta(days=1), responsible=head
    )
    register_actions.add_entry(
        actor=officer,
        unit=edu,
        kind="payment",
        title="新校区设计费预付款",
        amount="300000",
        executed_on=held - dt.timedelta(days=1),
        decision=approved,
        responsible=head,
    )
    finance = ctx.units.get("财政局")
    if finance is not None:
        register_actions.set_unit_rule(
            actor=officer, unit=finance, threshold="500000", matter_kinds=["project", "procurement"], basis="区财政局“三重一大”决策制度实施办法"
        )
    overdue = register_actions.create_task(
        actor=officer, decision=approved, unit=edu, owner="教育局局长", description="完成新校区项目立项和初步设计", due_on=ctx.today - dt.timedelta(days=2)
    )
    register_actions.report_progress(
        actor=ctx.users.get("unit_leader") or officer,
        task=overdue,
        text="已完成项目建议书，初步设计正在编制。",
        reported_on=overdue.due_on - dt.timedelta(days=1),
    )
    register_actions.create_task(
        actor=officer, decision=approved, unit=edu, owner="教育局局长", description="新校区开工建设", due_on=ctx.today + dt.timedelta(days=60)
    )
    ctx.log("decisions: 3 register entries (a ¥2M project without a decision, a payment before its decision), 2 tasks (one overdue)")


_load_meetings = load


def load(ctx):  # noqa: F811  (the meetings, then 阳光周志: jiandu/decisions/log_demo.py)
    _load_meetings(ctx)
    from .log_demo import load_logs

    load_logs(ctx)
