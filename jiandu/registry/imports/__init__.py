"""xlsx imports of units, cadres, positions and tenures: template, preview, commit.

Flow (views/transfer.py): upload → `prepare()` reads and checks the workbook and stores nothing →
the preview lists every problem by row and column → `commit()` reads the file again and stores
every row through the actions in one transaction, or nothing at all.

Cadres go through the bulk action `import_cadres` (checks all rows first, then inserts in
batches; 100k rows in seconds). Units, positions and tenures are few; they are checked by a dry
run of the real actions in a transaction that is always rolled back, so the preview finds
exactly what the commit would, including rows that depend on earlier rows (a unit under a unit
created a few rows above).
"""

# One module per aggregate; every public name stays importable from here.
from .columns import *  # noqa: F403
from .kinds import *  # noqa: F403
from .lookup import *  # noqa: F403
from .uploads import *  # noqa: F403
