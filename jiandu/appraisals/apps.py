from django.apps import AppConfig


class AppraisalsConfig(AppConfig):
    name = "jiandu.appraisals"
    label = "appraisals"
    verbose_name = "Appraisals"

    def ready(self):
        from jiandu.core.dashboard import register_card

        from . import (
            dashboard,
            journal_text,  # noqa: F401  (how its journal entries read)
        )

        register_card(dashboard.pending_yellow_cards)
