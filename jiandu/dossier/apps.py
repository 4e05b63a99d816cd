from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossierConfig(AppConfig):
    name = "jiandu.dossier"
    label = "dossier"
    verbose_name = _("Supervision files")

    def ready(self):
        from jiandu.core.navigation import TOOL, register_nav

        from . import journal_text  # noqa: F401  (how its journal entries read)

        register_nav(_("My supervision file"), "dossier:index", "self.view", section=TOOL, order=55)
