"""Two web hosts and two workers against one PostgreSQL and Redis under mixed traffic
(bench/two_hosts.py): one line with the checks, request counts and latencies per kind.
Goal: every check true (0 server errors, 0 lost writes, shared rate limits, events and scheduled
jobs handled once, the journal one valid chain)."""

import os

from bench.two_hosts import simulate

DURATION = float(os.environ.get("JIANDU_BENCH_TWO_HOSTS_SECONDS", "45"))


def run() -> list[dict]:
    outcome = simulate(DURATION, voters=4, codes=1500, tenures=60)
    goal = "all checks true: 0 server errors, 0 lost writes, limits shared, events and jobs once, journal valid"
    if outcome.get("ok") is None:
        return [
            {"bench": "two_hosts", "value": None, "unit": "requests/s", "baseline": None, "ratio": None, "goal": goal, "ok": None, "reason": outcome["reason"]}
        ]
    rate = round(outcome["requests"] / max(0.001, outcome["traffic_s"]), 1)
    return [{"bench": "two_hosts", "value": rate, "unit": "requests/s", "baseline": None, "ratio": None, "goal": goal, **outcome}]
