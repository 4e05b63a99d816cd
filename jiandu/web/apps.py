from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    """The shell around the apps: home and dashboard, settings and journal pages, navigation,
    error pages, the JSON API's mount and authentication, and `load_demo`. It may use every app
    below it (layering.toml); no app imports it."""

    name = "jiandu.web"
    label = "web"
    verbose_name = "Web"

    def ready(self):
        from jiandu.core.navigation import TOOL, register_nav, register_work

        register_nav(_("Settings"), "core:settings", "settings.manage", section=TOOL, order=80)
        register_nav(_("Journal"), "core:journal_search", "journal.search", section=TOOL, order=90)
        register_work("journal.search", _("Search and verify the journal"), "core:journal_search", order=160)
        register_work("system.status", _("Watch background events: failures, retries and backfills"), "core:events", order=170)
