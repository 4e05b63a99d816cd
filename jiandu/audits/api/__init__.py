"""Audits JSON API (/api/v1/audits/): audit subjects, departures without their audit or
handover, and exempting one. Reads through audits.queries (scoped; not visible = 404), writes
through the actions. Operation names carry the `audits_` prefix (one namespace for every app)."""

# isort: off
# Imported in the order their operations are listed in the API document.
from . import departures, handovers, audits, appeals, plans, rectification, findings, training  # noqa: F401  (each registers its operations)

# isort: on
from .common import router

__all__ = ["router"]
