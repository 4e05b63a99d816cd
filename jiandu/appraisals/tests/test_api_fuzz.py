"""Fuzz the ballots and appraisals API operations on real rows (SECURITY.md: 0 server errors, 0
schema violations). The project-wide fuzz test (jiandu/core/tests/test_api_fuzz.py) aims its
generated ids at registry rows only, so ballots and cycles answer 404 there; here they are aimed
at a draft, an open and a closed ballot, their voter groups, cycles in setup and after the
evaluation, and a yellow-card proposal, so every answer's schema is checked against real data."""

import time
from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.core.failures import FailureGroup

from jiandu.accounts.models import Role
from jiandu.appraisals import actions
from jiandu.ballots.models import Ballot, VoterGroup
from jiandu.core.tests.test_api_fuzz import CHECKS, negative_data_rejection, wsgi_app  # noqa: F401 - the fixture
from jiandu.testing import ballot_spec, make_api_token, make_ballot, make_user

from .conftest import cast, make_team, open_cycle

pytestmark = pytest.mark.django_db

EXAMPLES = 12  # per operation and mode
IDS = {"ballot_id": "ballots", "group_id": "groups", "cycle_id": "cycles", "proposal_id": "proposals", "unit_id": "units"}


def _seed(district, officer) -> dict:
    unit, _ = make_team(district, "区统计局", titles=("局长", "副局长"))
    draft = make_ballot(unit=unit, actor=officer, spec=ballot_spec(title="草稿测评"))
    opened = make_ballot(unit=unit, actor=officer, spec=ballot_spec(title="进行中测评", questions="five_dimensions"), open=True)
    closed_cycle = actions.create_cycle(actor=officer, unit=district, year=2025)
    assessed = actions.add_unit(actor=officer, cycle=closed_cycle, unit=unit)
    actions.save_indicators(actor=officer, assessed_unit=assessed, rows=[{"name": "重点工作", "weight": "1", "score": "90"}])
    open_cycle(officer, closed_cycle)
    cast(officer, assessed, "staff", ["excellent"] * 3, {"区局长": ["incompetent", "competent", "excellent"], "区副局长": ["excellent"] * 3})
    actions.close_evaluation(actor=officer, cycle=closed_cycle)
    setup_cycle = actions.create_cycle(actor=officer, unit=district, year=2024)
    actions.add_unit(actor=officer, cycle=setup_cycle, unit=unit)
    ballots = [draft.pk, opened.pk, *Ballot.objects.exclude(pk__in=[draft.pk, opened.pk]).values_list("pk", flat=True)]
    return {
        "ballots": ballots,
        "groups": list(VoterGroup.objects.filter(ballot_id__in=ballots).values_list("pk", flat=True)),
        "cycles": [setup_cycle.pk, closed_cycle.pk],
        "proposals": list(closed_cycle.proposals.values_list("pk", flat=True)),
        "units": [district.pk, unit.pk],
    }


def _aim(case, seeded: dict, choice: int) -> None:
    for container in (case.path_parameters, case.query, case.body if isinstance(case.body, dict) else None):
        for name in list(container or {}):
            kind = IDS.get(name)
            if kind and seeded[kind] and isinstance(container[name], int):
                container[name] = seeded[kind][choice % len(seeded[kind])]
    if isinstance(case.body, dict) and isinstance(case.body.get("headcounts"), dict):
        # aim the headcounts at the cycle's units too, so the action sees real keys
        case.body["headcounts"] = {str(seeded["units"][-1]): {"staff": choice % 50, "leaders": 3}}


@pytest.mark.slow
@pytest.mark.crawl_inputs
def test_ballots_and_appraisals_api_on_real_rows(wsgi_app, district, officer):  # noqa: F811 - the imported fixture
    seeded = _seed(district, officer)
    head = make_user(role=Role.ORG_HEAD, unit=district)  # may also confirm proposals
    auth = {"Authorization": f"Bearer {make_api_token(head, name='fuzz')}"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_app, headers=auth).include(tag_regex="^(ballots|appraisals)$")
    operations = [result.ok() for result in schema.get_all_operations()]
    stats = {"requests": 0, "server_errors": 0, "failures": []}
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

    base = settings(deadline=None, database=None, derandomize=True, phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    for operation in operations:
        positive = operation.as_strategy(generation_mode=GenerationMode.POSITIVE, headers=auth)

        def aimed(pair):
            case, choice = pair
            _aim(case, seeded, choice)
            send(case, CHECKS)

        settings(base, max_examples=EXAMPLES)(given(st.tuples(positive, st.integers(0, 100)))(aimed))()
        if operation.path_parameters or operation.body or operation.query:
            negative = operation.as_strategy(generation_mode=GenerationMode.NEGATIVE, headers=auth)
            settings(base, max_examples=EXAMPLES)(given(negative)(lambda case: send(case, [*CHECKS, negative_data_rejection])))()

    by_class = Counter()
    for (_label, status), n in statuses.items():
        by_class[f"{status // 100}xx"] += n
    print(
        f"\nballots/appraisals API fuzz on real rows: {len(operations)} operations, {stats['requests']} requests in "
        f"{time.monotonic() - started:.1f}s; {stats['server_errors']} server errors, {len(stats['failures'])} check failures; "
        + ", ".join(f"{k} {v}" for k, v in sorted(by_class.items()))
    )
    print("\n".join(f"  {label} {status}: {n}" for (label, status), n in sorted(statuses.items())))
    assert len(operations) == 17
    assert stats["server_errors"] == 0
    assert stats["failures"] == [], "\n\n".join(f[:1500] for f in stats["failures"][:8])
    # the seeded rows were reached: real answers, not only 404s
    assert sum(n for (label, status), n in statuses.items() if status == 200 and "{" in label) > 0


def _schema_names(module) -> dict[str, type]:
    from ninja import Schema

    return {name: obj for name, obj in vars(module).items() if isinstance(obj, type) and issubclass(obj, Schema) and obj.__module__ == module.__name__}


def test_ballots_and_appraisals_schema_names_are_their_own():
    """OpenAPI components are named by class name: a schema of another app with the same name
    would silently replace ours in the document (it did: both apps had a ResultsOut)."""
    import importlib
    from pathlib import Path

    import jiandu

    modules = {path.parent.name: importlib.import_module(f"jiandu.{path.parent.name}.api") for path in Path(jiandu.__file__).parent.glob("*/api.py")}
    for mine in ("ballots", "appraisals"):
        names = set(_schema_names(modules[mine]))
        for other, module in modules.items():
            if other != mine:
                assert not names & set(_schema_names(module)), (mine, other, names & set(_schema_names(module)))
