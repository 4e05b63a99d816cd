"""Account reads for the administration pages, and the read-only unit list for the role picker."""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from . import access
from .models import RoleAssignment, User
from .units import unit_queryset

# Who may open the user administration pages, each seeing the actions of their own permission.
ADMINISTRATION_PERMS = ("accounts.manage_users", "accounts.assign_roles", "accounts.unlock", "accounts.reset_totp")


def may_administer_users(user) -> bool:
    return any(access.can(user, perm) for perm in ADMINISTRATION_PERMS)


def users_visible_to(user) -> QuerySet[User]:
    if not may_administer_users(user):
        return User.objects.none()
    return User.objects.all()


def get_user_for(actor, pk) -> User:
    found = users_visible_to(actor).filter(pk=pk).first()
    if found is None:
        raise access.NotVisible()
    return found


def search_users(qs: QuerySet[User], *, q: str = "", status: str = "", role: str = "") -> QuerySet[User]:
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(username__icontains=q) | Q(full_name__icontains=q))
    now = timezone.now()
    if status == "active":
        qs = qs.filter(is_active=True).exclude(locked_until__gt=now)
    elif status == "disabled":
        qs = qs.filter(is_active=False)
    elif status == "locked":
        qs = qs.filter(locked_until__gt=now)
    if role:
        qs = qs.filter(Exists(RoleAssignment.objects.filter(user=OuterRef("pk"), role=role, revoked_at__isnull=True)))
    return qs.order_by("username")


def active_roles_by_user(user_ids) -> dict[int, list[RoleAssignment]]:
    out: dict[int, list[RoleAssignment]] = {}
    for assignment in RoleAssignment.objects.filter(user_id__in=list(user_ids), revoked_at__isnull=True).order_by("granted_at"):
        out.setdefault(assignment.user_id, []).append(assignment)
    return out


# accounts sits under registry and never imports it (layering.toml). The security administrator
# still has to pick the unit a role is held on, so the picker reads the units the registry
# registered (accounts.units), read-only: names, tree depth and paths, nothing else. A role
# assignment keeps referring to its unit by id and path only.
def _units() -> QuerySet:
    qs = unit_queryset()
    if qs is None:
        raise LookupError("no app provides units (jiandu.accounts.units.register_unit_source)")
    return qs


def units_for_picker():
    """Every active unit in tree order (for choosing where a role is held)."""
    return list(_units().filter(is_active=True).order_by("path").only("pk", "name", "path", "depth"))


def unit_for_assignment(pk):
    """The unit chosen in the role picker, or None if there is no such active unit."""
    if not pk:
        return None
    return _units().filter(pk=pk, is_active=True).only("pk", "name", "path", "depth").first()


def unit_names(unit_ids) -> dict[int, str]:
    ids = [i for i in unit_ids if i is not None]
    if not ids:
        return {}
    return dict(_units().filter(pk__in=ids).values_list("pk", "name"))
