"""The one place that decides "may this user do this on this unit" (ARCHITECTURE.md rule 4).

Roles carry permissions (the matrix below); a role is held on a unit path, usually with every
unit below it. Answers are given in unit paths: `scope_q` returns a filter each app applies to
its own queries, so this module never imports a domain app. Not visible and not allowed both
raise `NotVisible`, which views render as 404.
"""

from django.db.models import Q
from django.http import Http404

from .models import ADMIN_ROLES, UNIT_ONLY_ROLES, Role, RoleAssignment

# Permission catalogue. Keep names `area.verb`; add a pillar's permissions here with its roles.
P = {
    "registry.view",
    "registry.manage",
    "registry.view_sensitive",
    "registry.import",
    "journal.view_object",
    "journal.search",
    "journal.verify",
    "accounts.manage_users",
    "accounts.assign_roles",
    "accounts.unlock",
    "accounts.reset_totp",
    "settings.manage",
    "settings.manage_security",
    "system.status",
    "ballots.manage",
    "ballots.enter_paper",
    "ballots.view_results",
    "decisions.view",
    "decisions.manage",
    "decisions.vote",
    "decisions.submit_log",
    "decisions.review_log",
    "appraisals.view",
    "appraisals.manage",
    "appraisals.confirm",
    "appraisals.view_unit_results",
    "audits.view",
    "audits.manage",
    "audits.approve",  # the head approves exemptions from 凡离必审 and the yearly audit plan
    "selection.view",
    "selection.manage",
    "selection.decide",
    "selection.vet",
    "oversight.view",
    "oversight.manage",
    "oversight.confirm",
    "oversight.clues",
    "oversight.view_clues_all",
    "dossier.view",
    "dossier.handle_alerts",  # acknowledge early warnings and run the scan (issue #16)
    "self.view",
    "self.answer",
    # 个人有关事项 (jiandu/matters). view_reports: reports and check results, only through the
    # matters_officer role (never implied by a district-wide or administrator role);
    # export_reports: the head's journaled export (needs view_reports as well); passports:
    # custody of private passports; approve_travel: the head approves travel requests.
    "matters.view_reports",
    "matters.export_reports",
    "matters.passports",
    "matters.approve_travel",
}

_ORG_OFFICER = {
    "registry.view",
    "registry.manage",
    "registry.view_sensitive",
    "registry.import",
    "journal.view_object",
    "ballots.manage",
    "ballots.enter_paper",
    "ballots.view_results",
    "decisions.view",
    "decisions.manage",  # the committee office records meetings (三重一大)
    "decisions.review_log",
    "appraisals.view",
    "appraisals.manage",
    "audits.view",
    "selection.view",
    "selection.manage",
    "oversight.view",
    "oversight.manage",
    "dossier.view",
    "matters.passports",
    "dossier.handle_alerts",
}

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.ORG_OFFICER: frozenset(_ORG_OFFICER),
    Role.ORG_HEAD: frozenset(
        _ORG_OFFICER
        | {
            "appraisals.confirm",
            "oversight.confirm",
            "selection.decide",
            "oversight.view_clues_all",
            "settings.manage",
            "decisions.manage",
            "audits.approve",
            "matters.export_reports",
            "matters.approve_travel",
        }
    ),
    Role.MATTERS_OFFICER: frozenset({"matters.view_reports"}),
    Role.DISCIPLINE_OFFICER: frozenset(
        {
            "registry.view",
            "registry.view_sensitive",
            "journal.view_object",
            "oversight.view",
            "selection.vet",
            "dossier.view",
            "decisions.view",
            "audits.view",
        }
    ),
    Role.AUDIT_OFFICER: frozenset(
        {
            "registry.view",
            "journal.view_object",
            "audits.view",
            "audits.manage",
            "selection.vet",
        }
    ),
    Role.VETTING_OFFICER: frozenset({"registry.view", "selection.vet"}),
    # Receiving, feeding back, sending and closing clues is the work of a department's clue
    # officer, an assignment on that department's unit only (UNIT_ONLY_ROLES): no district-wide
    # business role implies it (security issue #8.2). Reading every clue is the organisation
    # department head's `oversight.view_clues_all` (the convener of the joint meeting), read only.
    Role.CLUE_OFFICER: frozenset({"oversight.clues"}),
    Role.COMMITTEE_MEMBER: frozenset(
        {
            "registry.view",
            "decisions.view",
            "decisions.vote",
            "decisions.submit_log",  # a district leader writes their own weekly log (阳光周志)
            "appraisals.view",
            "selection.view",
            "ballots.view_results",
            # Read-only daily supervision (statistics, talks, inquiries, dispositions); clues stay
            # with the departments that handle them (oversight.clues).
            "oversight.view",
        }
    ),
    Role.UNIT_LEADER: frozenset(
        {
            "registry.view",
            "appraisals.view_unit_results",  # confirmed results of his own unit and those below it
            "decisions.view",
            "decisions.manage",
            "decisions.submit_log",
            "audits.view",
            "oversight.view",
        }
    ),
    Role.CADRE: frozenset({"self.view", "self.answer", "decisions.submit_log"}),  # own weekly log
    Role.SYSTEM_ADMIN: frozenset({"accounts.manage_users", "settings.manage", "system.status"}),
    # 安全管理员 sets the security policy (lockout, sessions, passwords, two-factor login: the
    # "security.*" settings); everyone else with settings.manage sets the other local practice.
    Role.SECURITY_ADMIN: frozenset({"accounts.assign_roles", "accounts.unlock", "accounts.reset_totp", "settings.manage_security"}),
    Role.AUDIT_ADMIN: frozenset({"journal.search", "journal.verify", "journal.view_object"}),
}

assert all(perms <= P for perms in ROLE_PERMISSIONS.values()), "unknown permission in the role matrix"


class NotVisible(Http404):
    """Not found and not allowed look the same (SECURITY.md)."""


def assignments(user) -> list[RoleAssignment]:
    """The user's active role assignments, cached on the user object for the request."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, "_jiandu_assignments", None)
    if cached is None:
        cached = list(RoleAssignment.objects.filter(user=user, revoked_at__isnull=True))
        user._jiandu_assignments = cached
    return cached


def forget(user) -> None:
    """Drop the cached assignments (after a role change in the same request)."""
    if hasattr(user, "_jiandu_assignments"):
        del user._jiandu_assignments


def roles(user) -> set[str]:
    return {a.role for a in assignments(user)}


def _path_of(unit) -> str | None:
    if unit is None:
        return None
    if isinstance(unit, str):
        return unit
    return unit.path


def _covers(assignment: RoleAssignment, path: str) -> bool:
    if assignment.role in UNIT_ONLY_ROLES:
        # Exactly its own unit, whatever the row says (a district-wide or subtree row is refused
        # when granted; this keeps an older or hand-made row from covering more).
        return bool(assignment.unit_path) and path == assignment.unit_path
    if not assignment.unit_path:
        return True
    if assignment.include_descendants:
        return path.startswith(assignment.unit_path)
    return path == assignment.unit_path


def can(user, perm: str, unit=None) -> bool:
    """May `user` do `perm` on `unit` (a unit, a path, or None for "anywhere")?"""
    if perm not in P:
        raise ValueError(f"unknown permission {perm}")
    path = _path_of(unit)
    for assignment in assignments(user):
        if perm in ROLE_PERMISSIONS.get(assignment.role, ()):
            if path is None or _covers(assignment, path):
                return True
    return False


def require(user, perm: str, unit=None) -> None:
    if not can(user, perm, unit):
        raise NotVisible()


def scope_q(user, perm: str, path_field: str = "unit__path") -> Q:
    """A filter selecting rows whose unit lies in the user's scope for `perm` (empty if none)."""
    q = Q(pk__in=[])
    for assignment in assignments(user):
        if perm not in ROLE_PERMISSIONS.get(assignment.role, ()):
            continue
        if assignment.role in UNIT_ONLY_ROLES:
            if assignment.unit_path:
                q |= Q(**{path_field: assignment.unit_path})
            continue
        if not assignment.unit_path:
            # "Everything" as a real condition: an empty Q() would vanish when OR-ed with another
            # scope (Q(pk__in=[]) | Q() is Q(pk__in=[])), silently hiding every row.
            return Q(pk__isnull=False)
        if assignment.include_descendants:
            q |= Q(**{f"{path_field}__startswith": assignment.unit_path})
        else:
            q |= Q(**{path_field: assignment.unit_path})
    return q


def is_unrestricted(user, perm: str) -> bool:
    return any(perm in ROLE_PERMISSIONS.get(a.role, ()) and not a.unit_path and a.role not in UNIT_ONLY_ROLES for a in assignments(user))


def unit_paths(user, perm: str) -> set[str]:
    """The units on which the user holds `perm` through a one-unit role (UNIT_ONLY_ROLES), e.g.
    the departments whose clue officer the user is."""
    return {a.unit_path for a in assignments(user) if a.role in UNIT_ONLY_ROLES and a.unit_path and perm in ROLE_PERMISSIONS.get(a.role, ())}


def permissions(user) -> set[str]:
    perms: set[str] = set()
    for assignment in assignments(user):
        perms |= ROLE_PERMISSIONS.get(assignment.role, frozenset())
    return perms


def role_conflict(existing: set[str], new_role: str) -> bool:
    """三权分立: the three administrator roles exclude each other and every business role."""
    if not existing:
        return False
    if new_role in ADMIN_ROLES:
        return bool(existing - {new_role})
    return bool(existing & ADMIN_ROLES)


def setting_permission(key: str) -> str:
    """The permission needed to change a local-practice setting: security policy belongs to the
    security administrator (三员 separation), the rest to settings.manage."""
    return "settings.manage_security" if key.startswith("security.") else "settings.manage"


def is_self(user, cadre) -> bool:
    """The user is the cadre (self service)."""
    cadre_id = getattr(cadre, "pk", cadre)
    return bool(user and getattr(user, "cadre_id", None) and user.cadre_id == cadre_id and "self.view" in permissions(user))


def answers_self(user, cadre) -> bool:
    """The user is the cadre and answers in person (self.answer): a reply, an explanation, a report."""
    return is_self(user, cadre) and can(user, "self.answer")


def may_answer(user, cadre, unit, officer_perm: str) -> bool:
    """The one rule for answers: the cadre answers in person, or an officer holding `officer_perm`
    over `unit` records the answer given on paper. Actions enforce it; views use it so that nobody
    is shown a form the action would refuse."""
    return answers_self(user, cadre) or can(user, officer_perm, unit)


def holders(perm: str, unit=None, *, roles: set[str] | None = None, on_unit_only: bool = False) -> list[int]:
    """The ids of the active users who hold `perm` over `unit` (a unit, a path, or None: held
    anywhere), optionally through one of `roles` only; `on_unit_only`: through an assignment on a
    unit (a department's officers), not a district-wide one. For addressing notifications."""
    return holders_among(holder_assignments(perm, roles=roles), unit, on_unit_only=on_unit_only)


def holder_assignments(perm: str, *, roles: set[str] | None = None) -> list[RoleAssignment]:
    """The active assignments that carry `perm` (one query; `holders_among` picks from them)."""
    if perm not in P:
        raise ValueError(f"unknown permission {perm}")
    wanted = [r for r, perms in ROLE_PERMISSIONS.items() if perm in perms and (roles is None or r in roles)]
    rows = RoleAssignment.objects.filter(role__in=wanted, revoked_at__isnull=True, user__is_active=True)
    return list(rows.only("user_id", "role", "unit_path", "include_descendants"))


def holders_among(rows: list[RoleAssignment], unit=None, *, on_unit_only: bool = False) -> list[int]:
    path = _path_of(unit)
    ids = set()
    for assignment in rows:
        if on_unit_only and not assignment.unit_path:
            continue
        if path is None or _covers(assignment, path):
            ids.add(assignment.user_id)
    return sorted(ids)


def user_for_cadre(cadre) -> int | None:
    """The id of the active account linked to the cadre (self service), if any."""
    from .models import User

    cadre_id = getattr(cadre, "pk", cadre)
    if not cadre_id:
        return None
    return User.objects.filter(cadre_id=cadre_id, is_active=True).values_list("pk", flat=True).first()
