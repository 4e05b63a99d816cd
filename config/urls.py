"""URL map. Each pillar app mounts its own urls.py; see jiandu/<app>/urls.py."""

from django.urls import include, path

urlpatterns = [
    path("", include("jiandu.web.urls")),
    path("accounts/", include("jiandu.accounts.urls")),
    path("registry/", include("jiandu.registry.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
]

# Pillar apps mount themselves when they have pages (jiandu/<app>/urls.py with urlpatterns).
for _prefix, _module in [
    ("api/v1/", "jiandu.web.api_urls"),
    ("ballots/", "jiandu.ballots.urls"),
    ("vote/", "jiandu.ballots.public_urls"),
    ("decisions/", "jiandu.decisions.urls"),
    ("appraisals/", "jiandu.appraisals.urls"),
    ("audits/", "jiandu.audits.urls"),
    ("selection/", "jiandu.selection.urls"),
    ("oversight/", "jiandu.oversight.urls"),
    ("matters/", "jiandu.matters.urls"),
    ("dossier/", "jiandu.dossier.urls"),
    ("portal/", "jiandu.portal.urls"),
]:
    try:
        __import__(_module)
    except ModuleNotFoundError as _exc:
        if _exc.name != _module:
            raise
        continue
    urlpatterns.append(path(_prefix, include(_module)))

# The public portal is matched first: its anonymous pages are the hot path (issue #14, `make bench`
# portal_page), and no other prefix can be "portal/".
urlpatterns.sort(key=lambda pattern: str(pattern.pattern) != "portal/")

handler404 = "jiandu.web.views.page_not_found"
handler500 = "jiandu.web.views.server_error"
handler403 = "jiandu.web.views.permission_denied"
