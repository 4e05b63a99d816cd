from django.apps import AppConfig


class SelectionConfig(AppConfig):
    name = "jiandu.selection"
    label = "selection"
