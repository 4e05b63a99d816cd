from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "jiandu.decisions"
    label = "decisions"
