"""The access policy core's own actions and journal reads ask, without importing the app that
defines it (core imports no app of the project; layering.toml). accounts registers its `access`
module in `AccountsConfig.ready()`; until one is registered every check refuses (deny by default)."""

from typing import Protocol

from django.db.models import Q


class AccessPolicy(Protocol):
    def can(self, user, perm: str, unit=None) -> bool: ...

    def require(self, user, perm: str, unit=None) -> None: ...

    def scope_q(self, user, perm: str, path_field: str = "unit__path") -> Q: ...

    def setting_permission(self, key: str) -> str: ...


class _DenyAll:
    def can(self, user, perm, unit=None):
        return False

    def require(self, user, perm, unit=None):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied(perm)

    def scope_q(self, user, perm, path_field="unit__path"):
        return Q(pk__in=[])

    def setting_permission(self, key):
        return "settings.manage"


_policy: AccessPolicy = _DenyAll()


def register_policy(policy: AccessPolicy) -> None:
    global _policy
    _policy = policy


def policy() -> AccessPolicy:
    return _policy


class _Current:
    """`access.can(...)` etc. on whichever policy is registered when the call runs."""

    def __getattr__(self, name):
        return getattr(_policy, name)


access: AccessPolicy = _Current()  # type: ignore[assignment]
