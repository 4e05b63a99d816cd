"""Two-factor login (TOTP): enrolment, the second login step, replay, encryption at rest, policy,
reset by the security administrator."""

import pyotp
import pytest
from django.test import Client

from jiandu.accounts import actions, totp
from jiandu.accounts.models import Role
from jiandu.core import crypto
from jiandu.core.errors import ActionError
from jiandu.core.models import JournalEntry
from jiandu.testing import PASSWORD, admin_persona, enrol_totp, make_user, security_admin, totp_code

from .helpers import CODE_URL, LOGIN_URL, logged_in_user_id, post_login

pytestmark = pytest.mark.django_db


# --- enrolment -----------------------------------------------------------------------------------


def test_enrolment_page_shows_qr_svg_and_key_and_stores_the_seed_encrypted(client):
    user = make_user(username="enrol1")
    client.force_login(user)
    response = client.get("/accounts/two-factor/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<svg width="' in html and 'class="qr"' in html and "style=" not in html.split('class="qr"')[1].split("</svg>")[0]
    user.refresh_from_db()
    seed = totp.unseal(user)
    assert totp.grouped(seed) in html
    # at rest: neither the seed nor its base32 text is in the column
    assert seed not in user.totp_secret and user.totp_secret.startswith(crypto.FIELD_ALGORITHM + ":")
    assert not user.totp_enabled
    assert response["Cache-Control"].startswith("max-age=0") and "no-store" in response["Cache-Control"]
    # reloading shows the same seed (a scanned code stays valid until confirmed)
    client.get("/accounts/two-factor/")
    user.refresh_from_db()
    assert totp.unseal(user) == seed
    assert JournalEntry.objects.filter(action="accounts.totp.enrolment_started", target_id=str(user.pk)).count() == 1


def test_seed_is_sm4_encrypted_and_bound_to_its_row():
    assert crypto.FIELD_ALGORITHM == "sm4gcm"  # this OpenSSL build has SM4
    a, b = make_user(), make_user()
    actions.start_totp_enrolment(actor=a)
    a.refresh_from_db()
    b.totp_secret = a.totp_secret  # copied by someone with database access
    with pytest.raises(crypto.DecryptionError):
        totp.unseal(b)


def test_confirm_enrolment_with_a_code(client):
    user = make_user(username="enrol2")
    client.force_login(user)
    client.get("/accounts/two-factor/")
    user.refresh_from_db()
    seed = totp.unseal(user)
    bad = client.post("/accounts/two-factor/", {"code": "000000" if totp_code(seed) != "000000" else "111111"})
    assert bad.status_code == 200 and "errorlist" in bad.content.decode()
    user.refresh_from_db()
    assert not user.totp_enabled
    good = client.post("/accounts/two-factor/", {"code": totp_code(seed)})
    assert good.status_code == 302
    user.refresh_from_db()
    assert user.totp_enabled and user.totp_enabled_at is not None
    assert JournalEntry.objects.filter(action="accounts.totp.enabled", target_id=str(user.pk)).count() == 1
    # once on, the page sends you to your account page
    assert client.get("/accounts/two-factor/")["Location"] == "/accounts/me/"


def test_enrolment_preconditions():
    user = make_user()
    with pytest.raises(ActionError):
        actions.confirm_totp_enrolment(actor=user, code="123456")  # nothing started
    enrol_totp(user)
    with pytest.raises(ActionError):
        actions.start_totp_enrolment(actor=user)
    with pytest.raises(ActionError):
        actions.confirm_totp_enrolment(actor=user, code="123456")


# --- the second login step -----------------------------------------------------------------------


def _password_step(client, user):
    response = post_login(client, user.username, PASSWORD)
    assert response.status_code == 302 and response["Location"] == CODE_URL
    return response


def test_login_asks_for_the_code_and_nothing_is_open_in_between(client):
    user = make_user(username="twostep")
    seed = enrol_totp(user)
    _password_step(client, user)
    assert logged_in_user_id(client) is None
    for path in ("/", "/accounts/me/", "/registry/units/", "/accounts/tokens/", "/journal/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith(LOGIN_URL), path
    assert client.get(CODE_URL).status_code == 200
    response = client.post(CODE_URL, {"code": totp_code(seed, steps_ahead=1)})
    assert response.status_code == 302 and response["Location"] == "/"
    assert logged_in_user_id(client) == str(user.pk)
    entry = JournalEntry.objects.filter(action="accounts.login.succeeded").last()
    assert entry.data == {"second_factor": True}


def test_a_code_is_accepted_only_once(client):
    user = make_user(username="replay")
    seed = enrol_totp(user)
    code = totp_code(seed, steps_ahead=1)
    _password_step(client, user)
    assert client.post(CODE_URL, {"code": code}).status_code == 302
    other = Client()
    _password_step(other, user)
    response = other.post(CODE_URL, {"code": code})
    assert response.status_code == 200 and logged_in_user_id(other) is None


def test_wrong_codes_count_as_failed_logins_and_send_back_to_the_password(client):
    user = make_user(username="wrongcode")
    seed = enrol_totp(user)
    wrong = next(c for c in ("000000", "111111", "222222") if c not in {totp_code(seed, steps_ahead=s) for s in (-1, 0, 1)})
    _password_step(client, user)
    for _ in range(2):
        assert client.post(CODE_URL, {"code": wrong}).status_code == 200
    third = client.post(CODE_URL, {"code": wrong})
    assert third.status_code == 200 and b'name="password"' in third.content  # back to the password step
    assert client.get(CODE_URL)["Location"].startswith(LOGIN_URL)
    user.refresh_from_db()
    assert user.failed_logins == 3
    assert JournalEntry.objects.filter(action="accounts.login.failed", data__stage="totp").count() == 3


def test_wrong_codes_lock_the_account_at_the_threshold(client):
    user = make_user(username="codelock")
    seed = enrol_totp(user)
    valid = {totp_code(seed, steps_ahead=s) for s in (-1, 0, 1)}
    wrong = next(c for c in ("000000", "111111", "222222") if c not in valid)
    for _ in range(2):  # 2 rounds of password + 3 wrong codes = 6 failures ≥ 5
        _password_step(client, user)
        for _ in range(3):
            client.post(CODE_URL, {"code": wrong})
    user.refresh_from_db()
    assert user.is_locked()


def test_pending_second_step_expires_after_five_minutes(client):
    user = make_user(username="slowcode")
    seed = enrol_totp(user)
    _password_step(client, user)
    session = client.session
    session["jiandu_pending_login"]["at"] -= 301
    session.save()
    response = client.post(CODE_URL, {"code": totp_code(seed, steps_ahead=1)})
    assert response.status_code == 302 and response["Location"].startswith(LOGIN_URL)
    assert logged_in_user_id(client) is None


def test_code_step_without_a_password_step_goes_to_login(client):
    assert client.get(CODE_URL)["Location"].startswith(LOGIN_URL)


def test_disabled_between_the_steps_cannot_finish(client):
    user = make_user(username="midway")
    seed = enrol_totp(user)
    _password_step(client, user)
    from jiandu.testing import system_admin

    actions.disable_user(actor=system_admin(), user=user, reason="test")
    client.post(CODE_URL, {"code": totp_code(seed, steps_ahead=1)})
    assert logged_in_user_id(client) is None


def test_session_key_changes_at_the_password_step_and_again_at_login(client):
    user = make_user(username="keys")
    seed = enrol_totp(user)
    session = client.session
    session["x"] = 1
    session.save()
    client.cookies["sessionid"] = session.session_key
    first = session.session_key
    _password_step(client, user)
    second = client.cookies["sessionid"].value
    client.post(CODE_URL, {"code": totp_code(seed, steps_ahead=1)})
    third = client.cookies["sessionid"].value
    assert len({first, second, third}) == 3


# --- policy --------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN])
def test_administrators_must_set_up_two_factor_before_anything_else(client, role):
    from jiandu.testing import audit_admin, security_admin, system_admin

    admin = {Role.SYSTEM_ADMIN: system_admin, Role.SECURITY_ADMIN: security_admin, Role.AUDIT_ADMIN: audit_admin}[role]()
    client.force_login(admin)
    for path in ("/", "/accounts/users/", "/journal/", "/settings/", "/accounts/me/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"] == "/accounts/two-factor/", path
    page = client.get("/accounts/two-factor/")
    assert page.status_code == 200 and page.context["required"] is True
    enrol_totp(admin)
    assert client.get("/").status_code == 200


def test_relaxing_admin_two_factor_works_only_for_demo_accounts_in_demo_mode(settings, set_setting):
    from jiandu.accounts import policy

    admin = admin_persona(Role.SECURITY_ADMIN)
    demo = make_user(role=Role.AUDIT_ADMIN, username="demo_auditadmin")
    assert policy.totp_required(demo) and policy.totp_required(admin)
    set_setting("security.require_totp_for_admins", False)
    settings.DEMO_MODE = False
    assert policy.totp_required(demo) and policy.totp_required(admin)
    settings.DEMO_MODE = True
    assert not policy.totp_required(demo)
    assert policy.totp_required(admin)  # not a demo account
    assert not policy.totp_required(make_user(username="demo_clerk"))  # business roles: optional anyway


def test_require_for_all_setting_forces_everyone(client, set_setting):
    user = make_user(username="plain")
    client.force_login(user)
    assert client.get("/").status_code == 200
    set_setting("security.require_totp_for_all", True)
    assert client.get("/")["Location"] == "/accounts/two-factor/"


def test_ordinary_user_may_turn_two_factor_off_with_a_code_admin_may_not(client):
    user = make_user(username="optional")
    seed = enrol_totp(user)
    client.force_login(user)
    response = client.post("/accounts/two-factor/off/", {"code": totp_code(seed, steps_ahead=1)})
    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.totp_enabled and user.totp_secret == ""
    assert JournalEntry.objects.filter(action="accounts.totp.disabled", target_id=str(user.pk)).count() == 1
    admin = admin_persona(Role.AUDIT_ADMIN)
    admin_seed = totp.unseal(admin)
    with pytest.raises(ActionError):
        actions.disable_totp(actor=admin, code=totp_code(admin_seed, steps_ahead=1))


def test_turning_off_needs_a_valid_code():
    user = make_user()
    seed = enrol_totp(user)
    wrong = next(c for c in ("000000", "111111", "222222") if c not in {totp_code(seed, steps_ahead=s) for s in (-1, 0, 1)})
    with pytest.raises(ActionError) as exc:
        actions.disable_totp(actor=user, code=wrong)
    assert exc.value.field == "code"
    with pytest.raises(ActionError):
        actions.disable_totp(actor=make_user(), code="123456")  # not set up


# --- reset by the security administrator ---------------------------------------------------------


def test_security_administrator_resets_an_authenticator_and_sessions_end(client):
    user = make_user(username="lostphone")
    enrol_totp(user)
    client.force_login(user)
    assert client.get("/").status_code == 200
    actions.reset_totp(actor=security_admin(), user=user, reason="phone lost")
    user.refresh_from_db()
    assert not user.totp_enabled and user.totp_secret == "" and user.totp_last_step is None
    entry = JournalEntry.objects.filter(action="accounts.totp.reset").last()
    assert entry.target_id == str(user.pk) and entry.data == {"reason": "phone lost"}
    assert client.get("/").status_code == 302  # the session ended
    # next login is password only (the user may set up a new authenticator)
    assert post_login(Client(), "lostphone", PASSWORD)["Location"] == "/"


def test_reset_totp_preconditions():
    user = make_user()
    with pytest.raises(ActionError):
        actions.reset_totp(actor=security_admin(), user=user, reason="x")  # nothing set up
    enrol_totp(user)
    with pytest.raises(ActionError) as exc:
        actions.reset_totp(actor=security_admin(), user=user, reason="  ")
    assert exc.value.field == "reason"
    admin = security_admin()
    enrol_totp(admin)
    with pytest.raises(ActionError):
        actions.reset_totp(actor=admin, user=admin, reason="self")
    from jiandu.accounts.access import NotVisible
    from jiandu.testing import system_admin

    with pytest.raises(NotVisible):
        actions.reset_totp(actor=system_admin(), user=user, reason="not my job")


def test_code_window_accepts_one_step_of_clock_drift_each_way():
    seed = pyotp.random_base32()
    now = 1_800_000_000
    totp_now = pyotp.TOTP(seed)
    for offset, accepted in ((-60, False), (-30, True), (0, True), (30, True), (60, False)):
        assert (totp.matching_step(seed, totp_now.at(now + offset), now=now) is not None) is accepted, offset
    assert totp.matching_step(seed, "abc", now=now) is None
    code = totp_now.at(now)
    assert totp.matching_step(seed, f"{code[:3]} {code[3:]}", now=now) is not None  # typed with a space
