"""Local-practice settings of annual appraisal (DOMAIN.md §4). National rules [R] are code; rules
whose text was not confirmed [R?] and local arithmetic [L] are settings with these defaults.

Everything a computation used is copied into the cycle (`AppraisalCycle.parameters`) when it runs,
so a later change of a setting never silently alters a closed evaluation or confirmed grades.
"""

from django.utils.translation import gettext_lazy as _

from jiandu.core.practice import declare
from jiandu.core.setting_text import register_formatter

declare(
    "appraisals.voter_groups",
    ["staff|本单位干部职工和基层代表|0.7", "leaders|分管区领导|0.3"],
    _("Default voter groups of a democratic evaluation"),
    _(
        "One group per line as code|name|weight (the seed's two levels: department staff with grassroots representatives, "
        "and the district leaders in charge). Headcounts are entered per unit when the evaluation is opened."
    ),
    kind="list",
)
declare(
    "appraisals.team_scale",
    "team_grade",
    _("Scale of the leadership-team grade"),
    _("The four grades a leadership team is given."),
    kind="choice",
    choices=(("team_grade", _("优秀/良好/一般/较差")), ("quality", _("好/较好/一般/差"))),
    mark="R?",
)
declare(
    "appraisals.excellent_quota",
    # 《公务员考核规定》(2020), chapter on 考核等次: 优秀 generally at most 20 % of the civil servants assessed, up
    # to 25 % with approval (15 % was the 2007 trial value).
    "1/5",
    _("Share of participants who may be graded 优秀"),
    _("Generally at most 20 %, up to 25 % with approval. Applied to the assessed cadres, and separately to the assessed teams."),
    kind="fraction",
    mark="R?",
    source=_("《公务员考核规定》(2020): generally at most 20 %, up to 25 % with approval"),
)
declare(
    "appraisals.excellent_quota_rounding",
    "floor",
    _("Rounding of the 优秀 quota"),
    _("20 participants × 15 % = 3; 21 × 15 % = 3.15 gives 3 either way; 24 × 15 % = 3.6 gives 3 rounded down, 4 rounded half up."),
    kind="choice",
    choices=(("floor", _("round down")), ("half_up", _("round half up"))),
    source=_("Local practice; no national text fixes the rounding"),
)
declare(
    "appraisals.excellent_quota_scope",
    "cycle",
    _("The 优秀 quota is counted over"),
    kind="choice",
    choices=(("cycle", _("all cadres of the appraisal cycle")), ("unit", _("the cadres of each assessed unit"))),
    source=_("Local practice; no national text found"),
)
declare(
    "appraisals.excellent_quota_min_one_from",
    0,
    _("At least one 优秀 when the pool has at least this many (0 = never)"),
    _("Without it a pool of four teams at 20 % can never have an 优秀 team."),
    kind="int",
    source=_("Local practice; no national text found"),
)
declare(
    "appraisals.team_quota_pool",
    "cycle",
    _("The teams' 优秀 quota is counted over"),
    _(
        "The teams of the appraisal cycle, or all leadership teams of the district (the units below the organising unit "
        "with a leading post): six teams of a cycle then share the quota of the whole district with the teams assessed elsewhere that year."
    ),
    kind="choice",
    choices=(("cycle", _("the teams of the appraisal cycle")), ("district", _("all teams of the district in that year"))),
    source=_("Local practice; no national text found"),
)
declare(
    "appraisals.grade_excellent_share",
    "1/2",
    _("优秀 votes needed to be proposed as 优秀"),
    _("Share of the valid votes on the overall question; by default strictly more than half (超过半数)."),
    kind="fraction",
)
declare("appraisals.grade_excellent_inclusive", False, _("A share exactly at the 优秀 threshold is enough"), kind="bool")
declare(
    "appraisals.grade_competent_share",
    "1/2",
    _("优秀 + 称职 votes needed to be proposed as 称职"),
    _("Below this share of the valid votes the proposal is 基本称职 (inclusive: exactly the share is enough)."),
    kind="fraction",
)
declare(
    "appraisals.grade_incompetent_share",
    "1/2",
    _("不称职 votes that lead to a 不称职 proposal"),
    _("At or above this share of the valid votes the proposal is 不称职 (inclusive)."),
    kind="fraction",
)
declare(
    "appraisals.yellow_card_question",
    "overall",
    _("Question counted for the yellow card"),
    _("The question of the cadre ballot whose answers are counted."),
    kind="choice",
    choices=(("overall", _("overall grade")), ("morality", "德"), ("ability", "能"), ("diligence", "勤"), ("results", "绩"), ("integrity", "廉")),
)
declare(
    "appraisals.yellow_card_options",
    ["incompetent"],
    _("Options counted as dissatisfaction for the yellow card"),
    _("One answer per line, entered by its code: excellent = 优秀, competent = 称职, basically_competent = 基本称职, incompetent = 不称职."),
    kind="list",
)
declare(
    "appraisals.yellow_card_threshold",
    "1/3",
    _("Dissatisfaction share that triggers a yellow card (亮黄牌)"),
    _("The seed's rule: 不称职 at or above one third of the valid votes → admonishment proposal."),
    kind="fraction",
)
declare("appraisals.yellow_card_inclusive", True, _("A share exactly at the yellow-card threshold triggers it"), kind="bool")
declare(
    "appraisals.democratic_item_weight",
    "1/5",
    _("Weight of the democratic evaluation in a unit's target total"),
    _("Final score = (1 − weight) × target score without the democratic item + weight × the team's democratic score."),
    kind="fraction",
)
declare(
    "appraisals.target_share_of_results",
    "1/2",
    _("Share of the unit's target score in a cadre's 绩 element"),
    _("绩 = (1 − share) × the ballot's 绩 score + share × the unit's target score (without the democratic item)."),
    kind="fraction",
)
declare(
    "appraisals.overall_weight_in_score",
    "2/5",
    _("Weight of the overall grade in a cadre's assessment score"),
    _("Score = (1 − weight) × mean of 德 能 勤 绩 廉 + weight × the overall grade's score; it ranks the candidates for 优秀."),
    kind="fraction",
)
declare(
    "appraisals.disqualifying_kinds",
    [
        "受到诫勉",
        "受到组织处理",
        "受到党纪处分",
        "受到政务处分",
        "对重大事故负有领导责任",
        "因涉嫌违纪违法被立案审查调查尚未结案",
    ],
    _("Events that bar a cadre from 优秀 in the year"),
    _(
        "2019 考核条例: a person admonished, under organisational handling or a party/administrative sanction in the year, or responsible for a serious accident, cannot be 优秀."
    ),
    kind="list",
    mark="R",
    source=_("《党政领导干部考核工作条例》(2019)"),
)

# Grades in sanction years [R?]. One rule per line: measure|outcome|when.
# - outcome: no_grade (不定等次，只写评语) or incompetent (定为不称职);
# - when: period (its influence period runs during the assessment year) or year (decided in it).
# 记过 and heavier during the period → no grade: civil-service practice (《公务员考核规定》(2020) and
#   《行政机关公务员处分条例》: 受记过以上处分的处分期内参加年度考核，不定等次，只写评语).
# 严重警告 in the year → no grade: the 2016 reply of the Central Organisation Department.
# 撤销党内职务 / 留党察看 / 开除党籍 in the year → 不称职: 组通字〔1998〕19号.
declare(
    "appraisals.sanction_year_outcomes",
    [
        "admin_demerit|no_grade|period",
        "admin_major_demerit|no_grade|period",
        "admin_downgrade|no_grade|period",
        "admin_dismissal_from_post|no_grade|period",
        "party_serious_warning|no_grade|year",
        "party_post_removal|incompetent|year",
        "party_probation|incompetent|year",
        "party_expulsion|incompetent|year",
    ],
    _("Sanctions that leave no grade or force 不称职 in the assessment year"),
    _(
        "One rule per line: measure|outcome|when. Outcome no_grade (不定等次，只写评语) or incompetent (不称职); "
        "when = period (its influence period runs during the year) or year (decided in the year). 不称职 wins over no grade."
    ),
    kind="list",
    mark="R?",
    source=_(
        "记过 and heavier during the period: 《公务员考核规定》(2020) and 《行政机关公务员处分条例》; 严重警告 year: "
        "the 2016 reply of the Central Organisation Department; 撤销党内职务, 留党察看, 开除党籍 in the year: 组通字〔1998〕19号"
    ),
)
declare(
    "appraisals.follow_up_days",
    60,
    _("Days to carry out the follow-up of a 不称职 grade"),
    _("Lowering the post (不称职) and the dismissal review (不称职 two years running) are due this many days after the grades are confirmed."),
    kind="int",
    source=_("Local practice; the national texts (《公务员法》 art. 50 and art. 88) set no deadline"),
)
declare(
    "appraisals.consecutive_basic_admonishment",
    False,
    _("基本称职 two years running raises a 诫勉 proposal"),
    _("The proposal goes into the same inbox as the yellow cards; the organisation department confirms or dismisses it."),
    kind="bool",
    source=_("A local rule found in several places (连续两年基本称职的予以诫勉); no national text found"),
)
declare(
    "appraisals.admonishment_bars_term_excellent",
    False,
    _("诫勉 in the year also bars 优秀 in a term assessment"),
    _("In the annual assessment 诫勉 always bars 优秀 (2019 考核条例); for the term assessment only where the local rule says so."),
    kind="bool",
    source=_("Local rule; no national text found for term assessments"),
)


# How the coded settings read on the settings page (issue #9 part 5).
def _option_names():
    from jiandu.ballots.scales import DIMENSIONS, SCALES

    names = {option.code: option.label for scale in SCALES.values() for option in scale.options}
    names.update(dict(DIMENSIONS))
    return names


def _voter_groups(value):
    parts = [line.split("|") for line in value]
    return "、".join(f"{p[1]}（{p[2]}）" if len(p) == 3 else "|".join(p) for p in parts)


def _yellow_card_options(value):
    names = _option_names()
    return "、".join(str(names.get(code, code)) for code in value)


def _sanction_year_outcomes(value):
    from .hooks import measure_label  # the measures' names come from the app that records them

    outcomes = {"no_grade": _("no grade"), "incompetent": _("incompetent")}
    when = {"period": _("while its influence period runs"), "year": _("when decided in the year")}
    lines = []
    for line in value:
        measure, outcome, period = (line.split("|") + ["", "", ""])[:3]
        lines.append(f"{measure_label(measure)} → {outcomes.get(outcome, outcome)}（{when.get(period, period)}）")
    return "；".join(lines)


register_formatter("appraisals.voter_groups", _voter_groups)
register_formatter("appraisals.yellow_card_options", _yellow_card_options)
register_formatter("appraisals.sanction_year_outcomes", _sanction_year_outcomes)
