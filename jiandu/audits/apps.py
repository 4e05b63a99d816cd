from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditsConfig(AppConfig):
    name = "jiandu.audits"
    label = "audits"

    def ready(self):
        from jiandu.core.navigation import PILLAR, register_nav, register_work

        register_nav(_("Responsibility supervision"), "audits:index", "audits.view", section=PILLAR, order=30)
        register_work("audits.manage", _("Economic-responsibility audits and departure handovers"), "audits:index", order=90)
