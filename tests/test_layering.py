"""The dependency contract (layering.toml) holds, and the checker sees every way of breaking it:
a planted forbidden import, at module level or inside a function, through importlib, through
apps.get_model or a lazy model string, or a relative import, is reported."""

import textwrap

import pytest

from jiandu import layering

APPS = {"core", "accounts", "registry", "ballots", "decisions", "appraisals", "audits", "selection", "oversight", "dossier", "portal", "web"}


@pytest.fixture(scope="module")
def contract():
    return layering.Contract.load()


def refs(source: str, app: str, module: str = "") -> list[layering.Reference]:
    return layering.references_in_source(textwrap.dedent(source), app=app, path=f"jiandu/{app}/planted.py", apps=APPS, module=module or f"jiandu.{app}.planted")


def bad(source: str, app: str, contract, module: str = "") -> list[str]:
    return [f"{r.source}->{r.target}:{r.how}" for r in layering.violations(refs(source, app, module), contract)]


def test_the_project_keeps_its_contract(contract):
    found = layering.violations(layering.collect(), contract)
    assert [str(r) for r in found] == []
    assert layering.unknown_apps(contract) == []


def test_the_contract_says_what_the_design_says(contract):
    allowed = contract.allowed
    assert allowed["core"] == frozenset()
    assert allowed["accounts"] == {"core"}
    assert allowed["registry"] == {"core", "accounts"}
    assert allowed["ballots"] == {"core", "accounts"}
    for app, deps in allowed.items():
        assert "dossier" not in deps and "portal" not in deps, app
        assert "web" not in deps, app  # the shell is on top: nothing imports it
        assert app not in deps
    assert contract.discovery == {"web"}


def test_planted_imports_in_core_are_reported(contract):
    assert bad("from jiandu.accounts import access\n", "core", contract) == ["core->accounts:import"]
    assert bad("import jiandu.registry.models\n", "core", contract) == ["core->registry:import"]
    # inside a function, where a lazy import used to hide
    assert bad(
        """
        def f():
            from jiandu.accounts.models import Role
            return Role
        """,
        "core",
        contract,
    ) == ["core->accounts:import"]
    assert bad("from jiandu import accounts\n", "core", contract) == ["core->accounts:import"]
    # relative imports are resolved against the module's package
    assert bad("from ..accounts import access\n", "core", contract, module="jiandu.core.queries") == ["core->accounts:import"]
    assert bad("from . import journal\nfrom .models import JournalEntry\n", "core", contract, module="jiandu.core.queries") == []


def test_importlib_get_model_and_model_strings_are_seen(contract):
    assert bad('import importlib\nm = importlib.import_module("jiandu.oversight.queries")\n', "appraisals", contract) == ["appraisals->oversight:importlib"]
    assert bad('__import__("jiandu.oversight")\n', "appraisals", contract) == ["appraisals->oversight:importlib"]
    assert bad('from django.apps import apps\nUnit = apps.get_model("registry", "Unit")\n', "accounts", contract) == ["accounts->registry:get_model"]
    assert bad('from django.apps import apps\nUnit = apps.get_model("registry.Unit")\n', "ballots", contract) == ["ballots->registry:get_model"]
    assert bad('from django.db import models\nunit = models.ForeignKey("registry.Unit", on_delete=models.PROTECT)\n', "ballots", contract) == [
        "ballots->registry:model string"
    ]
    assert bad('from django.db import models\nx = models.ManyToManyField(to="registry.Cadre")\n', "accounts", contract) == ["accounts->registry:model string"]


def test_discovery_by_computed_name_only_in_the_shell(contract):
    source = 'import importlib\ndef load(app):\n    return importlib.import_module(f"{app}.demo")\n'
    assert bad(source, "registry", contract) == ["registry->?:importlib"]
    assert bad(source, "web", contract) == []


def test_allowed_edges_pass_and_pillars_need_declarations(contract):
    assert bad("from jiandu.registry.models import Cadre\nfrom jiandu.accounts import access\n", "oversight", contract) == []
    assert bad("from jiandu.appraisals import hooks\n", "oversight", contract) == []  # declared
    assert bad("from jiandu.oversight import queries\n", "appraisals", contract) == ["appraisals->oversight:import"]  # the reverse is not
    assert bad("from jiandu.selection import queries\n", "audits", contract) == ["audits->selection:import"]
    assert bad("from jiandu.dossier import views\n", "web", contract) == ["web->dossier:import"]
    assert bad("from jiandu.portal import views\n", "oversight", contract) == ["oversight->portal:import"]
    assert bad("from jiandu.web import views\n", "registry", contract) == ["registry->web:import"]
    # Python's and Django's own modules are no apps of the project
    assert bad("import importlib\nfrom django.apps import apps\nimport jiandu\n", "core", contract) == []


def test_a_planted_file_on_disk_is_found_and_tests_are_not_checked(tmp_path, contract):
    for app in ("core", "accounts"):
        (tmp_path / "jiandu" / app / "sub").mkdir(parents=True)
        (tmp_path / "jiandu" / app / "apps.py").write_text("")
        (tmp_path / "jiandu" / app / "tests").mkdir()
    (tmp_path / "jiandu" / "core" / "sub" / "deep.py").write_text("def f():\n    from jiandu.accounts import access\n")
    (tmp_path / "jiandu" / "core" / "tests" / "test_x.py").write_text("from jiandu.accounts import access\n")
    (tmp_path / "jiandu" / "accounts" / "ok.py").write_text("from jiandu.core import journal\n")
    found = layering.violations(layering.collect(tmp_path), contract)
    assert [(r.path, r.line, r.source, r.target) for r in found] == [("jiandu/core/sub/deep.py", 2, "core", "accounts")]


def test_a_new_app_must_be_listed(tmp_path, contract):
    (tmp_path / "jiandu" / "newpillar").mkdir(parents=True)
    (tmp_path / "jiandu" / "newpillar" / "apps.py").write_text("")
    assert layering.unknown_apps(contract, tmp_path) == ["newpillar"]


def test_core_refuses_everything_until_an_access_policy_is_registered():
    from django.core.exceptions import PermissionDenied

    from jiandu.accounts import access
    from jiandu.core import permissions

    assert permissions.policy() is access  # accounts registered it in ready()
    deny = permissions._DenyAll()
    assert deny.can(object(), "journal.search") is False
    with pytest.raises(PermissionDenied):
        deny.require(object(), "journal.verify")
