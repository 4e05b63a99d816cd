"""Tenure limits and avoidance at appointment (DOMAIN.md §2, rules 11 and 12).

`appointment_findings(cadre, position, started_on)` lists what an appointment runs into, each
finding with its computation and basis. The appoint action refuses an appointment with findings
unless a reason to go on is recorded (it is journaled with the findings).

Tenure limits (《党政领导干部职务任期暂行规定》, 2006): a term is 5 years (art. 3); after two
consecutive terms in the same post — 10 years held without a break — no further appointment to it
(art. 6); after 15 years cumulated at the same level no further appointment at that level (art. 7).
A limit is reached on the day the span is complete: appointed 2016-03-01 without a break, a
re-appointment on 2026-03-01 reaches 10 years; on 2026-02-28 it does not.

Avoidance (《党政领导干部任职回避暂行规定》, 2006, art. 3): a recorded relative (spouse, lineal,
collateral, in-law) who is a serving cadre in the registry — identified by name and workplace
(and birth date when both are recorded) — may not serve in the same unit where either of them
leads, in a direct superior–subordinate line, nor in the organisation (personnel), discipline,
audit or finance office of a unit the relative leads. Art. 5: the principal of the district's
party committee, government, discipline commission, organisation department, court, procuratorate
or police does not serve where he comes from — the native places that count as this district are
a local setting (`registry.avoidance.native_places`; empty: not checked).
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiandu.core.practice import declare, get_setting

from .models import Cadre, Position, Relative, Tenure, Unit
from .queries import cadres_visible_to

TERM_YEARS = 5
CONSECUTIVE_TERMS = 2
SAME_LEVEL_YEARS = 15
# A break shorter than this between two tenures of the same post does not interrupt them
# (the day between an end of term and the re-appointment).
CONSECUTIVE_GAP_DAYS = 31
OFFICE_WORDS = ("组织", "人事", "纪检", "纪委", "监察", "审计", "财务", "会计")

TENURE_BASIS_TERMS = "《党政领导干部职务任期暂行规定》第三条、第六条"
TENURE_BASIS_LEVEL = "《党政领导干部职务任期暂行规定》第七条"
AVOIDANCE_BASIS = "《党政领导干部任职回避暂行规定》第三条"
NATIVE_BASIS = "《党政领导干部任职回避暂行规定》第五条"
NATIVE_UNIT_KINDS = (Unit.Kind.PARTY_COMMITTEE, Unit.Kind.GOVERNMENT, Unit.Kind.DISCIPLINE, Unit.Kind.COURT, Unit.Kind.PROCURATORATE)
NATIVE_UNIT_WORDS = ("组织部", "公安")

declare(
    "registry.avoidance.native_places",
    [],
    gettext_lazy("Native places that count as this district (native-place avoidance)"),
    gettext_lazy(
        "One per line, as written in the cadres' native place (for example 宁夏石嘴山). A cadre whose native place contains "
        "one of them is not appointed principal of the district's party committee, government, discipline commission, "
        "organisation department, court, procuratorate or police without a recorded reason. Empty: not checked."
    ),
    kind="list",
    mark="R",
    source=NATIVE_BASIS,
)


@dataclass(frozen=True)
class Finding:
    rule: str  # "tenure.consecutive_terms", "tenure.same_level", "avoidance.relative"
    text: str  # the computation, in words
    basis: str  # instrument and article


def years_before(day: dt.date, years: int) -> dt.date:
    """The same date `years` earlier (29 February → 28 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def _intervals(tenures, until: dt.date) -> list[tuple[dt.date, dt.date]]:
    """[start, end) spans up to `until`, overlaps merged, oldest first."""
    spans = sorted((t.started_on, min(t.ended_on or until, until)) for t in tenures if t.started_on < until)
    merged: list[list[dt.date]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(s, e) for s, e in merged]


def tenure_findings(cadre: Cadre, position: Position, started_on: dt.date) -> list[Finding]:
    findings = []
    past = list(Tenure.objects.filter(cadre=cadre, started_on__lt=started_on).select_related("position"))
    # Consecutive terms in the same post: walk back from the appointment while the breaks are short.
    same_post = sorted((t for t in past if t.position_id == position.pk), key=lambda t: t.started_on, reverse=True)
    chain_start, edge = None, started_on
    for tenure in same_post:
        end = tenure.ended_on or started_on
        if (edge - end).days > CONSECUTIVE_GAP_DAYS:
            break
        chain_start, edge = tenure.started_on, tenure.started_on
    limit_from = years_before(started_on, TERM_YEARS * CONSECUTIVE_TERMS)
    if chain_start is not None and chain_start <= limit_from:
        findings.append(
            Finding(
                "tenure.consecutive_terms",
                _(
                    "Has held %(post)s without a break since %(since)s: %(years)d years or more by %(on)s, "
                    "which is %(terms)d consecutive terms of %(term)d years; no further appointment to the same post."
                )
                % {
                    "post": position,
                    "since": chain_start.isoformat(),
                    "years": TERM_YEARS * CONSECUTIVE_TERMS,
                    "on": started_on.isoformat(),
                    "terms": CONSECUTIVE_TERMS,
                    "term": TERM_YEARS,
                },
                TENURE_BASIS_TERMS,
            )
        )
    if position.kind == Position.Kind.LEADING:
        spans = _intervals([t for t in past if t.position.kind == Position.Kind.LEADING and t.position.level == position.level], started_on)
        days = sum((end - start).days for start, end in spans)
        needed = (started_on - years_before(started_on, SAME_LEVEL_YEARS)).days
        if spans and days >= needed:
            findings.append(
                Finding(
                    "tenure.same_level",
                    _(
                        "Has held leading posts at the level %(level)s for %(days)d days in total between %(first)s and %(on)s, "
                        "which reaches %(years)d years (%(needed)d days); no further appointment at the same level unless a reason is recorded."
                    )
                    % {
                        "level": position.get_level_display(),
                        "days": days,
                        "first": spans[0][0].isoformat(),
                        "on": started_on.isoformat(),
                        "years": SAME_LEVEL_YEARS,
                        "needed": needed,
                    },
                    TENURE_BASIS_LEVEL,
                )
            )
    return findings


# --- avoidance ------------------------------------------------------------------------------------


def office_of(position: Position):
    """The unit whose organisation/personnel, discipline, audit or finance work this post does, or None."""
    if any(word in position.title for word in OFFICE_WORDS):
        return position.unit
    unit = position.unit
    if unit.parent_id and any(word in unit.name for word in OFFICE_WORDS):
        return unit.parent
    return None


def _works_at(relative: Relative, cadre: Cadre) -> bool:
    place = relative.work_unit.strip()
    if not place:
        return False
    unit = cadre.unit
    return unit.name in place or (unit.short_name and place == unit.short_name)


def relatives_in_registry(cadre: Cadre) -> list[tuple[Relative, Cadre, str]]:
    """(relative record, the serving cadre it is, how they relate) for both directions: the
    cadre's own relatives, and records of other cadres that name this cadre."""
    found = []
    own = list(cadre.relatives.filter(is_removed=False))
    if own:
        names = {r.name for r in own}
        candidates = Cadre.objects.filter(name__in=names, status=Cadre.Status.SERVING).exclude(pk=cadre.pk).select_related("unit")
        for relative in own:
            for other in candidates:
                if other.name == relative.name and _works_at(relative, other) and (not relative.birth_on or relative.birth_on == other.birth_on):
                    found.append((relative, other, relative.get_relation_display()))
    if cadre.status == Cadre.Status.SERVING:
        named = Relative.objects.filter(name=cadre.name, is_removed=False).exclude(cadre=cadre).select_related("cadre__unit")
        for relative in named:
            other = relative.cadre
            if other.status == Cadre.Status.SERVING and _works_at(relative, cadre) and (not relative.birth_on or relative.birth_on == cadre.birth_on):
                if not any(o.pk == other.pk for _r, o, _h in found):
                    found.append(
                        (relative, other, _("recorded by %(name)s as %(relation)s") % {"name": other.name, "relation": relative.get_relation_display()})
                    )
    return found


def _current_posts(cadre: Cadre) -> list[Position]:
    return [t.position for t in Tenure.objects.filter(cadre=cadre, ended_on__isnull=True).select_related("position__unit__parent")]


def pair_conflict(posts: list[Position], unit, other: Cadre) -> str | None:
    """Why the holder of `posts` (working at `unit`) and the relative `other` conflict, or None."""
    other_posts = _current_posts(other)
    other_leads = {p.unit_id for p in other_posts if p.kind == Position.Kind.LEADING}
    other_units = {other.unit_id} | {p.unit_id for p in other_posts}
    leads = {p.unit_id for p in posts if p.kind == Position.Kind.LEADING}
    for post in posts:
        office = office_of(post)
        if office is not None and office.pk in other_leads:
            return _("%(post)s is in the organisation, personnel, discipline, audit or finance work of %(unit)s, which %(name)s leads.") % {
                "post": post,
                "unit": office.name,
                "name": other.name,
            }
    for post in other_posts:
        office = office_of(post)
        if office is not None and office.pk in leads:
            return _("%(name)s works as %(post)s in the organisation, personnel, discipline, audit or finance work of %(unit)s, which this post leads.") % {
                "name": other.name,
                "post": post,
                "unit": office.name,
            }
    if unit.pk in other_units and (leads & {unit.pk} or unit.pk in other_leads):
        return _("Both serve in %(unit)s, where one of them leads.") % {"unit": unit.name}
    for post in posts:
        if post.kind != Position.Kind.LEADING:
            continue
        for other_post in other_posts:
            if other_post.kind != Position.Kind.LEADING:
                continue
            if post.unit.parent_id == other_post.unit_id or other_post.unit.parent_id == post.unit_id:
                return _("%(post)s and %(other)s are in a direct superior–subordinate line.") % {"post": post, "other": other_post}
    return None


def avoidance_findings(cadre: Cadre, position: Position, viewer=None) -> list[Finding]:
    """With a `viewer`, a relative the viewer may not see is not named (the conflict still counts)."""
    findings = []
    for _relative, other, how in relatives_in_registry(cadre):
        reason = pair_conflict([position], position.unit, other)
        if not reason:
            continue
        if viewer is not None and not cadres_visible_to(viewer).filter(pk=other.pk).exists():
            text = _("A relative recorded in the registry, outside the records you may see, serves where the avoidance rules forbid this post.")
        else:
            text = _("%(name)s (%(how)s, %(unit)s) is a relative: %(reason)s") % {"name": other.name, "how": how, "unit": other.unit.name, "reason": reason}
        findings.append(Finding("avoidance.relative", text, AVOIDANCE_BASIS))
    return findings


def native_place_findings(cadre: Cadre, position: Position) -> list[Finding]:
    unit = position.unit
    if not position.is_principal or not (unit.kind in NATIVE_UNIT_KINDS or any(word in unit.name for word in NATIVE_UNIT_WORDS)):
        return []
    native = cadre.native_place.strip()
    places = [place for place in get_setting("registry.avoidance.native_places") if place.strip()]
    hit = next((place for place in places if native and place.strip() in native), None)
    if hit is None:
        return []
    return [
        Finding(
            "avoidance.native_place",
            _("%(name)s's native place %(native)s is in this district (%(place)s); %(post)s is a principal post that is not held in one's native place.")
            % {"name": cadre.name, "native": native, "place": hit, "post": position},
            NATIVE_BASIS,
        )
    ]


def appointment_findings(cadre: Cadre, position: Position, started_on: dt.date, viewer=None) -> list[Finding]:
    return tenure_findings(cadre, position, started_on) + avoidance_findings(cadre, position, viewer) + native_place_findings(cadre, position)


def current_conflicts(cadres) -> list[dict]:
    """Avoidance conflicts among serving cadres as they hold posts today (the conflicts page).
    Each pair once; both cadres must be in `cadres` (the viewer's scope: a queryset, or a few
    cadres). The database finds the serving cadres whom another one's family record names (same
    name, the same birth date when one is recorded, working at their unit); only those are read
    and examined here, so a province of 100,000 cadres costs a few queries, not one per name."""
    scope = cadres if isinstance(cadres, QuerySet) else Cadre.objects.filter(pk__in=[cadre.pk for cadre in cadres])
    serving = scope.filter(status=Cadre.Status.SERVING).values("pk")
    naming = (
        Relative.objects.filter(is_removed=False, name=OuterRef("name"), cadre__in=serving)
        .exclude(cadre_id=OuterRef("pk"))
        .filter(Q(birth_on__isnull=True) | Q(birth_on=OuterRef("birth_on")))
        .filter(Q(work_unit__contains=OuterRef("unit__name")) | (Q(work_unit=OuterRef("unit__short_name")) & ~Q(work_unit="")))
    )
    named = Cadre.objects.filter(pk__in=serving).filter(Exists(naming)).select_related("unit").order_by("pk")
    by_name: dict[str, list[Cadre]] = {}
    for cadre in named:
        by_name.setdefault(cadre.name, []).append(cadre)
    if not by_name:
        return []
    records = Relative.objects.filter(is_removed=False, cadre__in=serving, name__in=list(by_name)).select_related("cadre__unit").order_by("cadre_id", "id")
    seen, rows = set(), []
    for relative in records:
        cadre = relative.cadre
        for other in by_name[relative.name]:
            key = frozenset((cadre.pk, other.pk))
            if other.pk == cadre.pk or key in seen or not _works_at(relative, other):
                continue
            if relative.birth_on and relative.birth_on != other.birth_on:
                continue
            seen.add(key)
            reason = pair_conflict(_current_posts(cadre), cadre.unit, other)
            if reason:
                rows.append({"cadre": cadre, "other": other, "how": relative.get_relation_display(), "reason": reason, "basis": AVOIDANCE_BASIS})
    return rows
