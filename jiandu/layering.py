"""The dependency-contract checker (layering.toml at the repository root).

It reads every Python source of jiandu/<app>/ (tests, migrations and jiandu/testing.py aside) and
finds each reference to another app of the project: `import`/`from … import` at any depth
(inside functions too), `importlib.import_module("…")`/`__import__("…")`, `apps.get_model("app",
"Model")` or `apps.get_model("app.Model")`, and lazy model strings such as
`ForeignKey("app.Model")`. An `importlib` call with a computed name counts as discovery and is only
allowed in the apps the contract lists under [discovery]. Run it with
`python -m jiandu.layering` or through tests/test_layering.py."""

from __future__ import annotations

import ast
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "jiandu"
MODEL_FIELDS = {"ForeignKey", "OneToOneField", "ManyToManyField"}
SKIPPED_PARTS = {"tests", "migrations", "__pycache__"}


@dataclass(frozen=True)
class Reference:
    path: str
    line: int
    source: str  # the app whose file holds the reference
    target: str  # the app it reaches, or "?" for discovery by a computed name
    how: str  # "import", "importlib", "get_model", "model string"

    def __str__(self):
        if self.target == "?":
            return f"{self.path}:{self.line}: {self.source} discovers modules by a computed name ({self.how})"
        return f"{self.path}:{self.line}: {self.source} -> {self.target} ({self.how})"


@dataclass(frozen=True)
class Contract:
    allowed: dict[str, frozenset[str]]
    discovery: frozenset[str]

    @classmethod
    def load(cls, path: Path | None = None) -> Contract:
        data = tomllib.loads((path or ROOT / "layering.toml").read_text(encoding="utf-8"))
        allowed = {app: frozenset(deps) for app, deps in data["apps"].items()}
        return cls(allowed, frozenset(data.get("discovery", {}).get("allowed", [])))


def _app_of_module(name: str, apps: set[str]) -> str | None:
    parts = name.split(".")
    if len(parts) >= 2 and parts[0] == PACKAGE and parts[1] in apps:
        return parts[1]
    return None


def _const_str(node) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _call_name(func) -> str:
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


def references_in_source(source_text: str, *, app: str, path: str, apps: set[str], module: str = "") -> list[Reference]:
    """Every reference from `source_text` (a file of `app`) to another app in `apps`."""
    tree = ast.parse(source_text, filename=path)
    found: list[Reference] = []

    def add(node, target, how):
        if target != app:
            found.append(Reference(path, node.lineno, app, target, how))

    package_parts = module.split(".")[:-1] if module else [PACKAGE, app]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                target = _app_of_module(alias.name, apps)
                if target:
                    add(node, target, "import")
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package_parts[: len(package_parts) - node.level + 1] if node.level > 1 else package_parts
                name = ".".join([*base, node.module] if node.module else base)
            else:
                name = node.module or ""
            names = [name] + ([f"{name}.{a.name}" for a in node.names] if name == PACKAGE else [])
            for candidate in names:
                target = _app_of_module(candidate, apps)
                if target:
                    add(node, target, "import")
        elif isinstance(node, ast.Call):
            name = _call_name(node.func)
            first = _const_str(node.args[0]) if node.args else None
            if name in ("import_module", "__import__"):
                if first is None:
                    found.append(Reference(path, node.lineno, app, "?", "importlib"))
                else:
                    target = _app_of_module(first, apps)
                    if target:
                        add(node, target, "importlib")
            elif name == "get_model" and first:
                label = first.split(".", 1)[0]
                if label in apps:
                    add(node, label, "get_model")
            elif name in MODEL_FIELDS:
                ref = first or next((_const_str(k.value) for k in node.keywords if k.arg == "to"), None)
                if ref and "." in ref and ref.split(".", 1)[0] in apps:
                    add(node, ref.split(".", 1)[0], "model string")
    return found


def collect(root: Path = ROOT, apps: set[str] | None = None) -> list[Reference]:
    package = root / PACKAGE
    if apps is None:
        apps = {p.name for p in package.iterdir() if (p / "apps.py").exists()}
    out = []
    for app in sorted(apps):
        for file in sorted((package / app).rglob("*.py")):
            rel = file.relative_to(root)
            if SKIPPED_PARTS & set(rel.parts):
                continue
            module = ".".join(rel.with_suffix("").parts)
            out.extend(references_in_source(file.read_text(encoding="utf-8"), app=app, path=str(rel), apps=apps, module=module))
    return out


def violations(references: list[Reference], contract: Contract) -> list[Reference]:
    bad = []
    for ref in references:
        if ref.target == "?":
            if ref.source not in contract.discovery:
                bad.append(ref)
        elif ref.source not in contract.allowed or ref.target not in contract.allowed[ref.source]:
            bad.append(ref)
    return bad


def unknown_apps(contract: Contract, root: Path = ROOT) -> list[str]:
    """Apps on disk that the contract does not name (a new app must say what it uses)."""
    return sorted(p.name for p in (root / PACKAGE).iterdir() if (p / "apps.py").exists() and p.name not in contract.allowed)


def main() -> int:
    contract = Contract.load()
    bad = violations(collect(), contract)
    for ref in bad:
        print(ref)
    for app in unknown_apps(contract):
        print(f"layering.toml does not list the app {app}")
    return 1 if bad or unknown_apps(contract) else 0


if __name__ == "__main__":
    sys.exit(main())
