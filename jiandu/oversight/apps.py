from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OversightConfig(AppConfig):
    name = "jiandu.oversight"
    label = "oversight"
    verbose_name = _("Daily supervision")

    def ready(self):
        from . import (  # noqa: F401  (declares settings, registers jobs and dashboard cards)
            jobs,
            journal_text,  # noqa: F401  (how its journal entries read)
            settings,
        )
