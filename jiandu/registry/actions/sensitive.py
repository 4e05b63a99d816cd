"""Sensitive reads: journal that someone saw a cadre's ID number, phone or family in clear."""

import time

from django.core.cache import cache
from django.db import transaction

from jiandu.accounts import access
from jiandu.core import journal

from ..models import Cadre
from ..queries import may_see_sensitive, sensitive_checker

# --- sensitive reads ---------------------------------------------------------------------------

# One entry per user and cadre in this window: a clerk who reloads a record or moves between its
# pages while working on it leaves one line, not dozens, so the journal stays readable (SECURITY.md
# "view of a sensitive record"). A view after the window is journaled again.
SENSITIVE_VIEW_QUIET_SECONDS = 10 * 60
SENSITIVE_VIEW_ACTION = "registry.cadre.viewed_sensitive"
SENSITIVE_VIEW_PAGES = ("detail", "edit", "family", "api")
SENSITIVE_LIST_ACTION = "registry.cadres.viewed_sensitive"
_SENSITIVE_VIEW_KEY = "jiandu:registry:sensitive-view:{user}:{cadre}"


def _claim_sensitive_view(key: str, now: float) -> bool:
    """True if no view of this user and cadre was journaled in the window; claims the window.
    `cache.add` is atomic, so two simultaneous page loads journal once."""
    if cache.add(key, now, timeout=SENSITIVE_VIEW_QUIET_SECONDS):
        return True
    last = cache.get(key)
    if last is None or now - last >= SENSITIVE_VIEW_QUIET_SECONDS:
        cache.set(key, now, timeout=SENSITIVE_VIEW_QUIET_SECONDS)
        return True
    return False


def record_sensitive_view(*, actor, cadre: Cadre, page: str = "detail", now: float | None = None):
    """Journal `registry.cadre.viewed_sensitive`: `actor` was shown `cadre`'s ID number, phone or
    family in clear on `page`. Preconditions: the actor may see them (queries.may_see_sensitive).
    At most one entry per actor and cadre in SENSITIVE_VIEW_QUIET_SECONDS; returns the entry, or
    None when the view falls in the window of an earlier one. Writes only the journal."""
    if page not in SENSITIVE_VIEW_PAGES:
        raise ValueError(f"unknown page {page!r}")
    cadre = Cadre.objects.select_related("unit").get(pk=cadre.pk)
    if not may_see_sensitive(actor, cadre):
        raise access.NotVisible()
    now = time.time() if now is None else now
    key = _SENSITIVE_VIEW_KEY.format(user=actor.pk, cadre=cadre.pk)
    if not _claim_sensitive_view(key, now):
        return None
    data = {"page": page}
    if access.is_self(actor, cadre):
        data["own_record"] = True
    try:
        with transaction.atomic():
            return journal.record(SENSITIVE_VIEW_ACTION, actor=actor, target=cadre, unit=cadre.unit, cadre=cadre, data=data)
    except Exception:
        cache.delete(key)  # not journaled: the next view must try again
        raise


def record_sensitive_list_view(*, actor, cadres, via: str = "api"):
    """Journal `registry.cadres.viewed_sensitive`: one page of a list showed `actor` the ID numbers
    and phones of `cadres` in clear. One entry per page naming the records (their ids, never the
    values); no window, every page is journaled. Preconditions: the actor may see each of them
    (queries.may_see_sensitive). Returns the entry, or None for an empty page. Writes only the journal."""
    ids = [cadre.pk for cadre in cadres]
    if not ids:
        return None
    may_see = sensitive_checker(actor)
    if not all(may_see(cadre) for cadre in cadres):
        raise access.NotVisible()
    data = {"via": via, "cadres": ids}
    units = {cadre.unit_id for cadre in cadres}
    unit = cadres[0].unit if len(units) == 1 else None
    with transaction.atomic():
        return journal.record(SENSITIVE_LIST_ACTION, actor=actor, unit=unit, data=data)
