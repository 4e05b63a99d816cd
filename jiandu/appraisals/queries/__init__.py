"""Appraisal reads. Officers' reads are scoped by access.py on the cycle's organising unit (not
visible = 404). Other apps read through `pending_proposals`, `get_proposal`, `cadre_appraisals`
and `disqualifying_events`, after checking their own access.
"""

# One module per aggregate; every public name stays importable from here.
from .computation import *  # noqa: F403
from .disqualifications import *  # noqa: F403
from .quotas import *  # noqa: F403
from .reasons import *  # noqa: F403
from .results import *  # noqa: F403
from .scoped import *  # noqa: F403
from .stages import *  # noqa: F403
