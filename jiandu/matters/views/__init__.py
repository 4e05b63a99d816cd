"""Pages of 个人有关事项: reporting years and reports, checks, passport custody. Every page that
shows reports or checks is journaled (actions.record_view)."""

# One module per aggregate; every public name stays importable from here.
from .checks import *  # noqa: F403
from .common import *  # noqa: F403
from .events import *  # noqa: F403
from .passports import *  # noqa: F403
from .reports import *  # noqa: F403
