"""Audits API: departure handovers (离任经济事项交接), their items and the three parties' confirmations."""

import datetime as dt
from typing import Literal

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from ninja import File, Query, Schema
from ninja.files import UploadedFile

from jiandu.core.api import Id, InputSchema, Page, PageQuery, paginate, text
from jiandu.core.errors import ActionError
from jiandu.registry.models import Cadre

from .. import actions, queries
from ..models import Handover, HandoverSignature
from .common import router

# --- departure handovers ----------------------------------------------------------------------


class HandoverFileOut(Schema):
    id: int
    name: str
    size: int
    uploaded_at: dt.datetime


class HandoverItemOut(Schema):
    id: int
    order: int
    title: str
    figures: str
    notes: str
    files: list[HandoverFileOut]


class SignatureOut(Schema):
    party: str
    user: str
    signed_at: dt.datetime


class HandoverOut(Schema):
    id: int
    cadre_id: int
    cadre: str
    unit: str
    departed_on: dt.date
    due_on: dt.date
    overdue: bool
    status: str
    successor_id: int | None
    supervisor: str | None
    completed_on: dt.date | None


class HandoverDetailOut(HandoverOut):
    items: list[HandoverItemOut]
    signatures: list[SignatureOut]


class HandoverFilters(PageQuery):
    overdue: bool = False


class PartiesIn(InputSchema):
    successor_id: Id | None = None
    supervisor: text(150, 1) | None = None


class HandoverItemIn(InputSchema):
    item_id: Id
    figures: text(500) = ""
    notes: text(5000) = ""


class SignIn(InputSchema):
    party: Literal[tuple(HandoverSignature.Party.values)]


def _handover(h) -> dict:
    return {
        "id": h.pk,
        "cadre_id": h.cadre_id,
        "cadre": h.cadre.name,
        "unit": h.unit.label,
        "departed_on": h.departed_on,
        "due_on": h.due_on,
        "overdue": h.status == Handover.Status.OPEN and h.due_on < dt.date.today(),
        "status": h.status,
        "successor_id": h.successor_id,
        "supervisor": h.supervisor.username if h.supervisor_id else None,
        "completed_on": h.completed_on,
    }


def _handover_detail(h) -> dict:
    h = Handover.objects.select_related("cadre", "unit", "supervisor").get(pk=h.pk)
    data = _handover(h)
    data["items"] = [
        {
            "id": i.pk,
            "order": i.order,
            "title": i.title,
            "figures": i.figures,
            "notes": i.notes,
            "files": [{"id": f.pk, "name": f.name, "size": f.size, "uploaded_at": f.uploaded_at} for f in i.attachments.all()],
        }
        for i in h.items.prefetch_related("attachments")
    ]
    data["signatures"] = [{"party": s.party, "user": s.user.username, "signed_at": s.signed_at} for s in h.signatures.select_related("user")]
    return data


@router.get("/handovers", response=Page[HandoverOut], summary="Departure handovers (optionally only the overdue)")
def audits_handovers(request, filters: Query[HandoverFilters]):
    """Handovers of the units the caller may read audits of, and those the caller is a party to."""
    qs = queries.handovers_visible_to(request.user)
    if filters.overdue:
        qs = queries.overdue(qs)
    return paginate(qs.order_by("due_on", "id"), filters, _handover)


@router.get("/handovers/{handover_id}", response=HandoverDetailOut, summary="A departure handover with its checklist and confirmations")
def audits_handover(request, handover_id: Id):
    return _handover_detail(queries.get_handover_for(request.user, handover_id))


@router.post("/handovers/{handover_id}/parties", response=HandoverDetailOut, summary="Name the successor and the handover supervisor")
def audits_handover_parties(request, handover_id: Id, payload: PartiesIn):
    """The successor is a cadre of the handover's unit (or below); the supervisor an account by
    user name. The successor (or the leaver) cannot be the supervisor."""
    handover = queries.get_handover_for(request.user, handover_id)
    successor = supervisor = None
    if payload.successor_id is not None:
        successor = Cadre.objects.filter(pk=payload.successor_id, unit__path__startswith=handover.unit.path).first()
        if successor is None:
            raise ActionError(_("Choose the successor from the unit's cadres."), field="successor_id")
    if payload.supervisor:
        supervisor = get_user_model().objects.filter(username=payload.supervisor).first()
        if supervisor is None:
            raise ActionError(_("No account has this user name."), field="supervisor")
    return _handover_detail(actions.set_handover_parties(actor=request.user, handover=handover, successor=successor, supervisor=supervisor))


@router.post("/handovers/{handover_id}/items", response=HandoverDetailOut, summary="Record the figures and notes of a checklist item")
def audits_handover_item(request, handover_id: Id, payload: HandoverItemIn):
    handover = queries.get_handover_for(request.user, handover_id)
    actions.record_handover_item(actor=request.user, handover=handover, item_id=payload.item_id, figures=payload.figures, notes=payload.notes)
    return _handover_detail(handover)


@router.post("/handovers/{handover_id}/items/{item_id}/files", response=HandoverDetailOut, summary="Attach a file to a checklist item (multipart form)")
def audits_handover_attach(request, handover_id: Id, item_id: Id, file: File[UploadedFile]):
    """PDF, JPEG, PNG, DOCX or XLSX, checked by size, content and structure before it is stored;
    only while no party has confirmed the handover."""
    handover = queries.get_handover_for(request.user, handover_id)
    actions.attach_handover_file(actor=request.user, handover=handover, item_id=item_id, upload=file)
    return _handover_detail(handover)


@router.post("/handovers/{handover_id}/confirmation", response=HandoverDetailOut, summary="Confirm the handover as one of its parties")
def audits_handover_sign(request, handover_id: Id, payload: SignIn):
    """The leaver and the successor through the account linked to their cadre record, the
    supervisor as the account named; a successor cannot confirm as supervisor."""
    handover = queries.get_handover_for(request.user, handover_id)
    actions.sign_handover(actor=request.user, handover=handover, party=payload.party)
    return _handover_detail(handover)
