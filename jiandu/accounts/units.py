"""The units roles are held on, as accounts sees them without importing the registry (layering.toml).

Role assignments refer to a unit by id and path. The role picker (security administrator) and
ballots' unit choice need the list of units: the registry registers its source in
`RegistryConfig.ready()` with `register_unit_source(lambda: Unit.objects.all())`. What accounts
and ballots read from it is only `pk`, `name`, `path`, `depth` and `is_active`."""

from collections.abc import Callable

from django.db.models import QuerySet

UnitSource = Callable[[], QuerySet]

_source: UnitSource | None = None


def register_unit_source(source: UnitSource) -> None:
    global _source
    _source = source


def unit_queryset() -> QuerySet | None:
    """Every unit (a fresh queryset), or None when no app provides units."""
    return _source() if _source is not None else None
