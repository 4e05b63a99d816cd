"""Two web hosts and two workers against one PostgreSQL and one Redis (scale issue part 3): mixed
traffic through both for a bounded time, then 0 server errors, 0 lost writes, rate limits shared,
every event and scheduled job handled once, the journal one valid chain (bench/two_hosts.py).

The simulation makes its own PostgreSQL database and starts its own processes, so it runs once,
in the SQLite run of `make test` (marker two_hosts, left out of the PostgreSQL run). Without a
PostgreSQL or Redis server it is skipped with the reason — except under CI, where .ci/run starts
both and a missing server is a failure."""

import os

import pytest

from bench.two_hosts import RATE_LIMIT, simulate

pytestmark = [pytest.mark.two_hosts, pytest.mark.slow]


def test_two_hosts_share_the_database_the_cache_and_the_work():
    outcome = simulate(12.0, voters=2, codes=300, tenures=20)
    if outcome["ok"] is None:
        if os.environ.get("CI"):
            pytest.fail(f"CI must provide PostgreSQL and Redis: {outcome['reason']}")
        pytest.skip(outcome["reason"])
    assert outcome["checks"] == {
        "no_server_errors": True,
        "no_failed_requests": True,
        "no_lost_ballots": True,
        "no_lost_writes": True,
        "events_once": True,
        "jobs_once": True,
        "rate_limit_shared": True,
        "journal_valid": True,
    }, (outcome["failures"], outcome["statuses"])
    # Both kinds of traffic went through: ballots and writes on the two hosts alternately.
    assert outcome["ballots"] > 0 and outcome["writes"] > 0 and outcome["departure_events"] == outcome["writes"]
    # The address waited after RATE_LIMIT failures split between two hosts (half each).
    assert outcome["rate_limit_probe"] == [200] * RATE_LIMIT + [429]
    assert outcome["scheduled_jobs_due"] and set(outcome["scheduled_jobs_run"].values()) == {1}
