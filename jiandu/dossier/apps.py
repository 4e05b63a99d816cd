from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossierConfig(AppConfig):
    name = "jiandu.dossier"
    label = "dossier"
    verbose_name = _("Supervision files")

    def ready(self):
        from jiandu.core.navigation import TOOL, register_nav, register_work

        from . import (  # noqa: F401  (how its journal entries read; the nightly early-warning scan)
            jobs,
            journal_text,
        )

        register_nav(_("My supervision file"), "dossier:index", "self.view", section=TOOL, order=55)
        register_nav(_("Yearly statistics"), "dossier:statistics", "dossier.view", section=TOOL, order=56)
        register_work("dossier.view", _("Yearly cadre supervision statistics across the five focuses (charts, xlsx)"), "dossier:statistics", order=99)
        register_work(
            "dossier.handle_alerts", _("Early warnings: open alerts by severity, unit and age; acknowledge and handle them"), "dossier:alerts", order=98
        )
        from . import (
            charts,  # noqa: F401  (its figures on the role dashboards: core.dashboard)
            todo,  # noqa: F401  (its items of the users' 待办 inbox: core.todo)
        )
