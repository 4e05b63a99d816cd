from django.apps import AppConfig


class BallotsConfig(AppConfig):
    name = "jiandu.ballots"
    label = "ballots"

    def ready(self):
        from . import (
            cards,  # noqa: F401 - registers the dashboard card
            journal_text,  # noqa: F401  (how its journal entries read)
        )
