"""Security issue #8 part 4: anonymous failures must not lock anyone out (least of all the only
security administrator). Progressive delays per account and per address, a challenge question,
known devices, and the break-glass console unlock."""

import datetime as dt
import re

import pytest
from django.core import signing
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from jiandu.accounts import ratelimit
from jiandu.accounts.models import User
from jiandu.core.models import JournalEntry
from jiandu.testing import PASSWORD, enrol_totp, security_admin, totp_code

from .helpers import CODE_URL, LOGIN_URL, logged_in_user_id, post_login

pytestmark = pytest.mark.django_db


def _full_login(client, user, seed):
    """Password then code; the code of a fresh step (a used step is never accepted twice)."""
    User.objects.filter(pk=user.pk).update(totp_last_step=None)
    response = post_login(client, user.username, PASSWORD)
    if response.status_code != 302 or response["Location"] != CODE_URL:
        return response
    return client.post(CODE_URL, {"code": totp_code(seed)})


def _attack(user, n, *, wait_out_delays=True):
    """`n` wrong passwords for `user`, each from a new address (answering the challenge like a
    script would). With wait_out_delays the attacker waits out each account delay, so that every
    attempt is counted."""
    for i in range(n):
        if wait_out_delays:
            User.objects.filter(pk=user.pk).update(locked_until=timezone.now() - dt.timedelta(seconds=1))
        attacker = Client(REMOTE_ADDR=f"198.51.{i // 250}.{i % 250 + 1}")
        assert post_login(attacker, user.username, f"Guess-{i}-pass").status_code == 200
        assert logged_in_user_id(attacker) is None


@pytest.fixture
def secadmin():
    user = security_admin()
    seed = enrol_totp(user)
    return user, seed


@pytest.mark.parametrize("n", [5, 50])
def test_wrong_passwords_from_rotating_addresses_do_not_keep_the_security_administrator_out(secadmin, n):
    user, seed = secadmin
    owner = Client(REMOTE_ADDR="192.0.2.10")
    assert _full_login(owner, user, seed).status_code == 302  # the owner's browser becomes a known device
    owner.post("/accounts/logout/")
    cookie = owner.cookies[ratelimit.DEVICE_COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax" and int(cookie["max-age"]) == ratelimit.DEVICE_MAX_AGE

    _attack(user, n)
    user.refresh_from_db()
    assert user.failed_logins == n and user.is_locked()
    print(f"{n} wrong passwords from {n} addresses: account waits until {user.locked_until:%H:%M:%S}; the owner's known device tries")

    response = _full_login(owner, user, seed)
    assert response.status_code == 302 and response["Location"] == "/"
    assert logged_in_user_id(owner) == str(user.pk)
    user.refresh_from_db()
    assert user.failed_logins == 0 and not user.is_locked()


def test_from_a_new_device_the_owner_waits_but_is_never_locked_for_good(secadmin):
    user, seed = secadmin
    _attack(user, 50)
    user.refresh_from_db()
    assert user.locked_until - timezone.now() <= dt.timedelta(minutes=30)  # capped: a delay, not a lock
    newcomer = Client(REMOTE_ADDR="192.0.2.77")
    response = _full_login(newcomer, user, seed)
    assert response.status_code == 200 and logged_in_user_id(newcomer) is None
    User.objects.filter(pk=user.pk).update(locked_until=timezone.now() - dt.timedelta(seconds=1))  # the wait is over
    response = _full_login(newcomer, user, seed)
    assert response.status_code == 302 and logged_in_user_id(newcomer) == str(user.pk)


def test_a_device_cookie_of_another_account_or_forged_does_not_skip_the_delay(secadmin):
    user, seed = secadmin
    from jiandu.testing import make_user

    make_user(username="colleague")
    browser = Client(REMOTE_ADDR="192.0.2.20")
    assert post_login(browser, "colleague", PASSWORD).status_code == 302  # known device of the colleague only
    browser.post("/accounts/logout/")
    _attack(user, 6)
    assert _full_login(browser, user, seed).status_code == 200 and logged_in_user_id(browser) is None
    forged = Client(REMOTE_ADDR="192.0.2.21")
    # the same content, signed with another key than the server's
    forged.cookies[ratelimit.DEVICE_COOKIE] = signing.dumps({"u": user.pk, "d": "stolen-device"}, key="not-the-server-key", salt=ratelimit.DEVICE_SALT)
    assert _full_login(forged, user, seed).status_code == 200 and logged_in_user_id(forged) is None


def test_a_known_device_that_fails_too_often_loses_its_privilege(secadmin):
    user, seed = secadmin
    owner = Client(REMOTE_ADDR="192.0.2.30")
    assert _full_login(owner, user, seed).status_code == 302
    owner.post("/accounts/logout/")
    for i in range(5):  # someone at the owner's computer guesses: the device's own failures count
        post_login(owner, user.username, f"Wrong-{i}-pass")
    user.refresh_from_db()
    assert user.is_locked()
    assert _full_login(owner, user, seed).status_code == 200 and logged_in_user_id(owner) is None


def test_address_delays_grow_and_are_per_address(set_setting):
    set_setting("security.login_rate_limit", 3)
    ip = "203.0.113.5"
    assert [ratelimit.count_failure(ip, f"u{i}") for i in range(2)] == [1, 2]
    assert ratelimit.wait_seconds(ip) == 0 and ratelimit.last_delay(ip) == 0
    ratelimit.count_failure(ip, "u2")
    assert ratelimit.last_delay(ip) == 30 and 0 < ratelimit.wait_seconds(ip) <= 30  # the 3rd failure: the first delay
    ratelimit.count_failure(ip, "u3")
    assert ratelimit.last_delay(ip) == 60  # then doubling
    ratelimit.count_failure(ip, "u4")
    assert ratelimit.last_delay(ip) == 120 and 60 < ratelimit.wait_seconds(ip) <= 120
    assert ratelimit.wait_seconds("203.0.113.6") == 0  # another address is not affected
    for _ in range(20):
        ratelimit.count_failure(ip, "u")
    assert ratelimit.last_delay(ip) == 15 * 60  # never longer than the window


def test_an_address_that_must_wait_gets_429_with_the_wait(set_setting):
    set_setting("security.login_rate_limit", 2)
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for i in range(2):
        assert post_login(attacker, f"guess{i}", "Wrong-pass-1").status_code == 200
    response = post_login(attacker, "guess9", "Wrong-pass-1")
    assert response.status_code == 429
    seconds = int(re.search(r"请 (\d+) 秒后再试", response.content.decode()).group(1))
    assert 0 < seconds <= 30


def test_the_challenge_comes_after_three_failures_for_a_username_known_or_not():
    user_pages = {}
    for username in ("ghost", "builder_secadmin"):
        if username == "builder_secadmin":
            security_admin()
        for i in range(3):
            post_login(Client(REMOTE_ADDR=f"198.18.0.{i + 1}"), username, "Wrong-pass-1")
        fresh = Client(REMOTE_ADDR="198.18.1.1")
        user_pages[username] = post_login(fresh, username, PASSWORD, solve=False)
        assert user_pages[username].context["challenge_refused"] is True
        assert "等于多少".encode() in user_pages[username].content
    # a wrong answer is refused again and the password is not looked at (nothing counted)
    failed_before = User.objects.get(username="builder_secadmin").failed_logins
    fresh = Client(REMOTE_ADDR="198.18.1.2")
    post_login(fresh, "builder_secadmin", PASSWORD, solve=False)
    wrong = str(fresh.session[ratelimit.CHALLENGE_KEY] + 1)
    response = fresh.post(LOGIN_URL, {"username": "builder_secadmin", "password": PASSWORD, "answer": wrong})
    assert response.context["challenge_refused"] is True and logged_in_user_id(fresh) is None
    assert User.objects.get(username="builder_secadmin").failed_logins == failed_before
    # an answer is good once only
    answer = str(fresh.session[ratelimit.CHALLENGE_KEY])
    first = fresh.post(LOGIN_URL, {"username": "builder_secadmin", "password": "Wrong-pass-2", "answer": answer})
    assert first.context["challenge_refused"] is False
    # The page that answered asks a new sum; when it happens to have the same result (about one
    # time in nine), the old answer would rightly answer the new question: ask again (a post
    # without an answer is refused, not counted, and gets a new sum) until the result differs;
    # then the used answer must be refused.
    for _ in range(100):
        if fresh.session[ratelimit.CHALLENGE_KEY] != int(answer):
            break
        assert post_login(fresh, "builder_secadmin", PASSWORD, solve=False).context["challenge_refused"] is True
    assert fresh.session[ratelimit.CHALLENGE_KEY] != int(answer)
    again = fresh.post(LOGIN_URL, {"username": "builder_secadmin", "password": "Wrong-pass-3", "answer": answer})
    assert again.context["challenge_refused"] is True


def test_break_glass_console_unlock_lifts_the_delay_and_is_journaled(secadmin, capsys):
    user, seed = secadmin
    _attack(user, 7)
    user.refresh_from_db()
    assert user.is_locked()
    call_command("unlock_account", "Builder_SecAdmin", reason="only security administrator kept out")
    user.refresh_from_db()
    assert not user.is_locked() and user.failed_logins == 0
    entry = JournalEntry.objects.filter(action="accounts.user.unlocked").last()
    assert entry.target_id == str(user.pk) and entry.actor_id is None
    assert entry.data == {"was_locked": True, "via": "console", "reason": "only security administrator kept out"}
    assert _full_login(Client(REMOTE_ADDR="192.0.2.99"), user, seed).status_code == 302
    with pytest.raises(CommandError, match="没有账号|no account"):
        call_command("unlock_account", "nobody")
    with pytest.raises(CommandError):
        call_command("unlock_account", user.username)  # not locked any more


# --- issue #8 part 5: addresses ------------------------------------------------------------------


def test_rotating_x_real_ip_from_an_untrusted_address_does_not_bypass_the_login_limit(set_setting, settings):
    settings.TRUSTED_PROXIES = []
    set_setting("security.login_rate_limit", 3)
    attacker = Client(REMOTE_ADDR="203.0.113.50")
    for i in range(3):
        assert post_login(attacker, f"guess{i}", "Wrong-pass-1", HTTP_X_REAL_IP=f"10.77.0.{i + 1}").status_code == 200
    assert post_login(attacker, "guess9", "Wrong-pass-1", HTTP_X_REAL_IP="10.77.0.99").status_code == 429
    ips = set(JournalEntry.objects.filter(action__startswith="accounts.login.").values_list("ip", flat=True))
    assert ips == {"203.0.113.50"}  # the journal records the real address


def test_from_a_trusted_proxy_the_forwarded_address_counts(set_setting, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    set_setting("security.login_rate_limit", 3)
    proxy = Client(REMOTE_ADDR="10.0.0.1")
    for i in range(3):
        assert post_login(proxy, f"guess{i}", "Wrong-pass-1", HTTP_X_REAL_IP="198.51.100.50").status_code == 200
    assert post_login(proxy, "guess9", "Wrong-pass-1", HTTP_X_REAL_IP="198.51.100.50").status_code == 429
    assert post_login(proxy, "guess9", "Wrong-pass-1", HTTP_X_REAL_IP="198.51.100.51").status_code == 200  # another client
    ips = set(JournalEntry.objects.filter(action="accounts.login.failed").values_list("ip", flat=True))
    assert ips == {"198.51.100.50", "198.51.100.51"}


def test_refused_logins_of_a_waiting_account_are_journaled_aggregated(secadmin):
    user, _seed = secadmin
    _attack(user, 5)
    attacker = Client(REMOTE_ADDR="203.0.113.60")
    for _ in range(30):
        post_login(attacker, user.username, "Wrong-pass-1")
    user.refresh_from_db()
    assert user.failed_logins == 5  # refused unchecked while waiting: not counted
    refused = list(JournalEntry.objects.filter(action="accounts.login.refused").order_by("seq"))
    assert [e.data["count"] for e in refused] == [1, 10]
