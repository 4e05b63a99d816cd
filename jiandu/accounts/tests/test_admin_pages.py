"""User administration pages: what the system and the security administrator each may do, and
that everyone else gets 404."""

import re

import pytest
from django.test import Client

from jiandu.accounts import actions
from jiandu.accounts.models import Role, RoleAssignment, User
from jiandu.core.models import JournalEntry
from jiandu.testing import PASSWORD, admin_persona, enrol_totp, make_unit, make_user

from .helpers import post_login

pytestmark = pytest.mark.django_db


def _as(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def sysadmin():
    return _as(admin_persona(Role.SYSTEM_ADMIN))


@pytest.fixture
def secadmin():
    return _as(admin_persona(Role.SECURITY_ADMIN))


@pytest.fixture
def outsiders():
    """Everyone who must not see the user administration: the audit administrator and business roles."""
    unit = make_unit()
    return {
        "audit_admin": _as(admin_persona(Role.AUDIT_ADMIN)),
        "org_head": _as(make_user(role=Role.ORG_HEAD)),
        "org_officer": _as(make_user(role=Role.ORG_OFFICER, unit=unit)),
        "no role": _as(make_user()),
    }


def _issued_password(response) -> str:
    return re.search(r'class="issued-password">([^<]+)<', response.content.decode()).group(1)


# --- who sees what -------------------------------------------------------------------------------


def test_outsiders_get_404_on_every_administration_page(outsiders):
    target = make_user()
    assignment = actions.assign_role(actor=admin_persona(Role.SECURITY_ADMIN), user=target, role=Role.ORG_OFFICER, unit=make_unit())
    gets = ["/accounts/users/", "/accounts/users/new/", f"/accounts/users/{target.pk}/"]
    posts = [
        "/accounts/users/new/",
        f"/accounts/users/{target.pk}/password/",
        f"/accounts/users/{target.pk}/disable/",
        f"/accounts/users/{target.pk}/enable/",
        f"/accounts/users/{target.pk}/sessions/end/",
        f"/accounts/users/{target.pk}/roles/",
        f"/accounts/users/{target.pk}/roles/{assignment.pk}/revoke/",
        f"/accounts/users/{target.pk}/unlock/",
        f"/accounts/users/{target.pk}/two-factor/reset/",
    ]
    tried = 0
    for name, client in outsiders.items():
        for url in gets:
            assert client.get(url).status_code == 404, (name, url)
            tried += 1
        for url in posts:
            assert client.post(url, {"reason": "x", "role": "org_head", "username": "evil", "full_name": "x"}).status_code == 404, (name, url)
            tried += 1
    target.refresh_from_db()
    assert target.is_active and RoleAssignment.objects.get(pk=assignment.pk).revoked_at is None
    assert not User.objects.filter(username="evil").exists()
    print(f"administration pages: {tried} requests by {len(outsiders)} outsiders, 0 got through")


def test_system_administrator_may_not_use_security_administrator_actions(sysadmin):
    target = make_user()
    assert sysadmin.post(f"/accounts/users/{target.pk}/roles/", {"role": "org_head"}).status_code == 404
    assert sysadmin.post(f"/accounts/users/{target.pk}/unlock/").status_code == 404
    assert sysadmin.post(f"/accounts/users/{target.pk}/two-factor/reset/", {"reason": "x"}).status_code == 404
    page = sysadmin.get(f"/accounts/users/{target.pk}/")
    assert page.status_code == 200 and page.context["role_form"] is None
    assert b"/roles/" not in page.content and b"/unlock/" not in page.content


def test_security_administrator_may_not_use_system_administrator_actions(secadmin):
    target = make_user()
    for url in (
        "/accounts/users/new/",
        f"/accounts/users/{target.pk}/password/",
        f"/accounts/users/{target.pk}/disable/",
        f"/accounts/users/{target.pk}/sessions/end/",
    ):
        assert secadmin.post(url, {"reason": "x", "username": "a_b", "full_name": "x"}).status_code == 404, url
    assert secadmin.get("/accounts/users/new/").status_code == 404
    page = secadmin.get(f"/accounts/users/{target.pk}/")
    assert page.status_code == 200
    assert f"/accounts/users/{target.pk}/password/".encode() not in page.content and b"/disable/" not in page.content


def test_unknown_user_is_404(sysadmin):
    assert sysadmin.get("/accounts/users/999999/").status_code == 404


# --- user list -----------------------------------------------------------------------------------


def test_user_list_search_filters_and_pagination(sysadmin):
    unit = make_unit()
    for n in range(23):
        make_user(username=f"clerk{n:02d}", full_name=f"科员{n:02d}")
    make_user(username="officer1", full_name="监督员", role=Role.ORG_OFFICER, unit=unit)
    locked = make_user(username="lockme")
    while not User.objects.get(pk=locked.pk).is_locked():
        actions.register_login_failure(username="lockme")
    response = sysadmin.get("/accounts/users/?q=clerk")
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 23 and len(response.context["rows"]) == 20
    assert sysadmin.get("/accounts/users/?q=clerk&page=2").context["rows"].__len__() == 3
    assert sysadmin.get("/accounts/users/?q=clerk&size=50").context["rows"].__len__() == 23
    assert [r["user"].username for r in sysadmin.get("/accounts/users/?q=监督").context["rows"]] == ["officer1"]
    assert [r["user"].username for r in sysadmin.get("/accounts/users/?role=org_officer").context["rows"]] == ["officer1"]
    assert [r["user"].username for r in sysadmin.get("/accounts/users/?status=locked").context["rows"]] == ["lockme"]
    assert "lockme" not in [r["user"].username for r in sysadmin.get("/accounts/users/?status=active&size=100").context["rows"]]
    assert sysadmin.get("/accounts/users/?q=nobody-like-this").context["rows"] == []


# --- system administrator ------------------------------------------------------------------------


def test_create_user_shows_the_issued_password_once_and_it_must_be_changed(sysadmin):
    response = sysadmin.post("/accounts/users/new/", {"username": "huangmin", "full_name": "黄敏"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    password = _issued_password(response)
    user = User.objects.get(username="huangmin")
    assert user.must_change_password and user.check_password(password)
    assert JournalEntry.objects.filter(action="accounts.user.created", target_id=str(user.pk)).exists()
    assert password.encode() not in sysadmin.get(f"/accounts/users/{user.pk}/").content
    newcomer = Client()
    post_login(newcomer, "huangmin", password)
    assert newcomer.get("/")["Location"] == "/accounts/password/"


def test_create_user_errors_keep_the_input(sysadmin):
    make_user(username="taken")
    response = sysadmin.post("/accounts/users/new/", {"username": "taken", "full_name": "重名"})
    assert response.status_code == 200 and "username" in response.context["form"].errors
    assert 'value="重名"' in response.content.decode()
    response = sysadmin.post("/accounts/users/new/", {"username": "", "full_name": ""})
    assert response.status_code == 200 and response.context["form"].errors
    assert User.objects.filter(username__iexact="taken").count() == 1


def test_reset_password_issues_a_new_one_and_ends_sessions(sysadmin):
    user = make_user(username="forgetful")
    theirs = _as(user)
    response = sysadmin.post(f"/accounts/users/{user.pk}/password/")
    assert response.status_code == 200
    password = _issued_password(response)
    user.refresh_from_db()
    assert user.check_password(password) and user.must_change_password
    assert theirs.get("/").status_code == 302


def test_disable_enable_and_end_sessions_pages(sysadmin):
    user = make_user(username="leaver")
    theirs = _as(user)
    refused = sysadmin.post(f"/accounts/users/{user.pk}/disable/", {"reason": ""}, follow=True)
    assert "原因".encode() in refused.content or refused.context["messages"]
    user.refresh_from_db()
    assert user.is_active
    assert sysadmin.post(f"/accounts/users/{user.pk}/disable/", {"reason": "调离"}).status_code == 302
    user.refresh_from_db()
    assert not user.is_active and theirs.get("/").status_code == 302
    assert post_login(Client(), "leaver", PASSWORD).status_code == 200  # cannot log in
    assert sysadmin.post(f"/accounts/users/{user.pk}/enable/").status_code == 302
    assert post_login(Client(), "leaver", PASSWORD).status_code == 302
    again = _as(User.objects.get(pk=user.pk))
    assert sysadmin.post(f"/accounts/users/{user.pk}/sessions/end/").status_code == 302
    assert again.get("/").status_code == 302


def test_system_administrator_cannot_disable_or_reset_themselves(sysadmin):
    me = admin_persona(Role.SYSTEM_ADMIN)
    response = sysadmin.post(f"/accounts/users/{me.pk}/disable/", {"reason": "x"}, follow=True)
    assert response.status_code == 200
    me.refresh_from_db()
    assert me.is_active
    response = sysadmin.post(f"/accounts/users/{me.pk}/password/", follow=True)
    assert b"issued-password" not in response.content


def test_system_administrator_revokes_another_users_token(sysadmin):
    user = make_user()
    token, secret = actions.create_api_token(actor=user, name="old script")
    page = sysadmin.get(f"/accounts/users/{user.pk}/")
    assert b"old script" in page.content and secret.encode() not in page.content
    response = sysadmin.post(f"/accounts/tokens/{token.pk}/revoke/")
    assert response["Location"] == f"/accounts/users/{user.pk}/"
    assert actions.user_for_token(secret) is None


# --- security administrator ----------------------------------------------------------------------


def test_grant_a_role_on_a_unit_and_below_then_revoke(secadmin):
    parent = make_unit(name="区委组织部")
    child = make_unit(name="干部监督科", parent=parent)
    user = make_user()
    page = secadmin.get(f"/accounts/users/{user.pk}/")
    choices = dict(page.context["role_form"].fields["unit"].choices)
    assert choices[str(parent.pk)] == "区委组织部" and choices[str(child.pk)] == "　干部监督科"
    response = secadmin.post(f"/accounts/users/{user.pk}/roles/", {"role": "org_officer", "unit": str(parent.pk), "include_descendants": "on"})
    assert response.status_code == 302
    assignment = RoleAssignment.objects.get(user=user, revoked_at__isnull=True)
    assert (assignment.role, assignment.unit_id, assignment.unit_path, assignment.include_descendants) == ("org_officer", parent.pk, parent.path, True)
    page = secadmin.get(f"/accounts/users/{user.pk}/")
    assert "区委组织部".encode() in page.content
    assert secadmin.post(f"/accounts/users/{user.pk}/roles/{assignment.pk}/revoke/").status_code == 302
    assignment.refresh_from_db()
    assert assignment.revoked_at is not None


def test_grant_without_and_below(secadmin):
    unit = make_unit()
    user = make_user()
    secadmin.post(f"/accounts/users/{user.pk}/roles/", {"role": "unit_leader", "unit": str(unit.pk)})
    assert RoleAssignment.objects.get(user=user).include_descendants is False


def test_unknown_unit_never_becomes_the_whole_district(secadmin):
    user = make_user()
    response = secadmin.post(f"/accounts/users/{user.pk}/roles/", {"role": "org_officer", "unit": "987654"}, follow=True)
    assert response.status_code == 200
    assert not RoleAssignment.objects.filter(user=user).exists()


def test_separation_of_duties_is_refused_with_a_message(secadmin):
    user = make_user(role=Role.ORG_OFFICER)
    response = secadmin.post(f"/accounts/users/{user.pk}/roles/", {"role": "audit_admin", "unit": ""}, follow=True)
    assert response.status_code == 200
    assert "三权分立".encode() in response.content or any("三权分立" in str(m) for m in response.context["messages"])
    assert not RoleAssignment.objects.filter(user=user, role="audit_admin").exists()


def test_revoking_another_users_assignment_through_the_wrong_user_is_404(secadmin):
    a, b = make_user(), make_user()
    assignment = actions.assign_role(actor=admin_persona(Role.SECURITY_ADMIN), user=a, role=Role.ORG_OFFICER, unit=make_unit())
    assert secadmin.post(f"/accounts/users/{b.pk}/roles/{assignment.pk}/revoke/").status_code == 404
    assignment.refresh_from_db()
    assert assignment.revoked_at is None


def test_unlock_page(secadmin):
    user = make_user(username="lockedout")
    while not User.objects.get(pk=user.pk).is_locked():
        actions.register_login_failure(username="lockedout")
    page = secadmin.get(f"/accounts/users/{user.pk}/")
    assert b"/unlock/" in page.content
    assert secadmin.post(f"/accounts/users/{user.pk}/unlock/").status_code == 302
    user.refresh_from_db()
    assert not user.is_locked() and user.failed_logins == 0
    assert post_login(Client(), "lockedout", PASSWORD).status_code == 302


def test_reset_two_factor_page(secadmin):
    user = make_user()
    enrol_totp(user)
    assert secadmin.post(f"/accounts/users/{user.pk}/two-factor/reset/", {"reason": ""}).status_code == 302
    user.refresh_from_db()
    assert user.totp_enabled  # a reason is required
    assert secadmin.post(f"/accounts/users/{user.pk}/two-factor/reset/", {"reason": "换手机"}).status_code == 302
    user.refresh_from_db()
    assert not user.totp_enabled
