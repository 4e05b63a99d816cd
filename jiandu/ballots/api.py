"""Ballots JSON API (mounted under /api/v1/ballots/ by the core API glue).

Same doors as the pages: reads through queries (scoped; not visible = 404), writes through
actions. The glue authenticates (request.user is the caller, token or session), turns
ActionError into 400 `{code, message, field}`, NotVisible into 404 and bad input into 422, and
documents those answers on every operation. Rates are exact fractions "n/d" beside display
strings; voting itself happens only on the voting pages (/vote/), never through the API.
"""

import datetime as dt
import uuid
from typing import Literal

from django.http import HttpResponse
from ninja import Field, Query, Router, Schema

from jiandu.accounts import access
from jiandu.core.api import Error, Id, InputSchema, Page, PageQuery, paginate

from . import actions, forms, queries, structure
from .actions.codes import MAX_BATCH
from .models import Ballot, Section, Subject
from .results import format_score, format_share

router = Router(tags=["ballots"])

BallotStatus = Literal[tuple(Ballot.Status.values)]
DoubleEntry = Literal[tuple(Ballot.DoubleEntry.values)]
SubjectKind = Literal[tuple(Subject.Kind.values)]
VotingState = Literal["not_open", "open", "ended", "closed"]
SectionKind = Literal[tuple(Section.Kind.values)]

HIDDEN_RESULTS = {400: Error}  # results of a ballot that is not closed yet: 400, code "hidden"


# --- schemas -------------------------------------------------------------------------------


class BallotOut(Schema):
    id: int
    public_id: uuid.UUID
    title: str
    status: BallotStatus
    unit_id: int
    unit_name: str
    opens_at: dt.datetime | None
    closes_at: dt.datetime | None
    voting_state: VotingState = Field(description="not_open, open, ended (window passed, not yet closed) or closed")


class BallotFilters(PageQuery):
    status: BallotStatus | None = None


class BallotCreateIn(InputSchema):
    unit_id: Id = Field(description="the organising unit (one you manage ballots for)")
    spec: dict = Field(description="the ballot's definition: title, sections (questions, subjects), groups — as the page's JSON definition")


class BallotCodesIn(InputSchema):
    count: int = Field(ge=1, le=MAX_BATCH, description=f"number of codes, 1–{MAX_BATCH}, within the group's headcount")


class BallotCodesOut(Schema):
    batch: int
    group: str
    codes: list[str] = Field(description="the codes in plain text: shown this once, never again")


class BallotOptionOut(Schema):
    id: int
    code: str
    label: str
    valid: bool = Field(description="whether the option counts as a valid vote (不了解 does not)")
    points: str | None = Field(description="points for the weighted score, a decimal string")


class BallotQuestionOut(Schema):
    id: int
    code: str
    label: str
    overall: bool
    options: list[BallotOptionOut]


class BallotSubjectRef(Schema):
    app: str
    model: str
    pk: str


class BallotSubjectOut(Schema):
    id: int
    key: str
    kind: SubjectKind
    label: str
    note: str
    ref: BallotSubjectRef | None
    has_report: bool


class BallotSectionOut(Schema):
    id: int
    title: str
    kind: SectionKind = Field(description="rating (subjects rated on the questions) or recommendation (name up to max_choices people)")
    post: str = Field(description="recommendation: the post recommended for")
    max_choices: int | None = Field(description="recommendation: names per ballot at most")
    write_in_lines: int = Field(description="recommendation: lines for names not on the candidate list")
    questions: list[BallotQuestionOut]
    subjects: list[BallotSubjectOut]


class BallotGroupOut(Schema):
    id: int
    code: str
    name: str
    weight: str
    headcount: int
    rates: list[int] = Field(description="ids of the subjects this group rates")
    codes_issued: int
    codes_used: int
    paper_issued: int
    paper_entered: int


class BallotDetailOut(BallotOut):
    description: str
    double_entry: DoubleEntry
    sections: list[BallotSectionOut]
    groups: list[BallotGroupOut]


class BallotOptionCountOut(Schema):
    code: str
    label: str
    count: int
    valid: bool
    share: str | None = Field(description="count ÷ valid votes, exact (n/d); null for options that are not valid votes")
    share_display: str | None
    cumulative: str | None = Field(description="this option and the ones before it ÷ valid votes, exact")


class BallotGroupBreakdownOut(Schema):
    group: int
    hidden: bool = Field(description="true when the group is too small to be shown separately; then nothing else is given")
    ballots: int | None = None
    valid: int | None = None
    score: str | None = None
    options: list[BallotOptionCountOut] | None = None


class BallotQuestionResultOut(Schema):
    code: str
    label: str
    valid: int
    invalid: int
    blank: int
    score: str | None
    options: list[BallotOptionCountOut]
    groups: list[BallotGroupBreakdownOut]


class BallotSubjectResultOut(Schema):
    id: int
    key: str
    label: str
    rank: int | None
    score: str | None
    score_display: str
    ballots: int
    questions: list[BallotQuestionResultOut]


class BallotPersonOut(Schema):
    name: str
    subject: int | None = Field(description="the candidate's subject id; null for a name written in")
    votes: int
    share: str | None = Field(description="votes ÷ valid ballots of the post, exact (n/d)")
    share_display: str | None


class BallotPostGroupOut(Schema):
    group: int
    hidden: bool = Field(description="true when the group is too small to be shown separately; then nothing else is given")
    ballots: int | None = None
    invalid: int | None = None
    votes: dict[str, int] | None = Field(None, description="votes per name given by this group")


class BallotRecommendationOut(Schema):
    post: str
    max_choices: int
    ballots: int
    invalid: int = Field(description="ballots naming more people than allowed (invalid for this post)")
    valid: int
    people: list[BallotPersonOut]
    groups: list[BallotPostGroupOut]


class BallotSectionResultOut(Schema):
    title: str
    kind: SectionKind
    subjects: list[BallotSubjectResultOut]
    recommendation: BallotRecommendationOut | None = None


class BallotGroupSummaryOut(Schema):
    id: int
    name: str
    ballots: int
    online: int
    paper: int
    hidden: bool


class BallotResultsOut(Schema):
    ballot: BallotOut
    total_ballots: int
    min_group_size: int
    groups: list[BallotGroupSummaryOut]
    sections: list[BallotSectionResultOut]


# --- helpers -------------------------------------------------------------------------------


def _ballot_out(ballot) -> dict:
    return {
        "id": ballot.pk,
        "public_id": ballot.public_id,
        "title": ballot.title,
        "status": ballot.status,
        "unit_id": ballot.unit_id,
        "unit_name": ballot.unit_name,
        "opens_at": ballot.opens_at,
        "closes_at": ballot.closes_at,
        "voting_state": ballot.voting_state(),
    }


def _decimal(value) -> str:
    return format(value.normalize(), "f")


def _fraction(value) -> str | None:
    return None if value is None else f"{value.numerator}/{value.denominator}"


def _options(rows) -> list[dict]:
    return [
        {
            "code": o.option.code,
            "label": o.option.label,
            "count": o.count,
            "valid": o.option.is_valid_vote,
            "share": _fraction(o.share),
            "share_display": format_share(o.share) if o.option.is_valid_vote else None,
            "cumulative": _fraction(o.cumulative),
        }
        for o in rows
    ]


# --- endpoints -----------------------------------------------------------------------------


@router.get("/", response=Page[BallotOut], summary="Ballots in my scope")
def list_ballots(request, filters: Query[BallotFilters]):
    qs = queries.ballots_visible_to(request.user).order_by("-created_at", "-id")
    if filters.status:
        qs = qs.filter(status=filters.status)
    return paginate(qs, filters, _ballot_out)


@router.post("/", response={201: BallotDetailOut}, summary="Create a draft ballot from a definition")
def create_ballot(request, payload: BallotCreateIn):
    unit = next((u for u in forms.manageable_units(request.user) if u.pk == payload.unit_id), None)
    if unit is None:
        raise access.NotVisible()
    ballot = actions.create_ballot(actor=request.user, unit=unit, spec=payload.spec)
    return 201, _ballot_detail(ballot)


@router.get("/{ballot_id}", response=BallotDetailOut, summary="A ballot's definition and participation")
def get_ballot(request, ballot_id: Id):
    return _ballot_detail(queries.get_ballot_for(request.user, ballot_id))


def _ballot_detail(ballot) -> dict:
    shape = structure.load(ballot)
    return {
        **_ballot_out(ballot),
        "description": ballot.description,
        "double_entry": ballot.double_entry,
        "sections": [
            {
                "id": section.pk,
                "title": section.title,
                "kind": section.kind,
                "post": section.post,
                "max_choices": section.max_choices,
                "write_in_lines": section.write_in_lines,
                "questions": [
                    {
                        "id": q.pk,
                        "code": q.code,
                        "label": q.label,
                        "overall": q.is_overall,
                        "options": [
                            {"id": o.pk, "code": o.code, "label": o.label, "valid": o.is_valid_vote, "points": None if o.points is None else _decimal(o.points)}
                            for o in shape.options[q.pk]
                        ],
                    }
                    for q in shape.questions[section.pk]
                ],
                "subjects": [
                    {
                        "id": s.pk,
                        "key": s.key,
                        "kind": s.kind,
                        "label": s.label,
                        "note": s.note,
                        "ref": {"app": s.ref_app, "model": s.ref_model, "pk": s.ref_pk} if s.ref_app else None,
                        "has_report": s.has_report,
                    }
                    for s in shape.subjects
                    if s.section_id == section.pk
                ],
            }
            for section in shape.sections
        ],
        "groups": [
            {
                "id": t.group.pk,
                "code": t.group.code,
                "name": t.group.name,
                "weight": _decimal(t.group.weight),
                "headcount": t.group.headcount,
                "rates": sorted(shape.group_subjects[t.group.pk]),
                "codes_issued": t.codes_issued,
                "codes_used": t.codes_used,
                "paper_issued": t.group.paper_issued,
                "paper_entered": t.paper_entered,
            }
            for t in queries.turnout(ballot)
        ],
    }


@router.post("/{ballot_id}/open", response=BallotOut, summary="Open a draft for voting")
def open_ballot(request, ballot_id: Id):
    ballot = queries.get_ballot_for(request.user, ballot_id, "ballots.manage")
    return _ballot_out(actions.open_ballot(actor=request.user, ballot=ballot))


@router.post("/{ballot_id}/close", response=BallotOut, summary="Close the ballot and count")
def close_ballot(request, ballot_id: Id):
    ballot = queries.get_ballot_for(request.user, ballot_id, "ballots.manage")
    return _ballot_out(actions.close_ballot(actor=request.user, ballot=ballot))


@router.post("/{ballot_id}/groups/{group_id}/codes", response={201: BallotCodesOut}, summary="Generate voting codes (returned once)")
def generate_ballot_codes(request, response: HttpResponse, ballot_id: Id, group_id: Id, payload: BallotCodesIn):
    ballot = queries.get_ballot_for(request.user, ballot_id, "ballots.manage")
    group = queries.get_group(ballot, group_id)
    if group is None:
        raise access.NotVisible()
    batch, plain = actions.generate_codes(actor=request.user, ballot=ballot, group=group, count=payload.count)
    response["Cache-Control"] = "no-store"
    return 201, {"batch": batch.number, "group": group.name, "codes": plain}


@router.get("/{ballot_id}/results", response={200: BallotResultsOut, **HIDDEN_RESULTS}, summary="Results of a closed ballot")
def get_ballot_results(request, ballot_id: Id):
    """Counts, exact rates and weighted scores. Before the ballot is closed the answer is 400 with
    the code `hidden`; groups smaller than the minimum group size are not broken down."""
    ballot = queries.get_ballot_for(request.user, ballot_id, "ballots.view_results")
    res = queries.results(ballot, user=request.user)
    return {
        "ballot": _ballot_out(ballot),
        "total_ballots": res.total_ballots,
        "min_group_size": res.min_group_size,
        "groups": [
            {"id": g.group.pk, "name": g.group.name, "ballots": g.ballots, "online": g.online, "paper": g.paper, "hidden": g.hidden} for g in res.groups
        ],
        "sections": [
            {
                "title": section.section.title,
                "kind": section.section.kind,
                "recommendation": _recommendation(section),
                "subjects": [
                    {
                        "id": s.subject.pk,
                        "key": s.subject.key,
                        "label": s.subject.label,
                        "rank": s.rank,
                        "score": _fraction(s.score),
                        "score_display": format_score(s.score),
                        "ballots": s.ballots,
                        "questions": [
                            {
                                "code": q.question.code,
                                "label": q.question.label,
                                "valid": q.valid,
                                "invalid": q.invalid,
                                "blank": q.blank,
                                "score": _fraction(q.score),
                                "options": _options(q.options),
                                "groups": [
                                    {"group": g.group.pk, "hidden": True}
                                    if g.hidden
                                    else {
                                        "group": g.group.pk,
                                        "hidden": False,
                                        "ballots": g.ballots,
                                        "valid": g.valid,
                                        "score": _fraction(g.score),
                                        "options": _options(g.options),
                                    }
                                    for g in q.groups
                                ],
                            }
                            for q in s.questions
                        ],
                    }
                    for s in section.subjects
                ],
            }
            for section in res.sections
        ],
    }


def _recommendation(section) -> dict | None:
    rec = section.recommendation
    if rec is None:
        return None
    return {
        "post": rec.post,
        "max_choices": rec.max_choices,
        "ballots": rec.ballots,
        "invalid": rec.invalid,
        "valid": rec.valid,
        "people": [
            {
                "name": p.name,
                "subject": p.subject.pk if p.subject is not None else None,
                "votes": p.votes,
                "share": _fraction(p.share),
                "share_display": format_share(p.share, section.display),
            }
            for p in rec.people
        ],
        "groups": [
            {"group": g.group.pk, "hidden": True}
            if g.hidden
            else {"group": g.group.pk, "hidden": False, "ballots": g.ballots, "invalid": g.invalid, "votes": dict(g.votes)}
            for g in rec.groups
        ],
    }


@router.get("/{ballot_id}/receipts", response=list[str], summary="Receipts of the counted ballots (empty until the ballot is closed)")
def list_ballot_receipts(request, ballot_id: Id):
    return queries.counted_receipts(queries.get_ballot_for(request.user, ballot_id))
