"""One code, one ballot under concurrency (SECURITY.md): N codes × k simultaneous duplicate
submissions → N accepted, 0 lost, 0 duplicates, 0 server errors; and a close racing with votes
loses nothing. Real threads and transactions on PostgreSQL (SQLite's in-memory test database
cannot host concurrent connections; bench_ballots drives SQLite files concurrently)."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings
from django.db import connection

from jiandu.accounts.models import Role
from jiandu.ballots import actions, queries
from jiandu.ballots.models import CastBallot, Receipt, SealedBallot, VotingCode
from jiandu.core.errors import ActionError
from jiandu.testing import answer_all, ballot_spec, make_ballot, make_unit, make_user


def _on_postgres() -> bool:
    return settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.postgres,
    pytest.mark.skipif(not _on_postgres(), reason="needs PostgreSQL (make test runs the suite on it when JIANDU_TEST_POSTGRES_URL is set)"),
]


def _submit(code, answers, barrier, outcomes, lock):
    try:
        barrier.wait(timeout=60)
        receipt = actions.submit_ballot(code=code, answers=answers)
        result = ("accepted", receipt)
    except ActionError as exc:
        result = (exc.code, None)
    except Exception as exc:  # noqa: BLE001 - any other failure is what the test counts
        result = ("error", repr(exc))
    finally:
        connection.close()
    with lock:
        outcomes.append(result)


def test_duplicate_submissions_are_accepted_exactly_once():
    codes_n, dupes = 300, 5
    unit = make_unit()
    officer = make_user(role=Role.ORG_OFFICER, unit=unit)
    ballot = make_ballot(unit=unit, actor=officer, spec=ballot_spec(groups=(("职工", "1", codes_n),)), open=True)
    _batch, plain = actions.generate_codes(actor=officer, ballot=ballot, group=ballot.groups.get(), count=codes_n)
    answers = {code: answer_all(ballot, code) for code in plain}
    outcomes, lock = [], threading.Lock()
    with ThreadPoolExecutor(max_workers=5 * dupes) as pool:
        for code in plain:
            barrier = threading.Barrier(dupes)
            for _ in range(dupes):
                pool.submit(_submit, code, answers[code], barrier, outcomes, lock)
    kinds = [kind for kind, _ in outcomes]
    assert len(outcomes) == codes_n * dupes
    assert kinds.count("accepted") == codes_n
    assert kinds.count("used") == codes_n * (dupes - 1)
    assert kinds.count("error") == 0, [r for k, r in outcomes if k == "error"][:3]
    assert SealedBallot.objects.filter(ballot=ballot).count() == codes_n
    assert VotingCode.objects.filter(ballot=ballot, is_used=True).count() == codes_n
    ballot = actions.close_ballot(actor=officer, ballot=ballot)
    assert CastBallot.objects.filter(ballot=ballot).count() == codes_n  # 0 lost, 0 duplicates
    receipts = [r for k, r in outcomes if k == "accepted"]
    assert sorted(receipts) == queries.counted_receipts(ballot)
    assert Receipt.objects.filter(ballot=ballot).count() == len(set(receipts)) == codes_n


def test_close_racing_with_votes_loses_nothing():
    voters = 60
    unit = make_unit()
    officer = make_user(role=Role.ORG_OFFICER, unit=unit)
    ballot = make_ballot(unit=unit, actor=officer, spec=ballot_spec(groups=(("职工", "1", voters),)), open=True)
    _batch, plain = actions.generate_codes(actor=officer, ballot=ballot, group=ballot.groups.get(), count=voters)
    answers = {code: answer_all(ballot, code) for code in plain}
    outcomes, lock = [], threading.Lock()
    barrier = threading.Barrier(voters + 1)

    def close():
        try:
            barrier.wait(timeout=60)
            actions.close_ballot(actor=officer, ballot=ballot)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=voters + 1) as pool:
        for code in plain:
            pool.submit(_submit, code, answers[code], barrier, outcomes, lock)
        closing = pool.submit(close)
    closing.result()
    kinds = [kind for kind, _ in outcomes]
    assert kinds.count("error") == 0
    assert set(kinds) <= {"accepted", "closed"}
    assert CastBallot.objects.filter(ballot=ballot).count() == kinds.count("accepted")
    assert not SealedBallot.objects.filter(ballot=ballot).exists()
