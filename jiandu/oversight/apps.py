from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OversightConfig(AppConfig):
    name = "jiandu.oversight"
    label = "oversight"
    verbose_name = _("Daily supervision")

    def ready(self):
        from . import appraisal_facts, jobs, settings  # noqa: F401  (declares settings, registers jobs and dashboard cards)

        appraisal_facts.register()
