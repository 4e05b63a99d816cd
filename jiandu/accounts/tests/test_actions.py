"""Account actions: happy path, each precondition, the journal entry."""

import pytest

from jiandu.accounts import access, actions
from jiandu.accounts.access import NotVisible
from jiandu.accounts.models import ApiToken, Role, RoleAssignment, User
from jiandu.core.errors import ActionError
from jiandu.core.models import JournalEntry
from jiandu.testing import PASSWORD, make_unit, make_user, security_admin, system_admin

pytestmark = pytest.mark.django_db


def _last(action):
    return JournalEntry.objects.filter(action=action).order_by("-seq").first()


# --- create_user ---------------------------------------------------------------------------------


def test_create_user_issues_a_password_to_change_and_journals():
    admin = system_admin()
    user = actions.create_user(actor=admin, username="liuyang", full_name=" 刘洋 ", password="Issued-Pass-2026", cadre_id=7)
    assert user.full_name == "刘洋" and user.must_change_password and user.check_password("Issued-Pass-2026")
    assert user.password_changed_at is not None and user.cadre_id == 7
    entry = _last("accounts.user.created")
    assert entry.actor_id == admin.pk and entry.target_id == str(user.pk) and entry.data == {"username": "liuyang", "cadre_id": 7}
    assert "Issued-Pass-2026" not in str(entry.data)


@pytest.mark.parametrize(
    "values, field",
    [
        ({"username": "", "full_name": "某"}, "username"),
        ({"username": "abc", "full_name": "  "}, "full_name"),
        ({"username": "has space", "full_name": "某"}, "username"),
        ({"username": "a", "full_name": "某"}, "username"),
        ({"username": "张三", "full_name": "某"}, "username"),
        ({"username": "ok_name", "full_name": "某" * 101}, "full_name"),
        ({"username": "ok_name", "full_name": "某", "password": "short"}, "password"),
        ({"username": "ok_name", "full_name": "某", "password": "alllowercaseletters"}, "password"),
    ],
)
def test_create_user_preconditions(values, field):
    values = {"password": "Issued-Pass-2026", **values}
    with pytest.raises(ActionError) as exc:
        actions.create_user(actor=system_admin(), **values)
    assert exc.value.field == field
    assert not User.objects.filter(username=values["username"]).exists()


def test_create_user_refuses_taken_username_case_insensitively_and_a_linked_cadre_twice():
    make_user(username="Wanghai")
    with pytest.raises(ActionError) as exc:
        actions.create_user(actor=system_admin(), username="wanghai", full_name="王海", password="Issued-Pass-2026")
    assert exc.value.field == "username"
    actions.create_user(actor=system_admin(), username="self1", full_name="甲", password="Issued-Pass-2026", cadre_id=99)
    with pytest.raises(ActionError) as exc:
        actions.create_user(actor=system_admin(), username="self2", full_name="乙", password="Issued-Pass-2026", cadre_id=99)
    assert exc.value.field == "cadre_id"


@pytest.mark.parametrize("role", [Role.SECURITY_ADMIN, Role.AUDIT_ADMIN, Role.ORG_HEAD])
def test_only_the_system_administrator_creates_users(role):
    actor = make_user(role=role)
    with pytest.raises(NotVisible):
        actions.create_user(actor=actor, username="x_user", full_name="某", password="Issued-Pass-2026")


# --- passwords -----------------------------------------------------------------------------------


def test_change_password_only_for_oneself():
    a, b = make_user(), make_user()
    with pytest.raises(NotVisible):
        actions.change_password(actor=a, user=b, old_password=PASSWORD, new_password="New-Secret-2027")


def test_reset_password_makes_the_user_change_it_and_is_journaled():
    user = make_user()
    epoch = user.session_epoch
    actions.reset_password(actor=system_admin(), user=user, new_password="Issued-Pass-2026")
    user.refresh_from_db()
    assert user.must_change_password and user.check_password("Issued-Pass-2026") and user.session_epoch == epoch + 1
    assert _last("accounts.password.reset").target_id == str(user.pk)


def test_reset_password_preconditions():
    admin = system_admin()
    with pytest.raises(ActionError):
        actions.reset_password(actor=admin, user=admin, new_password="Issued-Pass-2026")
    with pytest.raises(ActionError) as exc:
        actions.reset_password(actor=admin, user=make_user(), new_password="weak")
    assert exc.value.field == "password"
    with pytest.raises(NotVisible):
        actions.reset_password(actor=security_admin(), user=make_user(), new_password="Issued-Pass-2026")


# --- disable / enable ----------------------------------------------------------------------------


def test_disable_and_enable_with_journal():
    user = make_user()
    actions.disable_user(actor=system_admin(), user=user, reason=" 调离 ")
    user.refresh_from_db()
    assert not user.is_active
    assert _last("accounts.user.disabled").data == {"reason": "调离"}
    actions.enable_user(actor=system_admin(), user=user)
    user.refresh_from_db()
    assert user.is_active
    assert _last("accounts.user.enabled").target_id == str(user.pk)


def test_disable_enable_preconditions():
    admin, user = system_admin(), make_user()
    with pytest.raises(ActionError) as exc:
        actions.disable_user(actor=admin, user=user, reason=" ")
    assert exc.value.field == "reason"
    with pytest.raises(ActionError):
        actions.disable_user(actor=admin, user=admin, reason="self")
    with pytest.raises(ActionError):
        actions.enable_user(actor=admin, user=user)  # already active
    actions.disable_user(actor=admin, user=user, reason="x")
    with pytest.raises(ActionError):
        actions.disable_user(actor=admin, user=user, reason="again")
    with pytest.raises(NotVisible):
        actions.enable_user(actor=security_admin(), user=user)


def test_disabled_user_has_no_access_and_no_token():
    unit = make_unit()
    user = make_user(role=Role.ORG_OFFICER, unit=unit)
    _token, secret = actions.create_api_token(actor=user, name="script")
    assert actions.user_for_token(secret) == user
    actions.disable_user(actor=system_admin(), user=user, reason="left")
    user.refresh_from_db()
    assert access.can(user, "registry.view", unit) is False
    assert actions.user_for_token(secret) is None


# --- roles ---------------------------------------------------------------------------------------


def test_assign_and_revoke_a_role_on_a_unit_with_journal():
    unit = make_unit()
    user = make_user()
    assignment = actions.assign_role(actor=security_admin(), user=user, role=Role.ORG_OFFICER, unit=unit, include_descendants=False)
    assert assignment.unit_id == unit.pk and assignment.unit_path == unit.path and not assignment.include_descendants
    entry = _last("accounts.role.assigned")
    assert entry.unit_id == unit.pk and entry.unit_path == unit.path and entry.data == {"role": "org_officer", "include_descendants": False}
    assert access.can(user, "registry.manage", unit)
    actions.revoke_role(actor=security_admin(), assignment=assignment)
    user = User.objects.get(pk=user.pk)
    assert not access.can(user, "registry.manage", unit)
    assert _last("accounts.role.revoked").data == {"role": "org_officer", "unit_path": unit.path}
    with pytest.raises(ActionError):
        actions.revoke_role(actor=security_admin(), assignment=assignment)


def test_assign_role_preconditions():
    admin = security_admin()
    user = make_user()
    unit = make_unit()
    with pytest.raises(ActionError) as exc:
        actions.assign_role(actor=admin, user=user, role="overlord")
    assert exc.value.field == "role"
    with pytest.raises(ActionError) as exc:
        actions.assign_role(actor=admin, user=make_user(), role=Role.AUDIT_ADMIN, unit=unit)
    assert exc.value.field == "unit"
    with pytest.raises(ActionError) as exc:
        actions.assign_role(actor=admin, user=user, role=Role.CADRE)
    assert exc.value.field == "role"
    actions.assign_role(actor=admin, user=user, role=Role.ORG_OFFICER, unit=unit)
    with pytest.raises(ActionError):  # the same role on the same unit twice
        actions.assign_role(actor=admin, user=user, role=Role.ORG_OFFICER, unit=unit)
    actions.assign_role(actor=admin, user=user, role=Role.ORG_OFFICER, unit=make_unit())  # another unit is fine
    disabled = make_user()
    actions.disable_user(actor=system_admin(), user=disabled, reason="x")
    with pytest.raises(ActionError):
        actions.assign_role(actor=admin, user=disabled, role=Role.ORG_OFFICER, unit=unit)


def test_only_the_security_administrator_grants_roles():
    for actor in (system_admin(), make_user(role=Role.ORG_HEAD)):
        with pytest.raises(NotVisible):
            actions.assign_role(actor=actor, user=make_user(), role=Role.ORG_OFFICER)


def test_security_administrator_cannot_revoke_their_own_role():
    admin = security_admin()
    own = RoleAssignment.objects.get(user=admin, role=Role.SECURITY_ADMIN, revoked_at__isnull=True)
    with pytest.raises(ActionError):
        actions.revoke_role(actor=admin, assignment=own)


# --- unlock --------------------------------------------------------------------------------------


def test_unlock_preconditions():
    user = make_user()
    with pytest.raises(ActionError):
        actions.unlock_user(actor=security_admin(), user=user)
    actions.register_login_failure(username=user.username)
    actions.unlock_user(actor=security_admin(), user=user)  # a failure count alone can be cleared
    assert _last("accounts.user.unlocked").data == {"was_locked": False}
    with pytest.raises(NotVisible):
        actions.unlock_user(actor=system_admin(), user=user)


# --- API tokens ----------------------------------------------------------------------------------


def test_token_is_stored_only_hashed_and_works_until_revoked():
    user = make_user()
    token, secret = actions.create_api_token(actor=user, name=" 报表脚本 ")
    assert secret.startswith("jd_") and len(secret) > 40 and token.name == "报表脚本"
    assert secret not in token.token_hash and token.prefix == secret[:8]
    entry = _last("accounts.token.created")
    assert secret not in str(entry.data)
    assert entry.data == {"name": "报表脚本", "prefix": token.prefix, "read_only": False, "expires_at": token.expires_at.isoformat()}
    assert actions.user_for_token(secret) == user
    assert actions.user_for_token(secret + "x") is None and actions.user_for_token("") is None and actions.user_for_token("abc") is None
    actions.revoke_api_token(actor=user, token=token)
    assert actions.user_for_token(secret) is None
    assert _last("accounts.token.revoked").target_id == str(token.pk)
    with pytest.raises(ActionError):
        actions.revoke_api_token(actor=user, token=token)


def test_token_preconditions():
    user = make_user()
    with pytest.raises(ActionError) as exc:
        actions.create_api_token(actor=user, name="  ")
    assert exc.value.field == "name"
    with pytest.raises(ActionError):
        actions.create_api_token(actor=user, name="x" * 101)
    actions.create_api_token(actor=user, name="dup")
    with pytest.raises(ActionError):
        actions.create_api_token(actor=user, name="dup")
    for n in range(actions.MAX_ACTIVE_TOKENS - 1):
        actions.create_api_token(actor=user, name=f"t{n}")
    assert ApiToken.objects.filter(user=user, revoked_at__isnull=True).count() == actions.MAX_ACTIVE_TOKENS
    with pytest.raises(ActionError):
        actions.create_api_token(actor=user, name="one too many")


def test_revoking_another_users_token_needs_the_system_administrator():
    owner, other = make_user(), make_user()
    token, _secret = actions.create_api_token(actor=owner, name="t")
    with pytest.raises(NotVisible):
        actions.revoke_api_token(actor=other, token=token)
    actions.revoke_api_token(actor=system_admin(), token=token)


def test_a_login_delay_does_not_stop_the_users_token():
    """Others can delay an account's logins by failing on purpose (issue #8); its token goes on,
    while disabling the account stops it."""
    user = make_user()
    _token, secret = actions.create_api_token(actor=user, name="t")
    while not User.objects.get(pk=user.pk).is_locked():
        actions.register_login_failure(username=user.username)
    assert actions.user_for_token(secret) == user
    actions.disable_user(actor=system_admin(), user=user, reason="left")
    assert actions.user_for_token(secret) is None


# --- bootstrap -----------------------------------------------------------------------------------


def test_bootstrap_once_per_administrator_role():
    first = actions.bootstrap_administrator(username="root_sec", full_name="安全员", password="Boot-Strap-2026", role=Role.SECURITY_ADMIN)
    assert not first.must_change_password
    assert _last("accounts.administrator.bootstrapped").data == {"username": "root_sec", "role": "security_admin"}
    with pytest.raises(ActionError):
        actions.bootstrap_administrator(username="root_sec2", full_name="二", password="Boot-Strap-2026", role=Role.SECURITY_ADMIN)
    with pytest.raises(ActionError):
        actions.bootstrap_administrator(username="boss", full_name="二", password="Boot-Strap-2026", role=Role.ORG_HEAD)
    with pytest.raises(ActionError):
        actions.bootstrap_administrator(username="bad name", full_name="二", password="Boot-Strap-2026", role=Role.AUDIT_ADMIN)
    with pytest.raises(ActionError):
        actions.bootstrap_administrator(username="weak", full_name="二", password="password", role=Role.AUDIT_ADMIN)
