"""Preset option scales and question sets.

Option labels are the printed wording of the ballot (data, in Chinese as the regulations word
them), not interface text; the preset names shown to officers are translated. Points come from the
local-practice settings at the moment a ballot is created and are copied into it, so a later
change of the setting never alters a ballot already defined.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from jiandu.core.practice import get_setting


@dataclass(frozen=True)
class PresetOption:
    code: str
    label: str
    is_valid_vote: bool = True


@dataclass(frozen=True)
class PresetScale:
    name: str
    title: object  # lazy translated name
    options: tuple[PresetOption, ...]
    points_setting: str


UNKNOWN = PresetOption("unknown", "不了解", is_valid_vote=False)

SCALES: dict[str, PresetScale] = {
    # Individual grades [R] (2019 考核条例) with the optional "don't know".
    "grade": PresetScale(
        "grade",
        _("Grades: 优秀/称职/基本称职/不称职/不了解"),
        (
            PresetOption("excellent", "优秀"),
            PresetOption("competent", "称职"),
            PresetOption("basically_competent", "基本称职"),
            PresetOption("incompetent", "不称职"),
            UNKNOWN,
        ),
        "ballots.points.grade",
    ),
    # Team grades [R?].
    "team_grade": PresetScale(
        "team_grade",
        _("Team grades: 优秀/良好/一般/较差/不了解"),
        (
            PresetOption("excellent", "优秀"),
            PresetOption("good", "良好"),
            PresetOption("fair", "一般"),
            PresetOption("poor", "较差"),
            UNKNOWN,
        ),
        "ballots.points.team_grade",
    ),
    "quality": PresetScale(
        "quality",
        _("Quality: 好/较好/一般/差"),
        (PresetOption("good", "好"), PresetOption("fairly_good", "较好"), PresetOption("fair", "一般"), PresetOption("poor", "差")),
        "ballots.points.quality",
    ),
    # 一报告两评议 (2010 办法).
    "satisfaction": PresetScale(
        "satisfaction",
        _("Satisfaction: 满意/基本满意/不满意/不了解"),
        (PresetOption("satisfied", "满意"), PresetOption("basically_satisfied", "基本满意"), PresetOption("dissatisfied", "不满意"), UNKNOWN),
        "ballots.points.satisfaction",
    ),
    "agreement": PresetScale(
        "agreement",
        _("Agreement: 认同/基本认同/不认同/不了解"),
        (PresetOption("agree", "认同"), PresetOption("basically_agree", "基本认同"), PresetOption("disagree", "不认同"), UNKNOWN),
        "ballots.points.agreement",
    ),
}


def scale_options(name: str) -> list[dict]:
    """The preset's options as spec dicts, with the points currently configured."""
    scale = SCALES[name]
    points = list(get_setting(scale.points_setting) or [])
    valid = [o for o in scale.options if o.is_valid_vote]
    options = []
    for option in scale.options:
        entry = {"code": option.code, "label": option.label, "valid": option.is_valid_vote, "points": None}
        if option.is_valid_vote:
            index = valid.index(option)
            entry["points"] = points[index] if index < len(points) else None
        options.append(entry)
    return options


# The five content dimensions 德 能 勤 绩 廉 [R] and the overall grade.
DIMENSIONS = (
    ("morality", "德"),
    ("ability", "能"),
    ("diligence", "勤"),
    ("results", "绩"),
    ("integrity", "廉"),
)
DIMENSION_CODES = tuple(code for code, _label in DIMENSIONS)


@dataclass(frozen=True)
class QuestionSet:
    name: str
    title: object
    questions: tuple[tuple[str, str, bool], ...]  # (code, label, is_overall)
    default_scale: str


QUESTION_SETS: dict[str, QuestionSet] = {
    "five_dimensions": QuestionSet(
        "five_dimensions",
        _("德 能 勤 绩 廉 and overall grade"),
        (*((code, label, False) for code, label in DIMENSIONS), ("overall", "总体评价", True)),
        "grade",
    ),
    "overall": QuestionSet("overall", _("Overall grade only"), (("overall", "总体评价", True),), "grade"),
    "team_overall": QuestionSet("team_overall", _("Overall team grade"), (("overall", "总体评价", True),), "team_grade"),
    "satisfaction": QuestionSet("satisfaction", _("Satisfaction only"), (("overall", "满意度", True),), "satisfaction"),
}


def question_set(name: str, scale: str | None = None) -> list[dict]:
    preset = QUESTION_SETS[name]
    scale = scale or preset.default_scale
    return [{"code": code, "label": label, "overall": overall, "scale": scale} for code, label, overall in preset.questions]


def scale_choices():
    return [(name, scale.title) for name, scale in SCALES.items()]


def question_set_choices():
    return [(name, preset.title) for name, preset in QUESTION_SETS.items()]
