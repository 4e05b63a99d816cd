"""Results of a closed ballot, computed from the stored tally with exact fractions.

Rates: share of an option = its count ÷ valid votes (options marked "not a valid vote", such as
不了解, are counted but left out of the denominator); cumulative share = this option and every
option listed before it (so for 优秀/称职/… the cumulative share of 称职 is the 称职率 of DOMAIN.md
§4, (优秀 + 称职) ÷ valid). Weighted score of a question = Σ group weight × the group's average
points ÷ Σ weights of the groups that gave valid votes. A subject's score is its overall question's
score, or the mean of its question scores when no question is marked overall; subjects are ranked
within their section by that score (equal scores share a rank).

Recommendation sections (推荐, "name up to N people for this post"): per person — candidate or
name written in — the votes and the share of the post's valid ballots (ballots of the groups that
vote on it minus those invalid for it, 废票); candidates first in list order, then written-in
names, each part by votes. A candidate's votes are the tally of its one option.

Disclosure control: a voter group with fewer counted ballots than the minimum group size (setting
`ballots.min_group_size`, snapshotted on close) is not broken down; when the hidden groups
together still fall short of the minimum, the next smallest groups are hidden too, so that pooled
totals minus the visible groups never reveal a small group.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.utils.translation import gettext as _

from jiandu.core import rates
from jiandu.core.errors import ActionError
from jiandu.core.practice import get_setting

from . import structure
from .models import Ballot, GroupTally, Option, PostTally, Question, Section, Subject, TallyCount, VoterGroup, WriteInCount
from .scales import DIMENSION_CODES


@dataclass
class OptionResult:
    option: Option
    count: int
    share: Fraction | None = None
    cumulative: Fraction | None = None


@dataclass
class GroupRow:
    group: VoterGroup
    hidden: bool
    ballots: int
    options: list[OptionResult] = field(default_factory=list)
    valid: int = 0
    invalid: int = 0
    blank: int = 0
    score: Fraction | None = None


@dataclass
class QuestionResult:
    question: Question
    options: list[OptionResult]
    valid: int
    invalid: int
    blank: int
    ballots: int
    score: Fraction | None
    groups: list[GroupRow]
    rounding_note: str = ""  # why the shown shares do not add up to 100 % (rates.Display.sum_note)

    def option(self, code: str) -> OptionResult:
        for result in self.options:
            if result.option.code == code:
                return result
        raise KeyError(code)


@dataclass
class SubjectResult:
    subject: Subject
    questions: list[QuestionResult]
    ballots: int
    score: Fraction | None = None
    rank: int | None = None

    def question(self, code: str) -> QuestionResult:
        for result in self.questions:
            if result.question.code == code:
                return result
        raise KeyError(code)


@dataclass
class PersonResult:
    """One person named on a recommendation section: a candidate (subject) or a written-in name."""

    name: str
    votes: int
    share: Fraction | None
    subject: Subject | None = None
    by_group: dict[int, int] = field(default_factory=dict)  # group id → votes (visible groups only)

    @property
    def written_in(self) -> bool:
        return self.subject is None


@dataclass
class PostGroupRow:
    group: VoterGroup
    hidden: bool
    ballots: int
    invalid: int | None = None
    votes: list[tuple[str, int]] = field(default_factory=list)  # (name, votes) of the people this group named

    @property
    def valid(self) -> int | None:
        return None if self.hidden or self.invalid is None else self.ballots - self.invalid


@dataclass
class RecommendationResult:
    post: str
    max_choices: int
    ballots: int
    invalid: int
    people: list[PersonResult]
    groups: list[PostGroupRow]

    @property
    def valid(self) -> int:
        return self.ballots - self.invalid

    def person(self, name: str) -> PersonResult:
        for result in self.people:
            if result.name == name:
                return result
        raise KeyError(name)


@dataclass
class SectionResult:
    section: Section
    questions: list[Question]
    subjects: list[SubjectResult]
    display: rates.Display | None = None  # places and rounding of this section's rates
    recommendation: RecommendationResult | None = None

    @property
    def rule(self) -> str:
        return self.display.rule() if self.display else ""

    @property
    def has_dimensions(self) -> bool:
        codes = {q.code for q in self.questions}
        return all(code in codes for code in DIMENSION_CODES)


@dataclass
class GroupSummary:
    group: VoterGroup
    ballots: int
    online: int
    paper: int
    codes_issued: int
    codes_used: int
    hidden: bool

    @property
    def turnout(self) -> Fraction | None:
        return rates.rate(self.ballots, self.group.headcount)


@dataclass
class BallotResults:
    ballot: Ballot
    sections: list[SectionResult]
    groups: list[GroupSummary]
    min_group_size: int
    total_ballots: int
    display: rates.Display | None = None  # the ballot's own places and rounding

    def subject(self, subject) -> SubjectResult:
        subject_id = getattr(subject, "pk", subject)
        for section in self.sections:
            for result in section.subjects:
                if result.subject.pk == subject_id:
                    return result
        raise KeyError(subject_id)

    @property
    def hidden_groups(self) -> list[GroupSummary]:
        return [g for g in self.groups if g.hidden]


def hidden_groups(sizes: dict[int, int], minimum: int) -> set[int]:
    """Group ids whose breakdown must be hidden: primary (0 < n < minimum) plus complementary
    suppression until the hidden groups together hold at least `minimum` ballots."""
    hidden = {g for g, n in sizes.items() if 0 < n < minimum}
    if not hidden:
        return hidden
    visible = sorted((n, g) for g, n in sizes.items() if g not in hidden and n > 0)
    while sum(sizes[g] for g in hidden) < minimum and visible:
        hidden.add(visible.pop(0)[1])
    return hidden


def _options_result(options: list[Option], counts: dict[int, int]) -> tuple[list[OptionResult], int, int]:
    valid = sum(counts.get(o.pk, 0) for o in options if o.is_valid_vote)
    invalid = sum(counts.get(o.pk, 0) for o in options if not o.is_valid_vote)
    results = []
    running = 0
    for o in options:
        n = counts.get(o.pk, 0)
        result = OptionResult(o, n)
        if o.is_valid_vote:
            running += n
            result.share = rates.rate(n, valid)
            result.cumulative = rates.rate(running, valid)
        results.append(result)
    return results, valid, invalid


def average_points(options: list[Option], counts: dict[int, int]) -> Fraction | None:
    valid_options = [o for o in options if o.is_valid_vote]
    if any(o.points is None for o in valid_options):
        return None
    valid = sum(counts.get(o.pk, 0) for o in valid_options)
    if not valid:
        return None
    return sum((Fraction(o.points) * counts.get(o.pk, 0) for o in valid_options), Fraction(0)) / valid


def weighted_score(options: list[Option], by_group: list[tuple[VoterGroup, dict[int, int]]]) -> Fraction | None:
    if any(o.points is None for o in options if o.is_valid_vote):
        return None
    total_weight = Fraction(0)
    total = Fraction(0)
    for group, counts in by_group:
        average = average_points(options, counts)
        if average is None:  # the group gave no valid vote on this question
            continue
        weight = Fraction(group.weight)
        total += weight * average
        total_weight += weight
    return total / total_weight if total_weight else None


def rank(subjects: list[SubjectResult]) -> None:
    """Competition ranking (1, 1, 3) by score, highest first; subjects without a score unranked."""
    scored = sorted((s for s in subjects if s.score is not None), key=lambda s: s.score, reverse=True)
    previous = None
    for position, result in enumerate(scored, start=1):
        if previous is not None and result.score == previous.score:
            result.rank = previous.rank
        else:
            result.rank = position
        previous = result


def build(ballot: Ballot) -> BallotResults:
    """The results of a closed ballot (ActionError while it is not closed)."""
    if not ballot.results_visible:
        raise ActionError(_("Results are hidden until the ballot is closed."), code="hidden")
    shape = structure.load(ballot)
    minimum = ballot.min_group_size if ballot.min_group_size is not None else int(get_setting("ballots.min_group_size"))
    tallies = {t.group_id: t for t in GroupTally.objects.filter(ballot=ballot)}
    sizes = {g.pk: (tallies[g.pk].ballots if g.pk in tallies else 0) for g in shape.groups}
    hidden = hidden_groups(sizes, minimum)
    cells: dict[tuple[int, int], dict[int, int]] = {}
    for subject_id, group_id, option_id, n in TallyCount.objects.filter(ballot=ballot).values_list("subject_id", "group_id", "option_id", "count"):
        cells.setdefault((subject_id, group_id), {})[option_id] = n
    group_by_id = shape.group_by_id
    raters: dict[int, list[int]] = {}
    for group_id, subject_ids in shape.group_subjects.items():
        for subject_id in subject_ids:
            raters.setdefault(subject_id, []).append(group_id)
    # Places and rounding: the section's, else the ballot's, else the rates.* settings. Read fresh:
    # they are display properties that may change after the ballot opened (the shape is cached).
    ballot_display = rates.display(ballot.rate_places, ballot.rate_rounding)
    section_display = {
        pk: rates.Display(ballot_display.places if places is None else places, rounding or ballot_display.mode)
        for pk, places, rounding in Section.objects.filter(ballot=ballot).values_list("pk", "rate_places", "rate_rounding")
    }
    sections = []
    for section in shape.sections:
        questions = shape.questions[section.pk]
        shown = section_display.get(section.pk, ballot_display)
        if section.pk in shape.posts:
            sections.append(SectionResult(section, questions, [], shown, _recommendation(ballot, shape, section, cells, sizes, hidden)))
            continue
        subject_results = []
        for subject in (s for s in shape.subjects if s.section_id == section.pk):
            group_ids = raters.get(subject.pk, [])
            ballots = sum(sizes[g] for g in group_ids)
            question_results = []
            for question in questions:
                options = shape.options[question.pk]
                option_ids = {o.pk for o in options}
                pooled: dict[int, int] = {}
                group_rows = []
                by_group = []
                for group_id in group_ids:
                    counts = {o: n for o, n in cells.get((subject.pk, group_id), {}).items() if o in option_ids}
                    for o, n in counts.items():
                        pooled[o] = pooled.get(o, 0) + n
                    group = group_by_id[group_id]
                    by_group.append((group, counts))
                    row = GroupRow(group, group_id in hidden, sizes[group_id])
                    if not row.hidden:
                        row.options, row.valid, row.invalid = _options_result(options, counts)
                        row.blank = sizes[group_id] - row.valid - row.invalid
                        row.score = weighted_score(options, [(group, counts)])
                    group_rows.append(row)
                option_results, valid, invalid = _options_result(options, pooled)
                question_results.append(
                    QuestionResult(
                        question,
                        option_results,
                        valid,
                        invalid,
                        ballots - valid - invalid,
                        ballots,
                        weighted_score(options, by_group),
                        group_rows,
                        shown.sum_note([o.share for o in option_results if o.option.is_valid_vote]),
                    )
                )
            result = SubjectResult(subject, question_results, ballots)
            overall = [r for r in question_results if r.question.is_overall]
            if overall:
                result.score = overall[0].score
            elif question_results and all(r.score is not None for r in question_results):
                result.score = sum((r.score for r in question_results), Fraction(0)) / len(question_results)
            subject_results.append(result)
        rank(subject_results)
        sections.append(SectionResult(section, questions, subject_results, shown))
    summaries = []
    for group in shape.groups:
        t = tallies.get(group.pk)
        summaries.append(
            GroupSummary(
                group,
                sizes[group.pk],
                t.online if t else 0,
                t.paper if t else 0,
                t.codes_issued if t else 0,
                t.codes_used if t else 0,
                group.pk in hidden,
            )
        )
    return BallotResults(ballot, sections, summaries, minimum, sum(sizes.values()), ballot_display)


def _recommendation(ballot, shape, section, cells, sizes, hidden) -> RecommendationResult:
    post = shape.posts[section.pk]
    invalid_by_group = dict(PostTally.objects.filter(ballot=ballot, section=section).values_list("group_id", "invalid"))
    group_ids = [g.pk for g in shape.groups if g.pk in invalid_by_group]
    ballots = sum(sizes[g] for g in group_ids)
    invalid = sum(invalid_by_group.values())
    valid = ballots - invalid
    people = []
    for subject in (s for s in shape.subjects if s.section_id == section.pk):
        by_group = {g: cells.get((subject.pk, g), {}).get(post.option_id, 0) for g in group_ids}
        votes = sum(by_group.values())
        people.append(PersonResult(subject.label, votes, rates.rate(votes, valid), subject, {g: n for g, n in by_group.items() if g not in hidden}))
    people.sort(key=lambda p: -p.votes)  # stable: equal votes keep the list order
    written: dict[str, dict[int, int]] = {}
    for group_id, name, n in WriteInCount.objects.filter(ballot=ballot, section=section).values_list("group_id", "name", "count"):
        written.setdefault(name, {})[group_id] = n
    others = [
        PersonResult(name, sum(counts.values()), rates.rate(sum(counts.values()), valid), None, {g: n for g, n in counts.items() if g not in hidden})
        for name, counts in written.items()
    ]
    others.sort(key=lambda p: (-p.votes, p.name))
    people += others
    groups = [
        PostGroupRow(
            shape.group_by_id[g],
            g in hidden,
            sizes[g],
            None if g in hidden else invalid_by_group[g],
            [] if g in hidden else [(p.name, p.by_group[g]) for p in people if p.by_group.get(g)],
        )
        for g in group_ids
    ]
    return RecommendationResult(post.label, post.max_choices, ballots, invalid, people, groups)


def format_score(value: Fraction | None, places: int | None = None, mode: str | None = None) -> str:
    """A score for display, rounded like rates (core `rates.*` settings unless given)."""
    if isinstance(places, rates.Display):
        return places.score(value)
    if value is None:
        return "—"
    places = get_setting("rates.display_places") if places is None else places
    mode = get_setting("rates.rounding_mode") if mode is None else mode
    return str(rates.percent(value / 100, places, mode))


def format_share(value: Fraction | None, places: int | None = None, mode: str | None = None) -> str:
    """A share for display; `places` may be a rates.Display (a ballot's or section's own)."""
    if isinstance(places, rates.Display):
        return places.share(value)
    if value is None:
        return "—"
    places = get_setting("rates.display_places") if places is None else places
    mode = get_setting("rates.rounding_mode") if mode is None else mode
    return f"{rates.percent(value, places, mode)}%"


def as_float(value: Fraction | None, places: int = 4) -> float | None:
    """For charts only (never for thresholds)."""
    return None if value is None else float(round(Decimal(value.numerator) / Decimal(value.denominator), places))
