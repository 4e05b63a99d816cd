from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "jiandu.registry"
    label = "registry"
    verbose_name = "Registry"

    def ready(self):
        from jiandu.accounts.units import register_unit_source

        from . import jobs  # noqa: F401  (registers the registry's jobs)
        from .models import Unit

        register_unit_source(lambda: Unit.objects.all())  # the role picker's and ballots' units
