"""Demo data for daily supervision (`manage.py load_demo` calls `load(ctx)`), through the actions.

ctx: .units (name → Unit), .users (role → User), .cadres (list), .rng (random.Random).
"""

import datetime as dt

from jiandu.accounts.models import Role
from jiandu.ballots import actions as ballot_actions
from jiandu.ballots import queries as ballot_queries
from jiandu.core.actions import change_setting
from jiandu.registry.demo import showcase_cadre

from .actions import clues, dispositions, duty, inquiries, talks, tours
from .models import Measure


def _unit(ctx, *keywords):
    for name, unit in ctx.units.items():
        if any(k in name for k in keywords):
            return unit
    return None


def load(ctx):
    officer = ctx.users.get(Role.ORG_OFFICER) or ctx.users.get("org_officer")
    head = ctx.users.get(Role.ORG_HEAD) or ctx.users.get("org_head") or officer
    if officer is None or len(ctx.cadres) < 6:
        return
    today = dt.date.today()
    rng = ctx.rng
    # The district's own name on its letters (发文机关标志) and the prefix of its 发文字号.
    admin = ctx.users.get("sysadmin")
    if admin is not None:
        change_setting(actor=admin, key="documents.issuer", value="中共示范区委组织部")
        change_setting(actor=admin, key="oversight.inquiry_number_prefix", value="示组函")
    cadres = list(ctx.cadres)
    rng.shuffle(cadres)

    # Joint meeting members: organisation, discipline, audit, court, procuratorate, police, petitions.
    members = []
    for keywords in (("组织部",), ("纪委", "监委"), ("审计",), ("法院",), ("检察",), ("公安",), ("信访",)):
        unit = _unit(ctx, *keywords)
        if unit is not None and unit not in members:
            clues.add_member(actor=officer, unit=unit, joined_on=today - dt.timedelta(days=400))
            members.append(unit)
    org = members[0] if members else cadres[0].unit

    # Dispositions, one running influence period of each family, one revoked.
    plan = [
        (Measure.PARTY_WARNING, 200, "区纪委", "违反中央八项规定精神，公款吃喝", "示纪发"),
        (Measure.ADMIN_DEMERIT, 300, "区监委", "履行职责不力，造成不良影响", "示监发"),
        (Measure.REMINDER, 30, "区委组织部", "工作作风漂浮，群众有反映", "示组干"),
        (Measure.ADJUSTMENT, 120, "区委", "担当作为不够，调整职务", "示委干"),
        (Measure.ADMIN_WARNING, 400, "区监委", "违规报销差旅费（影响期已满）", "示监发"),
    ]
    for n, (cadre, (measure, days_ago, body, grounds, prefix)) in enumerate(zip(cadres, plan, strict=False), start=1):
        decided_on = today - dt.timedelta(days=days_ago)
        dispositions.record_disposition(
            actor=officer,
            cadre=cadre,
            measure=measure,
            decided_on=decided_on,
            deciding_body=body,
            grounds=grounds,
            document_number=f"{prefix}〔{decided_on.year}〕{10 + n}号",
        )
    # Cumulation (纪律处分条例 art. 21): a second party warning inside the first one's period runs
    # for the unexpired rest plus its own twelve months; the explanation shows the arithmetic.
    if len(cadres) > 6:
        first = dispositions.record_disposition(
            actor=officer,
            cadre=cadres[6],
            measure=Measure.PARTY_WARNING,
            decided_on=today - dt.timedelta(days=250),
            deciding_body="区纪委",
            grounds="违规收受礼品",
            document_number=f"示纪发〔{(today - dt.timedelta(days=250)).year}〕21号",
        )
        dispositions.record_disposition(
            actor=officer,
            cadre=first.cadre,
            measure=Measure.PARTY_WARNING,
            decided_on=today - dt.timedelta(days=90),
            deciding_body="区纪委",
            grounds="影响期内再次违反廉洁纪律",
            document_number=f"示纪发〔{(today - dt.timedelta(days=90)).year}〕22号",
        )
    # A two-tier bar (引咎辞职: no leading post for a year, no higher post for two).
    if len(cadres) > 7:
        dispositions.record_disposition(
            actor=officer,
            cadre=cadres[7],
            measure=Measure.RESIGNATION_ACCOUNTABILITY,
            decided_on=today - dt.timedelta(days=420),
            deciding_body="区委",
            grounds="分管领域发生安全生产事故，引咎辞职",
            document_number=f"示委干〔{(today - dt.timedelta(days=420)).year}〕23号",
        )
    wrong = dispositions.record_disposition(
        actor=officer,
        cadre=cadres[5],
        measure=Measure.CIRCULATION,
        decided_on=today - dt.timedelta(days=60),
        deciding_body="区委组织部",
        grounds="录入错误示例",
        document_number=f"示组干〔{(today - dt.timedelta(days=60)).year}〕9号",
    )
    dispositions.revoke_disposition(actor=head, disposition=wrong, reason="经复核，通报对象有误")

    # A yellow card issued by hand (an evaluation outside the platform), its talk now overdue. The
    # appraisal's own yellow card stays pending in the inbox, to be confirmed or dismissed there.
    # The demo's cadre with a fact of every pillar (registry.demo.showcase_cadre) gets the yellow
    # card, the overdue inquiry and the clue.
    showcase = showcase_cadre(ctx) or cadres[1]
    dispositions.create_admonishment(
        actor=head,
        cadre=showcase,
        grounds="专项测评不满意率达到三分之一（12/33）",
        source_type="manual",
        source_id=f"{today.year}-1",
        figures={"dissatisfied": 12, "valid": 33},
        decided_on=today - dt.timedelta(days=20),
    )

    # Talks of several kinds.
    kinds = ["routine", "reminder", "appraisal_feedback", "post_change", "pre_appointment", "criticism"]
    for i, kind in enumerate(kinds):
        talks.record_talk(
            actor=officer,
            cadre=cadres[i % len(cadres)],
            kind=kind,
            talked_on=today - dt.timedelta(days=5 + 7 * i),
            place="区委组织部谈话室",
            talkers="李明华",
            talker_role="区委组织部副部长",
            recorder="王晓",
            reason="日常监督",
            summary="了解思想和工作情况，提出要求。",
            response="表示虚心接受，认真改进。",
            follow_up="提交书面整改措施" if kind == "reminder" else "",
            follow_up_due_on=today + dt.timedelta(days=10) if kind == "reminder" else None,
            explanation_required=kind == "reminder",
        )

    # Written inquiries at each stage.
    subjects = ["违规兼职取酬问题", "子女婚事大操大办问题", "插手工程项目问题"]
    for i, subject in enumerate(subjects):
        inquiry = inquiries.draft_inquiry(
            actor=officer, cadre=showcase if i == 2 else cadres[2 + i], source="complaint", subject=subject, questions="请说明有关情况。\n请提供相关证明材料。"
        )
        if i >= 1:
            inquiries.issue_inquiry(actor=officer, inquiry=inquiry, issued_on=today - dt.timedelta(days=30))
            inquiries.record_delivery(actor=officer, inquiry=inquiry, delivered_on=today - dt.timedelta(days=28 if i == 2 else 3))

    # Clues passed between member departments.
    if len(members) >= 3:
        meeting = clues.record_meeting(
            actor=officer,
            organiser=org,
            held_on=today - dt.timedelta(days=2),
            title="干部监督联席会议（第一季度）",
            attending_units=members,
            minutes="通报各成员单位掌握的干部问题线索。",
            decisions="线索按职责分工转办，限期反馈。",
        )
        clue = clues.register_clue(actor=officer, cadre=showcase, from_unit=org, source="meeting", summary="群众反映其违规收受礼金。", meeting=meeting)
        clues.transfer_clue(actor=officer, clue=clue, to_unit=members[1], transferred_on=today - dt.timedelta(days=1))

    # An inspection tour in rectification.
    target = cadres[0].unit
    tour = tours.plan_tour(
        actor=officer,
        organiser=org,
        name=f"{today.year}年第一轮巡察",
        year=today.year,
        planned_start=today - dt.timedelta(days=60),
        planned_end=today - dt.timedelta(days=30),
        targets=[target],
    )
    leader = tours.add_team_member(actor=officer, tour=tour, name="赵建国", role="leader")
    member = tours.add_team_member(actor=officer, tour=tour, name="孙丽")
    for m in (leader, member):
        tours.declare_interest(actor=officer, member=m, has_conflict=False, declared_on=today - dt.timedelta(days=58))
    tours.start_stationing(actor=officer, tour=tour, stationed_on=today - dt.timedelta(days=55))
    tours.log_work(
        actor=officer, tour=tour, unit=target, method="symposium", on=today - dt.timedelta(days=54), description="召开干部职工座谈会", participants=32
    )
    tours.log_work(actor=officer, tour=tour, unit=target, method="fund_check", on=today - dt.timedelta(days=50), description="抽查专项资金使用凭证")
    finding = tours.record_finding(
        actor=officer,
        tour=tour,
        unit=target,
        category="finance",
        description="专项资金拨付不及时",
        severity="medium",
        evidence="凭证抽查记录",
        cadres=[cadres[0]],
    )
    tours.finish_stationing(actor=officer, tour=tour)
    tours.record_report(
        actor=officer, tour=tour, report_text="巡察发现问题1个（专项资金拨付不及时），提出整改建议1条。", reported_on=today - dt.timedelta(days=35)
    )
    tours.give_feedback(actor=officer, tour=tour, feedback_on=today - dt.timedelta(days=30))
    item = tours.add_rectification_item(
        actor=officer,
        tour=tour,
        unit=target,
        measure="建立资金拨付台账，按月通报",
        owner="单位主要负责人",
        due_on=today + dt.timedelta(days=20),
        finding=finding,
    )
    tours.start_rectification(actor=officer, tour=tour)
    tours.record_progress(actor=officer, item=item, progress="台账已建立，首次通报已完成。", on=today - dt.timedelta(days=5))

    # Duty and integrity reports for the leading cadres under the organisation's scope.
    root = min(ctx.units.values(), key=lambda u: u.depth)
    reports = duty.plan_duty_reports(actor=officer, year=today.year, due_on=today + dt.timedelta(days=30), unit=root)
    # One unit's public session (自己述、群众评), its audience evaluation as a ballot open for voting.
    heard = [r for r in reports if r.unit_id == reports[0].unit_id][:4] if reports else []
    for report in heard:
        duty.submit_duty_report(actor=officer, report=report, text=f"{report.cadre.name}同志{today.year}年度述责述廉报告：履行全面从严治党责任，严守廉洁纪律……")
    if heard:
        session = duty.record_duty_session(
            actor=officer,
            unit=heard[0].unit,
            year=today.year,
            held_on=today,
            mode="public",
            reports=heard,
            place="单位会议室",
            audience="本单位全体干部职工、服务对象代表",
        )
        groups = [{"name": "本单位干部职工", "headcount": 30}, {"name": "服务对象代表", "headcount": 8}]
        session = duty.create_evaluation_ballot(actor=officer, session=session, groups=groups, include_unknown=True)
        ballot_actions.open_ballot(actor=officer, ballot=ballot_queries.get_ballot_for(officer, session.ballot_id, "ballots.manage"))
