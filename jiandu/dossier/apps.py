from django.apps import AppConfig


class DossierConfig(AppConfig):
    name = "jiandu.dossier"
    label = "dossier"
