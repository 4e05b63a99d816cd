from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "jiandu.registry"
    label = "registry"
    verbose_name = "Registry"

    def ready(self):
        from jiandu.core.navigation import TOOL, register_nav, register_work

        register_nav(_("Units"), "registry:unit_tree", "registry.view", section=TOOL, order=10)
        register_nav(_("Cadres"), "registry:cadre_list", "registry.view", section=TOOL, order=20)
        register_nav(_("My record"), "registry:my_record", "self.view", section=TOOL, order=50)
        register_work("registry.view", _("Look up units, cadres, posts and tenures in the registry"), "registry:cadre_list", order=120)
        register_work("self.view", _("See your own record and answer the inquiries sent to you"), "registry:my_record", order=130)

        from jiandu.accounts.units import register_unit_source

        from . import (
            jobs,  # noqa: F401  (registers the registry's jobs)
            journal_text,  # noqa: F401  (how its journal entries read)
        )
        from .models import Unit

        register_unit_source(lambda: Unit.objects.all())  # the role picker's and ballots' units
        from . import timeline  # noqa: F401  (its share of the cadre's dossier: core.timeline)
