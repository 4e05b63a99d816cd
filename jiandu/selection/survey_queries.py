"""Reads of the yearly selection survey (一报告两评议): scoped by `selection.view` on the
organising unit; results from the ballot engine once the survey is closed.

满意率 = (满意 + 基本满意) ÷ valid votes and 认同率 = (认同 + 基本认同) ÷ valid votes; 不了解 is not a
valid vote. Counts are exact; each figure is shown with its section's places and rounding
(`rates.Display`, from the settings selection.survey_work_places / survey_appointee_places and
rates.rounding_mode), so that 131/133 reads 98.49 % and 132/133 reads 99.2 % in one report.
A newly appointed cadre is rated low when 不认同 ÷ valid votes reaches selection.survey_low_share."""

from dataclasses import dataclass
from fractions import Fraction

from jiandu.accounts import access
from jiandu.ballots import queries as ballot_queries
from jiandu.ballots.models import Ballot
from jiandu.core import rates
from jiandu.registry.models import Unit

from .survey_models import SelectionSurvey, SurveyAppointee

POSITIVE = {"work": ("satisfied", "basically_satisfied"), "appointee": ("agree", "basically_agree")}


def surveys_visible_to(user):
    if not getattr(user, "is_authenticated", False):
        return SelectionSurvey.objects.none()
    return SelectionSurvey.objects.filter(access.scope_q(user, "selection.view", "unit__path")).select_related("unit")


def organising_units(user):
    """Units on which the user may open a survey: the party committees where they manage
    selection (the standing committee reports), or else the highest such unit."""
    units = Unit.objects.filter(access.scope_q(user, "selection.manage", "path"))
    committees = units.filter(kind=Unit.Kind.PARTY_COMMITTEE).order_by("path")
    if committees.exists():
        return committees
    first = units.order_by("path").first()
    return units.filter(pk=first.pk) if first else units.none()


def get_survey_for(user, pk) -> SelectionSurvey:
    survey = surveys_visible_to(user).filter(pk=pk).first()
    if survey is None:
        raise access.NotVisible()
    return survey


def get_appointee_for(user, survey: SelectionSurvey, pk) -> SurveyAppointee:
    appointee = SurveyAppointee.objects.filter(survey=survey, pk=pk).select_related("cadre", "survey__unit").first()
    if appointee is None:
        raise access.NotVisible()
    return appointee


def ballot_of(survey: SelectionSurvey) -> Ballot | None:
    return Ballot.objects.filter(pk=survey.ballot_id).first()


@dataclass
class SurveyFigure:
    label: str
    note: str
    counts: list[tuple[str, int]]  # (option label, count) in the scale's order, 不了解 last
    valid: int
    ballots: int
    positive: int
    negative: int
    display: rates.Display

    @property
    def rate(self) -> Fraction | None:
        return rates.rate(self.positive, self.valid)

    @property
    def rate_text(self) -> str:
        return f"{self.display.share(self.rate)}（{self.positive}/{self.valid}）"

    @property
    def negative_share(self) -> Fraction | None:
        return rates.rate(self.negative, self.valid)

    @property
    def negative_text(self) -> str:
        return f"{self.display.share(self.negative_share)}（{self.negative}/{self.valid}）"


@dataclass
class AppointeeFigure:
    appointee: SurveyAppointee
    figure: SurveyFigure
    low: bool

    @property
    def figures(self) -> str:
        return f"认同率 {self.figure.rate_text}，不认同 {self.figure.negative_text}"


@dataclass
class SurveyResults:
    work: list[SurveyFigure]
    appointees: list[AppointeeFigure]
    work_rule: str
    appointee_rule: str
    threshold: Fraction
    total_ballots: int

    @property
    def low_rated(self) -> list[AppointeeFigure]:
        return [row for row in self.appointees if row.low]


def _figure(subject_result, display, positive_codes, negative_code) -> SurveyFigure:
    question = subject_result.questions[0]
    by_code = {o.option.code: o.count for o in question.options}
    return SurveyFigure(
        label=subject_result.subject.label,
        note=subject_result.subject.note,
        counts=[(o.option.label, o.count) for o in question.options],
        valid=question.valid,
        ballots=question.ballots,
        positive=sum(by_code.get(code, 0) for code in positive_codes),
        negative=by_code.get(negative_code, 0),
        display=display,
    )


def survey_results(survey: SelectionSurvey) -> SurveyResults | None:
    """The counted results, or None while the survey's ballot is not closed."""
    from .survey_actions import low_share

    ballot = ballot_of(survey)
    if ballot is None or not ballot.is_closed:
        return None
    result = ballot_queries.results(ballot)
    threshold = low_share()
    work_section = result.sections[0]
    work_display = work_section.display or rates.display()
    work = [_figure(s, work_display, POSITIVE["work"], "dissatisfied") for s in work_section.subjects]
    by_subject = {row.subject_id: row for row in survey.appointees.select_related("cadre")}
    appointees = []
    appointee_rule = ""
    if len(result.sections) > 1:
        section = result.sections[1]
        display = section.display or rates.display()
        appointee_rule = section.rule
        for s in section.subjects:
            row = by_subject.get(s.subject.pk)
            if row is None:
                continue
            figure = _figure(s, display, POSITIVE["appointee"], "disagree")
            appointees.append(AppointeeFigure(row, figure, rates.reaches(figure.negative_share, threshold)))
    return SurveyResults(work, appointees, work_section.rule, appointee_rule, threshold, result.total_ballots)
