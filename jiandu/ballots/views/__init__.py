"""Officers' ballot pages (/ballots/). Views are adapters: fetch through queries (scoped; not
visible = 404), call one action, render or redirect. The voters' pages are in public_views."""

# One module per aggregate; every public name stays importable from here.
from .ballots import *  # noqa: F403
from .codes import *  # noqa: F403
from .common import *  # noqa: F403
from .paper import *  # noqa: F403
from .results import *  # noqa: F403
