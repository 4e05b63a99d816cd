"""Background work of responsibility supervision (run by `manage.py run_worker`)."""

from jiandu.core.jobs import register_job


@register_job("audits.rectification_reminders", every_seconds=6 * 3600)
def rectification_reminders():
    """Overdue rectification items of audit findings: reminded once, escalated once."""
    from .actions.rectification import send_rectification_reminders

    return send_rectification_reminders()
