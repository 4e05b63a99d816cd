from django.apps import AppConfig


class AppraisalsConfig(AppConfig):
    name = "jiandu.appraisals"
    label = "appraisals"
