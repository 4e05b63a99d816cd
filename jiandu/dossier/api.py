"""Dossier JSON API (/api/v1/dossier/): a cadre's supervision file as the caller may see it.
Journaled like the page (actions.record_view, via "api")."""

import datetime as dt

from ninja import Query, Router, Schema

from jiandu.core import timeline
from jiandu.core.api import Id
from jiandu.core.masking import mask_id_number

from . import actions, queries
from .views import build

router = Router(tags=["dossier"])


class EntryOut(Schema):
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


class DossierOut(Schema):
    cadre_id: int
    name: str
    id_number: str
    unit: str
    posts: list[str]
    status: list[StatusOut]
    unavailable: list[str]
    entries: list[EntryOut]


class DossierQuery(Schema):
    pillar: str = ""
    year: int | None = None


@router.get("/cadres/{cadre_id}", response=DossierOut, summary="A cadre's supervision file (timeline of every pillar)")
def dossier_cadre(request, cadre_id: Id, filters: Query[DossierQuery]):
    cadre = queries.get_cadre_for(request.user, cadre_id)
    pillar = filters.pillar if filters.pillar in {p.key for p in timeline.pillars()} else ""
    year = filters.year if filters.year and 1949 <= filters.year <= 2100 else None
    previous = actions.record_view(actor=request.user, cadre=cadre, via="api", pillar=pillar, year=year)
    header, result = build(request.user, cadre, pillar=pillar, year=year)
    return {
        "cadre_id": cadre.pk,
        "name": cadre.name,
        "id_number": cadre.id_number if header["sensitive"] else mask_id_number(cadre.id_number),
        "unit": cadre.unit.name,
        "posts": header["posts"],
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
    }
