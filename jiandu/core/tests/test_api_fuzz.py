"""Fuzz the JSON API from its own OpenAPI document (SECURITY.md: 0 server errors, 0 schema
violations). Schemathesis generates requests for every operation, sends them to the WSGI
application as an org officer of a small seeded district, and checks each answer: no 5xx, a
documented status code and content type, a body that matches the documented schema, and
invalid input refused.

Each operation gets valid requests with generated ids, valid requests aimed at the seeded
rows (so the actions run on real objects with generated values), and invalid requests. The
examples are bounded so the test runs in well under a minute; it prints its figures.
"""

import datetime as dt
import time
from collections import Counter

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import content_type_conformance, negative_data_rejection, response_schema_conformance, status_code_conformance

from jiandu.accounts.models import Role
from jiandu.registry.validators import make_id_number
from jiandu.testing import make_api_token, make_cadre, make_position, make_tenure, make_unit, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.slow, pytest.mark.crawl_inputs]

POSITIVE_EXAMPLES = 15  # per operation, generated ids
SEEDED_EXAMPLES = 20  # per operation with ids, aimed at seeded rows
NEGATIVE_EXAMPLES = 12  # per operation, invalid requests

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
ID_FIELDS = {
    "unit_id": "units",
    "parent_id": "units",
    "parent": "units",
    "unit": "units",
    "cadre_id": "cadres",
    "cadre": "cadres",
    "position_id": "positions",
    "position": "positions",
    "tenure_id": "tenures",
}


@pytest.fixture
def wsgi_app():
    """The real WSGI application, sharing the test's transaction: as Django's test client does,
    the per-request connection clean-up is switched off while the test runs."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def seed_district():
    root = make_unit(name="示范区", kind="party_committee")
    finance = make_unit(name="财政局", parent=root)
    office = make_unit(name="办公室", parent=finance, kind="other")
    education = make_unit(name="教育局", parent=root)
    positions = [
        make_position(unit=finance, title="局长", is_principal=True, has_financial_authority=True),
        make_position(unit=finance, title="副局长", headcount=3),
        make_position(unit=office, title="主任"),
        make_position(unit=education, title="局长", is_principal=True),
    ]
    cadres = [
        make_cadre(unit=unit, born=dt.date(1970 + n, 1 + n, 1 + n), phone="13812345678") for n, unit in enumerate([finance, finance, office, education, office])
    ]
    tenures = [make_tenure(cadre=cadres[n], position=positions[n], started_on=dt.date(2020, 1, 1)) for n in range(4)]
    return {
        "root": root,
        "units": [u.pk for u in (root, finance, office, education)],
        "cadres": [c.pk for c in cadres],
        "positions": [p.pk for p in positions],
        "tenures": [t.pk for t in tenures],
    }


def aim_at_seeded_rows(case, seeded: dict, choice: int) -> None:
    """Replace generated ids (path, query and body) with ids of seeded rows."""
    for container in (case.path_parameters, case.query, case.body if isinstance(case.body, dict) else None):
        if not container:
            continue
        for name in list(container):
            kind = ID_FIELDS.get(name)
            if kind is None and name.endswith("_id"):
                kind = ID_FIELDS.get(name.removesuffix("_id"), None)
            if kind is not None and isinstance(container[name], int):
                rows = seeded[kind]
                container[name] = rows[choice % len(rows)]
    if isinstance(case.body, dict):
        # Generated ID numbers and phones practically never pass their checks: use valid ones,
        # so that the rest of the generated values reach the database.
        if "id_number" in case.body:
            case.body["id_number"] = make_id_number("110101", dt.date(1960, 1, 1) + dt.timedelta(days=choice * 401), choice)
        if "phone" in case.body:
            case.body["phone"] = "" if choice % 2 else f"139{choice:08d}"


def test_api_fuzz(wsgi_app):
    seeded = seed_district()
    officer = make_user(role=Role.ORG_OFFICER, unit=seeded.pop("root"))
    auth = {"Authorization": f"Bearer {make_api_token(officer, name='fuzz')}"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_app, headers=auth)
    schema.validate()

    operations = [result.ok() for result in schema.get_all_operations()]
    # Revoking tokens last: a generated id may be the fuzzer's own token (and only tokens: other
    # apps' "revoke" operations must run while the token is still valid).
    operations.sort(key=lambda op: "/tokens/" in op.path and op.path.endswith("/revoke"))
    stats = {"operations": len(operations), "requests": 0, "server_errors": 0, "failures": []}
    statuses = Counter()
    started = time.monotonic()

    def send(case, checks):
        response = case.call(headers=auth)
        stats["requests"] += 1
        statuses[(case.operation.label, response.status_code)] += 1
        if response.status_code >= 500:
            stats["server_errors"] += 1
        try:
            case.validate_response(response, checks=checks, headers=auth)
        except FailureGroup as group:
            stats["failures"].append(f"{case.operation.label}: {group}")

    base_settings = settings(
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )

    def run(strategy, examples, test):
        settings(base_settings, max_examples=examples)(given(strategy)(test))()

    for operation in operations:
        positive = operation.as_strategy(generation_mode=GenerationMode.POSITIVE, headers=auth)
        run(positive, POSITIVE_EXAMPLES, lambda case: send(case, CHECKS))
        if not (operation.path_parameters or operation.body or operation.query):
            continue  # nothing to vary: no seeded or invalid variants

        def aimed(pair):
            case, choice = pair
            aim_at_seeded_rows(case, seeded, choice)
            send(case, CHECKS)

        run(st.tuples(positive, st.integers(0, 200)), SEEDED_EXAMPLES, aimed)
        negative = operation.as_strategy(generation_mode=GenerationMode.NEGATIVE, headers=auth)
        run(negative, NEGATIVE_EXAMPLES, lambda case: send(case, [*CHECKS, negative_data_rejection]))

    elapsed = time.monotonic() - started
    print(
        f"\nAPI fuzz: {stats['operations']} operations, {stats['requests']} requests in {elapsed:.1f}s; "
        f"{stats['server_errors']} server errors, {len(stats['failures'])} check failures"
    )
    by_class = Counter()
    for (_label, status), n in statuses.items():
        by_class[f"{status // 100}xx"] += n
    print("responses: " + ", ".join(f"{k} {v}" for k, v in sorted(by_class.items())))
    print("\n".join(f"  {label} {status}: {n}" for (label, status), n in sorted(statuses.items())))
    assert stats["operations"] >= 20
    assert stats["requests"] >= stats["operations"] * 10
    assert stats["server_errors"] == 0
    assert stats["failures"] == [], "\n\n".join(stats["failures"][:5])
