"""Demo data of selection supervision (issue #15): a finished promotion in the education bureau
(motion to appointment, with a late vetting reply after the daily job's reminder and escalation,
the standing committee's decision, a public notice and an objection verified before the
appointment, and the files of its stages — small PDFs made on the fly — so that its record
sheet is complete) and a promotion in progress whose vetting request waits for the petitions
bureau's officer (demo_vetting)."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Count, F, Q

from jiandu.accounts import access
from jiandu.accounts import actions as account_actions
from jiandu.accounts.models import Role, User
from jiandu.core.errors import ActionError
from jiandu.core.pdf import Field, Heading, render_form
from jiandu.decisions import verdict
from jiandu.decisions.models import Body
from jiandu.registry import actions as registry_actions
from jiandu.registry import rules as registry_rules
from jiandu.registry.demo import showcase_cadre
from jiandu.registry.models import Cadre, Position

from . import actions, hooks, rules
from .models import Stage, VettingRequest

# The demo accounts that answer for a vetting department: (account key, unit key).
DEPARTMENT_OFFICERS = (("vetting", "信访局"), ("discipline", "区纪委监委"), ("audit", "审计局"))
PEOPLE = {"handler": "组织部干部一科 王敏", "responsible": "组织部副部长 刘建华"}


def _department_roles(ctx) -> dict:
    """Each demo account's vetting role on its department's unit (the district-wide role names none)."""
    officers = {}
    for key, unit_key in DEPARTMENT_OFFICERS:
        user, unit = ctx.users.get(key), ctx.units.get(unit_key)
        if user is None or unit is None:
            continue
        account_actions.assign_role(actor=ctx.users["secadmin"], user=user, role=Role.VETTING_OFFICER, unit=unit, include_descendants=False)
        access.forget(user)
        officers[unit.pk] = user
    return officers


def _vacant_post(ctx, unit, title):
    post = (
        Position.objects.filter(unit=unit, kind="leading", is_active=True, title=title)
        .annotate(serving=Count("tenures", filter=Q(tenures__ended_on__isnull=True)))
        .filter(serving__lt=F("headcount"))
        .order_by("order", "id")
        .first()
    )
    if post is None:
        post = registry_actions.create_position(actor=ctx.actor, unit=unit, title=title, level="section_deputy", order=90)
    return post


def _eligible(ctx, unit, post, on, taken, showcase=False):
    """Cadres who may be listed for `post`; the demo's showcase cadre (registry.demo.showcase_cadre)
    left to, and first for, the promotion in progress (`showcase`): its file then shows the vetting
    replies, and the clue the oversight demo registers about it is still to be checked there."""
    linked = set(User.objects.exclude(cadre_id=None).values_list("cadre_id", flat=True))
    chosen = showcase_cadre(ctx)
    found = Cadre.objects.filter(unit=unit, status=Cadre.Status.SERVING, leadership_level="").order_by("id")
    for cadre in sorted(found, key=lambda c: chosen is None or c.pk != chosen.pk):
        if cadre.pk in taken or cadre.pk in linked or (chosen is not None and cadre.pk == chosen.pk and not showcase):
            continue
        if registry_rules.appointment_findings(cadre, post, on):
            continue
        yield cadre


def _list(ctx, case, post, on, taken, showcase=False):
    for cadre in _eligible(ctx, case.unit, post, on, taken, showcase):
        try:
            candidate = actions.add_candidate(
                actor=ctx.actor, case=case, cadre=cadre, position=post, listed_on=on, recommendation_votes=ctx.rng.randint(25, 38)
            )
        except ActionError:
            continue  # art. 24 bars this one (a low grade or a running influence period)
        taken.add(cadre.pk)
        return candidate
    return None


def _reply(officers, request, on, result="no_problem", details=""):
    officer = officers.get(request.department_id)
    if officer is not None:
        actions.reply_vetting(actor=officer, request=request, result=result, replied_on=on, details=details)
        return True
    return False


def _pdf(name, title, lines):
    """A small real PDF (a one-table form) to attach as a stage's material."""
    content = render_form(title, [Heading(title)] + [Field(label, value, wide=True) for label, value in lines], numbered=False)
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def _attach(actor, case, stage, name, title, lines):
    actions.attach_stage_material(actor=actor, record=case.stages.get(stage=stage), upload=_pdf(name, title, lines))


def _load_cases(ctx):
    officer, head = ctx.users.get("org_officer"), ctx.users.get("org_head")
    bureau, committee = ctx.units.get("教育局"), ctx.units.get("区委")
    body = Body.objects.filter(unit=committee, kind=Body.Kind.STANDING_COMMITTEE).order_by("id").first() if committee else None
    if officer is None or head is None or bureau is None or body is None or body.principal_id is None:
        return
    officers = _department_roles(ctx)
    today, taken = ctx.today, set()

    def day(n):
        return today - dt.timedelta(days=n)

    # --- a finished promotion --------------------------------------------------------------------
    post = _vacant_post(ctx, bureau, "副局长")
    case = actions.create_case(
        actor=officer,
        unit=bureau,
        title=f"{bureau.name}副局长选拔任用",
        positions=[post],
        reasons="副局长职位空缺，分管基础教育工作需要",
        qualifications="具有五年以上工龄，熟悉教育管理工作",
        scope="教育局机关及直属单位",
        proposed_by="区委组织部",
        held_on=day(110),
        participants="区委组织部部务会成员",
        **PEOPLE,
    )
    actions.record_stage(
        actor=officer, case=case, stage=Stage.RECOMMENDATION, held_on=day(104), participants="教育局机关全体干部 42 人", result="会议推荐有效票 40 张", **PEOPLE
    )
    candidate = _list(ctx, case, post, day(100), taken)
    if candidate is None:
        ctx.log("selection: no eligible cadre for the demo promotion")
        return
    _attach(
        officer,
        case,
        Stage.RECOMMENDATION,
        "民主推荐结果统计表.pdf",
        "民主推荐结果统计表",
        [("推荐职位", str(post)), ("参加推荐人数", "42 人，收回有效票 40 张"), ("得票情况", f"{candidate.cadre.name} {candidate.recommendation_votes} 票")],
    )
    actions.record_stage(actor=officer, case=case, stage=Stage.CANDIDATES, held_on=day(100), result=f"确定{candidate.cadre.name}为考察对象", **PEOPLE)
    actions.send_vetting(actor=officer, case=case, sent_on=day(99))
    answerable = [r for r in VettingRequest.objects.filter(candidate=candidate).order_by("id") if r.department_id in officers]
    late = next((r for r in answerable if r.department == ctx.units.get("区纪委监委")), answerable[0] if answerable else None)
    for request in answerable:
        if request != late:
            _reply(officers, request, day(97))
    if late is not None:
        # The daily job reminds the department on its due date and reports it overdue the day after;
        # the reply comes three days late, with the discipline commission's letter attached.
        actions.send_vetting_reminders(today=late.due_on)
        actions.escalate_overdue_vetting(today=late.due_on + dt.timedelta(days=1))
        replier = officers[late.department_id]
        actions.attach_vetting_material(
            actor=replier,
            request=late,
            upload=_pdf(
                "廉政意见回复函.pdf",
                "关于干部廉政情况的回复意见",
                [("征求意见对象", candidate.cadre.name), ("回复意见", "经查，未发现该同志有违反廉洁纪律问题，未收到涉及该同志的问题线索。")],
            ),
        )
        _reply(officers, late, late.due_on + dt.timedelta(days=3))
    if VettingRequest.objects.filter(candidate=candidate, result="").exists():
        actions.override_vetting(actor=head, candidate=candidate, reason="卫健局书面意见已送达（未发现问题），系统外办理")
    actions.record_stage(actor=officer, case=case, stage=Stage.VETTING, held_on=day(85), result="联审部门均已回复，未发现影响使用的问题", **PEOPLE)
    actions.record_stage(
        actor=officer,
        case=case,
        stage=Stage.INSPECTION,
        held_on=day(75),
        participants="考察组：组织部 2 人",
        result="考察组谈话 25 人，民主测评称职以上 100%；凡提四必已完成",
        **PEOPLE,
    )
    _attach(
        officer,
        case,
        Stage.INSPECTION,
        "考察材料.pdf",
        "干部考察材料",
        [
            ("考察对象", candidate.cadre.name),
            ("考察组", "区委组织部 2 人"),
            ("考察情况", "个别谈话 25 人，民主测评称职以上 100%。"),
            ("廉政结论", "未发现廉洁自律方面的问题。"),
        ],
    )
    actions.record_stage(actor=officer, case=case, stage=Stage.CONSULTATION, held_on=day(68), result="与分管区领导、教育局主要负责人酝酿一致", **PEOPLE)
    # 凡提四必: the file reviewed (the registry's start of work corrected by the file), the targeted
    # check of the personal-matters report concluded (jiandu/matters, through hooks).
    cadre = candidate.cadre
    actions.record_file_review(
        actor=officer,
        candidate=candidate,
        reviewed_on=day(90),
        birth_on=cadre.birth_on,
        party_join_on=cadre.party_join_on,
        work_start_on=(cadre.work_start_on or dt.date(cadre.birth_on.year + 22, 7, 1)) + dt.timedelta(days=31),
        education=cadre.education,
        handling="参加工作时间以档案中最早的工资审批表为准，已通知干部信息管理员更正",
    )
    hooks.conclude_check_for_demo(actor=officer, cadre=cadre)
    members = [m.cadre for m in body.memberships.select_related("cadre").order_by("id")]
    total = len(members)
    present = verdict.quorum_needed(total, verdict.APPOINTMENT)  # exactly two thirds
    absent = [m for m in members if m.pk != body.principal_id][: total - present]
    here = [m for m in members if m not in absent and m.pk != body.principal_id] + [body.principal]
    actions.record_decision(
        actor=officer,
        case=case,
        body=body,
        held_on=day(60),
        handler=PEOPLE["handler"],
        absent=absent,
        statements={candidate: [(m, verdict.AGREE) for m in here]},
    )
    starts = day(55)
    ends = rules.earliest_notice_end(starts)
    actions.start_notice(actor=officer, case=case, starts_on=starts, ends_on=ends, result="在示范区党建网和教育局公示栏公示", **PEOPLE)
    _attach(
        officer,
        case,
        Stage.NOTICE,
        "任前公示.pdf",
        "干部任前公示",
        [("公示对象", candidate.cadre.name), ("拟任职务", str(post)), ("公示时间", f"{starts.isoformat()} 至 {ends.isoformat()}")],
    )
    objection = actions.record_objection(
        actor=officer, candidate=candidate, received_on=starts + dt.timedelta(days=1), content="来信反映其在校舍维修项目中把关不严"
    )
    actions.resolve_objection(actor=officer, objection=objection, verification="经核查，项目按规定招标验收，反映问题不属实", resolved_on=ends)
    started = ends + dt.timedelta(days=1)
    actions.appoint_candidate(actor=officer, candidate=candidate, started_on=started, handler=PEOPLE["handler"], talkers="区委组织部部长", talked_on=started)

    # --- a promotion in progress: the petitions bureau's reply is awaited --------------------------
    post2 = _vacant_post(ctx, bureau, "副局长")
    case2 = actions.create_case(
        actor=officer,
        unit=bureau,
        title=f"{bureau.name}副局长（分管职业教育）选拔任用",
        positions=[post2],
        reasons="分管职业教育的副局长职位空缺",
        proposed_by="区委组织部",
        held_on=day(12),
        **PEOPLE,
    )
    actions.record_stage(actor=officer, case=case2, stage=Stage.RECOMMENDATION, held_on=day(9), result="个别谈话推荐 28 人", **PEOPLE)
    second = _list(ctx, case2, post2, day(6), taken, showcase=True)
    if second is not None:
        actions.record_stage(actor=officer, case=case2, stage=Stage.CANDIDATES, held_on=day(6), result=f"确定{second.cadre.name}为考察对象", **PEOPLE)
        actions.send_vetting(actor=officer, case=case2, sent_on=day(3))
        for request in VettingRequest.objects.filter(candidate=second).exclude(department=ctx.units.get("信访局")).order_by("id"):
            _reply(officers, request, day(1))
    ctx.log(
        f"selection: 2 cases ({candidate.cadre.name} appointed after a {rules.notice_working_days(starts, ends)}-working-day notice; {present} of {total} present)"
    )


def load(ctx):
    """The selection cases above, a concluded accountability review of the appointment
    (accountability_demo.py), then the yearly survey of 2025 (survey_demo.py)."""
    from . import accountability_demo, survey_demo

    _load_cases(ctx)
    accountability_demo.load(ctx)
    survey_demo.load(ctx)
