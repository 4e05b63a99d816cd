"""Lockout under concurrent attempts (SECURITY.md: race-safe). The threaded test needs PostgreSQL
(row locks across connections); SQLite serialises writers anyway and is checked sequentially."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.test import Client

from jiandu.accounts.models import User
from jiandu.core import journal
from jiandu.core.models import JournalEntry
from jiandu.testing import make_user

from .helpers import post_login

ATTEMPTS = 20


def _check_outcome(user, exact: bool):
    """Every attempt is either a counted failure or refused unchecked while the account waits; the
    count on the row equals the journaled failures; from the 5th failure each sets a delay."""
    user.refresh_from_db()
    delayed_entries = JournalEntry.objects.filter(action="accounts.login.delayed", target_id=str(user.pk)).count()
    failed_entries = JournalEntry.objects.filter(action="accounts.login.failed", target_id=str(user.pk)).count()
    refused = sum(e.data["count"] for e in JournalEntry.objects.filter(action="accounts.login.refused", target_id=str(user.pk)))
    print(
        f"delay race: {ATTEMPTS} wrong attempts, {user.failed_logins} counted, {failed_entries} journaled as failed, "
        f"{refused} refused while waiting, {delayed_entries} delay event(s)"
    )
    assert user.failed_logins == failed_entries
    assert failed_entries + refused == ATTEMPTS
    assert delayed_entries == failed_entries - 4
    assert user.is_locked()
    if exact:
        assert failed_entries == 5 and refused == ATTEMPTS - 5
    assert journal.verify().ok


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL: row locks across concurrent connections")
@pytest.mark.django_db(transaction=True)
def test_concurrent_wrong_passwords_are_each_counted_exactly_once(flushable_journal):
    user = make_user(username="target")
    barrier = threading.Barrier(ATTEMPTS)

    def attempt(i):
        try:
            client = Client(REMOTE_ADDR=f"10.1.0.{i + 1}")  # many addresses: the per-address limit stays out of the way
            barrier.wait(timeout=30)
            return post_login(client, "target", "Wrong-pass-1").status_code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=ATTEMPTS) as pool:
        statuses = list(pool.map(attempt, range(ATTEMPTS)))
    assert statuses == [200] * ATTEMPTS
    _check_outcome(user, exact=False)


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL: row locks across concurrent connections")
@pytest.mark.django_db(transaction=True)
def test_concurrent_right_password_on_a_locked_account_never_gets_in(flushable_journal):
    user = make_user(username="lockedtarget")
    User.objects.filter(pk=user.pk).update(failed_logins=5)
    from jiandu.accounts import actions

    actions.register_login_failure(username="lockedtarget")
    barrier = threading.Barrier(10)

    def attempt(i):
        try:
            client = Client(REMOTE_ADDR=f"10.2.0.{i + 1}")
            barrier.wait(timeout=30)
            return post_login(client, "lockedtarget", "Jiandu-Test-2026!").status_code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=10) as pool:
        statuses = list(pool.map(attempt, range(10)))
    assert statuses == [200] * 10  # the failure page, never the 302 of a login


@pytest.mark.django_db
def test_sequential_wrong_passwords_are_each_counted():
    user = make_user(username="target")
    for i in range(ATTEMPTS):
        assert post_login(Client(REMOTE_ADDR=f"10.3.0.{i + 1}"), "target", "Wrong-pass-1").status_code == 200
    _check_outcome(user, exact=True)
