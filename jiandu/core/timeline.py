"""The cadre's supervision dossier (一人一档) as a registry of timeline sources.

The dossier (jiandu/dossier) imports no pillar's internals: each app that holds facts about a
cadre registers, in a `timeline.py` module imported by its `AppConfig.ready()`,

    from jiandu.core.timeline import Source, TimelineEntry, register_sources, register_status

    def sources(viewer, cadre) -> list[Source]: ...
    register_sources("oversight", sources, label=_("Daily supervision"), order=50)

A pillar's `sources(viewer, cadre)` returns, without querying, one `Source` per kind of fact: a
queryset of the rows the VIEWER may see (the owning app decides with its own queries and access
rules: scope, self service, sensitivity), the expressions of the common columns — the entry's
date, when it was recorded ("what changed"), and a payload (a JSON object of the row's values
the entry is written from) — and a formatter that turns one row into a `TimelineEntry` without
querying. The dossier combines every source into ONE `UNION ALL` query, filtered (year, since),
ordered (date, recording time, source, id — newest first) and cut to a page in SQL, with the
number of entries and of those new since the reader's last look counted by window functions in
the same query: the page costs the same few queries however long the cadre's history is. The
next page ("older") continues after the last row shown (a keyset cursor, `Page.next_cursor`).

A source may instead `load` its entries in Python (facts computed, not stored: the differences
between travel and reports); those are merged with the page in Python and cost their own queries.

After the rows of a page are formatted, a source's `shown(rows)` (the rows of its pillar on the
page) may return journal entries (the keyword arguments of `journal.record`) for what the reader
was just shown — clue reads, the
personal-matters officers' reads; the dossier journals them with its own view of the file, in
one write.

A pillar whose `sources()` raises, or whose formatter raises on a row, is "unavailable" on the
page; the rest still renders. When the combined query fails (one source's SQL is broken), every
source is read on its own (in a savepoint when a transaction is open) and the pillars whose
query fails are unavailable. The happy path runs without savepoints.

`register_status(pillar, provider)` adds facts to the dossier's header (influence periods …):
provider(viewer, cadre, today) -> [StatusFact].
"""

import datetime as dt
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import DatabaseError, connection, transaction
from django.db.models import DateTimeField, F, Value
from django.db.models.functions import JSONObject
from django.utils.dateparse import parse_datetime

log = logging.getLogger(__name__)

# Sensitivity of an entry: NORMAL facts of the file, SENSITIVE (personal; masked or left out of
# exports for viewers without registry.view_sensitive), SECRET (clues: only for the roles the
# owning app lets read them, and every view journaled by that app).
NORMAL = "normal"
SENSITIVE = "sensitive"
SECRET = "secret"
SENSITIVITIES = (NORMAL, SENSITIVE, SECRET)

PAGE_SIZE = 50
# A fact without a recording time (tenures, travel) sorts as recorded at this instant, never "new".
NOT_RECORDED = dt.datetime(1900, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class TimelineEntry:
    date: dt.date
    kind: str  # a short translated label: 任职, 函询, 诫勉 …
    pillar: str  # the registering pillar's key (set by the dossier when left empty)
    title: str
    summary: str = ""
    url: str = ""  # a page that opens for the viewer, or ""
    sensitivity: str = NORMAL
    recorded_at: dt.datetime | None = None  # when the fact entered the system ("what changed")
    key: str = ""  # stable id within the pillar, e.g. "talk:12"

    def __post_init__(self):
        if self.sensitivity not in SENSITIVITIES:
            raise ValueError(f"unknown sensitivity {self.sensitivity!r}")
        if not isinstance(self.date, dt.date):
            raise TypeError("a timeline entry needs a date")


@dataclass(frozen=True)
class StatusFact:
    """A line of the dossier's header: e.g. a running influence period, what it bars and until."""

    label: str
    text: str
    until: dt.date | None = None
    attention: bool = False
    url: str = ""


@dataclass(frozen=True)
class Row:
    """One fact of a source as the combined query returns it."""

    source: str
    pk: int
    date: dt.date
    recorded_at: dt.datetime | None
    data: dict

    def __getitem__(self, name):
        return self.data.get(name)


@dataclass(frozen=True)
class Source:
    """One kind of fact of a pillar (see the module's docstring).

    `key` is unique across the pillars ("oversight.talk"); `queryset` the rows the viewer may see;
    `date` and `recorded` are field names or expressions (`recorded` None: not recorded);
    `payload` maps the names the formatter reads to field names or expressions (JSON-able values:
    text, numbers, dates, booleans); `format(row)` returns the entry (or None to leave the row
    out); `shown(rows)` the journal entries for the rows of its pillar shown (called on every
    read of the page, also when none is shown). `load()` instead of a queryset:
    the entries computed in Python."""

    key: str
    format: Callable[[Row], "TimelineEntry | None"] | None = None
    queryset: Any = None
    date: Any = None
    recorded: Any = None
    payload: dict = field(default_factory=dict)
    shown: Callable[[list[Row]], list[dict]] | None = None
    load: Callable[[], list[TimelineEntry]] | None = None


Sources = Callable[..., list[Source]]
StatusProvider = Callable[..., list[StatusFact]]


@dataclass(frozen=True)
class Pillar:
    key: str
    label: str
    order: int
    sources: Sources


_pillars: dict[str, Pillar] = {}
_status: dict[str, StatusProvider] = {}


def register_sources(pillar: str, sources: Sources, *, label, order: int = 100) -> Sources:
    """Register (or replace: ready() may run twice) the timeline sources of `pillar`."""
    _pillars[pillar] = Pillar(pillar, label, order, sources)
    return sources


def register_status(pillar: str, provider: StatusProvider) -> StatusProvider:
    _status[pillar] = provider
    return provider


def pillars() -> list[Pillar]:
    return sorted(_pillars.values(), key=lambda p: (p.order, p.key))


@dataclass
class Timeline:
    entries: list[TimelineEntry] = field(default_factory=list)
    unavailable: list[Pillar] = field(default_factory=list)  # pillars that could not be read
    status: list[StatusFact] = field(default_factory=list)
    status_unavailable: bool = False
    total: int = 0  # entries in the whole (filtered) timeline, not only this page
    new_count: int = 0  # of those, recorded after `previous`
    next_cursor: str = ""  # where the older entries continue ("" when none)
    journal: list[dict] = field(default_factory=list)  # reads to journal (Source.shown)


# --- the combined query ---------------------------------------------------------------------------

_COLUMNS = ("tl_s", "tl_k", "tl_d", "tl_r", "tl_p")


def _expression(value):
    return F(value) if isinstance(value, str) else value


def _member_sql(source: Source) -> tuple[str, tuple]:
    """The source's rows as the common columns."""
    recorded = _expression(source.recorded) if source.recorded is not None else Value(NOT_RECORDED, output_field=DateTimeField())
    payload = JSONObject(**({name: _expression(value) for name, value in source.payload.items()} or {"_": Value(0)}))
    columns = dict(tl_s=Value(source.key), tl_k=F("pk"), tl_d=_expression(source.date), tl_r=recorded, tl_p=payload)
    qs = source.queryset.order_by().annotate(**columns).values_list(*columns)
    sql, params = qs.query.sql_with_params()
    # Django's compiled SQL of the queryset and fixed column names; every value is a parameter.
    return f"SELECT {', '.join(columns)} FROM ({sql}) tl_m", tuple(params)  # noqa: S608


def _date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _datetime(value) -> dt.datetime | None:
    if value is None:
        return None
    if not isinstance(value, dt.datetime):
        value = parse_datetime(str(value))
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return None if value <= NOT_RECORDED else value


def _row(values) -> Row:
    source, pk, day, recorded, payload = values[:5]
    if isinstance(payload, (str, bytes)):
        payload = json.loads(payload)
    return Row(source, int(pk), _date(day), _datetime(recorded), payload or {})


def _adapt_date(value: dt.date):
    return connection.ops.adapt_datefield_value(value)


def _adapt_datetime(value: dt.datetime):
    return connection.ops.adapt_datetimefield_value(value)


def encode_cursor(row: Row) -> str:
    recorded = row.recorded_at or NOT_RECORDED
    return f"{row.date.isoformat()}~{recorded.astimezone(dt.UTC).strftime('%Y%m%dT%H%M%S.%f')}~{row.source}~{row.pk}"


def decode_cursor(text: str):
    """(date, recorded, source, pk) from `encode_cursor`, or None when it is not one."""
    try:
        day, recorded, source, pk = str(text).split("~")
        return (
            dt.date.fromisoformat(day),
            dt.datetime.strptime(recorded, "%Y%m%dT%H%M%S.%f").replace(tzinfo=dt.UTC),
            source[:100],
            int(pk),
        )
    except (ValueError, TypeError):
        return None


def _filters(*, year, since, cursor) -> tuple[list[str], list]:
    """WHERE conditions on a member's common columns (year, recorded since, before the cursor)."""
    where, params = [], []
    if year is not None:
        where.append("tl_d >= %s AND tl_d < %s")
        params += [_adapt_date(dt.date(year, 1, 1)), _adapt_date(dt.date(year + 1, 1, 1))]
    if since is not None:
        where.append("tl_r > %s")
        params.append(_adapt_datetime(since))
    if cursor is not None:
        day, recorded, key, pk = cursor
        where.append("(tl_d < %s OR (tl_d = %s AND (tl_r < %s OR (tl_r = %s AND (tl_s < %s OR (tl_s = %s AND tl_k < %s))))))")
        d, r = _adapt_date(day), _adapt_datetime(recorded)
        params += [d, d, r, r, key, key, pk]
    return where, params


ORDER = "tl_d DESC, tl_r DESC, tl_s DESC, tl_k DESC"


def _combined(members: list[Source], *, year, since, previous, cursor, limit) -> tuple[list[Row], int, int]:
    """The rows of `members` (queryset sources) newest first: (page, total, new since `previous`).

    One statement: each member filtered, ordered and cut to the page on its own (so a row's
    payload is built only for the rows that may reach the page: the database sorts on the common
    columns first), their UNION ALL ordered and cut again; the counts (every filtered row, not
    only the page's; the cursor left out) by a second UNION ALL of the same members, cross-joined."""
    pages, page_params, counts, count_params = [], [], [], []
    where, where_params = _filters(year=year, since=since, cursor=cursor)
    count_where, count_where_params = _filters(year=year, since=since, cursor=None)
    for n, source in enumerate(members):
        try:
            sql, params = _member_sql(source)
        except EmptyResultSet:  # the viewer may see none of it (an empty scope)
            continue
        filtered = f"{sql}{' WHERE ' + ' AND '.join(where) if where else ''}"
        cut = f" ORDER BY {ORDER} LIMIT %s" if limit is not None else ""
        pages.append(f"SELECT * FROM ({filtered}{cut}) tl_p{n}")  # noqa: S608
        page_params += [*params, *where_params] + ([limit] if limit is not None else [])
        # the payload is never read here: the databases leave it unbuilt (the subquery is flattened)
        counts.append(f"SELECT tl_d, tl_r FROM ({sql}) tl_b{n}{' WHERE ' + ' AND '.join(count_where) if count_where else ''}")  # noqa: S608
        count_params += [*params, *count_where_params]
    if not pages:
        return [], 0, 0
    latest = _adapt_datetime(previous or dt.datetime.max.replace(tzinfo=dt.UTC))
    cut = " LIMIT %s" if limit is not None else ""
    sql = (
        f"SELECT u.tl_s, u.tl_k, u.tl_d, u.tl_r, u.tl_p, c.tl_total, c.tl_new FROM ({' UNION ALL '.join(pages)}) u "  # noqa: S608
        f"CROSS JOIN (SELECT COUNT(*) AS tl_total, SUM(CASE WHEN tl_r > %s THEN 1 ELSE 0 END) AS tl_new FROM ({' UNION ALL '.join(counts)}) tl_c) c "
        f"ORDER BY u.tl_d DESC, u.tl_r DESC, u.tl_s DESC, u.tl_k DESC{cut}"
    )
    all_params = [*page_params, latest, *count_params] + ([limit] if limit is not None else [])
    with connection.cursor() as cursor_:
        cursor_.execute(sql, all_params)
        fetched = cursor_.fetchall()
    total = int(fetched[0][5]) if fetched else 0
    new = int(fetched[0][6] or 0) if fetched else 0
    return [_row(values) for values in fetched], total, new


def _guarded(func, *args, **kwargs):
    """`func` in a savepoint when a transaction is open (a failed statement must not poison it on
    PostgreSQL); in autocommit — the pages — without one."""
    if connection.in_atomic_block:
        with transaction.atomic():
            return func(*args, **kwargs)
    return func(*args, **kwargs)


def collect(
    viewer,
    cadre,
    *,
    only: str = "",
    year: int | None = None,
    since: dt.datetime | None = None,
    today: dt.date | None = None,
    previous: dt.datetime | None = None,
    cursor: str = "",
    limit: int | None = None,
    leave_out: str = "",
    status: bool = True,
) -> Timeline:
    """Every registered pillar's entries for `viewer` about `cadre`, newest first; `only` keeps one
    pillar, `year` the entries dated in that year, `since` those recorded after it. `limit` cuts a
    page (continued by `cursor`, the previous page's `next_cursor`); without it every entry (the
    exports). `previous` (the reader's last look) counts the entries new since then. `leave_out`
    (a sensitivity) drops those entries before anything counts as shown (the exports: no clue)."""
    result = Timeline()
    by_key: dict[str, tuple[Pillar, Source]] = {}
    for pillar in pillars():
        if only and pillar.key != only:
            continue
        try:
            for source in pillar.sources(viewer, cadre) or ():
                by_key[source.key] = (pillar, source)
        except Exception:
            log.exception("timeline sources of %s failed", pillar.key)
            result.unavailable.append(pillar)
    members = [source for _pillar, source in by_key.values() if source.queryset is not None]
    position = decode_cursor(cursor) if cursor else None
    fetch = limit + 1 if limit is not None else None
    try:
        rows, total, new = _guarded(_combined, members, year=year, since=since, previous=previous, cursor=position, limit=fetch) if members else ([], 0, 0)
    except DatabaseError:
        log.exception("the combined timeline query failed; reading every source on its own")
        rows, total, new = [], 0, 0
        for source in members:
            pillar = by_key[source.key][0]
            if pillar in result.unavailable:
                continue
            try:
                part, n, m = _guarded(_combined, [source], year=year, since=since, previous=previous, cursor=position, limit=fetch)
            except DatabaseError:
                log.exception("timeline source %s failed", source.key)
                result.unavailable.append(pillar)
                continue
            rows += part
            total += n
            new += m
        rows.sort(key=lambda r: (r.date, r.recorded_at or NOT_RECORDED, r.source, r.pk), reverse=True)
        if fetch is not None:
            rows = rows[:fetch]
    entries: list[tuple[tuple, TimelineEntry, Row | None]] = []
    for row in rows:
        pillar, source = by_key[row.source]
        if pillar in result.unavailable:
            continue
        try:
            entry = source.format(row)
        except Exception:
            log.exception("timeline source %s could not write its entry", source.key)
            result.unavailable.append(pillar)
            continue
        if entry is None or entry.sensitivity == leave_out:
            continue
        if not entry.pillar:
            entry = TimelineEntry(**{**entry.__dict__, "pillar": pillar.key})
        entries.append(((row.date, row.recorded_at or NOT_RECORDED, row.source, row.pk), entry, row))
    for pillar, source in by_key.values():
        if source.load is None or pillar in result.unavailable:
            continue
        try:
            loaded = _guarded(source.load)
        except Exception:
            log.exception("timeline source %s failed", source.key)
            result.unavailable.append(pillar)
            continue
        for n, entry in enumerate(loaded):
            if year is not None and entry.date.year != year:
                continue
            if since is not None and (entry.recorded_at is None or entry.recorded_at <= since):
                continue
            sort = (entry.date, entry.recorded_at or NOT_RECORDED, source.key, n)
            if (position is not None and sort >= position) or entry.sensitivity == leave_out:
                continue
            if not entry.pillar:
                entry = TimelineEntry(**{**entry.__dict__, "pillar": pillar.key})
            total += 1
            new += bool(previous and entry.recorded_at and entry.recorded_at > previous)
            entries.append((sort, entry, Row(source.key, n, entry.date, entry.recorded_at, {})))
    entries = [e for e in entries if by_key[e[2].source][0] not in result.unavailable]
    entries.sort(key=lambda e: e[0], reverse=True)
    if limit is not None and len(entries) > limit:
        entries = entries[:limit]
        last = entries[-1][2]
        result.next_cursor = encode_cursor(last)
    result.entries = [entry for _sort, entry, _row in entries]
    result.total, result.new_count = total, new
    shown: dict[str, list[Row]] = {}
    for _sort, _entry, row in entries:
        shown.setdefault(by_key[row.source][0].key, []).append(row)
    for pillar, source in by_key.values():
        if source.shown is not None and pillar not in result.unavailable:
            result.journal.extend(source.shown(shown.get(pillar.key, [])))
    if status:
        today = today or dt.date.today()
        for key, provider in sorted(_status.items()):
            try:
                result.status.extend(_guarded(provider, viewer, cadre, today) or ())
            except Exception:
                log.exception("dossier status provider %s failed", key)
                result.status_unavailable = True
    return result


def entries(viewer, cadre, sources: list[Source]) -> list[TimelineEntry]:
    """Every entry of `sources` (one pillar's, for its own tests and pages), oldest first,
    without journaling anything."""
    members = [s for s in sources if s.queryset is not None]
    by_key = {s.key: s for s in sources}
    rows = _combined(members, year=None, since=None, previous=None, cursor=None, limit=None)[0][::-1] if members else []
    result = [e for e in (by_key[row.source].format(row) for row in rows) if e is not None]
    for source in sources:
        if source.load is not None:
            result.extend(source.load())
    return result


def label_of(model, field_name: str, value) -> str:
    """The display label of a choice field's stored value (a formatter has the value, not the object)."""
    if value in (None, ""):
        return ""
    return str(dict(model._meta.get_field(field_name).flatchoices).get(value, value))
