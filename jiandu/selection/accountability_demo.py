"""Demo data of the trace-back accountability (倒查, issue #15 §8): one concluded review of the
demo's appointed candidate, so that a new user finds one on the trace-back report."""

import datetime as dt

from . import accountability_actions
from .demo import PEOPLE
from .models import Candidate, Stage


def load(ctx):
    officer = ctx.users.get("org_officer")
    bureau = ctx.units.get("教育局")
    if officer is None or bureau is None:
        return
    candidate = Candidate.objects.filter(case__unit=bureau, tenure__isnull=False).select_related("tenure").order_by("id").first()
    if candidate is None:
        return
    opened_on = max(candidate.tenure.started_on + dt.timedelta(days=14), ctx.today - dt.timedelta(days=20))
    concluded_on = min(opened_on + dt.timedelta(days=10), ctx.today)
    review = accountability_actions.open_review(
        actor=officer,
        candidate=candidate,
        stage=Stage.INSPECTION,
        responsible=[PEOPLE["handler"]],
        finding="任职后群众来信反映，考察时个别谈话范围未覆盖其分管的校舍维修项目经办人员，对其把关情况了解不够深入",
        measures="对考察组经办人员进行提醒谈话，完善考察谈话名单",
        opened_on=opened_on,
    )
    accountability_actions.conclude_review(
        actor=officer,
        review=review,
        concluded_on=concluded_on,
        conclusion="经倒查，考察程序符合规定，反映问题经核查不属实；考察谈话范围存在不足，已提醒谈话并责令改进，不予追究责任",
    )
    ctx.log(f"selection: 1 accountability review of {candidate.cadre.name}'s appointment (concluded)")
