"""The shape of a ballot as each voter group sees it, loaded once and cached while it cannot change.

A group's ballot is the ordered list of (subject, question) items of the subjects it rates. A
definition is frozen once the ballot opens, so the structure of an open or closed ballot is cached
per process; a draft's is always read afresh.

Answers are sealed in a positional form: one symbol per item (the option's index within its
question, or "-" for a blank on paper), so every sealed ballot of a group has the same length.

Recommendation sections (Section.kind "recommendation") are items like any other — one per
candidate, whose only option is the mark, blank when not marked — plus the names written in,
sealed beside the positional form ("w": {section id: [names]}), and on paper the posts with more
names than allowed ("x": [section ids], their marks and names dropped: invalid for that post).
"""

import unicodedata
from collections import OrderedDict
from dataclasses import dataclass, field
from threading import Lock

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jiandu.core.errors import ActionError

from .models import Ballot, Option, Question, Section, Subject, VoterGroup

SYMBOLS = "0123456789abcdefghijklmnopqrstuvwxyz"
BLANK = "-"


@dataclass(frozen=True)
class Item:
    subject_id: int
    question_id: int
    option_ids: tuple[int, ...]


@dataclass
class GroupLayout:
    group_id: int
    items: list[Item]
    position: dict[tuple[int, int], int] = field(default_factory=dict)

    def __post_init__(self):
        self.position = {(item.subject_id, item.question_id): i for i, item in enumerate(self.items)}


@dataclass(frozen=True)
class Post:
    """A recommendation section: up to `max_choices` names from the candidates (their subject ids
    by normalised name) and `write_in_lines` lines for other names."""

    section_id: int
    label: str
    max_choices: int
    write_in_lines: int
    question_id: int
    option_id: int
    candidates: dict[str, int]


@dataclass
class Structure:
    ballot_id: int
    sections: list[Section]
    questions: dict[int, list[Question]]  # section id → questions
    options: dict[int, list[Option]]  # question id → options
    subjects: list[Subject]
    groups: list[VoterGroup]
    group_subjects: dict[int, list[int]]  # group id → subject ids in ballot order
    layouts: dict[int, GroupLayout]
    posts: dict[int, Post] = field(default_factory=dict)  # section id → recommendation section

    @property
    def subject_by_id(self) -> dict[int, Subject]:
        return {s.pk: s for s in self.subjects}

    @property
    def question_by_id(self) -> dict[int, Question]:
        return {q.pk: q for qs in self.questions.values() for q in qs}

    @property
    def option_by_id(self) -> dict[int, Option]:
        return {o.pk: o for os_ in self.options.values() for o in os_}

    @property
    def group_by_id(self) -> dict[int, VoterGroup]:
        return {g.pk: g for g in self.groups}

    def subject_questions(self, subject: Subject) -> list[Question]:
        return self.questions.get(subject.section_id, [])


_cache: "OrderedDict[tuple[int, str], Structure]" = OrderedDict()
_cache_lock = Lock()
_CACHE_SIZE = 64


def load(ballot: Ballot) -> Structure:
    # Keyed by the random public id too: a reused row id (a rolled-back test) never hits.
    key = (ballot.pk, str(ballot.public_id).replace("-", ""))
    if ballot.status != Ballot.Status.DRAFT:
        with _cache_lock:
            cached = _cache.get(key)
            if cached is not None:
                _cache.move_to_end(key)
                return cached
    structure = _build(ballot.pk)
    if ballot.status != Ballot.Status.DRAFT:
        with _cache_lock:
            _cache[key] = structure
            while len(_cache) > _CACHE_SIZE:
                _cache.popitem(last=False)
    return structure


def forget(ballot_id: int) -> None:
    with _cache_lock:
        for key in [k for k in _cache if k[0] == ballot_id]:
            del _cache[key]


def _build(ballot_id: int) -> Structure:
    sections = list(Section.objects.filter(ballot_id=ballot_id).order_by("order", "id"))
    questions: dict[int, list[Question]] = {s.pk: [] for s in sections}
    for q in Question.objects.filter(section__ballot_id=ballot_id).order_by("order", "id"):
        questions[q.section_id].append(q)
    options: dict[int, list[Option]] = {q.pk: [] for qs in questions.values() for q in qs}
    for o in Option.objects.filter(question__section__ballot_id=ballot_id).order_by("order", "id"):
        options[o.question_id].append(o)
    section_order = {s.pk: i for i, s in enumerate(sections)}
    subjects = sorted(Subject.objects.filter(ballot_id=ballot_id), key=lambda s: (section_order[s.section_id], s.order, s.pk))
    subject_rank = {s.pk: i for i, s in enumerate(subjects)}
    groups = list(VoterGroup.objects.filter(ballot_id=ballot_id).order_by("order", "id"))
    group_subjects: dict[int, list[int]] = {g.pk: [] for g in groups}
    for group_id, subject_id in VoterGroup.subjects.through.objects.filter(votergroup__ballot_id=ballot_id).values_list("votergroup_id", "subject_id"):
        group_subjects[group_id].append(subject_id)
    subject_by_id = {s.pk: s for s in subjects}
    layouts = {}
    for group_id, ids in group_subjects.items():
        ids.sort(key=subject_rank.__getitem__)
        items = [Item(subject_id, q.pk, tuple(o.pk for o in options[q.pk])) for subject_id in ids for q in questions[subject_by_id[subject_id].section_id]]
        layouts[group_id] = GroupLayout(group_id, items)
    posts = {}
    for section in sections:
        if section.is_recommendation and questions[section.pk] and options[questions[section.pk][0].pk]:
            question = questions[section.pk][0]
            posts[section.pk] = Post(
                section.pk,
                section.post or section.title,
                section.max_choices or 1,
                section.write_in_lines,
                question.pk,
                options[question.pk][0].pk,
                {normalise_name(s.label): s.pk for s in subjects if s.section_id == section.pk},
            )
    return Structure(ballot_id, sections, questions, options, subjects, groups, group_subjects, layouts, posts)


MAX_NAME = 40


def _cjk(text: str) -> bool:
    return all("\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff" or c == "·" for c in text)


def normalise_name(value) -> str:
    """A written-in name as counted: compatibility forms folded (full-width letters and spaces),
    trimmed, inner spaces collapsed — and dropped between Chinese characters, where they only pad
    a two-character name ("张　三" = "张三")."""
    parts = unicodedata.normalize("NFKC", str(value or "")).split()
    if parts and all(_cjk(p) for p in parts):
        return "".join(parts)
    return " ".join(parts)


def apply_recommendations(structure: Structure, group_id: int, chosen: list[int | None], written: dict, *, paper: bool) -> tuple[dict, list[int]]:
    """Check the recommendation sections of a validated ballot (`chosen`, changed in place) and
    the names written in, `written` {section id: [names as entered]}. A written name equal to a
    candidate's counts as that candidate's mark; a person named twice counts once. More names
    than allowed: refused online (ActionError, code too_many); on paper (`paper`) the post's marks
    and names are dropped and the post is returned as invalid. Returns ({section id as text:
    [names]}, [invalid section ids])."""
    layout = structure.layouts[group_id]
    for section_id in written:
        if section_id not in structure.posts:
            raise ActionError(_("The ballot contains a subject or question that is not on this ballot."), field="answers", code="foreign_subject")
    writes: dict[str, list[str]] = {}
    invalid: list[int] = []
    for section_id, post in structure.posts.items():
        positions = {layout.items[i].subject_id: i for i in range(len(layout.items)) if layout.items[i].question_id == post.question_id}
        raw = [v for v in (written.get(section_id) or []) if str(v or "").strip()]
        if not positions:
            if raw:
                raise ActionError(_("The ballot contains a subject or question that is not on this ballot."), field="answers", code="foreign_subject")
            continue
        if len(raw) > post.write_in_lines:
            raise ActionError(
                _("%(post)s: at most %(n)d other names can be written in.") % {"post": post.label, "n": post.write_in_lines}, field="answers", code="write_ins"
            )
        marked = {subject_id for subject_id, i in positions.items() if chosen[i] is not None}
        names: list[str] = []
        for value in raw:
            name = normalise_name(value)
            if len(name) > MAX_NAME:
                raise ActionError(_("A written-in name is longer than %(n)d characters.") % {"n": MAX_NAME}, field="answers", code="write_ins")
            subject_id = post.candidates.get(name)
            if subject_id in positions:
                marked.add(subject_id)
                chosen[positions[subject_id]] = post.option_id
            elif name not in names:
                names.append(name)
        given = len(marked) + len(names)
        if given > post.max_choices:
            if not paper:
                raise ActionError(
                    _("%(post)s: name at most %(n)d people; %(m)d are named. A ballot naming more is invalid for this post.")
                    % {"post": post.label, "n": post.max_choices, "m": given},
                    field="answers",
                    code="too_many",
                )
            for i in positions.values():
                chosen[i] = None
            invalid.append(section_id)
            continue
        if names:
            writes[str(section_id)] = sorted(names)
    return writes, invalid


def recommendation_items(structure: Structure) -> set[int]:
    """Question ids of the recommendation sections (their items may be left blank)."""
    return {post.question_id for post in structure.posts.values()}


class IncompleteBallot(ActionError):
    """Some questions are unanswered; `missing` lists their (subject id, question id)."""

    def __init__(self, message, missing):
        super().__init__(message, field="answers", code="incomplete")
        self.missing = missing


def validate(structure: Structure, group_id: int, answers: dict, *, allow_blank: bool = False) -> list[int | None]:
    """Check answers {(subject id, question id): option id or None} against the group's ballot and
    return the option id per item in layout order (None = blank). Raises ActionError naming the
    problem; nothing is stored by the caller when it does."""
    layout = structure.layouts.get(group_id)
    if layout is None:
        raise ActionError(_("This voter group is not part of the ballot."), field="group", code="foreign_group")
    chosen: list[int | None] = [None] * len(layout.items)
    for key, option_id in answers.items():
        position = layout.position.get(key)
        if position is None:
            raise ActionError(_("The ballot contains a subject or question that is not on this ballot."), field="answers", code="foreign_subject")
        if option_id is None:
            continue
        if option_id not in layout.items[position].option_ids:
            raise ActionError(_("An answer is not one of the options of its question."), field="answers", code="foreign_option")
        chosen[position] = option_id
    if not allow_blank:
        optional = recommendation_items(structure)
        missing = [
            (layout.items[i].subject_id, layout.items[i].question_id) for i, c in enumerate(chosen) if c is None and layout.items[i].question_id not in optional
        ]
        if missing:
            raise IncompleteBallot(
                ngettext(
                    "Please answer every question: %(n)d question is unanswered.", "Please answer every question: %(n)d questions are unanswered.", len(missing)
                )
                % {"n": len(missing)},
                missing,
            )
    return chosen


def encode(structure: Structure, group_id: int, chosen: list[int | None]) -> str:
    layout = structure.layouts[group_id]
    return "".join(BLANK if c is None else SYMBOLS[item.option_ids.index(c)] for item, c in zip(layout.items, chosen, strict=True))


def decode(structure: Structure, group_id: int, text: str) -> list[tuple[int, int, int | None]]:
    """(subject id, question id, option id or None) per item."""
    layout = structure.layouts[group_id]
    if len(text) != len(layout.items):
        raise ValueError("sealed answers do not match the ballot's layout")
    out = []
    for item, symbol in zip(layout.items, text, strict=True):
        out.append((item.subject_id, item.question_id, None if symbol == BLANK else item.option_ids[SYMBOLS.index(symbol)]))
    return out
