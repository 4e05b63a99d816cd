"""Registry reads scoped by access.py. Not visible is 404 (access.NotVisible)."""

import datetime as dt
from functools import lru_cache

from django.db.models import Case, Count, DateField, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce, Concat, TruncYear

from jiandu.accounts import access
from jiandu.core import events
from jiandu.core.listing import order_by_sort

from .models import Cadre, LeadershipLevel, Position, Rank, Tenure, Unit


def units_visible_to(user, perm: str = "registry.view") -> QuerySet[Unit]:
    return Unit.objects.filter(access.scope_q(user, perm, "path"))


def cadres_visible_to(user, perm: str = "registry.view") -> QuerySet[Cadre]:
    return Cadre.objects.filter(access.scope_q(user, perm, "unit__path")).select_related("unit")


def positions_visible_to(user, perm: str = "registry.view") -> QuerySet[Position]:
    return Position.objects.filter(access.scope_q(user, perm, "unit__path")).select_related("unit")


def tenures_visible_to(user, perm: str = "registry.view") -> QuerySet[Tenure]:
    return Tenure.objects.filter(access.scope_q(user, perm, "position__unit__path")).select_related("cadre", "position__unit")


def get_unit_for(user, pk, perm: str = "registry.view") -> Unit:
    unit = units_visible_to(user, perm).filter(pk=pk).first()
    if unit is None:
        raise access.NotVisible()
    return unit


def openable_cadre_ids(user, cadre_ids) -> set[int]:
    """Of these cadres, those whose record opens for `user` (a page links a cadre's name only
    then: a tenure in the user's units may be held by a cadre who has since moved elsewhere)."""
    ids = set(cadre_ids)
    visible = set(cadres_visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))
    own = getattr(user, "cadre_id", None)
    if own in ids and access.can(user, "self.view"):
        visible.add(own)
    return visible


def get_cadre_for(user, pk, perm: str = "registry.view") -> Cadre:
    """A cadre in the user's scope, or the user's own record in self service."""
    cadre = cadres_visible_to(user, perm).filter(pk=pk).first()
    if cadre is None and perm == "registry.view" and getattr(user, "cadre_id", None) == _int(pk) and access.can(user, "self.view"):
        cadre = Cadre.objects.select_related("unit").filter(pk=pk).first()
    if cadre is None:
        raise access.NotVisible()
    return cadre


def get_position_for(user, pk, perm: str = "registry.view") -> Position:
    position = positions_visible_to(user, perm).filter(pk=pk).first()
    if position is None:
        raise access.NotVisible()
    return position


def get_tenure_for(user, pk, perm: str = "registry.view") -> Tenure:
    tenure = tenures_visible_to(user, perm).filter(pk=pk).first()
    if tenure is None:
        raise access.NotVisible()
    return tenure


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def may_see_sensitive(user, cadre: Cadre) -> bool:
    """ID number and phone in clear: registry.view_sensitive on the cadre's unit, or oneself."""
    return access.can(user, "registry.view_sensitive", cadre.unit) or access.is_self(user, cadre)


def sensitive_q(user) -> Q:
    """The cadres whose ID number, phone and birth date `user` may see in clear: may_see_sensitive
    as a filter on cadres."""
    q = access.scope_q(user, "registry.view_sensitive", "unit__path")
    cadre_id = getattr(user, "cadre_id", None)
    if cadre_id and access.is_self(user, cadre_id):
        q |= Q(pk=cadre_id)
    return q


def sensitive_checker(user):
    """A fast per-unit-path `may_see_sensitive(user, cadre)` for lists and exports."""
    cache: dict[str, bool] = {}

    def may_see(cadre) -> bool:
        path = cadre.unit.path
        if path not in cache:
            cache[path] = access.can(user, "registry.view_sensitive", path)
        return cache[path] or access.is_self(user, cadre)

    return may_see


SEARCH_SELECTIVE = 500  # matches up to which a search reads its rows by key


def search_cadres(qs: QuerySet[Cadre], text: str, *, user) -> QuerySet[Cadre]:
    """Name, pinyin, pinyin initials (e.g. "zwm" for 张伟明) or the last digits of an ID number.
    The ID number is searched only among the cadres whose ID number `user` may see in clear:
    elsewhere the search would reveal the digits the mask hides (docs/decisions/0007)."""
    text = (text or "").strip().replace("\x00", "")  # PostgreSQL cannot compare NUL
    if not text:
        return qs
    lowered = text.lower()
    q = Q(name__contains=text) | Q(name_initials__startswith=lowered) | Q(name_pinyin__startswith=lowered)
    if 4 <= len(text) <= 6 and text[:-1].isdigit() and (text[-1].isdigit() or text[-1] in "xX"):
        q |= Q(id_number__endswith=text.upper()) & sensitive_q(user)  # the check character may be X
    found = qs.filter(q)
    # At a province's size the planner, asked for a sorted first page, walks the sort key's index
    # and filters row by row (it cannot estimate how few rows a name matches): 100 ms and more for
    # a rare name. The matches are found first, through the search indexes (registry migration
    # 0005); a selective search then reads only its own rows. A broad one (a single letter) keeps
    # the walk, which is quick when matches are dense.
    ids = list(found.order_by().values_list("pk", flat=True)[: SEARCH_SELECTIVE + 1])
    return qs.filter(pk__in=ids) if len(ids) <= SEARCH_SELECTIVE else found


def leadership_team(unit: Unit, on: dt.date | None = None) -> QuerySet[Tenure]:
    """The unit's leadership team: current (or on a date) tenures of its leading positions."""
    qs = Tenure.objects.filter(position__unit=unit, position__kind=Position.Kind.LEADING).select_related("cadre", "position")
    if on is None:
        qs = qs.filter(ended_on__isnull=True)
    else:
        qs = qs.filter(started_on__lte=on).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=on))
    return qs.order_by("-position__is_principal", "position__order", "position_id")


def current_tenures(cadre: Cadre) -> QuerySet[Tenure]:
    return cadre.tenures.filter(ended_on__isnull=True).select_related("position__unit")


def departures_unhandled(consumer: str | None = None):
    """Departure events that a consumer (e.g. the audit app) has not yet handled."""
    return events.unhandled("registry.departure", consumer)


def unit_tree(units: QuerySet[Unit]) -> list[Unit]:
    """Units in tree order (materialised path), for indented display."""
    return list(units.order_by("path"))


def opened_units(visible: QuerySet[Unit], selected) -> tuple[QuerySet[Unit], set[int]]:
    """A tree shown a level at a time, bounded by its breadth and not by its size: the top units
    of `visible` and their sub-units, then the sub-units of each unit on the way down to the
    `selected` one (an id or text; ignored when not visible). Returns the units in tree order and
    the ids of the units whose sub-units are shown."""
    tops = [pk for (pk,) in visible.exclude(parent__in=visible).values_list("pk")]
    opened = set(tops)
    text = str(selected or "")
    chosen = visible.filter(pk=int(text)).only("path").first() if text.isascii() and text.isdigit() and len(text) < 18 else None
    if chosen is not None:
        # Ancestors from the path ("000001/000012/000345/"), the chosen unit included.
        opened.update(int(part) for part in chosen.path.strip("/").split("/"))
    return visible.filter(Q(pk__in=tops) | Q(parent_id__in=opened)).order_by("path"), opened


def unit_filter_choices(user, selected, perm: str = "registry.view") -> list[Unit]:
    """The options of a list's "unit (and below)" filter (opened_units): a province of 2,000 units
    offers some dozens at a time; choosing a unit and filtering opens the next level."""
    units, _opened = opened_units(units_visible_to(user, perm), selected)
    return list(units.only("pk", "name", "depth", "path"))


# --- list filters (shared by the pages, their xlsx exports and the API) ----------------------

# "strokes" (姓氏笔画) and "post" (职务排序) are ordered by order_cadres itself.
CADRE_SORTS = {
    "name": "sort_pinyin",
    "strokes": "sort_strokes",
    "post": "sort_strokes",
    "birth": "birth_on",
    "unit": "unit__path",
    "rank": "rank",
    "status": "status",
}
POSITION_SORTS = {"title": "title", "unit": "unit__path", "level": "level", "kind": "kind"}
TENURE_SORTS = {"cadre": "cadre__name_pinyin", "position": "position__title", "unit": "position__unit__path", "started": "started_on", "ended": "ended_on"}


def within_unit(qs: QuerySet, user, unit_id, path_field: str) -> QuerySet:
    """Rows in a unit and below, when that unit is visible to `user`; nothing otherwise."""
    if unit_id in (None, ""):
        return qs
    unit = units_visible_to(user).filter(pk=_int(unit_id)).first() if _int(unit_id) else None
    if unit is None:
        return qs.none()
    return qs.filter(**{f"{path_field}__startswith": unit.path})


def filter_cadres(user, *, q: str = "", unit=None, status: str = "", rank: str = "", leadership_level: str = "", sort: str = "") -> QuerySet[Cadre]:
    qs = search_cadres(cadres_visible_to(user), q, user=user)
    qs = within_unit(qs, user, unit, "unit__path")
    if status:
        qs = qs.filter(status=status)
    if rank:
        qs = qs.filter(rank=rank)
    if leadership_level:
        qs = qs.filter(leadership_level=leadership_level)
    qs = order_cadres(qs, user, sort)
    if q.strip() and tuple(qs.query.order_by) in (("sort_pinyin", "id"), ("-sort_pinyin", "id")):
        # A broad search (a surname, one letter: thousands of matches) sorted by name: the planner
        # walks the sort key's index and filters row by row, which is slow when the matches sit
        # late in the order (zh…: 170 ms at 100,000 cadres); the same order by an expression it
        # cannot walk is a top-N sort of the matches, at most a scan of the table (50 ms).
        key = Concat("sort_pinyin", Value(""))
        qs = qs.order_by(key.desc() if qs.query.order_by[0].startswith("-") else key.asc(), "id")
    return qs


def order_cadres(qs: QuerySet[Cadre], user, sort: str) -> QuerySet[Cadre]:
    """CADRE_SORTS for `user`. By birth, cadres whose birth date is masked for `user` sort by year
    of birth then name: the order within a year would tell the hidden birth dates apart."""
    if (sort or "").lstrip("-") == "post":
        return order_by_post(qs, descending=sort.startswith("-"))
    if (sort or "").lstrip("-") == "rank":
        return order_by_seniority(qs, descending=sort.startswith("-"))
    if (sort or "").lstrip("-") == "strokes":
        field = "-sort_strokes" if sort.startswith("-") else "sort_strokes"
        return qs.order_by(field, "sort_pinyin", "id")
    if (sort or "").lstrip("-") != "birth":
        return order_by_sort(qs, CADRE_SORTS, sort, "name")
    shown = Case(When(sensitive_q(user), then=F("birth_on")), default=TruncYear("birth_on"), output_field=DateField())
    qs = qs.annotate(birth_shown=shown)
    if sort.startswith("-"):
        return qs.order_by("-birth_shown", "name_pinyin", "id")
    return qs.order_by("birth_shown", "name_pinyin", "id")


def unit_order_ranks() -> dict[int, int]:
    """Unit id → its place in the district's official order: the tree walked with siblings by
    their `order` (then creation), so a unit's subunits follow it before its next sibling."""
    units = {u.pk: u for u in Unit.objects.only("pk", "parent_id", "order")}
    keys: dict[int, tuple] = {}

    def key(pk: int) -> tuple:
        if pk not in keys:
            unit = units[pk]
            keys[pk] = (key(unit.parent_id) if unit.parent_id in units else ()) + ((unit.order, unit.pk),)
        return keys[pk]

    return {pk: rank for rank, pk in enumerate(sorted(units, key=key))}


def order_by_seniority(qs: QuerySet[Cadre], *, descending: bool = False) -> QuerySet[Cadre]:
    """By leadership level (highest first; none last), then rank (一级巡视员 … 二级科员, then not a
    civil servant, then not recorded), then 姓氏笔画. `descending` reverses the two levels."""
    levels = LeadershipLevel.values[::-1]
    level_key = Case(*(When(leadership_level=v, then=Value(i)) for i, v in enumerate(levels)), default=Value(len(levels)), output_field=IntegerField())
    rank_key = Case(*(When(rank=v, then=Value(i)) for i, v in enumerate(Rank.values)), default=Value(len(Rank.values)), output_field=IntegerField())
    qs = qs.annotate(level_key=level_key, rank_key=rank_key)
    if descending:
        return qs.order_by("-level_key", "-rank_key", "sort_strokes", "id")
    return qs.order_by("level_key", "rank_key", "sort_strokes", "id")


def order_by_post(qs: QuerySet[Cadre], *, descending: bool = False) -> QuerySet[Cadre]:
    """职务排序: by the unit's order, then the position's order, of the cadre's first current post
    (in that same order); cadres without a current post last; then 姓氏笔画."""
    ranks = unit_order_ranks()
    unit_rank = Case(*(When(position__unit_id=pk, then=Value(rank)) for pk, rank in ranks.items()), default=Value(len(ranks)), output_field=IntegerField())
    first = (
        Tenure.objects.filter(cadre=OuterRef("pk"), ended_on__isnull=True).annotate(unit_rank=unit_rank).order_by("unit_rank", "position__order", "position_id")
    )
    qs = qs.annotate(
        post_unit=Subquery(first.values("unit_rank")[:1]),
        post_order=Subquery(first.values("position__order")[:1]),
        post_id=Subquery(first.values("position_id")[:1]),
    )
    keys = [F(k).desc(nulls_last=True) if descending else F(k).asc(nulls_last=True) for k in ("post_unit", "post_order", "post_id")]
    return qs.order_by(*keys, "sort_strokes", "id")


def with_current_tenures(qs: QuerySet[Cadre]) -> QuerySet[Cadre]:
    """Each cadre with `.current_tenures` (position and unit loaded) for lists and exports."""
    current = Tenure.objects.filter(ended_on__isnull=True).select_related("position__unit").order_by("-position__is_principal", "started_on")
    return qs.prefetch_related(Prefetch("tenures", queryset=current, to_attr="current_tenures"))


def filter_positions(user, *, q: str = "", unit=None, kind: str = "", flag: str = "", active: str = "", sort: str = "") -> QuerySet[Position]:
    qs = positions_visible_to(user)
    if q:
        qs = qs.filter(Q(title__contains=q.strip()) | Q(unit__name__contains=q.strip()))
    qs = within_unit(qs, user, unit, "unit__path")
    if kind:
        qs = qs.filter(kind=kind)
    if flag == "principal":
        qs = qs.filter(is_principal=True)
    elif flag == "financial":
        qs = qs.filter(has_financial_authority=True)
    if active == "yes":
        qs = qs.filter(is_active=True)
    elif active == "no":
        qs = qs.filter(is_active=False)
    # Counted per row shown (a subquery), not by joining every tenure of every post before the page
    # is cut: 500,000 tenures made that join most of the page's time (issue 17).
    current = Tenure.objects.filter(position=OuterRef("pk"), ended_on__isnull=True).order_by().values("position").annotate(n=Count("pk")).values("n")
    qs = qs.annotate(current_count=Coalesce(Subquery(current, output_field=IntegerField()), 0))
    return order_by_sort(qs, POSITION_SORTS, sort, "unit")


def filter_tenures(user, *, q: str = "", unit=None, state: str = "", started_from=None, started_to=None, sort: str = "") -> QuerySet[Tenure]:
    qs = tenures_visible_to(user)
    if q:
        matching = search_cadres(Cadre.objects.all(), q, user=user).values("pk")
        qs = qs.filter(Q(cadre__in=matching) | Q(position__title__contains=q.strip()))
    qs = within_unit(qs, user, unit, "position__unit__path")
    if state == "current":
        qs = qs.filter(ended_on__isnull=True)
    elif state == "ended":
        qs = qs.filter(ended_on__isnull=False)
    if started_from:
        qs = qs.filter(started_on__gte=started_from)
    if started_to:
        qs = qs.filter(started_on__lte=started_to)
    return order_by_sort(qs, TENURE_SORTS, sort or "-started", "started")


def unit_full_names() -> dict[int, str]:
    """Unit id → its names from the top, "区委/组织部/干部监督科" (imports and exports name units so)."""
    names: dict[int, str] = {}
    for pk, name, parent_id in Unit.objects.order_by("path").values_list("pk", "name", "parent_id"):
        names[pk] = f"{names[parent_id]}/{name}" if parent_id in names else name
    return names


def unit_initials(name: str) -> str:
    return _unit_pinyin(name)[1]


@lru_cache(maxsize=4096)
def _unit_pinyin(name: str) -> tuple[str, str]:
    from pypinyin import Style, lazy_pinyin

    return "".join(lazy_pinyin(name, errors="ignore")).lower(), "".join(lazy_pinyin(name, style=Style.FIRST_LETTER, errors="ignore")).lower()


def search_units(qs: QuerySet[Unit], text: str, limit: int = 50) -> list[Unit]:
    """Units whose name or short name contains `text`, or whose pinyin (initials) starts with it."""
    text = (text or "").strip()
    units = list(qs.order_by("path"))
    if text:
        lowered = text.lower()
        units = [
            u
            for u in units
            if text in u.name
            or (u.short_name and text in u.short_name)
            or _unit_pinyin(u.name)[0].startswith(lowered)
            or _unit_pinyin(u.name)[1].startswith(lowered)
        ]
    return units[:limit]


def search_positions(qs: QuerySet[Position], text: str) -> QuerySet[Position]:
    text = (text or "").strip()
    if not text:
        return qs
    return qs.filter(Q(title__contains=text) | Q(unit__name__contains=text) | Q(unit__short_name__contains=text))


def relatives_of(cadre: Cadre):
    """(current, removed) family records of a cadre."""
    rows = list(cadre.relatives.all())
    return [r for r in rows if not r.is_removed], [r for r in rows if r.is_removed]
