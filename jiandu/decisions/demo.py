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


_load_meetings = load


def load(ctx):  # noqa: F811  (the meetings, then 阳光周志: jiandu/decisions/log_demo.py)
    _load_meetings(ctx)
    from .log_demo import load_logs

    load_logs(ctx)
