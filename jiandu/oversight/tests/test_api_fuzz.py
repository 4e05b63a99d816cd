"""Fuzz the oversight operations from the OpenAPI document (SECURITY.md: 0 server errors, 0
schema violations), against a district seeded with oversight records in every state.

jiandu/core/tests/test_api_fuzz.py fuzzes every operation over a registry-only district; here
the oversight operations also get requests aimed at real dispositions, talks, inquiries and
clues (drafts, issued, delivered and replied inquiries; registered, transferred and received
clues; yellow cards raised by real appraisals), so the actions run on generated values. The caller is the head of the organisation
department (district-wide: may record, confirm and read every clue) and the audit bureau's clue officer.
"""

import datetime as dt
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
from jiandu.oversight.actions import clues, dispositions, duty, inquiries, talks, tours
from jiandu.oversight.models import Measure
from jiandu.testing import grant_role, make_api_token, make_position, make_tenure

from .conftest import District, make_yellow_card, pdf_upload

pytestmark = [pytest.mark.django_db, pytest.mark.slow, pytest.mark.crawl_inputs]

POSITIVE_EXAMPLES = 12
SEEDED_EXAMPLES = 30
NEGATIVE_EXAMPLES = 12
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
ID_FIELDS = {
    "disposition_id": "dispositions",
    "talk_id": "talks",
    "inquiry_id": "inquiries",
    "clue_id": "clues",
    "yellow_card_id": "yellow_cards",
    "source_clue_id": "clues",
    "cadre_id": "cadres",
    "cadre": "cadres",
    "unit": "units",
    "transfer_to_unit_id": "members",
    "transfer_from_unit_id": "members",
    "to_unit_id": "members",
    "from_unit_id": "members",
    "tour_id": "tours",
    "member_id": "tour_members",
    "session_id": "sessions",
    "organiser_id": "units",
    "unit_id": "units",
}
# Lists of ids in a body, aimed at seeded rows too.
ID_LISTS = {"target_ids": "units", "report_ids": "reports"}


@pytest.fixture
def wsgi_app():
    """The WSGI application sharing the test's transaction (as Django's test client does)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def seed(d: District) -> dict:
    today = dt.date.today()
    for unit in (d.org, d.audit, d.discipline):
        clues.add_member(actor=d.officer, unit=unit)
    warning = dispositions.record_disposition(
        actor=d.officer, cadre=d.cadre_a, measure=Measure.PARTY_WARNING, decided_on=today, deciding_body="区纪委", grounds="违纪"
    )
    revoked = dispositions.record_disposition(
        actor=d.officer, cadre=d.cadre_b, measure=Measure.ADMIN_WARNING, decided_on=today, deciding_body="区监委", grounds="违规"
    )
    dispositions.revoke_disposition(actor=d.head, disposition=revoked, reason="复查")
    card = dispositions.create_admonishment(actor=d.head, cadre=d.cadre_b, grounds="测评", source_type="fuzz", source_id="1")
    held = talks.record_talk(
        actor=d.officer, cadre=d.cadre_a, kind="reminder", talked_on=today, talkers="部长", reason="反映", summary="提醒", explanation_required=True
    )
    drafted = [inquiries.draft_inquiry(actor=d.officer, cadre=c, source="complaint", subject="兼职", questions="是否兼职") for c in (d.cadre_a, d.cadre_b)]
    issued = inquiries.issue_inquiry(actor=d.officer, inquiry=drafted[1])
    delivered = [
        inquiries.record_delivery(
            actor=d.officer,
            inquiry=inquiries.issue_inquiry(
                actor=d.officer, inquiry=inquiries.draft_inquiry(actor=d.officer, cadre=d.cadre_a, source="complaint", subject="s", questions="q")
            ),
            delivered_on=today,
        )
        for _ in range(3)
    ]
    replied = inquiries.record_reply(actor=d.officer, inquiry=delivered[1], reply_text="说明", replied_on=today, file=pdf_upload())
    signed = inquiries.record_reply(actor=d.officer, inquiry=delivered[2], reply_text="说明", replied_on=today, file=pdf_upload())
    inquiries.sign_off_reply(actor=d.officer, inquiry=signed, signed_off_on=today)
    # The caller is also the audit bureau's clue officer: it receives and feeds back the clues sent
    # to the bureau, and transfers and closes the bureau's own.
    grant_role(d.head, Role.CLUE_OFFICER, d.audit)
    registered = clues.register_clue(actor=d.head, cadre=d.cadre_a, from_unit=d.audit, source="audit", summary="线索一")
    transferred = [
        clues.transfer_clue(
            actor=d.officer, clue=clues.register_clue(actor=d.officer, cadre=c, from_unit=d.org, source="petition", summary="线索"), to_unit=d.audit
        )
        for c in (d.cadre_a, d.cadre_b)
    ]
    received = clues.confirm_receipt(actor=d.head, clue=transferred[1])
    sent = clues.transfer_clue(
        actor=d.head, clue=clues.register_clue(actor=d.head, cadre=d.cadre_b, from_unit=d.audit, source="audit", summary="线索二"), to_unit=d.discipline
    )
    clues.confirm_receipt(actor=d.discipline_officer, clue=sent)
    fed_back = clues.report_handling(actor=d.discipline_officer, clue=sent, handling="已核查", result="partly")
    yellow_cards = [make_yellow_card(d, year=year) for year in (2023, 2024, 2025)]
    # Two more required talks (to hold or cancel), a planned tour, submitted duty reports of this
    # year (for a session) and a session already held.
    required = [
        dispositions.create_admonishment(actor=d.head, cadre=c, grounds="测评", source_type="fuzz", source_id=str(n))
        for n, c in enumerate((d.cadre_a, d.cadre_b), 2)
    ]
    tour = tours.plan_tour(actor=d.head, organiser=d.org, name="巡察", year=today.year, planned_start=today, planned_end=today, targets=[d.a])
    team = [tours.add_team_member(actor=d.head, tour=tour, name=name) for name in ("周组员", "吴组员")]
    stationed = tours.plan_tour(actor=d.head, organiser=d.org, name="巡察二", year=today.year, planned_start=today, planned_end=today, targets=[d.a])
    tours.declare_interest(actor=d.head, member=tours.add_team_member(actor=d.head, tour=stationed, name="郑组长", role="leader"), has_conflict=False)
    tours.start_stationing(actor=d.head, tour=stationed, stationed_on=today)
    make_tenure(position=make_position(unit=d.a, title="副局长"), cadre=d.cadre_a)
    make_tenure(position=make_position(unit=d.b, title="局长", is_principal=True), cadre=d.cadre_b)
    reports = duty.plan_duty_reports(actor=d.head, year=today.year, due_on=today + dt.timedelta(days=10), unit=d.root)
    for report in reports:
        duty.submit_duty_report(actor=d.head, report=report, text="述责述廉报告")
    session = duty.record_duty_session(actor=d.head, unit=d.a, year=today.year, held_on=today, mode="public", reports=reports[:1])
    return {
        "tours": [tour.pk, stationed.pk],
        "tour_members": [m.pk for m in team],
        "sessions": [session.pk],
        "reports": [r.pk for r in reports],
        "yellow_cards": [card.pk for card in yellow_cards],
        "dispositions": [warning.pk, revoked.pk, card.pk],
        "talks": [held.pk, *card.talks.values_list("pk", flat=True), *(t.pk for r in required for t in r.talks.all())],
        "inquiries": [drafted[0].pk, issued.pk, delivered[0].pk, replied.pk, signed.pk],
        "clues": [registered.pk, transferred[0].pk, received.pk, fed_back.pk],
        "cadres": [d.cadre_a.pk, d.cadre_b.pk, d.principal_a.pk],
        "units": [d.root.pk, d.a.pk, d.b.pk],
        "members": [d.org.pk, d.audit.pk, d.discipline.pk],
    }


def aim(case, seeded: dict, choice: int) -> None:
    """Replace generated ids with seeded ones, and often generated dates with today, so that the
    rest of the generated values reach the actions."""
    today = dt.date.today().isoformat()
    for container in (case.path_parameters, case.query, case.body if isinstance(case.body, dict) else None):
        if not container:
            continue
        for name in list(container):
            kind = ID_FIELDS.get(name)
            if kind is not None and isinstance(container[name], int):
                rows = seeded[kind]
                container[name] = rows[choice % len(rows)]
            elif name in ID_LISTS and isinstance(container[name], list) and choice % 2:
                rows = seeded[ID_LISTS[name]]
                container[name] = [rows[(choice + i) % len(rows)] for i in range(1 + choice % len(rows))]
            elif name == "year" and isinstance(container[name], int) and choice % 3 and container is case.body:
                container[name] = dt.date.today().year
            elif name.endswith("_on") and isinstance(container[name], str) and choice % 3:
                container[name] = today


def test_oversight_api_fuzz(wsgi_app):
    d = District()
    seeded = seed(d)
    auth = {"Authorization": f"Bearer {make_api_token(d.head, name='oversight fuzz')}"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_app, headers=auth)
    operations = [result.ok() for result in schema.get_all_operations()]
    operations = [op for op in operations if op.path.startswith("/api/v1/oversight/")]
    stats = {"requests": 0, "server_errors": 0, "failures": []}
    statuses = Counter()

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

    base_settings = settings(deadline=None, database=None, derandomize=True, phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))

    def run(strategy, examples, test):
        settings(base_settings, max_examples=examples)(given(strategy)(test))()

    for operation in operations:
        positive = operation.as_strategy(generation_mode=GenerationMode.POSITIVE, headers=auth)
        run(positive, POSITIVE_EXAMPLES, lambda case: send(case, CHECKS))

        def aimed(pair):
            case, choice = pair
            aim(case, seeded, choice)
            send(case, CHECKS)

        run(st.tuples(positive, st.integers(0, 300)), SEEDED_EXAMPLES, aimed)
        if operation.path_parameters or operation.body or operation.query:
            negative = operation.as_strategy(generation_mode=GenerationMode.NEGATIVE, headers=auth)
            run(negative, NEGATIVE_EXAMPLES, lambda case: send(case, [*CHECKS, negative_data_rejection]))

    by_class = Counter()
    for (_label, status), n in statuses.items():
        by_class[f"{status // 100}xx"] += n
    print(
        f"\noversight API fuzz: {len(operations)} operations, {stats['requests']} requests; "
        f"{stats['server_errors']} server errors, {len(stats['failures'])} check failures; " + ", ".join(f"{k} {v}" for k, v in sorted(by_class.items()))
    )
    print("\n".join(f"  {label} {status}: {n}" for (label, status), n in sorted(statuses.items())))
    assert len(operations) == 47
    successes = {label for (label, status), n in statuses.items() if status < 300}
    assert len(successes) >= 36, sorted(successes)  # most operations reached their happy path
    assert stats["server_errors"] == 0
    assert stats["failures"] == [], "\n\n".join(stats["failures"][:5])
