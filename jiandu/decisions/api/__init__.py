"""JSON API of collective decisions (read): the meetings you may see, and one meeting with each
item's verdict and its arithmetic."""

# isort: off
# Imported in the order their operations are listed in the API document.
from . import meetings, registers, logs  # noqa: F401  (each registers its operations)

# isort: on
from .common import router

__all__ = ["router"]
