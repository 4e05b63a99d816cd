"""URLs of the JSON API, mounted by config/urls.py at /api/v1/: the docs page's own assets, every
app's router (core.api.mount_app_routers) and a JSON 404 for any other address below."""

from django.urls import path, re_path

from .api import api, docs_asset, mount_app_routers, not_found

mount_app_routers(api)

urlpatterns = [
    path("docs/assets/<str:name>", docs_asset, name="api-docs-asset"),
    path("", not_found, name="api-index"),
    path("", api.urls),
    re_path(r"^.*$", not_found, name="api-not-found"),
]
