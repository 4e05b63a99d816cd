from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "jiandu.core"
    label = "core"
    verbose_name = "Core"

    def ready(self):
        from . import (  # noqa: F401  (registers core's system checks and jobs)
            checks,
            jobs,
            journal_codes,  # noqa: F401  (how its journal entries read)
        )
        from .lookups import register_lookups
        from .rectification import settings as rectification_settings  # noqa: F401  (declares them)

        register_lookups()
