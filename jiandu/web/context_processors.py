"""Navigation by the five pillars. A pillar whose pages have not landed is shown as
"not yet available" (never a dead link): its entry names a URL that does not resolve yet."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from jiandu.accounts import access
from jiandu.accounts.models import Role

# (label, url name, permission needed to see the entry)
PILLARS = [
    (_("Institutional supervision"), "decisions:index", "decisions.view"),
    (_("Target supervision"), "appraisals:index", "appraisals.view"),
    (_("Responsibility supervision"), "audits:index", "audits.view"),
    (_("Selection supervision"), "selection:index", "selection.view"),
    (_("Daily supervision"), "oversight:index", "oversight.view"),
]

TOOLS = [
    (_("Units"), "registry:unit_tree", "registry.view"),
    (_("Cadres"), "registry:cadre_list", "registry.view"),
    (_("Ballots"), "ballots:index", "ballots.manage"),
    (_("Appraisal results of my unit"), "appraisals:unit_results", "appraisals.view_unit_results"),
    (_("My record"), "registry:my_record", "self.view"),
    (_("Users"), "accounts:user_list", "accounts.manage_users"),
    (_("Role assignments"), "accounts:user_list", "accounts.assign_roles"),
    (_("Settings"), "core:settings", "settings.manage"),
    (_("Journal"), "core:journal_search", "journal.search"),
]


def _entries(user, items):
    out = []
    for label, name, perm in items:
        if not access.can(user, perm):
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            url = None
        out.append({"label": label, "url": url, "name": name})
    return out


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_pillars": [], "nav_tools": [], "show_api_docs": False}
    tools = []
    seen = set()
    for entry in _entries(user, TOOLS):
        if entry["url"] not in seen or entry["url"] is None:
            seen.add(entry["url"])
            tools.append(entry)
    roles = access.roles(user)
    return {
        "nav_pillars": _entries(user, PILLARS),
        "nav_tools": tools,
        "user_roles": sorted(roles),
        # The API docs are for those who may work through the API: every role but self service.
        "show_api_docs": bool(roles - {Role.CADRE}),
    }
