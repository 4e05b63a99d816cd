"""What the parts of the registry API share: the router, the value types, the tenure schemas that units and cadres show."""

import datetime as dt
from typing import Literal

from ninja import Router, Schema

from jiandu.core.api import Ref, optional

from .. import queries
from ..models import Cadre, LeadershipLevel, Position, Rank, Tenure, Unit

router = Router(tags=["registry"])

UnitKind = Literal[tuple(Unit.Kind.values)]
RankValue = Literal[("", *Rank.values)]  # "": not recorded
LevelValue = Literal[("", *LeadershipLevel.values)]  # "": no leading post
Gender = Literal[tuple(Cadre.Gender.values)]
PoliticalStatus = Literal[tuple(Cadre.PoliticalStatus.values)]
Education = Literal[tuple(Cadre.Education.values)]
CadreStatus = Literal[tuple(Cadre.Status.values)]
PositionKind = Literal[tuple(Position.Kind.values)]
StartMethod = Literal[tuple(Tenure.StartMethod.values)]
EndReason = Literal[tuple(Tenure.EndReason.values)]
CadreSort = Literal["name", "-name", "strokes", "-strokes", "post", "-post", "birth", "-birth", "unit", "-unit", "rank", "-rank"]
MAX_HEADCOUNT = 32767


def _subtree(qs, user, unit_id: int | None, path_field: str):
    """Rows under a unit the user can see (none when the unit is not visible)."""
    if unit_id is None:
        return qs
    unit = queries.units_visible_to(user).filter(pk=unit_id).first()
    return qs.filter(**{f"{path_field}__startswith": unit.path}) if unit else qs.none()


# --- tenures (schemas first: units and cadres show them) -----------------------------------


class PositionRef(Schema):
    id: int
    title: str
    unit: Ref

    @staticmethod
    def resolve_unit(obj):
        return {"id": obj.unit_id, "name": obj.unit.name}


class TenureOut(Schema):
    id: int
    cadre: Ref
    position: PositionRef
    started_on: dt.date
    start_method: StartMethod
    ended_on: dt.date | None
    end_reason: EndReason | Literal[""]
    is_acting: bool
    is_current: bool
    note: str


def _tenures(user):
    return queries.tenures_visible_to(user).select_related("cadre", "position__unit")


class TeamQuery(Schema):
    on: dt.date = optional(description="the team on this date; leave out for today's")
