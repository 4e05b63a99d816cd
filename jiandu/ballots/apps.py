from django.apps import AppConfig


class BallotsConfig(AppConfig):
    name = "jiandu.ballots"
    label = "ballots"
