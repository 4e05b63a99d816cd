"""Every write of selection cases: keyword-only, `actor` required, access checked, one
transaction, journaled. Stages are recorded in order (models.STAGE_ORDER); a refusal names the
rule and its article."""

# One module per aggregate; every public name stays importable from here.
from .appointment import *  # noqa: F403
from .base import *  # noqa: F403
from .cases import *  # noqa: F403
from .checks import *  # noqa: F403
from .decision import *  # noqa: F403
from .materials import *  # noqa: F403
from .recommendation import *  # noqa: F403
from .reconsider import *  # noqa: F403
from .vetting import *  # noqa: F403
from .vetting_reminders import *  # noqa: F403
