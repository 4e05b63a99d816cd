"""Registry API: cadres (personal data masked unless the caller may see it in clear)."""

import datetime as dt

from ninja import Field as F
from ninja import Query, Schema

from jiandu.accounts import access
from jiandu.core.api import Id, InputSchema, Page, PageQuery, Ref, optional, paginate, text
from jiandu.core.masking import mask_id_number, mask_phone

from .. import actions, queries
from ..models import Cadre
from .common import CadreSort, CadreStatus, Education, Gender, LevelValue, PoliticalStatus, RankValue, TenureOut, _subtree, router

# --- cadres --------------------------------------------------------------------------------


class CadreOut(Schema):
    id: int
    name: str
    gender: Gender
    birth_on: dt.date | None = F(description="null unless you may see it (sensitive_visible); birth_year always")
    birth_year: int
    unit: Ref
    leadership_level: LevelValue
    leadership_level_label: str
    rank: RankValue
    rank_label: str
    status: CadreStatus
    political_status: PoliticalStatus
    education: Education
    managed_by_district: bool
    id_number: str = F(description="masked (64**************34) unless you may see it")
    phone: str = F(description="masked (138****5678) unless you may see it")
    sensitive_visible: bool = F(description="whether id_number and phone are shown in clear")


class CadreDetail(CadreOut):
    ethnicity: str
    native_place: str
    work_start_on: dt.date | None
    party_join_on: dt.date | None
    current_tenures: list[TenureOut]
    created_at: dt.datetime
    updated_at: dt.datetime


def cadre_out(user, cadre: Cadre, *, detail: bool = False) -> dict:
    """A cadre as the API shows it to `user`: sensitive fields masked unless allowed."""
    visible = queries.may_see_sensitive(user, cadre)
    data = {
        "id": cadre.pk,
        "name": cadre.name,
        "gender": cadre.gender,
        "birth_on": cadre.birth_on if visible else None,
        "birth_year": cadre.birth_on.year,
        "unit": {"id": cadre.unit_id, "name": cadre.unit.name},
        "leadership_level": cadre.leadership_level,
        "leadership_level_label": str(cadre.get_leadership_level_display()),
        "rank": cadre.rank,
        "rank_label": str(cadre.get_rank_display()),
        "status": cadre.status,
        "political_status": cadre.political_status,
        "education": cadre.education,
        "managed_by_district": cadre.managed_by_district,
        "id_number": cadre.id_number if visible else mask_id_number(cadre.id_number),
        "phone": cadre.phone if visible else mask_phone(cadre.phone),
        "sensitive_visible": visible,
    }
    if detail:
        data.update(
            ethnicity=cadre.ethnicity,
            native_place=cadre.native_place,
            work_start_on=cadre.work_start_on,
            party_join_on=cadre.party_join_on,
            current_tenures=list(queries.current_tenures(cadre).select_related("cadre", "position__unit")),
            created_at=cadre.created_at,
            updated_at=cadre.updated_at,
        )
    return data


class CadreFilters(PageQuery):
    q: text(50) = optional(
        description="name, full pinyin or pinyin initials (zwm), or the last 4–6 characters of the ID number (matched only where you may see ID numbers in clear)"
    )
    unit: Id = optional(description="this unit and the units below it")
    status: CadreStatus = optional()
    leadership_level: LevelValue = optional()
    rank: RankValue = optional()
    sort: CadreSort = "name"


class CadreIn(InputSchema):
    unit_id: Id
    name: text(50, 1)
    gender: Gender
    birth_on: dt.date
    id_number: text(30, 1) = F(description="18 characters, GB 11643 (check digit verified)")
    ethnicity: text(20, 1) = "汉族"
    native_place: text(100) = ""
    political_status: PoliticalStatus = Cadre.PoliticalStatus.CPC.value
    education: Education = Cadre.Education.BACHELOR.value
    leadership_level: LevelValue = ""
    rank: RankValue = ""
    phone: text(20) = ""
    work_start_on: dt.date | None = None
    party_join_on: dt.date | None = None
    managed_by_district: bool = False
    status: CadreStatus = Cadre.Status.SERVING.value


class CadrePatch(InputSchema):
    name: text(50, 1) = optional()
    gender: Gender = optional()
    birth_on: dt.date = optional()
    id_number: text(30, 1) = optional()
    ethnicity: text(20, 1) = optional()
    native_place: text(100) = optional()
    political_status: PoliticalStatus = optional()
    education: Education = optional()
    leadership_level: LevelValue = optional()
    rank: RankValue = optional()
    phone: text(20) = optional()
    work_start_on: dt.date | None = optional()
    party_join_on: dt.date | None = optional()
    managed_by_district: bool = optional()
    status: CadreStatus = optional()


class CadreMove(InputSchema):
    unit_id: Id


@router.get("/cadres", response=Page[CadreOut], summary="List cadres")
def list_cadres(request, filters: Query[CadreFilters]):
    user = request.user
    access.require(user, "registry.view")
    qs = queries.search_cadres(queries.cadres_visible_to(user), filters.q or "", user=user)
    qs = _subtree(qs, user, filters.unit, "unit__path")
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.rank:
        qs = qs.filter(rank=filters.rank)
    if filters.leadership_level:
        qs = qs.filter(leadership_level=filters.leadership_level)
    qs = queries.order_cadres(qs.select_related("unit"), user, filters.sort)
    in_clear = []

    def out(cadre):
        data = cadre_out(user, cadre)
        if data["sensitive_visible"]:
            in_clear.append(cadre)
        return data

    result = paginate(qs, filters, out)
    actions.record_sensitive_list_view(actor=user, cadres=in_clear, via="api")
    return result


@router.get("/cadres/{cadre_id}", response=CadreDetail, summary="One cadre, with current tenures")
def get_cadre(request, cadre_id: Id):
    cadre = queries.get_cadre_for(request.user, cadre_id)
    data = cadre_out(request.user, cadre, detail=True)
    if data["sensitive_visible"]:
        actions.record_sensitive_view(actor=request.user, cadre=cadre, page="api")
    return data


@router.post("/cadres", response={201: CadreDetail}, summary="Register a cadre")
def create_cadre(request, payload: CadreIn):
    unit = queries.get_unit_for(request.user, payload.unit_id)
    cadre = actions.create_cadre(actor=request.user, unit=unit, **payload.model_dump(exclude={"unit_id"}))
    return 201, cadre_out(request.user, cadre, detail=True)


@router.patch("/cadres/{cadre_id}", response=CadreDetail, summary="Change a cadre's personal data")
def update_cadre(request, cadre_id: Id, payload: CadrePatch):
    cadre = queries.get_cadre_for(request.user, cadre_id)
    cadre = actions.update_cadre(actor=request.user, cadre=cadre, **payload.model_dump(exclude_unset=True))
    return cadre_out(request.user, cadre, detail=True)


@router.post("/cadres/{cadre_id}/move", response=CadreDetail, summary="Move a cadre to another unit")
def move_cadre(request, cadre_id: Id, payload: CadreMove):
    cadre = queries.get_cadre_for(request.user, cadre_id)
    unit = queries.get_unit_for(request.user, payload.unit_id)
    cadre = actions.move_cadre(actor=request.user, cadre=cadre, unit=unit)
    return cadre_out(request.user, cadre, detail=True)
