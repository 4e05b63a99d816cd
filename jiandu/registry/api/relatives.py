"""Registry API: a cadre's family members (家庭成员) and their emigration (移居国（境）外), which
selection's art. 24 (5) block reads. Family records are sensitive: writing them needs
registry.manage and registry.view_sensitive on the cadre's unit (as the cadre page's form); a
cadre or record out of reach is 404."""

import datetime as dt
from typing import Literal

from ninja import Field as F
from ninja import Schema

from jiandu.accounts import access
from jiandu.core.api import Id, InputSchema, text

from .. import actions, queries
from ..models import Relative
from .common import router

RelationValue = Literal[tuple(Relative.Relation.values)]


class RelativeOut(Schema):
    id: int
    cadre_id: int
    relation: RelationValue
    relation_label: str
    name: str
    birth_on: dt.date | None
    political_status: str
    work_unit: str
    post: str
    emigrated_on: dt.date | None = F(description="the day the family member settled abroad; null: not emigrated")


class RelativeIn(InputSchema):
    relation: RelationValue
    name: text(50, 1)
    birth_on: dt.date | None = None
    political_status: text(20) = ""
    work_unit: text(100) = ""
    post: text(100) = ""
    emigrated_on: dt.date | None = F(None, description="the day the family member settled abroad, if they did; not in the future")


class EmigrationIn(InputSchema):
    emigrated_on: dt.date | None = F(description="the day the family member settled abroad; null clears it")


def relative_out(relative: Relative) -> dict:
    return {
        "id": relative.pk,
        "cadre_id": relative.cadre_id,
        "relation": relative.relation,
        "relation_label": str(relative.get_relation_display()),
        "name": relative.name,
        "birth_on": relative.birth_on,
        "political_status": relative.political_status,
        "work_unit": relative.work_unit,
        "post": relative.post,
        "emigrated_on": relative.emigrated_on,
    }


def _managed_cadre(user, cadre_id):
    cadre = queries.get_cadre_for(user, cadre_id, "registry.manage")
    if not queries.may_see_sensitive(user, cadre):
        raise access.NotVisible()
    return cadre


@router.post("/cadres/{cadre_id}/relatives", response={201: RelativeOut}, summary="Record a family member of a cadre (with the emigration day, if any)")
def add_relative(request, cadre_id: Id, payload: RelativeIn):
    cadre = _managed_cadre(request.user, cadre_id)
    relative = actions.add_relative(actor=request.user, cadre=cadre, **payload.model_dump())
    return 201, relative_out(relative)


@router.patch("/relatives/{relative_id}/emigration", response=RelativeOut, summary="Record or clear a family member's emigration day")
def record_emigration(request, relative_id: Id, payload: EmigrationIn):
    relative = Relative.objects.filter(pk=relative_id, is_removed=False).select_related("cadre").first()
    if relative is None:
        raise access.NotVisible()
    _managed_cadre(request.user, relative.cadre_id)
    relative = actions.record_emigration(actor=request.user, relative=relative, emigrated_on=payload.emigrated_on)
    return relative_out(relative)
