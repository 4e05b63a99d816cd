"""Dossier JSON API (/api/v1/dossier/): a cadre's supervision file as the caller may see it.
Journaled like the page (actions.record_view, via "api")."""

import datetime as dt

from ninja import Query, Router, Schema

from jiandu.accounts import access
from jiandu.core import timeline
from jiandu.core.api import Error, Id, InputSchema, text
from jiandu.core.masking import mask_id_number

from . import actions, queries
from .views import build

router = Router(tags=["dossier"])


class TimelineEntryOut(Schema):
    date: dt.date
    pillar: str
    kind: str
    title: str
    summary: str
    url: str
    sensitivity: str
    new: bool


class StatusOut(Schema):
    label: str
    text: str
    until: dt.date | None


class AlertOut(Schema):
    id: int
    rule: str
    severity: str
    text: str
    cadre_id: int | None
    raised_at: dt.datetime
    closed_at: dt.datetime | None
    acknowledged_at: dt.datetime | None
    note: str
    handled_at: dt.datetime | None
    handling_note: str


class AcknowledgeIn(InputSchema):
    note: text(2000, 1)


class ScanOut(Schema):
    raised: int
    updated: int
    closed: int
    failed: list[str]


class DossierOut(Schema):
    cadre_id: int
    name: str
    id_number: str
    unit: str
    posts: list[str]
    status: list[StatusOut]
    unavailable: list[str]
    entries: list[TimelineEntryOut]
    alerts: list[AlertOut]
    total: int = 0
    next: str = ""


class DossierQuery(Schema):
    pillar: str = ""
    year: int | None = None
    before: str = ""  # the previous answer's `next`: the entries older than its last
    limit: int = timeline.PAGE_SIZE


@router.get("/cadres/{cadre_id}", response=DossierOut, summary="A cadre's supervision file (timeline of every pillar)")
def dossier_cadre(request, cadre_id: Id, filters: Query[DossierQuery]):
    """The header and a page of the timeline, newest first (`limit`, at most 500; `next` continues
    as `before`)."""
    cadre = queries.get_cadre_for(request.user, cadre_id)
    pillar = filters.pillar if filters.pillar in {p.key for p in timeline.pillars()} else ""
    year = filters.year if filters.year and 1949 <= filters.year <= 2100 else None
    limit = min(max(filters.limit, 1), 500)
    previous = queries.previous_look(request.user, cadre)
    header, result = build(request.user, cadre, pillar=pillar, year=year, previous=previous, cursor=filters.before[:200], limit=limit)
    actions.record_view(actor=request.user, cadre=cadre, via="api", pillar=pillar, year=year, reads=result.journal)
    return {
        "cadre_id": cadre.pk,
        "name": cadre.name,
        "id_number": cadre.id_number if header["sensitive"] else mask_id_number(cadre.id_number),
        "unit": cadre.unit.name,
        "posts": header["posts"],
        "alerts": header["alerts"],
        "status": [{"label": f.label, "text": f.text, "until": f.until} for f in header["status"]],
        "unavailable": [str(p.label) for p in result.unavailable],
        "entries": [
            {
                "date": e.date,
                "pillar": e.pillar,
                "kind": e.kind,
                "title": e.title,
                "summary": e.summary,
                "url": e.url,
                "sensitivity": e.sensitivity,
                "new": bool(previous and e.recorded_at and e.recorded_at > previous),
            }
            for e in result.entries
        ],
        "total": result.total,
        "next": result.next_cursor,
    }


@router.post("/alerts/scan", response=ScanOut, summary="Run the early-warning scan now")
def dossier_scan_alerts(request):
    """Needs dossier.handle_alerts; journaled. Idempotent: a second run raises nothing new."""
    if not access.can(request.user, "dossier.handle_alerts"):
        raise access.NotVisible()
    return actions.scan_alerts(actor=request.user)


@router.post("/alerts/{alert_id}/acknowledgement", response={200: AlertOut, 400: Error}, summary="Acknowledge an early warning with a note")
def dossier_acknowledge_alert(request, alert_id: Id, payload: AcknowledgeIn):
    """Needs dossier.handle_alerts on the alert's unit; journaled."""
    alert = queries.get_alert_for(request.user, alert_id)
    return actions.acknowledge_alert(actor=request.user, alert=alert, note=payload.note)


@router.post("/alerts/{alert_id}/handling", response={200: AlertOut, 400: Error}, summary="Mark an early warning handled with a note")
def dossier_handle_alert(request, alert_id: Id, payload: AcknowledgeIn):
    """Needs dossier.handle_alerts on the alert's unit; journaled. A handled alert leaves the open
    list and stays handled while the same cause lasts."""
    alert = queries.get_alert_for(request.user, alert_id)
    return actions.handle_alert(actor=request.user, alert=alert, note=payload.note)
