"""Oversight JSON API (django-ninja), mounted by the core glue at /api/v1/oversight/.

Same doors as the pages: reads through queries (scoped; not visible = 404), writes through
actions (ActionError → 400 with code, message and field). Every read of a clue is journaled.
"""

import datetime as dt

from django.http import Http404
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile

from jiandu.accounts import access
from jiandu.core.errors import ActionError

from . import deadlines, influence, queries
from .actions import clues as clue_actions
from .actions import dispositions as disposition_actions
from .actions import inquiries as inquiry_actions
from .actions import talks as talk_actions

router = Router(tags=["oversight"])


class Error(Schema):
    code: str
    message: str
    field: str | None = None


def _user(request):
    user = getattr(request, "auth", None) or getattr(request, "user", None)
    if user is None or not getattr(user, "is_authenticated", False) or not isinstance(getattr(user, "pk", None), int):
        raise Http404()
    return user


def _error(exc: ActionError):
    return 400, {"code": exc.code, "message": str(exc.message), "field": exc.field}


def _page(qs, limit: int, offset: int):
    limit = max(1, min(int(limit), 200))
    offset = max(0, int(offset))
    return qs[offset : offset + limit]


# --- schemas -----------------------------------------------------------------------------------


class DispositionOut(Schema):
    id: int
    cadre_id: int
    cadre_name: str
    unit_id: int
    category: str
    measure: str
    decided_on: dt.date
    deciding_body: str
    document_number: str
    grounds: str
    influence_months: int | None
    is_permanent: bool
    influence_ends_on: dt.date | None
    influence_explanation: str
    status: str
    corrects_id: int | None
    closed_reason: str

    @staticmethod
    def resolve_cadre_name(obj):
        return obj.cadre.name

    @staticmethod
    def resolve_influence_explanation(obj):
        return influence.explain(obj)


class DispositionIn(Schema):
    cadre_id: int
    measure: str
    decided_on: dt.date
    deciding_body: str
    grounds: str
    document_number: str = ""
    probation_years: int | None = None


class ReasonIn(Schema):
    reason: str


class CorrectionIn(Schema):
    reason: str
    measure: str | None = None
    decided_on: dt.date | None = None
    deciding_body: str | None = None
    grounds: str | None = None
    probation_years: int | None = None


class AdmonishmentIn(Schema):
    cadre_id: int
    grounds: str
    source_type: str
    source_id: str
    figures: dict = {}
    decided_on: dt.date | None = None


class InfluenceOut(Schema):
    disposition_id: int
    measure: str
    measure_label: str
    decided_on: dt.date
    ends_on: dt.date | None
    reason: str
    explanation: str


class TalkOut(Schema):
    id: int
    cadre_id: int
    cadre_name: str
    unit_id: int
    kind: str
    status: str
    due_on: dt.date | None
    due_explanation: str
    talked_on: dt.date | None
    place: str
    talkers: str
    talker_role: str
    recorder: str
    reason: str
    summary: str
    response: str
    follow_up: str
    follow_up_due_on: dt.date | None
    follow_up_done_on: dt.date | None
    explanation: str
    disposition_id: int | None

    @staticmethod
    def resolve_cadre_name(obj):
        return obj.cadre.name

    @staticmethod
    def resolve_due_explanation(obj):
        return deadlines.explain(obj.due_rule)


class TalkIn(Schema):
    cadre_id: int
    kind: str
    talked_on: dt.date
    talkers: str
    reason: str
    summary: str
    place: str = ""
    talker_role: str = ""
    recorder: str = ""
    response: str = ""
    follow_up: str = ""
    follow_up_due_on: dt.date | None = None
    explanation_required: bool = False


class InquiryOut(Schema):
    id: int
    number: str
    cadre_id: int
    cadre_name: str
    unit_id: int
    source: str
    subject: str
    questions: str
    status: str
    issued_on: dt.date | None
    delivered_on: dt.date | None
    reply_due_on: dt.date | None
    reply_due_explanation: str
    replied_on: dt.date | None
    reply_text: str
    reply_signed_off_by: str
    assessment: str
    follow_up: str

    @staticmethod
    def resolve_cadre_name(obj):
        return obj.cadre.name

    @staticmethod
    def resolve_reply_due_explanation(obj):
        return deadlines.explain(obj.reply_due_rule)


class InquiryIn(Schema):
    cadre_id: int
    source: str
    subject: str
    questions: str
    source_note: str = ""


class DateIn(Schema):
    on: dt.date


class AssessmentIn(Schema):
    assessment: str
    follow_up: str
    note: str = ""
    talk_due_on: dt.date | None = None
    transfer_to_unit_id: int | None = None
    transfer_from_unit_id: int | None = None


class ClueOut(Schema):
    id: int
    number: str
    cadre_id: int
    cadre_name: str
    from_unit_id: int
    to_unit_id: int | None
    source: str
    sensitivity: str
    summary: str
    status: str
    transferred_on: dt.date | None
    receipt_due_on: dt.date | None
    feedback_due_on: dt.date | None
    received_on: dt.date | None
    result: str
    handling: str

    @staticmethod
    def resolve_cadre_name(obj):
        return obj.cadre.name


class HandlingIn(Schema):
    handling: str
    result: str
    fed_back_on: dt.date | None = None


# --- dispositions and influence -------------------------------------------------------------------


@router.get("/dispositions", response=list[DispositionOut], summary="Dispositions in scope")
def list_dispositions(request, cadre_id: int | None = None, status: str | None = None, limit: int = 50, offset: int = 0):
    user = _user(request)
    access.require(user, "oversight.view")
    qs = queries.dispositions_visible_to(user)
    if cadre_id:
        qs = qs.filter(cadre_id=cadre_id)
    if status:
        qs = qs.filter(status=status)
    return list(_page(qs, limit, offset))


@router.get("/dispositions/{disposition_id}", response=DispositionOut)
def get_disposition(request, disposition_id: int):
    return queries.get_disposition_for(_user(request), disposition_id)


@router.post("/dispositions", response={201: DispositionOut, 400: Error})
def create_disposition(request, payload: DispositionIn):
    user = _user(request)
    access.require(user, "oversight.manage")
    try:
        values = payload.dict()
        cadre = values.pop("cadre_id")
        return 201, disposition_actions.record_disposition(actor=user, cadre=cadre, **values)
    except ActionError as exc:
        return _error(exc)


@router.post("/dispositions/{disposition_id}/revoke", response={200: DispositionOut, 400: Error})
def revoke_disposition(request, disposition_id: int, payload: ReasonIn):
    user = _user(request)
    disposition = queries.get_disposition_for(user, disposition_id)
    try:
        return disposition_actions.revoke_disposition(actor=user, disposition=disposition, reason=payload.reason)
    except ActionError as exc:
        return _error(exc)


@router.post("/dispositions/{disposition_id}/correct", response={201: DispositionOut, 400: Error})
def correct_disposition(request, disposition_id: int, payload: CorrectionIn):
    user = _user(request)
    disposition = queries.get_disposition_for(user, disposition_id)
    try:
        return 201, disposition_actions.correct_disposition(actor=user, disposition=disposition, **payload.dict())
    except ActionError as exc:
        return _error(exc)


@router.post("/admonishments", response={201: DispositionOut, 400: Error}, summary="Issue a yellow card (诫勉) with its required talk")
def create_admonishment(request, payload: AdmonishmentIn):
    user = _user(request)
    access.require(user, "oversight.confirm")
    try:
        values = payload.dict()
        cadre = values.pop("cadre_id")
        return 201, disposition_actions.create_admonishment(actor=user, cadre=cadre, **values)
    except ActionError as exc:
        return _error(exc)


@router.get("/cadres/{cadre_id}/influence", response=list[InfluenceOut], summary="Influence periods running for a cadre on a date")
def cadre_influence(request, cadre_id: int, on: dt.date | None = None):
    from jiandu.registry.queries import get_cadre_for

    cadre = get_cadre_for(_user(request), cadre_id, "oversight.view")
    return [
        {
            "disposition_id": r.disposition.pk,
            "measure": r.measure,
            "measure_label": str(r.measure_label),
            "decided_on": r.decided_on,
            "ends_on": r.ends_on,
            "reason": r.reason,
            "explanation": r.explanation,
        }
        for r in queries.active_influence(cadre, on=on)
    ]


# --- talks ------------------------------------------------------------------------------------------


@router.get("/talks", response=list[TalkOut])
def list_talks(request, cadre_id: int | None = None, kind: str | None = None, status: str | None = None, limit: int = 50, offset: int = 0):
    user = _user(request)
    access.require(user, "oversight.view")
    qs = queries.talks_visible_to(user)
    if cadre_id:
        qs = qs.filter(cadre_id=cadre_id)
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    return list(_page(qs, limit, offset))


@router.get("/talks/{talk_id}", response=TalkOut)
def get_talk(request, talk_id: int):
    return queries.get_talk_for(_user(request), talk_id)


@router.post("/talks", response={201: TalkOut, 400: Error})
def create_talk(request, payload: TalkIn):
    user = _user(request)
    access.require(user, "oversight.manage")
    try:
        values = payload.dict()
        cadre = values.pop("cadre_id")
        return 201, talk_actions.record_talk(actor=user, cadre=cadre, **values)
    except ActionError as exc:
        return _error(exc)


# --- inquiries --------------------------------------------------------------------------------------


@router.get("/inquiries", response=list[InquiryOut])
def list_inquiries(request, status: str | None = None, limit: int = 50, offset: int = 0):
    user = _user(request)
    qs = queries.inquiries_visible_to(user) if access.can(user, "oversight.view") else queries.my_inquiries(user).select_related("cadre")
    if status:
        qs = qs.filter(status=status)
    return list(_page(qs, limit, offset))


@router.get("/inquiries/{inquiry_id}", response=InquiryOut)
def get_inquiry(request, inquiry_id: int):
    return queries.get_inquiry_for(_user(request), inquiry_id)


@router.post(
    "/inquiries", response={201: InquiryOut, 400: Error}, summary="Draft a written inquiry (source: complaint; clue and finding sources through the pages)"
)
def create_inquiry(request, payload: InquiryIn):
    user = _user(request)
    access.require(user, "oversight.manage")
    try:
        values = payload.dict()
        cadre = values.pop("cadre_id")
        return 201, inquiry_actions.draft_inquiry(actor=user, cadre=cadre, **values)
    except ActionError as exc:
        return _error(exc)


@router.post("/inquiries/{inquiry_id}/issue", response={200: InquiryOut, 400: Error})
def issue_inquiry(request, inquiry_id: int, payload: DateIn):
    user = _user(request)
    inquiry = queries.get_inquiry_for(user, inquiry_id)
    try:
        return inquiry_actions.issue_inquiry(actor=user, inquiry=inquiry, issued_on=payload.on)
    except ActionError as exc:
        return _error(exc)


@router.post("/inquiries/{inquiry_id}/delivery", response={200: InquiryOut, 400: Error})
def deliver_inquiry(request, inquiry_id: int, payload: DateIn):
    user = _user(request)
    inquiry = queries.get_inquiry_for(user, inquiry_id)
    try:
        return inquiry_actions.record_delivery(actor=user, inquiry=inquiry, delivered_on=payload.on)
    except ActionError as exc:
        return _error(exc)


@router.post("/inquiries/{inquiry_id}/reply", response={200: InquiryOut, 400: Error}, summary="Reply (the cadre) with the signed file")
def reply_inquiry(request, inquiry_id: int, reply_text: Form[str], replied_on: Form[dt.date], file: File[UploadedFile]):
    user = _user(request)
    inquiry = queries.get_inquiry_for(user, inquiry_id)
    try:
        return inquiry_actions.record_reply(actor=user, inquiry=inquiry, reply_text=reply_text, replied_on=replied_on, file=file)
    except ActionError as exc:
        return _error(exc)


@router.post("/inquiries/{inquiry_id}/sign-off", response={200: InquiryOut, 400: Error})
def sign_off_inquiry(request, inquiry_id: int, payload: DateIn):
    user = _user(request)
    inquiry = queries.get_inquiry_for(user, inquiry_id)
    try:
        return inquiry_actions.sign_off_reply(actor=user, inquiry=inquiry, signed_off_on=payload.on)
    except ActionError as exc:
        return _error(exc)


@router.post("/inquiries/{inquiry_id}/assessment", response={200: InquiryOut, 400: Error})
def assess_inquiry(request, inquiry_id: int, payload: AssessmentIn):
    from jiandu.registry.models import Unit

    user = _user(request)
    inquiry = queries.get_inquiry_for(user, inquiry_id)
    values = payload.dict()
    to_id, from_id = values.pop("transfer_to_unit_id"), values.pop("transfer_from_unit_id")
    try:
        return inquiry_actions.assess_reply(
            actor=user,
            inquiry=inquiry,
            transfer_to=Unit.objects.filter(pk=to_id).first() if to_id else None,
            transfer_from=Unit.objects.filter(pk=from_id).first() if from_id else None,
            **values,
        )
    except ActionError as exc:
        return _error(exc)


# --- clues --------------------------------------------------------------------------------------


@router.get("/clues", response=list[ClueOut], summary="Clues the user may read in full (each read journaled)")
def list_clues(request, status: str | None = None, limit: int = 50, offset: int = 0):
    user = _user(request)
    qs = queries.clues_with_full_access(user)
    if status:
        qs = qs.filter(status=status)
    rows = list(_page(qs, limit, offset))
    for clue in rows:
        clue_actions.record_clue_view(actor=user, clue=clue, via="api")
    return rows


@router.get("/clues/{clue_id}", response=ClueOut)
def get_clue(request, clue_id: int):
    user = _user(request)
    clue = queries.get_clue_for(user, clue_id)
    clue_actions.record_clue_view(actor=user, clue=clue, via="api")
    return clue


@router.post("/clues/{clue_id}/receipt", response={200: ClueOut, 400: Error})
def receive_clue(request, clue_id: int, payload: DateIn):
    user = _user(request)
    clue = queries.get_clue_for(user, clue_id)
    try:
        return clue_actions.confirm_receipt(actor=user, clue=clue, received_on=payload.on)
    except ActionError as exc:
        return _error(exc)


@router.post("/clues/{clue_id}/feedback", response={200: ClueOut, 400: Error})
def clue_feedback(request, clue_id: int, payload: HandlingIn):
    user = _user(request)
    clue = queries.get_clue_for(user, clue_id)
    try:
        return clue_actions.report_handling(actor=user, clue=clue, **payload.dict())
    except ActionError as exc:
        return _error(exc)


# --- statistics -------------------------------------------------------------------------------------


@router.get("/statistics/{year}", summary="Yearly counts by kind and unit")
def statistics(request, year: int):
    from .statistics import yearly

    user = _user(request)
    access.require(user, "oversight.view")
    if not 2000 <= year <= 2100:
        raise Http404()
    return {key: {"title": str(s["title"]), "rows": [{"label": str(label), "count": n} for label, n in s["rows"]]} for key, s in yearly(user, year).items()}
