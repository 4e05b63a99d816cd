"""The cadre's supervision dossier (一人一档) as a registry of timeline providers.

The dossier (jiandu/dossier) imports no pillar's internals: each app that holds facts about a
cadre registers, in a `timeline.py` module imported by its `AppConfig.ready()`,

    from jiandu.core.timeline import TimelineEntry, register_provider, register_status

    def provider(viewer, cadre, *, since=None, year=None) -> list[TimelineEntry]: ...
    register_provider("oversight", provider, label=_("Daily supervision"), order=50)

A provider returns the entries the VIEWER may see (the owning app decides with its own queries
and access rules: scope, self service, sensitivity), in a bounded number of queries whatever the
cadre's history length. `year` (int) keeps the entries dated in that year; `since` (an aware
datetime) those recorded after it. Both are hints: `collect` applies them again.
`register_status(pillar, provider)` adds facts to the dossier's header (influence periods …):
provider(viewer, cadre, today) -> [StatusFact].

A provider that raises makes its pillar "unavailable" on the page; the rest still renders.
"""

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction

log = logging.getLogger(__name__)

# Sensitivity of an entry: NORMAL facts of the file, SENSITIVE (personal; masked or left out of
# exports for viewers without registry.view_sensitive), SECRET (clues: only for the roles the
# owning app lets read them, and every view journaled by that app).
NORMAL = "normal"
SENSITIVE = "sensitive"
SECRET = "secret"
SENSITIVITIES = (NORMAL, SENSITIVE, SECRET)


@dataclass(frozen=True)
class TimelineEntry:
    date: dt.date
    kind: str  # a short translated label: 任职, 函询, 诫勉 …
    pillar: str  # the registering pillar's key (set by collect when left empty)
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


Provider = Callable[..., list[TimelineEntry]]
StatusProvider = Callable[..., list[StatusFact]]


@dataclass(frozen=True)
class Pillar:
    key: str
    label: str
    order: int
    provider: Provider


_providers: dict[str, Pillar] = {}
_status: dict[str, StatusProvider] = {}


def register_provider(pillar: str, provider: Provider, *, label, order: int = 100) -> Provider:
    """Register (or replace: ready() may run twice) the timeline provider of `pillar`."""
    _providers[pillar] = Pillar(pillar, label, order, provider)
    return provider


def register_status(pillar: str, provider: StatusProvider) -> StatusProvider:
    _status[pillar] = provider
    return provider


def pillars() -> list[Pillar]:
    return sorted(_providers.values(), key=lambda p: (p.order, p.key))


@dataclass
class Timeline:
    entries: list[TimelineEntry] = field(default_factory=list)
    unavailable: list[Pillar] = field(default_factory=list)  # pillars whose provider failed
    status: list[StatusFact] = field(default_factory=list)
    status_unavailable: bool = False


def _call(func, *args, **kwargs):
    # A savepoint: a provider's failed query must not poison the page's transaction (PostgreSQL).
    with transaction.atomic():
        return func(*args, **kwargs)


def _sort_key(entry: TimelineEntry):
    recorded = entry.recorded_at.timestamp() if entry.recorded_at else 0.0
    return (entry.date, recorded, entry.pillar, entry.key)


def collect(viewer, cadre, *, only: str = "", year: int | None = None, since: dt.datetime | None = None, today: dt.date | None = None) -> Timeline:
    """Every registered pillar's entries for `viewer` about `cadre`, newest first; `only` keeps one pillar."""
    result = Timeline()
    for pillar in pillars():
        if only and pillar.key != only:
            continue
        try:
            rows = _call(pillar.provider, viewer, cadre, since=since, year=year)
        except Exception:
            log.exception("timeline provider %s failed", pillar.key)
            result.unavailable.append(pillar)
            continue
        for entry in rows or ():
            if year is not None and entry.date.year != year:
                continue
            if since is not None and (entry.recorded_at is None or entry.recorded_at <= since):
                continue
            if not entry.pillar:
                entry = TimelineEntry(**{**entry.__dict__, "pillar": pillar.key})
            result.entries.append(entry)
    result.entries.sort(key=_sort_key, reverse=True)
    today = today or dt.date.today()
    for key, provider in sorted(_status.items()):
        try:
            result.status.extend(_call(provider, viewer, cadre, today) or ())
        except Exception:
            log.exception("dossier status provider %s failed", key)
            result.status_unavailable = True
    return result
