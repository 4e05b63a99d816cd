"""How the dossier's journal entries read: what the actor did."""

from django.utils.translation import gettext_lazy as _

from jiandu.core.journal_text import describe

describe(
    {
        "dossier.cadre.viewed": _("read a cadre's supervision file"),
        "dossier.cadre.exported": _("printed or exported a cadre's supervision file"),
        "dossier.alerts.scanned": _("ran the early-warning scan"),
        "dossier.alert.acknowledged": _("acknowledged an early warning with a note"),
        "dossier.alert.handled": _("handled an early warning with a note"),
        "dossier.alerts.exported": _("exported the list of early warnings"),
        "dossier.statistics.exported": _("exported the yearly cadre supervision statistics"),
    }
)
