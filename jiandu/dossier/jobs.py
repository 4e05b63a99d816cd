"""The nightly early-warning scan (core.jobs, once per night across workers)."""

from django.utils.translation import gettext_lazy as _

from jiandu.core import jobs


@jobs.register_job("dossier.alert_scan", at=jobs.daily("02:30"), label=_("Early-warning scan"))
def alert_scan():
    from .actions import scan_alerts

    return scan_alerts(actor=None)
