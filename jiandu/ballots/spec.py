"""Ballot specifications: the plain data (dict / JSON) from which other apps, the API and the
officer's form create a ballot definition. `parse` checks everything and names the problem with a
path ("sections[1].questions[0].scale") so that nothing is stored half-way.

    {
      "title": "2026年度区财政局领导班子和领导干部民主测评",
      "description": "…", "opens_at": "2026-12-20T09:00+08:00", "closes_at": None,
      "double_entry": "two_passes",
      "sections": [
        {"title": "领导班子", "questions": "team_overall",
         "subjects": [{"key": "team", "kind": "team", "label": "区财政局领导班子"}]},
        {"title": "班子成员", "questions": "five_dimensions",          # or a list, see below
         "subjects": [{"key": "c12", "kind": "cadre", "label": "张伟明", "note": "局长",
                       "ref": {"app": "registry", "model": "cadre", "pk": 12}, "report_text": "…"}]},
      ],
      "groups": [
        {"code": "leaders", "name": "区领导", "weight": "0.3", "headcount": 6, "rates": "all"},
        {"code": "staff", "name": "本单位干部职工", "weight": "0.7", "headcount": 40,
         "rates": ["section:班子成员", "team"]},
      ],
    }

A question list item: {"code": "overall", "label": "总体评价", "overall": true, "scale": "grade"}
where "scale" is a preset name (scales.SCALES) or {"options": [{"code", "label", "valid", "points"}]}.

A recommendation section (民主推荐: "name up to N people for this post") has no questions:

        {"title": "区教育局局长", "kind": "recommendation", "post": "区教育局局长",
         "max_choices": 1, "write_ins": 1,
         "subjects": [{"key": "c7", "kind": "cadre", "label": "李华", "note": "区教育局副局长"}]}

Its subjects are the candidate list; "write_ins" is the number of lines for other names (0–10);
the one question "推荐" with its one option (the mark) is made here.
"""

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from jiandu.core.errors import ActionError

from . import scales
from .models import Ballot, Subject

MAX_SECTIONS = 20
MAX_QUESTIONS = 20
MAX_OPTIONS = 20
MAX_SUBJECTS = 500
MAX_GROUPS = 30
MAX_HEADCOUNT = 100_000
CODE_RE = re.compile(r"^[a-z0-9_]{1,40}$")
MAX_WRITE_INS = 10
MAX_CHOICES = 100
RECOMMEND_QUESTION = "recommend"
RECOMMEND_OPTION = "yes"


@dataclass
class OptionSpec:
    code: str
    label: str
    is_valid_vote: bool
    points: Decimal | None


@dataclass
class QuestionSpec:
    code: str
    label: str
    is_overall: bool
    scale: str
    options: list[OptionSpec]


@dataclass
class SubjectSpec:
    key: str
    kind: str
    label: str
    note: str = ""
    ref_app: str = ""
    ref_model: str = ""
    ref_pk: str = ""
    report_text: str = ""


@dataclass
class SectionSpec:
    title: str
    questions: list[QuestionSpec]
    subjects: list[SubjectSpec]
    rate_places: int | None = None
    rate_rounding: str = ""
    kind: str = "rating"
    post: str = ""
    max_choices: int | None = None
    write_in_lines: int = 0


@dataclass
class GroupSpec:
    code: str
    name: str
    weight: Decimal
    headcount: int
    rates: list[str]  # subject keys


@dataclass
class BallotSpec:
    title: str
    description: str
    opens_at: dt.datetime | None
    closes_at: dt.datetime | None
    double_entry: str
    sections: list[SectionSpec]
    groups: list[GroupSpec] = field(default_factory=list)
    rate_places: int | None = None
    rate_rounding: str = ""


def _fail(message, path):
    raise ActionError(message, field=path)


def _text(value, path, *, required=True, max_length=200) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        _fail(_("%(path)s must be text.") % {"path": path}, path)
    value = value.strip()
    if required and not value:
        _fail(_("%(path)s is required.") % {"path": path}, path)
    if len(value) > max_length:
        _fail(_("%(path)s is longer than %(n)d characters.") % {"path": path, "n": max_length}, path)
    return value


def _list(value, path, *, minimum=1, maximum=100) -> list:
    if not isinstance(value, list | tuple):
        _fail(_("%(path)s must be a list.") % {"path": path}, path)
    if len(value) < minimum:
        _fail(_("%(path)s needs at least %(n)d entries.") % {"path": path, "n": minimum}, path)
    if len(value) > maximum:
        _fail(_("%(path)s has more than %(n)d entries.") % {"path": path, "n": maximum}, path)
    return list(value)


def _dict(value, path) -> dict:
    if not isinstance(value, dict):
        _fail(_("%(path)s must be an object.") % {"path": path}, path)
    return value


def _code(value, path) -> str:
    value = _text(value, path, max_length=40)
    if not CODE_RE.match(value):
        _fail(_("%(path)s may contain only lower-case letters, digits and underscores.") % {"path": path}, path)
    return value


def _decimal(value, path, *, positive=False) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        _fail(_("%(path)s must be a number.") % {"path": path}, path)
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        _fail(_("%(path)s must be a number.") % {"path": path}, path)
    if not number.is_finite() or abs(number) >= 10000 or number.as_tuple().exponent < -3:
        _fail(_("%(path)s must be a number below 10000 with at most 3 decimals.") % {"path": path}, path)
    if positive and number <= 0:
        _fail(_("%(path)s must be greater than zero.") % {"path": path}, path)
    return number


def _datetime(value, path) -> dt.datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, str):
        parsed = parse_datetime(value.strip())
        if parsed is None:
            _fail(_("%(path)s is not a date and time.") % {"path": path}, path)
        value = parsed
    if not isinstance(value, dt.datetime):
        _fail(_("%(path)s is not a date and time.") % {"path": path}, path)
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def parse_window(opens_at, closes_at) -> tuple[dt.datetime | None, dt.datetime | None]:
    opens_at = _datetime(opens_at, "opens_at")
    closes_at = _datetime(closes_at, "closes_at")
    if opens_at and closes_at and closes_at <= opens_at:
        _fail(_("Voting must close after it opens."), "closes_at")
    return opens_at, closes_at


def _options(value, path) -> list[OptionSpec]:
    if isinstance(value, str):
        if value not in scales.SCALES:
            _fail(_("%(path)s: unknown scale %(name)s.") % {"path": path, "name": value}, path)
        value = scales.scale_options(value)
    elif isinstance(value, dict):
        value = value.get("options")
    options = []
    seen = set()
    for i, raw in enumerate(_list(value, f"{path}.options", minimum=2, maximum=MAX_OPTIONS)):
        opath = f"{path}.options[{i}]"
        raw = _dict(raw, opath)
        code = _code(raw.get("code"), f"{opath}.code")
        if code in seen:
            _fail(_("%(path)s: the option code %(code)s is used twice.") % {"path": opath, "code": code}, opath)
        seen.add(code)
        valid = raw.get("valid", True)
        if not isinstance(valid, bool):
            _fail(_("%(path)s must be true or false.") % {"path": f"{opath}.valid"}, f"{opath}.valid")
        options.append(OptionSpec(code, _text(raw.get("label"), f"{opath}.label", max_length=100), valid, _decimal(raw.get("points"), f"{opath}.points")))
    if not any(o.is_valid_vote for o in options):
        _fail(_("%(path)s: at least one option must count as a valid vote.") % {"path": path}, path)
    return options


def _questions(value, section_scale, path) -> list[QuestionSpec]:
    if isinstance(value, str):
        if value not in scales.QUESTION_SETS:
            _fail(_("%(path)s: unknown question set %(name)s.") % {"path": path, "name": value}, path)
        value = scales.question_set(value, section_scale)
    questions = []
    seen = set()
    for i, raw in enumerate(_list(value, path, maximum=MAX_QUESTIONS)):
        qpath = f"{path}[{i}]"
        raw = _dict(raw, qpath)
        code = _code(raw.get("code"), f"{qpath}.code")
        if code in seen:
            _fail(_("%(path)s: the question code %(code)s is used twice.") % {"path": qpath, "code": code}, qpath)
        seen.add(code)
        scale = raw.get("scale", section_scale)
        if scale is None:
            _fail(_("%(path)s needs a scale.") % {"path": qpath}, f"{qpath}.scale")
        overall = raw.get("overall", False)
        if not isinstance(overall, bool):
            _fail(_("%(path)s must be true or false.") % {"path": f"{qpath}.overall"}, f"{qpath}.overall")
        questions.append(
            QuestionSpec(
                code=code,
                label=_text(raw.get("label"), f"{qpath}.label"),
                is_overall=overall,
                scale=scale if isinstance(scale, str) else "",
                options=_options(scale, f"{qpath}.scale"),
            )
        )
    if sum(q.is_overall for q in questions) > 1:
        _fail(_("%(path)s: only one question can be the overall one.") % {"path": path}, path)
    return questions


def _subjects(value, path, section_index, keys: set) -> list[SubjectSpec]:
    subjects = []
    for j, raw in enumerate(_list(value, path, maximum=MAX_SUBJECTS)):
        spath = f"{path}[{j}]"
        raw = _dict(raw, spath)
        key = raw.get("key")
        key = _text(key, f"{spath}.key", max_length=100) if key not in (None, "") else f"s{section_index + 1}.{j + 1}"
        if key in keys:
            _fail(_("%(path)s: the subject key %(key)s is used twice.") % {"path": spath, "key": key}, f"{spath}.key")
        keys.add(key)
        kind = raw.get("kind", Subject.Kind.ITEM)
        if kind not in Subject.Kind.values:
            _fail(_("%(path)s: unknown subject kind %(kind)s.") % {"path": spath, "kind": kind}, f"{spath}.kind")
        subject = SubjectSpec(
            key=key,
            kind=kind,
            label=_text(raw.get("label"), f"{spath}.label"),
            note=_text(raw.get("note"), f"{spath}.note", required=False),
            report_text=_text(raw.get("report_text"), f"{spath}.report_text", required=False, max_length=20000),
        )
        ref = raw.get("ref")
        if ref:
            ref = _dict(ref, f"{spath}.ref")
            subject.ref_app = _text(ref.get("app"), f"{spath}.ref.app", max_length=50)
            subject.ref_model = _text(ref.get("model"), f"{spath}.ref.model", max_length=50)
            subject.ref_pk = _text(str(ref.get("pk", "")), f"{spath}.ref.pk", max_length=64)
        subjects.append(subject)
    return subjects


def _rates(value, path, sections: list[SectionSpec]) -> list[str]:
    all_keys = [s.key for section in sections for s in section.subjects]
    if value in (None, "all"):
        return all_keys
    keys = []
    for i, entry in enumerate(_list(value, path, maximum=MAX_SUBJECTS)):
        entry = _text(entry, f"{path}[{i}]")
        if entry.startswith("section:"):
            name = entry.removeprefix("section:")
            matched = [s for k, s in enumerate(sections) if s.title == name or str(k + 1) == name]
            if not matched:
                _fail(_("%(path)s: no section %(name)s.") % {"path": f"{path}[{i}]", "name": name}, f"{path}[{i}]")
            keys.extend(s.key for s in matched[0].subjects)
        elif entry in all_keys:
            keys.append(entry)
        else:
            _fail(_("%(path)s: no subject with key %(key)s.") % {"path": f"{path}[{i}]", "key": entry}, f"{path}[{i}]")
    return list(dict.fromkeys(keys))


def _whole(value, path, low, high) -> int:
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        _fail(_("%(path)s must be a whole number from %(low)d to %(high)d.") % {"path": path, "low": low, "high": high}, path)
    return value


def recommendation_questions() -> list[QuestionSpec]:
    """The one question of a recommendation section: a candidate is marked (推荐) or left blank."""
    return [QuestionSpec(RECOMMEND_QUESTION, "推荐", False, "", [OptionSpec(RECOMMEND_OPTION, "推荐", True, None)])]


def _recommendation_section(raw, title, path, index, keys, places, rounding) -> SectionSpec:
    if raw.get("questions") not in (None, "", []):
        _fail(_("%(path)s: a recommendation section has no questions of its own.") % {"path": path}, f"{path}.questions")
    subjects = _subjects(raw.get("subjects"), f"{path}.subjects", index, keys)
    labels = [s.label for s in subjects]
    if len(set(labels)) != len(labels):
        _fail(_("%(path)s: two candidates have the same name; add what tells them apart to the name.") % {"path": path}, f"{path}.subjects")
    write_ins = _whole(raw.get("write_ins", 0), f"{path}.write_ins", 0, MAX_WRITE_INS)
    max_choices = _whole(raw.get("max_choices"), f"{path}.max_choices", 1, MAX_CHOICES)
    if max_choices > len(subjects) + write_ins:
        _fail(
            _("%(path)s: up to %(n)d names cannot be given with %(m)d candidates and %(w)d lines for other names.")
            % {"path": path, "n": max_choices, "m": len(subjects), "w": write_ins},
            f"{path}.max_choices",
        )
    return SectionSpec(
        title,
        recommendation_questions(),
        subjects,
        places,
        rounding,
        kind="recommendation",
        post=_text(raw.get("post") or title, f"{path}.post"),
        max_choices=max_choices,
        write_in_lines=write_ins,
    )


def rate_display(places, rounding, path: str = "") -> tuple[int | None, str]:
    """Validate how rates are shown: decimal places 0–4 (None = inherit) and a rounding mode
    ("" = inherit); the field names of `path` prefix the messages."""
    from jiandu.core import rates

    prefix = f"{path}." if path else ""
    if places in (None, ""):
        places = None
    else:
        if isinstance(places, str) and places.strip().isdigit():
            places = int(places)
        if not isinstance(places, int) or isinstance(places, bool) or not 0 <= places <= rates.MAX_PLACES:
            _fail(_("The decimal places of rates must be a whole number from 0 to %(n)d.") % {"n": rates.MAX_PLACES}, f"{prefix}rate_places")
    rounding = rounding or ""
    if rounding and rounding not in rates.ROUNDING_MODES:
        _fail(_("Unknown rounding of rates: choose round down, round half up, GB/T 8170 or round up."), f"{prefix}rate_rounding")
    return places, rounding


def parse(spec) -> BallotSpec:
    """Validate a specification and return it normalised, or raise ActionError."""
    spec = _dict(spec, "spec")
    double_entry = spec.get("double_entry", Ballot.DoubleEntry.TWO_PASSES)
    if double_entry not in Ballot.DoubleEntry.values:
        _fail(_("Unknown paper entry mode."), "double_entry")
    opens_at, closes_at = parse_window(spec.get("opens_at"), spec.get("closes_at"))
    keys: set = set()
    sections = []
    for i, raw in enumerate(_list(spec.get("sections"), "sections", maximum=MAX_SECTIONS)):
        path = f"sections[{i}]"
        raw = _dict(raw, path)
        title = _text(raw.get("title"), f"{path}.title")
        if any(s.title == title for s in sections):
            _fail(_("%(path)s: two sections are called %(title)s.") % {"path": path, "title": title}, f"{path}.title")
        scale = raw.get("scale")
        places, rounding = rate_display(raw.get("rate_places"), raw.get("rate_rounding"), path)
        kind = raw.get("kind", "rating")
        if kind not in ("rating", "recommendation"):
            _fail(_("%(path)s: unknown section kind %(kind)s.") % {"path": path, "kind": kind}, f"{path}.kind")
        if kind == "recommendation":
            sections.append(_recommendation_section(raw, title, path, i, keys, places, rounding))
            continue
        sections.append(
            SectionSpec(
                title,
                _questions(raw.get("questions"), scale, f"{path}.questions"),
                _subjects(raw.get("subjects"), f"{path}.subjects", i, keys),
                places,
                rounding,
            )
        )
    if len(keys) > MAX_SUBJECTS:
        _fail(_("A ballot can have at most %(n)d subjects.") % {"n": MAX_SUBJECTS}, "sections")
    groups = []
    codes = set()
    for i, raw in enumerate(_list(spec.get("groups"), "groups", maximum=MAX_GROUPS)):
        path = f"groups[{i}]"
        raw = _dict(raw, path)
        code = raw.get("code")
        code = _code(code, f"{path}.code") if code not in (None, "") else f"g{i + 1}"
        if code in codes:
            _fail(_("%(path)s: the group code %(code)s is used twice.") % {"path": path, "code": code}, f"{path}.code")
        codes.add(code)
        headcount = raw.get("headcount")
        if isinstance(headcount, str) and headcount.strip().isdigit():
            headcount = int(headcount)
        if not isinstance(headcount, int) or isinstance(headcount, bool) or not 1 <= headcount <= MAX_HEADCOUNT:
            _fail(_("%(path)s: the headcount must be a whole number from 1 to %(n)d.") % {"path": path, "n": MAX_HEADCOUNT}, f"{path}.headcount")
        weight = _decimal(raw.get("weight", 1), f"{path}.weight", positive=True)
        if weight is None:
            _fail(_("%(path)s must be greater than zero.") % {"path": f"{path}.weight"}, f"{path}.weight")
        groups.append(
            GroupSpec(code, _text(raw.get("name"), f"{path}.name", max_length=100), weight, headcount, _rates(raw.get("rates"), f"{path}.rates", sections))
        )
    names = [g.name for g in groups]
    if len(set(names)) != len(names):
        _fail(_("Two voter groups have the same name."), "groups")
    places, rounding = rate_display(spec.get("rate_places"), spec.get("rate_rounding"))
    return BallotSpec(
        rate_places=places,
        rate_rounding=rounding,
        title=_text(spec.get("title"), "title"),
        description=_text(spec.get("description"), "description", required=False, max_length=5000),
        opens_at=opens_at,
        closes_at=closes_at,
        double_entry=double_entry,
        sections=sections,
        groups=groups,
    )
