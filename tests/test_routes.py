"""Deny by default (SECURITY.md "Access"): every route outside an explicit allow-list must refuse
anonymous visitors, and must have a wrong-role / wrong-unit test named in an ACCESS_TESTED map.

To add an app's routes: create `jiandu/<app>/tests/access_map.py` with

    ACCESS_TESTED = {"<app>:<route name>": "test_views.py::test_<page>_wrong_unit_is_404", ...}

(a reference is relative to that tests folder; a list of references is fine too).
"""

import types

import pytest
from django.test import Client
from django.urls import path

from jiandu.core.models import JournalEntry

from .routes import collect_access_maps, iter_routes, reference_problem

LOGIN = "/accounts/login/"

# Routes anyone may open, by name, with the reason. Decided here, reviewed like code.
PUBLIC = {
    "accounts:login": "the login page itself (delays per address and per account, a challenge after failures)",
    "accounts:login_verify": "the second login step; without a password step in this session it only redirects to the login",
    "accounts:logout": "POST only; without a session it does nothing but redirect to the login",
    "set_language": "Django's language switch; it only sets the language cookie",
}
# Whole areas that are public by design, by URL prefix.
PUBLIC_PREFIXES = {
    "/vote/": "ballot entry by code (ballots.public_urls): voters have no accounts; a code admits one ballot",
    "/portal/": "the read-only public portal",
    "/static/": "vendored static files",
}
# NOT public, by decision: the API's OpenAPI schema and its docs page (/api/v1/openapi.json,
# /api/v1/docs). They describe every internal field (ID numbers, findings, clues); only logged-in
# users and token holders need them, so they sit behind the login like the rest of the API.


def _is_public(route) -> bool:
    return route.name in PUBLIC or route.url.startswith(tuple(PUBLIC_PREFIXES))


def _refuses_anonymous(client, route) -> tuple[bool, str]:
    for method in ("get", "post"):
        response = getattr(client, method)(route.url)
        status = response.status_code
        location = response.get("Location", "")
        if route.url.startswith("/api/"):
            json_refusal = status in (401, 403, 404, 405) and response.get("Content-Type", "").startswith("application/json")
            # A wrong method is refused before authentication (405, as for pages): it reveals nothing.
            ok = json_refusal or status == 405 or (status == 302 and location.startswith(LOGIN))
        else:
            ok = (status == 302 and location.startswith(LOGIN)) or status == 405
        if not ok:
            return False, f"{method.upper()} {route.url} ({route.name or route.pattern}) → {status} {location}"
    return True, ""


@pytest.mark.django_db
def test_every_route_is_public_by_decision_or_refuses_anonymous_visitors_and_has_an_access_test():
    routes = list(iter_routes())
    access_maps = collect_access_maps()
    unnamed = [r.pattern for r in routes if not r.name and not _is_public(r)]
    assert not unnamed, f"routes without a name cannot be listed in ACCESS_TESTED: {unnamed}"

    client = Client()
    journal_before = JournalEntry.objects.count()
    reachable, untested = [], []
    public = [r for r in routes if _is_public(r)]
    protected = [r for r in routes if not _is_public(r)]
    for route in protected:
        ok, message = _refuses_anonymous(client, route)
        if not ok:
            reachable.append(message)
        if route.name not in access_maps:
            untested.append(f"{route.name} ({route.pattern})")
    assert JournalEntry.objects.count() == journal_before, "anonymous requests changed something"

    bad_references = [problem for refs in access_maps.values() for ref in refs if (problem := reference_problem(ref))]
    route_names = {r.name for r in routes}
    stale = sorted(set(access_maps) - route_names)
    stale_public = sorted(set(PUBLIC) - route_names)

    tested = {r.name for r in protected if r.name in access_maps}
    print(
        f"\nroutes: {len(routes)} routes ({len({r.name for r in routes})} names), {len(public)} public, "
        f"{len(tested)} of {len({r.name for r in protected})} protected names access-tested, "
        f"{len(reachable)} reachable anonymously"
    )
    assert not reachable, "reachable without logging in:\n" + "\n".join(reachable)
    assert not untested, "no access test named in any ACCESS_TESTED map:\n" + "\n".join(untested)
    assert not bad_references, "ACCESS_TESTED references that do not point at a test:\n" + "\n".join(bad_references)
    assert not stale, f"ACCESS_TESTED names routes that do not exist: {stale}"
    assert not stale_public, f"PUBLIC names routes that do not exist: {stale_public}"


@pytest.mark.django_db
def test_public_routes_do_not_leak_anything_anonymously():
    client = Client()
    assert client.get(LOGIN).status_code == 200
    assert client.get("/accounts/login/code/")["Location"].startswith(LOGIN)
    assert client.post("/accounts/logout/")["Location"] == LOGIN
    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"


# --- the walker itself ---------------------------------------------------------------------------


def _dummy_view(request, **kwargs):
    raise AssertionError("not called")


def _ninja_api():
    from ninja import NinjaAPI, Router

    api = NinjaAPI(urls_namespace="walker-test", docs_url=None)
    router = Router()

    @router.get("/items/{int:item_id}")
    def item_detail(request, item_id: int):
        return {"id": item_id}

    api.add_router("/things", router)
    return api


_walker_urlconf = types.ModuleType("walker_urlconf")
_walker_urlconf.urlpatterns = [
    path("a/<int:pk>/", _dummy_view, name="a_detail"),
    path("api/", _ninja_api().urls),
]


def test_walker_descends_into_included_and_ninja_routes():
    routes = {r.name: r for r in iter_routes(_walker_urlconf)}
    assert routes["a_detail"].url == "/a/1/"
    ninja = routes["walker-test:item_detail"]
    assert ninja.url == "/api/things/items/1"


def test_reference_checker_finds_missing_tests(tmp_path):
    from .routes import Reference

    (tmp_path / "test_x.py").write_text("def test_real():\n    pass\n\nclass TestGroup:\n    def test_method(self):\n        pass\n")
    declared = tmp_path / "access_map.py"
    assert reference_problem(Reference("r", declared, "test_x.py::test_real")) is None
    assert reference_problem(Reference("r", declared, "test_x.py::TestGroup::test_method")) is None
    assert reference_problem(Reference("r", declared, "test_x.py::test_real[param]")) is None
    assert "no test function" in reference_problem(Reference("r", declared, "test_x.py::test_missing"))
    assert "does not exist" in reference_problem(Reference("r", declared, "test_y.py::test_real"))
    assert "is not" in reference_problem(Reference("r", declared, "test_x.py"))
