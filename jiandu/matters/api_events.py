"""JSON API of changes reported between the yearly reports (事项变化随时报告, 规定 art. 6): the
officers' list (journaled) and a report — the cadre's own, or an officer's paper record."""

import datetime as dt

from ninja import Query, Schema

from jiandu.accounts import access
from jiandu.core.api import Id, InputSchema, Page, PageQuery, paginate, text
from jiandu.registry.models import Cadre

from . import actions, queries
from .api import Holder, KindCode, router


class EventIn(InputSchema):
    cadre_id: Id
    kind: KindCode
    event_on: dt.date
    received_on: dt.date | None = None
    holder: Holder = "self"
    holder_name: text(50) = ""
    values: dict[str, text(200)] = {}


class EventOut(Schema):
    id: int
    cadre_id: int
    cadre: str
    kind: str
    holder: str
    holder_name: str
    values: dict
    event_on: dt.date
    due_on: dt.date
    reported_on: dt.date
    late: bool


def _event(e) -> dict:
    return {
        "id": e.pk,
        "cadre_id": e.cadre_id,
        "cadre": e.cadre.name,
        "kind": e.kind,
        "holder": e.holder,
        "holder_name": e.holder_name,
        "values": e.values,
        "event_on": e.event_on,
        "due_on": e.due_on,
        "reported_on": e.reported_on,
        "late": e.is_late,
    }


@router.get("/changes", response=Page[EventOut], summary="Reported changes of personal matters (journaled)")
def matters_events(request, page: Query[PageQuery], late: bool = False):
    qs = queries.late_events(request.user) if late else queries.events_visible_to(request.user)
    qs = qs.order_by("-reported_on", "-id")
    actions.record_view(actor=request.user, events=qs.count())
    return paginate(qs, page, _event)


@router.post("/changes", response={201: EventOut}, summary="Report a change of personal matters")
def matters_report_event(request, payload: EventIn):
    """The cadre's own report (dated today), or an officer's paper record with `received_on`."""
    cadre = Cadre.objects.select_related("unit").filter(pk=payload.cadre_id).first()
    if cadre is None:
        raise access.NotVisible()
    data = payload.model_dump()
    data.pop("cadre_id")
    return 201, _event(actions.report_event(actor=request.user, cadre=cadre, **data))
