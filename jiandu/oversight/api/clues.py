"""Oversight API: clues passed between departments (each read is journaled)."""

import datetime as dt
from contextlib import contextmanager
from typing import Literal

from ninja import Field as F
from ninja import Query, Schema

from jiandu.accounts import access
from jiandu.accounts.refusals import record_refusal
from jiandu.core.api import Id, InputSchema, Page, PageQuery, Ref, optional, paginate, text

from .. import queries
from ..actions import clues as clue_actions
from ..models import Clue
from .common import (
    ClueResult,
    ClueSensitivity,
    ClueSource,
    ClueStatus,
    _member_unit,
    _ref,
    _request_fields,
    router,
)

# --- clues ---------------------------------------------------------------------------------


class ClueOut(Schema):
    id: int
    number: str
    cadre: Ref
    cadre_unit: Ref
    from_unit: Ref
    to_unit: Ref | None
    source: ClueSource
    sensitivity: ClueSensitivity
    summary: str
    status: ClueStatus
    transferred_on: dt.date | None
    receipt_due_on: dt.date | None
    feedback_due_on: dt.date | None
    received_on: dt.date | None
    handling: str
    result: ClueResult | Literal[""]
    fed_back_on: dt.date | None
    closed_on: dt.date | None

    @staticmethod
    def resolve_cadre(obj):
        return _ref(obj.cadre)

    @staticmethod
    def resolve_cadre_unit(obj):
        return _ref(obj.cadre_unit)

    @staticmethod
    def resolve_from_unit(obj):
        return _ref(obj.from_unit)

    @staticmethod
    def resolve_to_unit(obj):
        return _ref(obj.to_unit)


class ClueFilters(PageQuery):
    status: ClueStatus = optional()
    cadre: Id = optional()


class ReceiptIn(InputSchema):
    received_on: dt.date | None = F(None, description="defaults to today")


class HandlingIn(InputSchema):
    handling: text(10_000, 1)
    result: ClueResult
    fed_back_on: dt.date | None = F(None, description="defaults to today")


def _read_clue(user):
    def journaled(clue):
        clue_actions.record_clue_view(actor=user, clue=clue, via="api")
        return clue

    return journaled


class TransferIn(InputSchema):
    to_unit_id: Id = F(description="a member department of the joint meeting, not the sending one")
    transferred_on: dt.date | None = F(None, description="defaults to today")


class CloseIn(InputSchema):
    pass


@contextmanager
def _refusal_journaled(request):
    """A refused clue request (not visible, or the wrong side) answers 404 like a missing clue and
    is journaled as a denied access, as the pages do (accounts.refusals)."""
    try:
        yield
    except access.NotVisible as exc:
        record_refusal(request, exc)
        raise


@router.get("/clues", response=Page[ClueOut], summary="List the clues you may read (each read is journaled)")
def oversight_list_clues(request, filters: Query[ClueFilters]):
    """Clues sent or received by the departments whose clue officer you are (or all, read only,
    with the right to read every clue). Each clue returned is journaled as read."""
    user = request.user
    with _refusal_journaled(request):
        if not (access.can(user, "oversight.clues") or access.can(user, "oversight.view_clues_all")):
            raise access.NotVisible()
    qs = queries.clues_with_full_access(user)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.cadre is not None:
        qs = qs.filter(cadre_id=filters.cadre)
    return paginate(qs.order_by("-created_at", "-id"), filters, transform=_read_clue(user))


@router.get("/clues/{clue_id}", response=ClueOut, summary="One clue (the read is journaled)")
def oversight_get_clue(request, clue_id: Id):
    with _refusal_journaled(request):
        clue = queries.get_clue_for(request.user, clue_id)
    return _read_clue(request.user)(clue)


class ClueIn(InputSchema):
    cadre_id: Id
    from_unit_id: Id = F(description="the sending department: a member of the joint meeting whose clue officer you are")
    source: ClueSource
    summary: text(10_000, 1)
    sensitivity: ClueSensitivity = Clue.Sensitivity.SENSITIVE


@router.post("/clues", response={201: ClueOut}, summary="Register a clue (the sending department's clue officer)")
def oversight_create_clue(request, payload: ClueIn):
    """As the page: any cadre of the district may be named; the sending department must be a member
    department whose clue officer you are."""
    with _refusal_journaled(request):
        if not access.can(request.user, "oversight.clues"):
            raise access.NotVisible()
    from_unit = _member_unit(payload.from_unit_id, "from_unit_id", sender_for=request.user)
    with _request_fields(cadre="cadre_id", from_unit="from_unit_id"):
        clue = clue_actions.register_clue(
            actor=request.user,
            cadre=payload.cadre_id,
            from_unit=from_unit,
            source=payload.source,
            summary=payload.summary,
            sensitivity=payload.sensitivity,
        )
    return 201, clue


@router.post("/clues/{clue_id}/transfer", response=ClueOut, summary="Transfer the clue (sending department's clue officer)")
def oversight_transfer_clue(request, clue_id: Id, payload: TransferIn):
    with _refusal_journaled(request), _request_fields(to_unit="to_unit_id"):
        clue = queries.get_clue_for(request.user, clue_id)
        return clue_actions.transfer_clue(actor=request.user, clue=clue, to_unit=payload.to_unit_id, transferred_on=payload.transferred_on)


@router.post("/clues/{clue_id}/receipt", response=ClueOut, summary="Confirm receipt (receiving department's clue officer)")
def oversight_receive_clue(request, clue_id: Id, payload: ReceiptIn):
    with _refusal_journaled(request):
        clue = queries.get_clue_for(request.user, clue_id)
        return clue_actions.confirm_receipt(actor=request.user, clue=clue, received_on=payload.received_on)


@router.post("/clues/{clue_id}/feedback", response=ClueOut, summary="Report handling and result (receiving department's clue officer)")
def oversight_clue_feedback(request, clue_id: Id, payload: HandlingIn):
    with _refusal_journaled(request):
        clue = queries.get_clue_for(request.user, clue_id)
        return clue_actions.report_handling(actor=request.user, clue=clue, handling=payload.handling, result=payload.result, fed_back_on=payload.fed_back_on)


@router.post("/clues/{clue_id}/close", response=ClueOut, summary="Close the clue after the feedback (sending department's clue officer)")
def oversight_close_clue(request, clue_id: Id, payload: CloseIn):
    with _refusal_journaled(request):
        clue = queries.get_clue_for(request.user, clue_id)
        return clue_actions.close_clue(actor=request.user, clue=clue)
