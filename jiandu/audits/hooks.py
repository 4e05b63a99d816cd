"""What other apps ask of economic-responsibility audits. Selection asks `audit_clearance` before a
candidate becomes an inspection subject (issue #15 §2); the answer is `queries.audit_clearance`:
translated reasons why the cadre lacks the completed audit a selection needs (empty: clear)."""

import datetime as dt


def audit_clearance(cadre, on: dt.date) -> list[str]:
    from .queries import audit_clearance as clearance

    return clearance(cadre, on)
