from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "jiandu.core"
    label = "core"
    verbose_name = "Core"

    def ready(self):
        from . import checks, jobs  # noqa: F401  (registers core's system checks and jobs)
        from .lookups import register_lookups

        register_lookups()
