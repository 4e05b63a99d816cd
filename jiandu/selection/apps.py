from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SelectionConfig(AppConfig):
    name = "jiandu.selection"
    label = "selection"

    def ready(self):
        from jiandu.core.navigation import PILLAR, register_nav, register_work

        register_nav(_("Selection supervision"), "selection:index", "selection.view", section=PILLAR, order=40)
        register_work("selection.vet", _("Give your department's opinion on candidates for appointment (联审)"), "selection:index", order=100)
