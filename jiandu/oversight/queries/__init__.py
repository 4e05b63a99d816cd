"""Oversight reads, scoped through access.py. Not visible = 404 (access.NotVisible).

Rows are scoped by the unit they concern (the cadre's unit when recorded): `oversight.view` to
read, `oversight.manage` to change. Clues have their own rule (see `clues_visible_to`).
Other apps (selection, appraisals, dossier) read `active_influence` and `cadre_history`.
"""

# One module per aggregate; every public name stays importable from here.
from .attachments import *  # noqa: F403
from .base import *  # noqa: F403
from .clues import *  # noqa: F403
from .duty import *  # noqa: F403
from .influence import *  # noqa: F403
from .inquiries import *  # noqa: F403
from .talks import *  # noqa: F403
from .tours import *  # noqa: F403
from .yellow_cards import *  # noqa: F403
