"""Ballots JSON API (mounted under /api/v1/ballots/ by the core API glue, which authenticates).

Same doors as the pages: reads through queries (scoped, not visible = 404), writes through
actions (ActionError = 400 with a translated message). Rates are exact fractions "n/d" beside
display strings; voting itself happens only on the voting pages.
"""

from typing import Any

from django.http import HttpResponse
from ninja import Router, Schema

from jiandu.accounts import access
from jiandu.core.api import Text
from jiandu.core.errors import ActionError

from . import actions, forms, queries, structure
from .results import format_score, format_share

router = Router(tags=["ballots"])


class ErrorOut(Schema):
    code: str
    message: str
    field: str | None = None


class BallotOut(Schema):
    id: int
    public_id: str
    title: str
    status: str
    unit_id: int
    unit_name: str
    opens_at: Any = None
    closes_at: Any = None
    voting_state: str


class CreateIn(Schema):
    unit_id: int
    spec: dict


class CodesIn(Schema):
    count: int


class CodesOut(Schema):
    batch: int
    group: str
    codes: list[str]


def _error(exc: ActionError, status: int = 400):
    return status, {"code": exc.code, "message": str(exc.message), "field": exc.field}


def _ballot_out(ballot) -> dict:
    return {
        "id": ballot.pk,
        "public_id": str(ballot.public_id),
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


@router.get("/", response=list[BallotOut], summary="Ballots in my scope")
def list_ballots(request, status: Text | None = None):
    qs = queries.ballots_visible_to(request.user).order_by("-created_at", "-id")
    if status:
        qs = qs.filter(status=status)
    return [_ballot_out(b) for b in qs[:500]]


@router.post("/", response={201: BallotOut, 400: ErrorOut, 404: ErrorOut}, summary="Create a draft ballot from a specification")
def create_ballot(request, payload: CreateIn):
    unit = next((u for u in forms.manageable_units(request.user) if u.pk == payload.unit_id), None)
    if unit is None:
        raise access.NotVisible()
    try:
        ballot = actions.create_ballot(actor=request.user, unit=unit, spec=payload.spec)
    except ActionError as exc:
        return _error(exc)
    return 201, _ballot_out(ballot)


@router.get("/{int:ballot_id}", summary="A ballot's definition and participation")
def get_ballot(request, ballot_id: int):
    ballot = queries.get_ballot_for(request.user, ballot_id)
    shape = structure.load(ballot)
    return {
        **_ballot_out(ballot),
        "description": ballot.description,
        "double_entry": ballot.double_entry,
        "sections": [
            {
                "id": section.pk,
                "title": section.title,
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
                "rates": shape.group_subjects[t.group.pk],
                "codes_issued": t.codes_issued,
                "codes_used": t.codes_used,
                "paper_issued": t.group.paper_issued,
                "paper_entered": t.paper_entered,
            }
            for t in queries.turnout(ballot)
        ],
    }


@router.post("/{int:ballot_id}/open", response={200: BallotOut, 400: ErrorOut}, summary="Open a draft for voting")
def open_ballot(request, ballot_id: int):
    ballot = queries.get_ballot_for(request.user, ballot_id, "ballots.manage")
    try:
        return 200, _ballot_out(actions.open_ballot(actor=request.user, ballot=ballot))
    except ActionError as exc:
        return _error(exc)


@router.post("/{int:ballot_id}/close", response={200: BallotOut, 400: ErrorOut}, summary="Close and count")
def close_ballot(request, ballot_id: int):
    ballot = queries.get_ballot_for(request.user, ballot_id, "ballots.manage")
    try:
        return 200, _ballot_out(actions.close_ballot(actor=request.user, ballot=ballot))
    except ActionError as exc:
        return _error(exc)


@router.post("/{int:ballot_id}/groups/{int:group_id}/codes", response={201: CodesOut, 400: ErrorOut}, summary="Generate voting codes (returned once)")
def generate_codes(request, response: HttpResponse, ballot_id: int, group_id: int, payload: CodesIn):
    ballot = queries.get_ballot_for(request.user, ballot_id, "ballots.manage")
    group = queries.get_group(ballot, group_id)
    if group is None:
        raise access.NotVisible()
    try:
        batch, plain = actions.generate_codes(actor=request.user, ballot=ballot, group=group, count=payload.count)
    except ActionError as exc:
        return _error(exc)
    response["Cache-Control"] = "no-store"
    return 201, {"batch": batch.number, "group": group.name, "codes": plain}


@router.get("/{int:ballot_id}/results", response={200: dict, 400: ErrorOut}, summary="Results of a closed ballot")
def get_results(request, ballot_id: int):
    ballot = queries.get_ballot_for(request.user, ballot_id, "ballots.view_results")
    try:
        res = queries.results(ballot, user=request.user)
    except ActionError as exc:
        return _error(exc)

    def options(rows, valid):
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

    return 200, {
        "ballot": _ballot_out(ballot),
        "total_ballots": res.total_ballots,
        "min_group_size": res.min_group_size,
        "groups": [
            {"id": g.group.pk, "name": g.group.name, "ballots": g.ballots, "online": g.online, "paper": g.paper, "hidden": g.hidden} for g in res.groups
        ],
        "sections": [
            {
                "title": section.section.title,
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
                                "options": options(q.options, q.valid),
                                "groups": [
                                    {"group": g.group.pk, "hidden": True}
                                    if g.hidden
                                    else {
                                        "group": g.group.pk,
                                        "hidden": False,
                                        "ballots": g.ballots,
                                        "valid": g.valid,
                                        "score": _fraction(g.score),
                                        "options": options(g.options, g.valid),
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


@router.get("/{int:ballot_id}/receipts", response=list[str], summary="Receipts of counted ballots (after close)")
def get_receipts(request, ballot_id: int):
    ballot = queries.get_ballot_for(request.user, ballot_id)
    return queries.counted_receipts(ballot)
