"""Registry background jobs (run by `manage.py run_worker`)."""

from jiandu.core.jobs import register_job

from .imports import purge_stale_uploads


@register_job("registry.purge_import_uploads", every_seconds=3600)
def _purge_import_uploads():
    return purge_stale_uploads()
