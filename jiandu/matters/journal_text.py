"""How the matters app's journal entries read: what the actor did. No entry ever carries a
reported value (assets, family members' details): only ids, kinds and counts."""

from django.utils.translation import gettext_lazy as _

from jiandu.core.journal_text import describe

describe(
    {
        "matters.year.opened": _("opened a personal-matters reporting year and froze its list of reporters"),
        "matters.report.started": _("started a personal-matters report (or a new version of it)"),
        "matters.report.row_added": _("added an item to a personal-matters report"),
        "matters.report.row_removed": _("removed an item from a personal-matters report"),
        "matters.report.submitted": _("submitted a personal-matters report"),
        "matters.event.reported": _("reported a change of personal matters (事项变化随时报告)"),
        "matters.events.listed": _("read the list of reported changes of personal matters"),
        "matters.report.viewed": _("read a personal-matters report"),
        "matters.dossier.viewed": _("read the personal-matters entries of a cadre's dossier"),
        "matters.reports.listed": _("read the list of personal-matters reporters"),
        "matters.reports.exported": _("exported personal-matters reports"),
        "matters.reminders.sent": _("reminded reporters of the personal-matters deadline"),
        "matters.draw.made": _("drew the yearly random sample of personal-matters reports"),
        "matters.draw.rerun": _("re-ran the yearly random draw to show it reproducible"),
        "matters.check.opened": _("opened a check of a personal-matters report"),
        "matters.check.viewed": _("read a check of a personal-matters report"),
        "matters.check.request_sent": _("sent a records request for a personal-matters check"),
        "matters.check.reply_recorded": _("recorded a department's reply to a personal-matters check"),
        "matters.check.finding_recorded": _("classified a difference found by a personal-matters check"),
        "matters.check.concluded": _("concluded a personal-matters check with its handling"),
        "matters.passport.holder_registered": _("registered a cadre whose private passports are kept (登记备案)"),
        "matters.passport.received": _("received a private passport or permit into custody"),
        "matters.travel.requested": _("recorded a private travel request"),
        "matters.travel.decided": _("decided a private travel request"),
        "matters.passport.lent": _("lent a kept passport or permit for approved travel"),
        "matters.passport.returned": _("took a lent passport or permit back into custody"),
        "matters.passport.reminded": _("reminded a cadre to hand back a lent passport or permit"),
        "matters.passport.escalated": _("reported an overdue passport or permit to the head"),
        "matters.passports.exported": _("exported the register of registered staff"),
    }
)
