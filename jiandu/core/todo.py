"""待办: every user's inbox of what is assigned to them or due, across the pillars.

Each app that gives people work registers a provider in a `todo.py` module imported by its
`AppConfig.ready()`:

    from jiandu.core.todo import TodoItem, register_todo

    def provider(user, today) -> list[TodoItem]: ...
    register_todo("selection", provider, label=_("Selection supervision"))

A provider returns the items the USER must act on now, computed from the owning app's own
queries (scope and roles are the app's): a vetting request waiting for the user's department's
reply, a clue to receive, a handover to sign … An item leaves the inbox by itself when the
underlying work is done, because the provider no longer returns it. What the inbox stores is
only which items the user has opened (read / unread, `TodoRead`, keyed by the item's `key`).

A provider that raises makes its area "unavailable" in the inbox; the rest still shows.
Items link to a page that opens for the user (the owning app's page for that record)."""

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TodoItem:
    key: str  # stable and unique across apps: "<app>.<kind>:<pk>" (read state is kept by it)
    title: str  # what to do, translated: 回复任前预审征求意见 …
    subject: str  # about what or whom: the cadre, the case, the unit
    url: str  # the page where it is done; opens for the user
    due_on: dt.date | None = None
    detail: str = ""  # e.g. how the due date was computed, or the state
    area: str = ""  # the registering app's key (set by items_for)

    def overdue(self, today: dt.date) -> bool:
        return self.due_on is not None and today > self.due_on


@dataclass(frozen=True)
class Area:
    key: str
    label: str
    provider: Callable


_areas: dict[str, Area] = {}


def register_todo(area: str, provider: Callable, *, label) -> Callable:
    """Register (or replace: ready() may run twice) the provider of an area."""
    _areas[area] = Area(area, label, provider)
    return provider


def areas() -> list[Area]:
    return sorted(_areas.values(), key=lambda a: a.key)


@dataclass
class Inbox:
    items: list[TodoItem] = field(default_factory=list)
    unavailable: list[Area] = field(default_factory=list)


def _sort_key(item: TodoItem):
    # Due first (earliest first), then those without a date; stable by key.
    return (item.due_on is None, item.due_on or dt.date.max, item.key)


def items_for(user, today: dt.date | None = None) -> Inbox:
    """Every area's items for `user`, the most urgent first."""
    today = today or dt.date.today()
    inbox = Inbox()
    if not getattr(user, "is_authenticated", False):
        return inbox
    for area in areas():
        try:
            with transaction.atomic():  # a failed query must not poison the page's transaction
                rows = area.provider(user, today) or []
        except Exception:
            log.exception("todo provider %s failed", area.key)
            inbox.unavailable.append(area)
            continue
        for item in rows:
            inbox.items.append(item if item.area else TodoItem(**{**item.__dict__, "area": area.key}))
    inbox.items.sort(key=_sort_key)
    return inbox


def read_keys(user, keys) -> set[str]:
    """Which of these items the user has opened already."""
    from .models import TodoRead

    return set(TodoRead.objects.filter(user_id=user.pk, key__in=list(keys)).values_list("key", flat=True))
