"""Writes of the matters app: keyword-only, actor required, access checked, journaled in the
same transaction. No journal entry carries a reported value: only ids, kinds and counts."""

# One module per aggregate; every public name stays importable from here.
from .base import *  # noqa: F403
from .checks import *  # noqa: F403
from .events import *  # noqa: F403
from .passports import *  # noqa: F403
from .reports import *  # noqa: F403
