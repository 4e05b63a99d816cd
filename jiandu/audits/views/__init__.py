"""Pages of 责任监督: audit subjects, departures without an audit or handover, exemptions and
their approval, handovers, audits (departure and in-term), risk-ranked candidates and the
yearly audit plan. Every posted value is read through a form of forms.py."""

# One module per aggregate; every public name stays importable from here.
from .appeals import *  # noqa: F403
from .audits import *  # noqa: F403
from .common import *  # noqa: F403
from .departures import *  # noqa: F403
from .handovers import *  # noqa: F403
from .plans import *  # noqa: F403
from .rectification import *  # noqa: F403
