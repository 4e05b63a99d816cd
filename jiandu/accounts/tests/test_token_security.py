"""Issue #8 part 6: API tokens expire, end with the owner's credentials, may be read-only, are
limited to administration for administrators, and do not work while a forced step is pending.
Each attack is a test: the token works, then the event happens, then the same request is refused."""

import datetime as dt

import pytest
from django.test import Client, RequestFactory
from django.utils import timezone

from jiandu.accounts import actions
from jiandu.accounts.models import ApiToken, Role, User
from jiandu.core.models import JournalEntry
from jiandu.registry.models import Unit
from jiandu.testing import PASSWORD, admin_persona, enrol_totp, log_in, make_unit, make_user, system_admin
from jiandu.web.api import TokenRefused, Unauthenticated, user_for_bearer

pytestmark = pytest.mark.django_db

ME = "/api/v1/accounts/me"
UNITS = "/api/v1/registry/units"
NEW_PASSWORD = "Xin-Mima-2026!zz"


@pytest.fixture
def finance():
    root = make_unit(name="示范区委", kind="party_committee")
    return make_unit(name="财政局", parent=root)


@pytest.fixture
def officer(finance):
    return make_user(role=Role.ORG_OFFICER, unit=finance)


def _token(user, **kwargs) -> tuple[ApiToken, str, Client]:
    token, secret = actions.create_api_token(actor=user, name=kwargs.pop("name", "脚本"), **kwargs)
    return token, secret, Client(headers={"Authorization": f"Bearer {secret}"})


def _refused(response, status, code):
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code and body["message"]
    return body


def _last_refusal() -> JournalEntry:
    return JournalEntry.objects.filter(action="accounts.token.rejected").latest("seq")


def _revocations(token) -> list[dict]:
    return [e.data for e in JournalEntry.objects.filter(action="accounts.token.revoked", target_id=str(token.pk))]


# --- credential events revoke every token ---------------------------------------------------


def test_password_change_revokes_the_owners_tokens(officer):
    token, secret, client = _token(officer)
    other, _s, other_client = _token(officer, name="另一个")
    assert client.get(ME).status_code == 200
    actions.change_password(actor=officer, user=officer, old_password=PASSWORD, new_password=NEW_PASSWORD)
    _refused(client.get(ME), 401, "unauthenticated")
    _refused(other_client.get(ME), 401, "unauthenticated")
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_because == "password_changed"
    assert _revocations(token) == [{"prefix": token.prefix, "because": "password_changed"}]
    assert _last_refusal().data["reason"] == "revoked"


def test_password_change_on_the_page_revokes_tokens(officer):
    _token_, _secret, client = _token(officer)
    browser = log_in(Client(), officer)
    response = browser.post("/accounts/password/", {"old_password": PASSWORD, "new_password": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert User.objects.get(pk=officer.pk).check_password(NEW_PASSWORD)
    _refused(client.get(ME), 401, "unauthenticated")


def test_administrator_password_reset_revokes_tokens(officer):
    token, _secret, client = _token(officer)
    assert client.get(UNITS).status_code == 200
    actions.reset_password(actor=system_admin(), user=officer, new_password=NEW_PASSWORD)
    _refused(client.get(UNITS), 401, "unauthenticated")
    token.refresh_from_db()
    assert token.revoked_because == "password_reset"
    entry = JournalEntry.objects.get(action="accounts.token.revoked", target_id=str(token.pk))
    assert entry.actor_id == system_admin().pk


def test_disable_revokes_tokens_and_enabling_does_not_bring_them_back(officer):
    token, _secret, client = _token(officer)
    assert client.get(ME).status_code == 200
    actions.disable_user(actor=system_admin(), user=officer, reason="调离")
    _refused(client.get(ME), 401, "unauthenticated")
    actions.enable_user(actor=system_admin(), user=User.objects.get(pk=officer.pk))
    _refused(client.get(ME), 401, "unauthenticated")
    token.refresh_from_db()
    assert token.revoked_because == "disabled"


def test_ending_my_sessions_on_my_account_page_revokes_my_tokens(officer):
    token, _secret, client = _token(officer)
    assert client.get(ME).status_code == 200
    browser = log_in(Client(), officer)
    assert browser.post("/accounts/me/sessions/end/").status_code == 302
    _refused(client.get(ME), 401, "unauthenticated")
    assert browser.get("/accounts/me/").status_code == 200  # this session stays
    token.refresh_from_db()
    assert token.revoked_because == "sessions_ended"


def test_administrator_ending_all_sessions_revokes_tokens(officer):
    _token_, _secret, client = _token(officer)
    assert client.get(ME).status_code == 200
    actions.end_all_sessions(actor=system_admin(), user=officer)
    _refused(client.get(ME), 401, "unauthenticated")


def test_authenticator_reset_revokes_tokens(officer):
    enrol_totp(officer)
    token, _secret, client = _token(officer)
    assert client.get(ME).status_code == 200
    actions.reset_totp(actor=admin_persona(Role.SECURITY_ADMIN), user=officer, reason="手机丢失")
    _refused(client.get(ME), 401, "unauthenticated")
    token.refresh_from_db()
    assert token.revoked_because == "authenticator_reset"


def test_revocation_leaves_other_users_tokens_alone(officer, finance):
    colleague = make_user(role=Role.ORG_OFFICER, unit=finance)
    _t, _s, theirs = _token(colleague)
    _token(officer)
    actions.change_password(actor=officer, user=officer, old_password=PASSWORD, new_password=NEW_PASSWORD)
    assert theirs.get(ME).status_code == 200


def test_a_failed_password_change_revokes_nothing(officer):
    token, _secret, client = _token(officer)
    with pytest.raises(actions.ActionError):
        actions.change_password(actor=officer, user=officer, old_password="wrong", new_password=NEW_PASSWORD)
    assert client.get(ME).status_code == 200
    token.refresh_from_db()
    assert token.revoked_at is None and not _revocations(token)


# --- expiry ------------------------------------------------------------------------------------


def test_a_new_token_expires_after_the_configured_days(officer, settings):
    token, _secret, _client = _token(officer)
    assert token.expires_at - token.created_at == dt.timedelta(days=90)
    settings.API_TOKEN_DAYS = 7
    short, _secret, _client = _token(officer, name="短期")
    assert short.expires_at - short.created_at == dt.timedelta(days=7)
    entry = JournalEntry.objects.get(action="accounts.token.created", target_id=str(short.pk))
    assert entry.data == {"name": "短期", "prefix": short.prefix, "read_only": False, "expires_at": short.expires_at.isoformat()}


def test_expiry_boundary_valid_the_instant_before_refused_at_and_after(officer):
    """The boundary: a token works while now < expires_at and is refused from expires_at on."""
    token, secret, _client = _token(officer)
    before = actions.check_token(secret, now=token.expires_at - dt.timedelta(microseconds=1))
    assert before.user == officer and before.refusal == ""
    assert actions.check_token(secret, now=token.expires_at - dt.timedelta(seconds=1)).user == officer
    at = actions.check_token(secret, now=token.expires_at)
    assert at.user is None and at.refusal == "expired" and at.token == token
    assert actions.check_token(secret, now=token.expires_at + dt.timedelta(seconds=1)).refusal == "expired"


def test_an_expired_token_is_refused_over_http_and_journaled(officer):
    token, _secret, client = _token(officer)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() + dt.timedelta(minutes=1))
    assert client.get(ME).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now())
    response = client.get(ME)
    _refused(response, 401, "token_expired")
    assert response["WWW-Authenticate"].startswith("Bearer")
    entry = _last_refusal()
    assert (entry.target_type, entry.target_id, entry.outcome) == ("accounts.apitoken", str(token.pk), "failed")
    assert entry.data == {"prefix": token.prefix, "path": ME, "reason": "expired"}


def test_expired_message_is_translated(officer):
    token, secret, _client = _token(officer)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now())
    chinese = Client(headers={"Authorization": f"Bearer {secret}"}).get(ME).json()["message"]
    english = Client(headers={"Authorization": f"Bearer {secret}", "Accept-Language": "en"}).get(ME).json()["message"]
    assert english == "This API token has expired. Create a new one on your account page."
    assert chinese != english and "令牌" in chinese


def test_expired_tokens_do_not_count_towards_the_limit_nor_block_the_name(officer):
    for n in range(actions.MAX_ACTIVE_TOKENS):
        actions.create_api_token(actor=officer, name=f"t{n}")
    with pytest.raises(actions.ActionError):
        actions.create_api_token(actor=officer, name="one more")
    ApiToken.objects.filter(user=officer, name="t0").update(expires_at=timezone.now())
    token, _secret = actions.create_api_token(actor=officer, name="t0")
    assert token.is_usable()


# --- read-only tokens --------------------------------------------------------------------------


def test_a_read_only_token_reads_but_cannot_change_anything(officer, finance):
    token, _secret, client = _token(officer, read_only=True)
    assert client.get(UNITS).status_code == 200
    assert client.get(ME).json()["username"] == officer.username
    body = {"name": "预算科", "kind": "other", "parent_id": finance.pk}
    _refused(client.post(UNITS, body, content_type="application/json"), 403, "read_only_token")
    _refused(client.patch(f"{UNITS}/{finance.pk}", {"name": "改名"}, content_type="application/json"), 403, "read_only_token")
    _refused(client.post(f"/api/v1/accounts/tokens/{token.pk}/revoke"), 403, "read_only_token")
    assert not Unit.objects.filter(name="预算科").exists() and Unit.objects.get(pk=finance.pk).name == "财政局"
    entry = _last_refusal()
    assert entry.outcome == "denied" and entry.data["reason"] == "read_only" and entry.target_id == str(token.pk)
    token.refresh_from_db()
    assert token.revoked_at is None


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_read_only_token_is_refused_for_every_method_that_changes(officer, method):
    _t, secret, _client = _token(officer, read_only=True)
    request = getattr(RequestFactory(), method)(UNITS, HTTP_AUTHORIZATION=f"Bearer {secret}")
    with pytest.raises(TokenRefused) as refused:
        user_for_bearer(request)
    assert (refused.value.status_code, refused.value.code) == (403, "read_only_token")


@pytest.mark.parametrize("method", ["get", "head", "options"])
def test_read_only_token_may_read(officer, method):
    _t, secret, _client = _token(officer, read_only=True)
    request = getattr(RequestFactory(), method)(UNITS, HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert user_for_bearer(request) == officer


def test_a_read_write_token_still_writes(officer, finance):
    _t, _secret, client = _token(officer)
    response = client.post(UNITS, {"name": "国库科", "kind": "other", "parent_id": finance.pk}, content_type="application/json")
    assert response.status_code == 201


def test_read_only_token_created_through_the_api(officer):
    browser = log_in(Client(), officer)
    response = browser.post("/api/v1/accounts/tokens", {"name": "只读脚本", "read_only": True}, content_type="application/json")
    assert response.status_code == 201
    body = response.json()
    assert body["read_only"] is True and body["is_active"] is True and body["revoked_because"] is None
    created = dt.datetime.fromisoformat(body["created_at"])
    assert dt.datetime.fromisoformat(body["expires_at"]) - created == dt.timedelta(days=90)
    client = Client(headers={"Authorization": f"Bearer {body['token']}"})
    _refused(client.post("/api/v1/accounts/tokens/1/revoke"), 403, "read_only_token")
    assert client.get("/api/v1/accounts/tokens").json()["items"][0]["read_only"] is True


def test_token_list_filters_expired_and_revoked_as_inactive(officer):
    live, _s, _c = _token(officer, name="live")
    old, _s, _c = _token(officer, name="old")
    gone, _s, _c = _token(officer, name="gone")
    ApiToken.objects.filter(pk=old.pk).update(expires_at=timezone.now())
    actions.revoke_api_token(actor=officer, token=gone)
    client = log_in(Client(), officer)
    active = client.get("/api/v1/accounts/tokens?active=true").json()["items"]
    inactive = client.get("/api/v1/accounts/tokens?active=false").json()["items"]
    assert [t["name"] for t in active] == ["live"]
    assert sorted(t["name"] for t in inactive) == ["gone", "old"]
    by_name = {t["name"]: t for t in inactive}
    assert by_name["gone"]["revoked_because"] == "owner" and by_name["old"]["revoked_because"] is None


# --- administrators' tokens ----------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN])
def test_an_administrators_token_works_only_for_account_administration(finance, role):
    admin = admin_persona(role)
    token, _secret, client = _token(admin)
    assert client.get(ME).json()["username"] == admin.username
    assert client.get("/api/v1/accounts/tokens").status_code == 200
    assert client.get("/api/v1/openapi.json").status_code == 200
    _refused(client.get(UNITS), 403, "token_scope")
    _refused(client.get(f"{UNITS}/{finance.pk}"), 403, "token_scope")
    _refused(client.get("/api/v1/oversight/talks"), 403, "token_scope")
    _refused(client.post(UNITS, {"name": "x", "kind": "other", "parent_id": finance.pk}, content_type="application/json"), 403, "token_scope")
    entry = _last_refusal()
    assert entry.data["reason"] == "admin_scope" and entry.outcome == "denied" and entry.target_id == str(token.pk)


def test_the_administrators_session_is_not_limited_by_the_token_rule(finance):
    admin = admin_persona(Role.SYSTEM_ADMIN)
    assert log_in(Client(), admin).get(UNITS).status_code == 404  # no registry right: not visible, as before


# --- forced steps ------------------------------------------------------------------------------


def test_a_user_who_must_change_the_password_cannot_use_a_token(officer):
    _t, _secret, client = _token(officer)
    assert client.get(ME).status_code == 200
    User.objects.filter(pk=officer.pk).update(must_change_password=True)
    _refused(client.get(ME), 403, "password_change_required")
    assert _last_refusal().data["reason"] == "password_change_required"


def test_an_expired_password_stops_tokens_until_changed(officer, set_setting):
    _t, _secret, client = _token(officer)
    set_setting("security.password_max_age_days", 90)
    assert client.get(ME).status_code == 200
    User.objects.filter(pk=officer.pk).update(password_changed_at=timezone.now() - dt.timedelta(days=91))
    _refused(client.get(ME), 403, "password_change_required")


def test_required_two_factor_not_set_up_stops_tokens(officer, set_setting):
    _t, _secret, client = _token(officer)
    set_setting("security.require_totp_for_all", True)
    _refused(client.get(UNITS), 403, "two_factor_setup_required")
    enrol_totp(officer)
    assert client.get(UNITS).status_code == 200


def test_an_administrator_without_two_factor_cannot_use_a_token():
    admin = system_admin()
    assert not admin.totp_enabled
    _t, _secret, client = _token(admin)
    _refused(client.get(ME), 403, "two_factor_setup_required")


def test_the_direct_authenticate_hook_applies_the_same_checks(officer):
    from jiandu.web.api import BearerToken

    token, secret, _client = _token(officer)
    assert BearerToken().authenticate(None, secret) == officer
    User.objects.filter(pk=officer.pk).update(must_change_password=True)
    assert BearerToken().authenticate(None, secret) is None


def test_unknown_token_is_still_401_and_journaled_as_unknown(officer):
    request = RequestFactory().get(ME, HTTP_AUTHORIZATION="Bearer jd_nothing-like-it")
    with pytest.raises(Unauthenticated):
        user_for_bearer(request)
    entry = _last_refusal()
    assert entry.target_id in ("", None) and entry.data == {"prefix": "jd_nothi", "path": ME, "reason": "unknown"}


# --- the tokens page of my account -------------------------------------------------------------


def test_tokens_page_creates_a_read_only_token_and_lists_expiry_scope_and_status(officer):
    browser = log_in(Client(), officer)
    response = browser.post("/accounts/tokens/", {"name": "只读报表", "read_only": "on"})
    assert response.status_code == 200 and response.context["secret"]
    token = ApiToken.objects.get(user=officer, name="只读报表")
    assert token.read_only and token.expires_at - token.created_at == dt.timedelta(days=90)
    browser.post("/accounts/tokens/", {"name": "读写脚本"})
    assert not ApiToken.objects.get(user=officer, name="读写脚本").read_only
    old, _s, _c = _token(officer, name="过期脚本")
    ApiToken.objects.filter(pk=old.pk).update(expires_at=timezone.now() - dt.timedelta(days=1))
    gone, _s, _c = _token(officer, name="撤销脚本")
    actions.revoke_api_token(actor=officer, token=gone)
    page = browser.get("/accounts/tokens/")
    html = page.content.decode()
    rows = {t.name: t for t in page.context["tokens"]}
    assert set(rows) == {"只读报表", "读写脚本", "过期脚本", "撤销脚本"}
    for label in ("到期时间", "权限范围", "只读", "读写", "已过期", "已撤销", "本人撤销", "令牌有效期为 90 天"):
        assert label in html, label
    # Only usable tokens offer the revoke button.
    assert f"/accounts/tokens/{token.pk}/revoke/" in html
    assert f"/accounts/tokens/{old.pk}/revoke/" not in html and f"/accounts/tokens/{gone.pk}/revoke/" not in html
    english = browser.get("/accounts/tokens/", headers={"Accept-Language": "en"})
    assert b"Expires" in english.content and b"read-only" in english.content


def test_my_account_page_counts_only_usable_tokens(officer):
    _token(officer, name="a")
    old, _s, _c = _token(officer, name="b")
    ApiToken.objects.filter(pk=old.pk).update(expires_at=timezone.now())
    page = log_in(Client(), officer).get("/accounts/me/")
    assert page.context["token_count"] == 1
    assert "您的 API 令牌将被撤销".encode() in page.content


def test_administrators_user_page_shows_only_usable_tokens_with_expiry(officer):
    live, _s, _c = _token(officer, name="在用", read_only=True)
    old, _s, _c = _token(officer, name="过期")
    ApiToken.objects.filter(pk=old.pk).update(expires_at=timezone.now())
    page = log_in(Client(), admin_persona(Role.SYSTEM_ADMIN)).get(f"/accounts/users/{officer.pk}/")
    assert page.status_code == 200
    assert [t.name for t in page.context["tokens"]] == ["在用"]
    assert "只读".encode() in page.content
