"""Navigation by the five pillars and the tools, as the apps registered them
(jiandu.core.navigation). A pillar whose pages have not landed is shown as "not yet available"
(never a dead link): its entry names a URL that does not resolve yet."""

from django.urls import NoReverseMatch, reverse

from jiandu.accounts import access
from jiandu.accounts.models import Role
from jiandu.core.navigation import PILLAR, TOOL, nav_entries
from jiandu.core.notifications import unread_count


def _entries(user, items):
    out = []
    for item in items:
        if not access.can(user, item.permission):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            url = None
        out.append({"label": item.label, "url": url, "name": item.url_name})
    return out


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_pillars": [], "nav_tools": [], "show_api_docs": False}
    tools = []
    seen = set()
    for entry in _entries(user, nav_entries(TOOL)):
        if entry["url"] not in seen or entry["url"] is None:
            seen.add(entry["url"])
            tools.append(entry)
    roles = access.roles(user)
    return {
        "nav_pillars": _entries(user, nav_entries(PILLAR)),
        "nav_tools": tools,
        "notifications_unread": unread_count(user),
        "user_roles": sorted(roles),
        # The API docs are for those who may work through the API: every role but self service.
        "show_api_docs": bool(roles - {Role.CADRE}),
    }
