"""Dashboard cards: a few numbers that need attention, linking to the filtered list (UX.md).
Each app contributes a provider with `register_card`; providers return None when the user may
not see them."""

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

_providers: list[Callable] = []


def register_card(provider: Callable) -> Callable:
    _providers.append(provider)
    return provider


def cards_for(user) -> list[dict]:
    cards = []
    for provider in _providers:
        card = provider(user)
        if card:
            # Only a count that is not zero is an alarm (UX: red means "act on this").
            card = {**card, "attention": bool(card.get("attention")) and _nonzero(card.get("number"))}
            cards.append(card)
    return cards


def _nonzero(number) -> bool:
    try:
        return int(str(number).strip() or 0) != 0
    except ValueError:
        return bool(number)


# --- charts (issue #16 §3: role dashboards) ---------------------------------------------------
#
# Each app registers chart providers from its own `dashboard.py` (imported by ready()):
#
#     register_chart("audits.grades", provider, section=OVERVIEW, order=40)
#     def provider(user, today) -> Chart | None   # None: the user may not see this figure
#
# A figure the user may not see is absent, never zero: the provider decides with the app's own
# permissions and counts through the app's own `*_visible_to(user)` queries, in a bounded number
# of queries (aggregates, never one per row). The home page shows the sections the user's roles
# call for (jiandu.web): WORK (the user's own queue) and OVERVIEW (the picture of the scope).
# A provider that raises makes its chart "unavailable"; the rest of the page still renders.
#
# Open items by deadline: apps register series with `register_deadline(key, label, provider)`,
# provider(user, today, purpose) -> Buckets | None with purpose QUEUE (what the user acts on) or
# OVERVIEW (what the user oversees). Core draws two charts from them: "open items by deadline"
# (WORK) and "overdue by area" (OVERVIEW).

log = logging.getLogger(__name__)

WORK = "work"
OVERVIEW = "overview"
QUEUE = "queue"


@dataclass(frozen=True)
class Series:
    name: str
    values: list
    tone: str = ""  # "bad": alarm colour for a value above zero; "" neutral; "ok"


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    categories: list  # full labels (unit names in full; the page shortens them, the tooltip shows them whole)
    series: list  # [Series]
    horizontal: bool = False  # long category names (units): horizontal bars
    stacked: bool = False
    url: str = ""  # the list behind the figure, if the user may open it
    note: str = ""
    alarm_categories: tuple = ()  # indexes of categories whose values above zero are alarms (e.g. "overdue")

    def alarm(self, series: Series, index: int) -> bool:
        """Red only for a count above zero that needs action (UX.md); zero is never an alarm."""
        value = series.values[index]
        return (series.tone == "bad" or index in self.alarm_categories) and _plain(value) > 0

    @property
    def rows(self) -> list:
        """(category, [(value, alarm), …]) for the table under the chart."""
        return [(str(c), [(_plain(s.values[i]), self.alarm(s, i)) for s in self.series]) for i, c in enumerate(self.categories)]

    @property
    def total(self) -> int:
        return int(sum(float(v or 0) for s in self.series for v in s.values))

    def as_data(self) -> dict:
        return {
            "title": str(self.title),
            "categories": [str(c) for c in self.categories],
            "series": [
                {"name": str(s.name), "values": [_plain(v) for v in s.values], "alarm": [self.alarm(s, i) for i in range(len(s.values))]} for s in self.series
            ],
            "horizontal": self.horizontal,
            "stacked": self.stacked,
        }


def _plain(value):
    try:
        number = float(value)
    except (TypeError, ValueError):
        return 0
    return int(number) if number.is_integer() else number


@dataclass(frozen=True)
class ChartProvider:
    key: str
    provider: object
    section: str
    order: int
    label: str = ""


_charts: dict[str, ChartProvider] = {}


def register_chart(key: str, provider, *, section: str = OVERVIEW, order: int = 100, label="") -> object:
    """Register (or replace: ready() may run twice) a chart provider."""
    if section not in (WORK, OVERVIEW):
        raise ValueError(f"unknown dashboard section {section}")
    _charts[key] = ChartProvider(key, provider, section, order, label)
    return provider


@dataclass
class Board:
    charts: dict = field(default_factory=dict)  # section → [Chart]
    unavailable: list = field(default_factory=list)  # [ChartProvider]

    def data(self) -> dict:
        return {c.key: c.as_data() for charts in self.charts.values() for c in charts}


def charts_for(user, sections, today: dt.date | None = None) -> Board:
    """The charts of `sections` that `user` may see, in order."""
    today = today or dt.date.today()
    board = Board()
    if not getattr(user, "is_authenticated", False):
        return board
    for entry in sorted(_charts.values(), key=lambda e: (e.order, e.key)):
        if entry.section not in sections:
            continue
        try:
            with transaction.atomic():
                chart = entry.provider(user, today)
        except Exception:
            log.exception("dashboard chart %s failed", entry.key)
            board.unavailable.append(entry)
            continue
        if chart is not None:
            board.charts.setdefault(entry.section, []).append(chart)
    return board


@dataclass(frozen=True)
class Buckets:
    overdue: int = 0
    this_week: int = 0
    later: int = 0

    def __add__(self, other):
        return Buckets(self.overdue + other.overdue, self.this_week + other.this_week, self.later + other.later)


def week_end(today: dt.date) -> dt.date:
    """The Sunday of today's week: "this week" is from today to then."""
    return today + dt.timedelta(days=6 - today.weekday())


def bucket_counts(qs, due_field: str, today: dt.date) -> Buckets:
    """Open items of `qs` by their due date: overdue (before today), due this week (today to
    Sunday), later (or without a date). One query."""
    from django.db.models import Count, Q

    end = week_end(today)
    row = qs.order_by().aggregate(
        overdue=Count("pk", filter=Q(**{f"{due_field}__lt": today})),
        this_week=Count("pk", filter=Q(**{f"{due_field}__gte": today, f"{due_field}__lte": end})),
        later=Count("pk", filter=Q(**{f"{due_field}__gt": end}) | Q(**{f"{due_field}__isnull": True})),
    )
    return Buckets(row["overdue"] or 0, row["this_week"] or 0, row["later"] or 0)


@dataclass(frozen=True)
class DeadlineSeries:
    key: str
    label: object
    area: object  # the pillar's name, for "overdue by area"
    provider: object
    order: int


_deadlines: dict[str, DeadlineSeries] = {}


def register_deadline(key: str, provider, *, label, area, order: int = 100):
    """Register a kind of open item with a deadline (see the module's comment)."""
    _deadlines[key] = DeadlineSeries(key, label, area, provider, order)
    return provider


def deadline_rows(user, today: dt.date, purpose: str) -> list[tuple[DeadlineSeries, Buckets]]:
    rows = []
    for entry in sorted(_deadlines.values(), key=lambda e: (e.order, e.key)):
        with transaction.atomic():
            buckets = entry.provider(user, today, purpose)
        if buckets is not None:
            rows.append((entry, buckets))
    return rows


def _open_items_chart(user, today):
    rows = deadline_rows(user, today, QUEUE)
    if not rows:
        return None
    return Chart(
        key="core.open_items",
        title=_("Open items by deadline"),
        categories=[_("overdue"), _("due this week"), _("later")],
        series=[Series(str(entry.label), [b.overdue, b.this_week, b.later]) for entry, b in rows],
        stacked=True,
        alarm_categories=(0,),
        note=_("This week: from today to Sunday %(day)s.") % {"day": week_end(today).isoformat()},
    )


def _overdue_by_area_chart(user, today):
    rows = deadline_rows(user, today, OVERVIEW)
    if not rows:
        return None
    totals: dict[str, int] = {}
    for entry, buckets in rows:
        totals[str(entry.area)] = totals.get(str(entry.area), 0) + buckets.overdue
    return Chart(
        key="core.overdue_by_area",
        title=_("Overdue items by area"),
        categories=list(totals),
        series=[Series(_("overdue"), list(totals.values()), tone="bad")],
        horizontal=True,
    )


register_chart("core.open_items", _open_items_chart, section=WORK, order=10)
register_chart("core.overdue_by_area", _overdue_by_area_chart, section=OVERVIEW, order=10)
