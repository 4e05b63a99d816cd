"""The shape of a ballot as each voter group sees it, loaded once and cached while it cannot change.

A group's ballot is the ordered list of (subject, question) items of the subjects it rates. A
definition is frozen once the ballot opens, so the structure of an open or closed ballot is cached
per process; a draft's is always read afresh.

Answers are sealed in a positional form: one symbol per item (the option's index within its
question, or "-" for a blank on paper), so every sealed ballot of a group has the same length.
"""

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
    return Structure(ballot_id, sections, questions, options, subjects, groups, group_subjects, layouts)


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
        missing = [(layout.items[i].subject_id, layout.items[i].question_id) for i, c in enumerate(chosen) if c is None]
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
