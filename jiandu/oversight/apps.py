from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "jiandu.oversight"
    label = "oversight"
