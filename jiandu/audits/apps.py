from django.apps import AppConfig


class AuditsConfig(AppConfig):
    name = "jiandu.audits"
    label = "audits"
