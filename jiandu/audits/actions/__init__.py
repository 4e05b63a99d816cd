"""Writes of the audits app: keyword-only, actor required, access checked, journaled."""

# One module per aggregate; every public name stays importable from here.
from .appeals import *  # noqa: F403
from .base import *  # noqa: F403
from .clues import *  # noqa: F403
from .course import *  # noqa: F403
from .exemptions import *  # noqa: F403
from .handovers import *  # noqa: F403
from .plans import *  # noqa: F403
from .rectification import *  # noqa: F403
