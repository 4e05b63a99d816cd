"""Demo of the yearly survey (一报告两评议) for 2025: 133 participants (the seed's figure) in the
three categories, the standing committee's report as a PDF, the ballot voted through voting codes
and closed. The selection work gets 131 of 133 满意 or 基本满意 (98.49 %), the first newly appointed
cadre 132 of 133 认同 or 基本认同 (99.2 %); a second appointee, when there is one, is rated low
(45 of 133 不认同) so that the organisation department's explanation can be shown."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from jiandu.accounts.models import User
from jiandu.ballots import actions as ballot_actions
from jiandu.ballots import structure
from jiandu.ballots.models import Ballot
from jiandu.core.errors import ActionError
from jiandu.core.pdf import forms as pdf_forms
from jiandu.registry import actions as registry_actions
from jiandu.registry.models import Tenure

from . import survey_actions

YEAR = 2025
COUNTS = {"committee": 35, "heads": 58, "others": 40}  # 133 in all


def _report() -> SimpleUploadedFile:
    content = pdf_forms.render_form(
        f"中共示范区委常委会{YEAR}年度选人用人工作情况报告",
        [
            pdf_forms.Heading("一、基本情况"),
            pdf_forms.Field("选拔任用情况", f"{YEAR}年度共研究干部任免事项，严格执行《党政领导干部选拔任用工作条例》。", wide=True),
            pdf_forms.Heading("二、整治用人上不正之风"),
            pdf_forms.Field("工作情况", "坚持任前预审联审和任前公示，认真核查信访举报。", wide=True),
        ],
    )
    return SimpleUploadedFile(f"{YEAR}年度选人用人工作报告.pdf", content, content_type="application/pdf")


# A promotion one step up: no leading post → 乡科级副职, 乡科级副职 → 乡科级正职.
NEXT_POST = {"": ("section_deputy", "副主任"), "section_deputy": ("section_chief", "主任")}


def _promotions(ctx, officer, wanted: int = 2) -> None:
    """Two promotions recorded in the registry in 2025 (the demo's selection cases are of the
    current year): a serving cadre of a department under the district committee (not one of the
    district's leaders) leaves the post by promotion on 31 March and a post one level up in the
    same unit begins on 1 April."""
    linked = set(User.objects.exclude(cadre_id=None).values_list("cadre_id", flat=True))
    tenures = (
        Tenure.objects.filter(ended_on__isnull=True, is_acting=False, started_on__lt=dt.date(YEAR, 1, 1), position__is_principal=False)
        .filter(position__has_financial_authority=False, position__unit__path__startswith=ctx.units["区委"].path, position__level__in=tuple(NEXT_POST))
        .exclude(position__unit=ctx.units["区委"])  # the district's leaders keep their posts (and their public profiles)
        .exclude(cadre_id__in=linked)
        .select_related("cadre", "position__unit")
        .order_by("position__unit__path", "id")
    )
    done = 0
    for tenure in tenures[:60]:
        if done >= wanted:
            break
        try:
            with transaction.atomic():
                level, title = NEXT_POST[tenure.position.level]
                post = registry_actions.create_position(actor=ctx.actor, unit=tenure.position.unit, title=title, level=level, order=95)
                registry_actions.end_tenure(actor=ctx.actor, tenure=tenure, ended_on=dt.date(YEAR, 3, 31), end_reason=Tenure.EndReason.PROMOTION)
                registry_actions.appoint(actor=ctx.actor, cadre=tenure.cadre, position=post, started_on=dt.date(YEAR, 4, 1) + dt.timedelta(days=done))
                registry_actions.update_cadre(actor=ctx.actor, cadre=tenure.cadre, leadership_level=post.level)  # as a promotion through selection does
        except ActionError:
            continue
        done += 1


def _pick(i: int, subject, appointee_index: dict) -> int:
    """Option index (0 满意/认同, 1 基本…, 2 不…, 3 不了解) of voter i on `subject`."""
    if subject.kind == "team":
        return 2 if i >= 131 else (0 if i % 5 else 1)
    position = appointee_index.get(subject.pk, 0)
    if position == 1:
        return 2 if i < 45 else 0
    return 2 if i >= 132 else (0 if i % 4 else 1)


def load(ctx) -> None:
    officer, committee = ctx.users.get("org_officer"), ctx.units.get("区委")
    if officer is None or committee is None:
        return
    _promotions(ctx, officer)
    survey = survey_actions.create_survey(actor=officer, unit=committee, year=YEAR, headcounts=COUNTS, report=_report())
    ballot = Ballot.objects.get(pk=survey.ballot_id)
    appointee_index = {a.subject_id: n for n, a in enumerate(survey.appointees.order_by("started_on", "id"))}
    shape = structure.load(ballot)
    voter = 0
    for group in ballot.groups.order_by("order"):
        _batch, codes = ballot_actions.generate_codes(actor=officer, ballot=ballot, group=group, count=group.headcount)
        for code in codes:
            answers = {}
            for item in shape.layouts[group.pk].items:
                options = shape.options[item.question_id]
                answers[(item.subject_id, item.question_id)] = options[_pick(voter, shape.subject_by_id[item.subject_id], appointee_index)].pk
            ballot_actions.submit_ballot(code=code, answers=answers)
            voter += 1
    survey_actions.close_survey(actor=officer, survey=survey)
    ctx.log(f"一报告两评议：{YEAR}年度，{survey.participants}人参评，新选拔任用干部{len(appointee_index)}名")
