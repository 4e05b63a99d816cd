"""Demo data of 阳光周志: two district leaders' logs for the last week whose deadline has passed —
one written by the leader (the committee member's account, linked to a standing-committee member),
one entered late by the office for the leader — both published; public profiles for the district's
leaders; one published message from the public with a reply and one awaiting moderation."""

import datetime as dt

from . import log_actions
from .models import PublicFeedback


def load_logs(ctx):
    officer = ctx.users.get("org_officer")
    committee = ctx.users.get("committee")
    if officer is None:
        return
    now = log_actions.now()
    week = log_actions.week_of(now.astimezone(log_actions.local_tz()).date()) - dt.timedelta(days=7)
    while log_actions.deadline_for(week).due + dt.timedelta(days=1) > now:
        week -= dt.timedelta(days=7)
    leaders = list(log_actions.leaders_for_week(week))
    if len(leaders) < 2:
        return
    own = next((c for c in leaders if committee is not None and c.pk == committee.cadre_id), None)
    first = own or leaders[0]
    second = next(c for c in leaders if c.pk != first.pk)
    for n, cadre in enumerate(leaders[:8]):
        posts = cadre.tenures.filter(ended_on__isnull=True).select_related("position").first()
        log_actions.save_leader_profile(
            actor=officer,
            cadre=cadre,
            portfolio=posts.position.portfolio if posts else "",
            office_phone=f"0951-60{ctx.rng.randint(10000, 99999)}",
            office_address=f"示范区行政中心{n + 1}号楼",
            mailbox=f"leader{n + 1}@shifanqu.gov.cn.example",
        )
    due = log_actions.deadline_for(week).due
    friday = dt.datetime.combine(week + dt.timedelta(days=4), dt.time(17, 30), tzinfo=log_actions.local_tz())
    with log_actions.clock_at(friday):
        on_time = log_actions.submit_log(
            actor=committee if own is not None else officer,
            cadre=first,
            week_start=week,
            this_week="主持召开区委常委会会议，研究教育、城建重点工作；赴东园街道调研老旧小区改造进度。",
            next_week="督导秋冬季安全生产检查；接待群众来访；参加市委专题学习。",
        )
    late_at = due + dt.timedelta(hours=3, minutes=ctx.rng.randint(0, 50))
    with log_actions.clock_at(late_at):
        late = log_actions.submit_log(
            actor=officer,
            cadre=second,
            week_start=week,
            this_week="召开分管领域工作推进会；检查重点项目建设现场；听取区教育局工作汇报。",
            next_week="研究第二中学新校区建设方案；走访企业了解营商环境问题。",
        )
    with log_actions.clock_at(late_at + dt.timedelta(hours=2)):
        log_actions.publish_log(actor=officer, log=on_time)
        log_actions.publish_log(actor=officer, log=late)
        answered = log_actions.submit_feedback(
            kind=PublicFeedback.Kind.OPINION,
            subject="建议增加夜间公交班次",
            body="东园街道到行政中心的公交晚上八点后就没有了，建议延长运营时间。",
            leader=second,
        )
        log_actions.moderate_feedback(actor=officer, feedback=answered, publish=True, reply="已转交区交通运输局研究，计划下月起延长至晚上十点。")
        log_actions.submit_feedback(kind=PublicFeedback.Kind.REPORT, subject="反映某单位办事拖延", body="办理营业执照变更多次往返未果。", contact="")
    ctx.log(f"decisions: weekly logs of {first.name} (on time) and {second.name} (late, entered by the office) for the week of {week}, published")
