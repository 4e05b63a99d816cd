from django.apps import AppConfig


class WebConfig(AppConfig):
    """The shell around the apps: home and dashboard, settings and journal pages, navigation,
    error pages, the JSON API's mount and authentication, and `load_demo`. It may use every app
    below it (layering.toml); no app imports it."""

    name = "jiandu.web"
    label = "web"
    verbose_name = "Web"
