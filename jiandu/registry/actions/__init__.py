"""Registry actions: the only writes to units, cadres, relatives, positions and tenures.

Tenure states:

    appoint ──> current (ended_on empty) ──end_tenure──> ended
    record_past_tenure ───────────────────────────────> ended   (history; no departure event)

Ending the tenure of a principal or of a position with financial authority records a durable
`registry.departure` event in the same transaction; audits/handovers consume it (core.events).

Bulk: `import_cadres` registers many cadres with the checks of `create_cadre` applied to every
row (plus uniqueness within the batch) before anything is written, then inserts them in
batches and writes one journal entry for the whole import.

Reads: `record_sensitive_view` journals that someone saw a cadre's ID number, phone or family in
clear (SECURITY.md: a view of a sensitive record is a security event); it writes nothing else.
"""

# The actions live in one module per aggregate; every name stays importable from here
# (`from jiandu.registry import actions; actions.appoint(...)`).
from .base import *  # noqa: F403
from .cadres import *  # noqa: F403
from .positions import *  # noqa: F403
from .sensitive import *  # noqa: F403
from .tenures import *  # noqa: F403
from .units import *  # noqa: F403
