from django.apps import AppConfig


class AppraisalsConfig(AppConfig):
    name = "jiandu.appraisals"
    label = "appraisals"
    verbose_name = "Appraisals"

    def ready(self):
        from jiandu.core.dashboard import register_card

        from . import dashboard

        register_card(dashboard.pending_yellow_cards)
