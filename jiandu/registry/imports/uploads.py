"""Uploads waiting for their commit, and their purge after a day."""

import time
from pathlib import Path

from django.conf import settings

from .columns import STALE_SECONDS

# --- uploads waiting for their commit ---------------------------------------------------------------


def upload_dir() -> Path:
    """MEDIA_ROOT/imports/: uploads under random names, outside the static web root."""
    path = Path(settings.MEDIA_ROOT) / "imports"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def purge_stale_uploads(now: float | None = None) -> int:
    """Delete uploads (and their preview findings) left behind by abandoned previews."""
    now = now if now is not None else time.time()
    directory = Path(settings.MEDIA_ROOT) / "imports"
    if not directory.exists():
        return 0
    removed = 0
    for path in directory.iterdir():
        if path.suffix in (".xlsx", ".json") and now - path.stat().st_mtime > STALE_SECONDS:
            path.unlink(missing_ok=True)
            removed += 1
    return removed
