from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "jiandu.registry"
    label = "registry"
    verbose_name = "Registry"

    def ready(self):
        from . import (
            jobs,  # noqa: F401  (registers the registry's jobs)
            journal_text,  # noqa: F401  (how its journal entries read)
        )
