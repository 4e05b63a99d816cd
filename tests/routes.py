"""Walk the URL resolver and collect the access-test maps (used by tests/test_routes.py).

Every route is either in the PUBLIC allow-list (tests/test_routes.py) or named in an
ACCESS_TESTED map: a dict `route name → "test_file.py::test_function"` (or a list of such
references) in `jiandu/<app>/tests/access_map.py` or `tests/access_map.py`. A reference is a
path relative to the folder of the map that declares it; the walker checks that the test exists.
"""

import ast
import importlib
import re
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.urls import URLPattern, URLResolver, converters, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern
from django.utils.regex_helper import normalize

BASE_DIR = Path(__file__).resolve().parent.parent
_PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<parameter>[^>]+)>")


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name", or "" for an unnamed route
    url: str  # a concrete URL with sample values for the parameters
    pattern: str  # the pattern text, for messages
    callback: object


def _sample(converter) -> str:
    if isinstance(converter, converters.IntConverter):
        return converter.to_url(1)
    if isinstance(converter, converters.UUIDConverter):
        return converter.to_url(uuid.UUID(int=1))
    try:
        return converter.to_url(converter.to_python("1"))
    except (ValueError, TypeError):
        return "x"


def _concrete(pattern) -> str:
    """One URL piece matching `pattern`, with sample values for its parameters."""
    if isinstance(pattern, RoutePattern):
        route = str(pattern._route)
        return _PARAMETER.sub(lambda m: _sample(pattern.converters[m.group("parameter")]), route)
    if isinstance(pattern, RegexPattern):
        forms = normalize(pattern._regex)
        if not forms:
            return ""
        text, params = forms[0]
        return text % {p: "1" for p in params}
    return str(pattern)  # LocalePrefixPattern and friends


def iter_routes(urlconf=None):
    """Every endpoint reachable through the resolver, including included and ninja patterns."""
    yield from _walk(get_resolver(urlconf), "/", "", "")


def _walk(resolver: URLResolver, url: str, text: str, namespace: str):
    for entry in resolver.url_patterns:
        piece = _concrete(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry, url + piece, text + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            name = ""
            if entry.name:
                name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield Route(name=name, url=url + piece, pattern=text + str(entry.pattern), callback=entry.callback)


@dataclass(frozen=True)
class Reference:
    route: str
    declared_in: Path
    text: str


def access_map_files() -> list[Path]:
    return sorted(BASE_DIR.glob("jiandu/*/tests/access_map.py")) + sorted((BASE_DIR / "tests").glob("access_map.py"))


def collect_access_maps() -> dict[str, list[Reference]]:
    """route name → the references to its access tests, from every access_map.py."""
    collected: dict[str, list[Reference]] = {}
    for path in access_map_files():
        module_name = ".".join(path.relative_to(BASE_DIR).with_suffix("").parts)
        module = importlib.import_module(module_name)
        for route, refs in module.ACCESS_TESTED.items():
            for text in [refs] if isinstance(refs, str) else list(refs):
                collected.setdefault(route, []).append(Reference(route, path, text))
    return collected


def reference_problem(reference: Reference) -> str | None:
    """Why a reference does not point at an existing test function, or None."""
    if "::" not in reference.text:
        return f"{reference.route}: {reference.text!r} is not 'file.py::test_name'"
    file_part, _, test_name = reference.text.partition("::")
    test_name = test_name.split("::")[-1].split("[")[0]
    path = (reference.declared_in.parent / file_part).resolve()
    if not path.is_file():
        return f"{reference.route}: {path.relative_to(BASE_DIR) if path.is_relative_to(BASE_DIR) else path} does not exist"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)}
    if test_name not in names or not test_name.startswith("test"):
        return f"{reference.route}: no test function {test_name} in {file_part}"
    return None
