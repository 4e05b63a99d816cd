"""Oversight JSON API (/api/v1/oversight/): dispositions and yellow cards (also those the annual
appraisal raises), influence periods, talks, written inquiries, clues and yearly statistics.

Adapters like the pages: reads through oversight.queries (scoped; not visible = 404), writes
through the actions with `actor=request.user`; the core glue turns ActionError into 400, not
visible into 404 and schema errors into 422. Objects named in a body (a cadre, a clue, a
finding) are looked up in the caller's scope too, so "exists elsewhere" and "does not exist"
both answer 404. Every read of a clue is journaled (`oversight.clue.viewed`, via "api").

Operation names carry the `oversight_` prefix: ninja names each route "api:<operation>" in one
namespace shared by every app, and names such as `list_talks` or `statistics` would collide.
"""

# isort: off
# Imported in the order their operations are listed in the API document.
from . import dispositions, talks, inquiries, clues, tours, duty  # noqa: F401  (each registers its operations)

# isort: on
from .common import router

__all__ = ["router"]
