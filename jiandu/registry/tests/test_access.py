"""Who may open which registry page (SECURITY.md "Access"; jiandu/registry/tests/access_map.py names
these tests for tests/test_routes.py).

Every route of jiandu/registry/urls.py is in ROUTES with real objects of the finance bureau and the
request a clerk would send (the same requests succeed for the bureau's own officer, so a refusal is
the access check at work, not a bad form). Then, GET and POST alike:

- an anonymous visitor is sent to the login;
- an officer of another unit gets 404 on the bureau's records, and its lists, exports and
  pickers show nothing of the bureau;
- a reader of the bureau without registry.manage (vetting, discipline, audit officer, committee
  member, unit leader) reads but gets 404 on every route that changes something or imports;
- the administrators, a user without roles and a cadre get 404 everywhere (a cadre reads only
  their own record);

and each refusal leaves the registry unchanged and is journaled once as core.access.denied.
"""

import datetime as dt
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import pytest
import python_calamine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from jiandu.accounts.models import Role
from jiandu.core.models import JournalEntry
from jiandu.registry import urls as registry_urls
from jiandu.registry.models import Cadre, Position, Relative, Tenure, Unit
from jiandu.testing import admin_persona, log_in, make_cadre, make_position, make_relative, make_tenure, make_user

from .test_imports import cadre_file, person, uploads
from .test_views import VALID_ID, cadre_post

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


@dataclass(frozen=True)
class Route:
    gate: str  # who may use it, see GATES
    url: object  # world -> URL
    methods: tuple = ("get",)
    data: object = None  # world -> POST data


# What each gate means: the check a route makes before anything else.
GATES = {
    "entry": "logged in; redirects to the cadre list",
    "list": "registry.view somewhere; shows only the user's scope",
    "read": "registry.view on the record's unit",
    "manage": "registry.manage on the record's unit",
    "manage_somewhere": "registry.manage somewhere; offers only units in scope",
    "district": "registry.manage on the whole district (a top unit)",
    "import": "registry.import",
    "upload": "registry.import, and the upload belongs to this session",
    "self": "self.view, for one's own record",
    "sensitive": "registry.view_sensitive on the record's unit (a reader without it is sent back with a message)",
    "sensitive_list": "registry.view_sensitive on every cadre of the user's scoped list",
}

UNIT_DATA = {"name": "新科室", "short_name": "", "kind": "government_department", "order": 0}
APPOINT_DATA = {"started_on": "2024-01-02", "start_method": "appointment"}

ROUTES = {
    "index": Route("entry", lambda w: reverse("registry:index")),
    # units
    "unit_tree": Route("list", lambda w: reverse("registry:unit_tree")),
    "units_export": Route("list", lambda w: reverse("registry:units_export")),
    "unit_create": Route("district", lambda w: reverse("registry:unit_create"), ("get", "post"), lambda w: {**UNIT_DATA, "name": "新顶级单位"}),
    "unit_detail": Route("read", lambda w: reverse("registry:unit_detail", args=[w.finance.pk])),
    "unit_edit": Route(
        "manage",
        lambda w: reverse("registry:unit_edit", args=[w.section.pk]),
        ("get", "post"),
        lambda w: {**UNIT_DATA, "name": "预算管理科", "is_active": "on"},
    ),
    "unit_create_child": Route("manage", lambda w: reverse("registry:unit_create_child", args=[w.finance.pk]), ("get", "post"), lambda w: UNIT_DATA),
    "position_create": Route(
        "manage",
        lambda w: reverse("registry:position_create", args=[w.finance.pk]),
        ("get", "post"),
        lambda w: {"title": "总会计师", "kind": "leading", "level": "section_deputy", "headcount": 1, "order": 0},
    ),
    # cadres
    "cadre_list": Route("list", lambda w: reverse("registry:cadre_list")),
    "cadres_export": Route("list", lambda w: reverse("registry:cadres_export")),
    "cadre_create": Route("manage_somewhere", lambda w: reverse("registry:cadre_create"), ("get", "post"), lambda w: cadre_post(w.finance)),
    "cadre_detail": Route("read", lambda w: reverse("registry:cadre_detail", args=[w.zhang.pk])),
    "cadre_edit": Route(
        "manage",
        lambda w: reverse("registry:cadre_edit", args=[w.zhang.pk]),
        ("get", "post"),
        lambda w: cadre_post(w.finance, name="张伟民", id_number=w.zhang.id_number, birth_on="1980-05-17", status="serving"),
    ),
    "cadre_move": Route("manage", lambda w: reverse("registry:cadre_move", args=[w.zhang.pk]), ("post",), lambda w: {"unit": w.section.pk}),
    "appoint_cadre": Route(
        "manage",
        lambda w: reverse("registry:appoint_cadre", args=[w.zhang.pk]),
        ("get", "post"),
        lambda w: {**APPOINT_DATA, "position": w.secretary.pk},
    ),
    "relative_add": Route(
        "manage",
        lambda w: reverse("registry:relative_add", args=[w.zhang.pk]),
        ("get", "post"),
        lambda w: {"relation": "son", "name": "张小明"},
    ),
    "relative_remove": Route("manage", lambda w: reverse("registry:relative_remove", args=[w.relative.pk]), ("get", "post"), lambda w: {"reason": "录入错误"}),
    "my_record": Route("self", lambda w: reverse("registry:my_record")),
    # positions and tenures
    "position_list": Route("list", lambda w: reverse("registry:position_list")),
    "positions_export": Route("list", lambda w: reverse("registry:positions_export")),
    "position_detail": Route("read", lambda w: reverse("registry:position_detail", args=[w.director.pk])),
    "position_edit": Route(
        "manage",
        lambda w: reverse("registry:position_edit", args=[w.director.pk]),
        ("get", "post"),
        lambda w: {"title": "局长", "kind": "leading", "level": "section_chief", "headcount": 1, "order": 0, "is_active": "on", "is_principal": "on"},
    ),
    "appoint": Route("manage", lambda w: reverse("registry:appoint", args=[w.deputy.pk]), ("get", "post"), lambda w: {**APPOINT_DATA, "cadre": w.zhao.pk}),
    "tenure_list": Route("list", lambda w: reverse("registry:tenure_list")),
    "tenures_export": Route("list", lambda w: reverse("registry:tenures_export")),
    "conflicts": Route("list", lambda w: reverse("registry:conflicts")),
    "tenure_end": Route(
        "manage",
        lambda w: reverse("registry:tenure_end", args=[w.tenure.pk]),
        ("get", "post"),
        lambda w: {"ended_on": "2026-01-05", "end_reason": "transfer", "confirm": "on"},
    ),
    # pickers
    "pick_cadres": Route("list", lambda w: reverse("registry:pick_cadres") + "?cadre_q=zwm"),
    "pick_units": Route("manage_somewhere", lambda w: reverse("registry:pick_units") + "?unit_q=ysk"),
    "pick_positions": Route("manage_somewhere", lambda w: reverse("registry:pick_positions") + "?position_q=局长"),
    # xlsx import
    "import_index": Route("import", lambda w: reverse("registry:import_index"), ("get", "post"), lambda w: w.upload_data()),
    "import_template": Route("import", lambda w: reverse("registry:import_template", args=["cadres"])),
    "import_preview": Route("upload", lambda w: reverse("registry:import_preview", args=[w.token_commit])),
    "import_commit": Route("upload", lambda w: reverse("registry:import_commit", args=[w.token_commit]), ("post",), lambda w: {}),
    "import_cancel": Route("upload", lambda w: reverse("registry:import_cancel", args=[w.token_cancel]), ("post",), lambda w: {}),
    # the 任免审批表: .lrmx and the printed form
    "cadres_lrmx": Route("sensitive_list", lambda w: reverse("registry:cadres_lrmx")),
    "cadre_lrmx": Route("sensitive", lambda w: reverse("registry:cadre_lrmx", args=[w.zhang.pk])),
    "cadre_form_pdf": Route("sensitive", lambda w: reverse("registry:cadre_form_pdf", args=[w.zhang.pk])),
    "cadre_record_edit": Route(
        "manage", lambda w: reverse("registry:cadre_record_edit", args=[w.zhang.pk]), ("get", "post"), lambda w: {"health": "健康", "resume": ""}
    ),
    "lrmx_import": Route("import", lambda w: reverse("registry:lrmx_import"), ("get", "post"), lambda w: w.lrmx_data()),
    "lrmx_preview": Route("upload", lambda w: reverse("registry:lrmx_preview", args=[w.token_lrmx]), ("get", "post"), lambda w: {}),
}

# Names that show the finance bureau's records; none may reach another unit's officer.
FINANCE_NAMES = ("财政局", "预算科", "张伟明", "赵敏", "副局长", "办公室主任")


@pytest.fixture
def world(district, tmp_path):
    """The finance bureau with a current tenure, a free post, a family record and two uploads of
    its officer's session waiting for commit or cancel."""
    w = SimpleNamespace(**vars(district))
    w.zhao = make_cadre(unit=district.finance, name="赵敏", gender="female")
    w.deputy = make_position(unit=district.finance, title="副局长")
    w.secretary = make_position(unit=district.finance, title="办公室主任")
    w.tenure = make_tenure(cadre=district.zhang, position=district.director, started_on=dt.date(2022, 3, 1))
    w.relative = make_relative(cadre=district.zhang, name="刘芳")
    w.officer_client = log_in(Client(), district.officer)

    def upload_data():
        path = cadre_file(tmp_path, [person(7)], name="upload.xlsx")
        return {"kind": "cadres", "file": SimpleUploadedFile("upload.xlsx", path.read_bytes())}

    w.upload_data = upload_data
    tokens = []
    for _ in range(2):
        response = w.officer_client.post(reverse("registry:import_index"), upload_data())
        assert response.status_code == 302, response.context["form"].errors
        tokens.append(response["Location"].rstrip("/").split("/")[-1])
    w.token_commit, w.token_cancel = tokens

    def lrmx_data():
        form = Path(__file__).with_name("lrmx") / "zhao.lrmx"
        return {"files": [SimpleUploadedFile("zhao.lrmx", form.read_bytes())], "unit": district.finance.pk}

    w.lrmx_data = lrmx_data
    response = w.officer_client.post(reverse("registry:lrmx_import"), lrmx_data())
    assert response.status_code == 302, response.context["form"].errors
    w.token_lrmx = response["Location"].rstrip("/").split("/")[-1]
    return w


def _send(client, route: Route, method: str, world):
    url = route.url(world)
    if method == "get":
        return client.get(url)
    return client.post(url, route.data(world) if route.data else {})


def _state():
    """What a refused request must not change."""
    return (
        list(Unit.objects.order_by("pk").values_list("pk", "name", "parent_id", "is_active")),
        list(Cadre.objects.order_by("pk").values_list("pk", "name", "unit_id", "status")),
        list(Position.objects.order_by("pk").values_list("pk", "title", "is_principal", "is_active")),
        list(Tenure.objects.order_by("pk").values_list("pk", "cadre_id", "position_id", "ended_on")),
        list(Relative.objects.order_by("pk").values_list("pk", "name", "is_removed")),
        JournalEntry.objects.filter(action__startswith="registry.").count(),
        uploads(),
    )


def _denials(user) -> int:
    return JournalEntry.objects.filter(action="core.access.denied", actor_id=user.pk, outcome="denied").count()


def _expect_404_everywhere(user, names, world) -> int:
    """Send every method of every named route as `user`; all must be 404, change nothing, and be
    journaled. Returns the number of requests."""
    client = log_in(Client(), user)
    before, denied_before = _state(), _denials(user)
    wrong, sent = [], 0
    for name in names:
        route = ROUTES[name]
        for method in route.methods:
            response = _send(client, route, method, world)
            sent += 1
            if response.status_code != 404:
                wrong.append(f"{method.upper()} {name} → {response.status_code}")
    assert not wrong, f"{user.username} was not refused:\n" + "\n".join(wrong)
    assert _state() == before, f"a refused request of {user.username} changed the registry"
    assert _denials(user) - denied_before == sent, "every refusal is journaled once"
    return sent


def _names(*gates) -> list[str]:
    return [name for name, route in ROUTES.items() if route.gate in gates]


def test_the_table_names_every_registry_route():
    declared = {pattern.name for pattern in registry_urls.urlpatterns}
    assert set(ROUTES) == declared, f"place new routes in ROUTES: {sorted(declared - set(ROUTES))}; gone: {sorted(set(ROUTES) - declared)}"
    assert {route.gate for route in ROUTES.values()} <= set(GATES)


def test_the_units_own_officer_may_send_every_request_of_the_table(world):
    """The table's requests are real ones: the finance officer (and, for a top unit, the district
    head) gets each page and each POST succeeds. So the refusals below are access checks."""
    me = make_user(role=Role.CADRE, cadre=world.zhao)
    clients = {"district": log_in(Client(), world.head), "self": log_in(Client(), me)}
    outcomes = {}
    for name, route in ROUTES.items():
        client = clients.get(route.gate, world.officer_client)
        for method in route.methods:
            response = _send(client, route, method, world)
            outcomes[f"{method.upper()} {name}"] = response.status_code
            expected = (302,) if method == "post" or name in ("index", "my_record") else (200,)
            assert response.status_code in expected, f"{method.upper()} {name} → {response.status_code}"
            if method == "post" and name not in ("import_commit", "import_cancel", "cadre_move"):
                assert "/accounts/login/" not in response["Location"]
    assert Tenure.objects.get(pk=world.tenure.pk).ended_on == dt.date(2026, 1, 5)
    assert Relative.objects.get(pk=world.relative.pk).is_removed
    assert Cadre.objects.filter(id_number=VALID_ID).exists() and Cadre.objects.filter(name="干部7").exists()
    assert not [name for name in uploads() if name.startswith((world.token_commit, world.token_cancel))]  # committed, cancelled
    print(f"\nregistry routes for their own officer: {len(outcomes)} requests, all answered")


def test_anonymous_visitors_are_sent_to_the_login_on_every_registry_route(world):
    client = Client()
    before, sent = _state(), 0
    for name, route in ROUTES.items():
        for method in ("get", "post"):
            response = _send(client, route, method, world)
            sent += 1
            assert response.status_code == 302 and response["Location"].startswith(LOGIN), f"{method.upper()} {name} → {response.status_code}"
    assert _state() == before
    print(f"\nanonymous: {sent} registry requests, {sent} sent to the login")


def test_an_officer_of_another_unit_gets_404_on_this_units_records_and_uploads(world):
    sent = _expect_404_everywhere(world.outsider, _names("read", "manage", "district", "upload", "sensitive"), world)
    print(f"\nanother unit's officer: {sent} requests on the bureau's records, {sent} refused and journaled")


def _xlsx_text(response) -> str:
    """Every cell of every sheet of a downloaded workbook."""
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))
    sheets = [workbook.get_sheet_by_name(name).to_python() for name in workbook.sheet_names]
    return "\n".join(str(cell) for rows in sheets for row in rows for cell in row)


def test_lists_exports_and_pickers_show_another_units_officer_nothing_of_this_unit(world):
    client = log_in(Client(), world.outsider)
    shown = 0
    for name in _names("list", "manage_somewhere", "import", "entry", "sensitive_list"):
        route = ROUTES[name]
        response = client.get(route.url(world), follow=name == "index")
        assert response.status_code == 200, name
        if name == "import_template":
            continue  # the same fixed template (with made-up examples) for everyone who may import
        if name.endswith("_export"):
            text = _xlsx_text(response)
        elif name == "cadres_lrmx":  # a zip of the forms of the other unit's own cadres
            archive = zipfile.ZipFile(io.BytesIO(response.content))
            text = "\n".join(archive.read(member).decode() for member in archive.namelist())
            assert "李秀英" in text
        else:
            text = response.content.decode()
        leaked = [word for word in FINANCE_NAMES if word in text]
        assert not leaked, f"{name} shows {leaked}"
        shown += 1
    # What the other unit's officer may open still refuses the bureau's units.
    before = _state()
    response = client.post(reverse("registry:cadre_create"), cadre_post(world.finance))
    assert response.status_code == 200 and "unit" in response.context["form"].errors
    response = client.post(reverse("registry:import_index"), world.upload_data())
    preview = client.get(response["Location"])
    assert preview.context["findings"]["error_count"] == 1  # the row names a unit out of scope
    token = response["Location"].rstrip("/").split("/")[-1]
    assert client.post(reverse("registry:import_commit", args=[token]))["Location"] == response["Location"]
    client.post(reverse("registry:import_cancel", args=[token]))
    after = _state()
    assert after[:5] == before[:5] and after[6] == before[6]  # only journal entries (the refused import) were added
    print(f"\nanother unit's officer: {shown} lists, exports and pickers, none shows the bureau")


READERS = [Role.VETTING_OFFICER, Role.DISCIPLINE_OFFICER, Role.AUDIT_OFFICER, Role.COMMITTEE_MEMBER, Role.UNIT_LEADER]


@pytest.mark.parametrize("role", READERS)
def test_a_reader_without_registry_manage_gets_404_on_every_manage_route(world, role):
    reader = make_user(role=role, unit=world.finance)
    client = log_in(Client(), reader)
    for name in _names("read", "list"):
        assert client.get(ROUTES[name].url(world)).status_code == 200, f"{role} may read {name}"
    sent = _expect_404_everywhere(reader, _names("manage", "manage_somewhere", "district", "import", "upload"), world)
    print(f"\n{role} of the bureau: {sent} manage/import requests, {sent} refused and journaled")


@pytest.mark.parametrize("who", ["system_admin", "security_admin", "audit_admin", "no_role", "cadre"])
def test_administrators_and_users_without_a_registry_role_get_404_everywhere(world, who):
    if who == "no_role":
        user = make_user()
    elif who == "cadre":
        user = make_user(role=Role.CADRE, cadre=world.zhao)
    else:
        user = admin_persona(who)
    names = [name for name in ROUTES if name not in ("index", "my_record")]
    sent = _expect_404_everywhere(user, names, world)
    client = log_in(Client(), user)
    assert client.get(reverse("registry:index"), follow=True).status_code == 404
    own = client.get(reverse("registry:my_record"))
    if who == "cadre":  # one's own record, and only that
        assert own["Location"] == reverse("registry:cadre_detail", args=[world.zhao.pk])
        assert client.get(own["Location"]).status_code == 200
    else:
        assert own.status_code == 404
    print(f"\n{who}: {sent + 2} registry requests, {sent + 1 + (who != 'cadre')} refused")
