"""What the shared item-list partial (templates/rectification/items.html) needs on each item."""

import datetime as dt
from collections.abc import Callable


def annotate(items, *, today: dt.date | None = None, links: Callable, evidence_url: Callable) -> list:
    """Give each item `overdue`, `reports` (with `evidence_url`), `visit_list` and `links`
    ([(label, url)] of the actions the user may take on it), for the partial."""
    today = today or dt.date.today()
    rows = list(items)
    for item in rows:
        item.overdue = item.is_overdue(today)
        item.reports = list(item.updates.all())
        for report in item.reports:
            report.evidence_url = evidence_url(report) if report.has_evidence else ""
        item.visit_list = list(item.visits.all())
        item.links = links(item)
    return rows
