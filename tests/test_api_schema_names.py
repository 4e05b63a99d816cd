"""The OpenAPI document names each schema by its class name: two apps declaring schema classes of
the same name make one silently replace the other (a request then validated against the wrong
shape). Every schema class of the project's API has a name of its own."""

from collections import defaultdict

from ninja import Schema

import config.urls  # noqa: F401  (mounts every app's router, importing its schemas)


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_api_schema_class_names_are_unique_across_apps():
    modules = defaultdict(set)
    for cls in _subclasses(Schema):
        if cls.__module__.startswith("jiandu."):
            modules[cls.__name__].add(cls.__module__)
    assert len(modules) > 50  # the apps' schemas were found
    assert {name: sorted(found) for name, found in modules.items() if len(found) > 1} == {}
