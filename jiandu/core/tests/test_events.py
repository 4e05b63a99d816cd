"""Durable events: exactly once, retries with backoff, giving up, the administrators' retry and
backfill (journaled), the system as actor, typed payloads. The consumer is a test-only one
(the production consumers, such as audits.departure, are set aside while it runs)."""

import datetime as dt
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from jiandu.accounts.access import NotVisible
from jiandu.accounts.models import Role
from jiandu.core import actions, events
from jiandu.core.errors import ActionError
from jiandu.core.models import DomainEvent, EventHandling, JournalEntry
from jiandu.registry.actions import end_tenure
from jiandu.testing import admin_persona, log_in, make_position, make_tenure, make_user, registrar

pytestmark = pytest.mark.django_db

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
NAME = "test.departures"


@pytest.fixture
def consumer():
    """A test consumer of registry.departure that journals as the system; `fail` makes it raise
    that many times (after writing, so the rollback is visible)."""
    # The production consumers (audits.departure) are set aside: these tests count one consumer.
    others = {name: c for name, c in events._consumers.items() if name != NAME}
    for name in others:
        events._consumers.pop(name)
    state = {"seen": [], "fail": 0, "applies_from": dt.date(2000, 1, 1)}

    def handler(event):
        events.journal_as_consumer("test.departure.taken_up", event, target=("registry.tenure", event.subject_id), cadre=event.cadre_id)
        if state["fail"]:
            state["fail"] -= 1
            raise RuntimeError("downstream failure")
        state["seen"].append(event.pk)

    def install(applies_from=dt.date(2000, 1, 1)):
        events.register_consumer(NAME, ("registry.departure",), handler, applies_from=applies_from, label="测试消费者")

    install()
    state["install"] = install
    yield state
    events._consumers.pop(NAME, None)
    events._consumers.update(others)


def _departure(ended_on=dt.date(2026, 6, 30)):
    tenure = make_tenure(position=make_position(is_principal=True))
    end_tenure(actor=registrar(), tenure=tenure, ended_on=ended_on, end_reason="transfer")
    return DomainEvent.objects.get(subject_id=tenure.pk, kind="registry.departure")


def _handling():
    return EventHandling.objects.get(consumer=NAME)


def test_events_are_consumed_exactly_once(consumer):
    event = _departure()
    assert _handling().status == "pending"  # enrolled in the cause's transaction
    assert events.process_pending() == 1
    assert events.process_pending() == 0
    assert consumer["seen"] == [event.pk]
    assert events.unhandled("registry.departure", NAME).count() == 0
    assert _handling().attempts == 1


def test_a_failure_rolls_back_the_handlers_work_and_waits_for_the_backoff(consumer):
    _departure()
    consumer["fail"] = 1
    now = timezone.now()
    assert events.process_pending(now=now) == 0
    handling = _handling()
    assert (handling.status, handling.attempts, handling.failures) == ("failed", 1, 1)
    assert handling.last_error == "RuntimeError: downstream failure"
    assert handling.next_attempt_at == now + dt.timedelta(seconds=60)
    assert not JournalEntry.objects.filter(action="test.departure.taken_up").exists()  # rolled back
    assert events.process_pending(now=now + dt.timedelta(seconds=59)) == 0  # not yet due
    assert _handling().attempts == 1
    assert events.process_pending(now=now + dt.timedelta(seconds=60)) == 1
    handling = _handling()
    assert (handling.status, handling.attempts, handling.next_attempt_at) == ("done", 2, None)
    assert JournalEntry.objects.filter(action="test.departure.taken_up").count() == 1


def test_backoff_doubles_and_is_capped_at_an_hour():
    assert [events.backoff(n).total_seconds() for n in (1, 2, 3, 4, 6, 7, 20)] == [60, 120, 240, 480, 1920, 3600, 3600]


def test_fails_twice_then_succeeds_is_handled_once_with_three_attempts(consumer):
    event = _departure()
    consumer["fail"] = 2
    now = timezone.now()
    for minutes in (0, 1, 3):  # due after 1, then 2 more minutes
        events.process_pending(now=now + dt.timedelta(minutes=minutes))
    handling = _handling()
    assert (handling.status, handling.attempts) == ("done", 3)
    assert consumer["seen"] == [event.pk]
    assert JournalEntry.objects.filter(action="test.departure.taken_up").count() == 1


def test_after_five_failures_it_gives_up_until_an_administrator_retries(consumer):
    _departure()
    consumer["fail"] = 99
    at = timezone.now()
    for _ in range(events.MAX_FAILURES):
        events.process_pending(now=at)
        at += dt.timedelta(hours=1)
    handling = _handling()
    assert (handling.status, handling.attempts, handling.failures, handling.next_attempt_at) == ("gave_up", 5, 5, None)
    events.process_pending(now=at + dt.timedelta(days=30))
    assert _handling().attempts == 5  # no automatic sixth attempt

    with pytest.raises(NotVisible):
        actions.retry_event_handling(actor=registrar(), handling_id=handling.pk)
    sysadmin = admin_persona(Role.SYSTEM_ADMIN)
    actions.retry_event_handling(actor=sysadmin, handling_id=handling.pk)
    entry = JournalEntry.objects.get(action="core.event.retry_requested")
    assert entry.actor_id == sysadmin.pk and entry.target_id == str(handling.pk)
    assert entry.data["before"] == {"status": "gave_up", "attempts": 5, "failures": 5}
    consumer["fail"] = 0
    assert events.process_pending() == 1
    handling = _handling()
    assert (handling.status, handling.attempts, handling.failures) == ("done", 6, 0)
    with pytest.raises(ActionError, match="只有处理失败的记录才能重试；该记录的状态为“已处理”"):
        actions.retry_event_handling(actor=sysadmin, handling_id=handling.pk)


def test_the_consumer_acts_as_the_system_naming_the_event_and_the_user(consumer):
    event = _departure()
    events.process_pending()
    entry = JournalEntry.objects.get(action="test.departure.taken_up")
    assert entry.actor_id is None and entry.actor_username == f"system:{NAME}" and entry.role == "system"
    assert entry.data == {"by_system": True, "event": event.pk, "event_kind": "registry.departure", "caused_by": registrar().username}
    assert entry.cadre_id == event.cadre_id
    assert events.provenance(event) == {"source_event_id": event.pk, "caused_by_id": registrar().pk}


def _at(event, moment):
    DomainEvent.objects.filter(pk=event.pk).update(occurred_at=moment)


def test_a_consumer_installed_later_handles_only_its_period_and_older_events_need_a_backfill(consumer):
    events._consumers.pop(NAME)  # events recorded before the consumer existed
    start = dt.datetime(2026, 1, 1, tzinfo=SHANGHAI)
    before, exactly, after = _departure(), _departure(), _departure()
    _at(before, start - dt.timedelta(microseconds=1))
    _at(exactly, start)
    _at(after, start + dt.timedelta(days=30))
    consumer["install"](applies_from=dt.date(2026, 1, 1))
    assert events.process_pending() == 2
    assert sorted(consumer["seen"]) == sorted([exactly.pk, after.pk])
    registered = events.consumers()[NAME]
    assert list(events.backfill_candidates(registered)) == [before]

    with pytest.raises(NotVisible):
        actions.backfill_events(actor=make_user(role=Role.ORG_HEAD), consumer=NAME)
    sysadmin = admin_persona(Role.SYSTEM_ADMIN)
    assert actions.backfill_events(actor=sysadmin, consumer=NAME) == 1
    entry = JournalEntry.objects.get(action="core.events.backfilled")
    assert entry.actor_id == sysadmin.pk and entry.data["consumer"] == NAME and entry.data["events"] == 1 and entry.data["applies_from"] == "2026-01-01"
    assert events.process_pending() == 1
    assert consumer["seen"][-1] == before.pk
    assert EventHandling.objects.get(event=before).backfilled
    with pytest.raises(ActionError, match="没有需要补办的早期事件"):
        actions.backfill_events(actor=sysadmin, consumer=NAME)
    with pytest.raises(ActionError, match="没有安装这个事件处理模块"):
        actions.backfill_events(actor=sysadmin, consumer="nobody")


def test_payloads_are_typed():
    tenure = make_tenure()
    good = {
        "position": "局长",
        "is_principal": True,
        "has_financial_authority": False,
        "started_on": "2020-01-01",
        "ended_on": "2026-01-01",
        "end_reason": "transfer",
    }
    with pytest.raises(ValueError, match="undeclared"):
        events.record_event("registry.nothing", subject=tenure, data=good)
    with pytest.raises(ValueError, match="missing"):
        events.record_event("registry.departure", subject=tenure, data={k: v for k, v in good.items() if k != "end_reason"})
    with pytest.raises(ValueError, match="unexpected"):
        events.record_event("registry.departure", subject=tenure, data=good | {"extra": 1})
    with pytest.raises(ValueError, match="is_principal is str"):
        events.record_event("registry.departure", subject=tenure, data=good | {"is_principal": "yes"})
    assert events.record_event("registry.departure", subject=tenure, data=good).pk


def test_consumers_must_declare_their_start_date():
    with pytest.raises(TypeError):
        events.register_consumer("test.bad", ("registry.departure",), lambda e: None)  # no applies_from
    with pytest.raises(TypeError, match="a date"):
        events.register_consumer("test.bad", ("registry.departure",), lambda e: None, applies_from=timezone.now())
    assert "test.bad" not in events.consumers()


def test_events_page_is_the_system_administrators(consumer, client):
    _departure()
    consumer["fail"] = 99
    events.process_pending()
    handling = _handling()
    log_in(client, make_user(role=Role.ORG_HEAD))
    assert client.get(reverse("core:events")).status_code == 404
    assert client.post(reverse("core:events_retry", args=[handling.pk])).status_code == 404
    assert client.post(reverse("core:events_backfill"), {"consumer": NAME}).status_code == 404
    assert _handling().failures == 1 and not JournalEntry.objects.filter(action__in=["core.event.retry_requested", "core.events.backfilled"]).exists()
    assert JournalEntry.objects.filter(action="core.access.denied").count() == 3  # each refusal journaled

    log_in(client, admin_persona(Role.SYSTEM_ADMIN))
    page = client.get(reverse("core:events"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "RuntimeError: downstream failure" in page and "测试消费者" in page
    assert "离任" in page and "Departure" not in page  # the kind's label is translated
    assert f'action="{reverse("core:events_retry", args=[handling.pk])}"' in page
    response = client.post(reverse("core:events_retry", args=[handling.pk]), follow=True)
    assert response.status_code == 200
    assert JournalEntry.objects.filter(action="core.event.retry_requested").count() == 1
    assert _handling().failures == 0
    assert "该事件将在一分钟内重新交给处理模块。" in response.content.decode()
    home = client.get(reverse("core:home")).content.decode()
    assert f'href="{reverse("core:events")}"' in home and "查看后台事件" in home
    with pytest.raises(ActionError, match="该事件处理记录已不存在"):
        actions.retry_event_handling(actor=admin_persona(Role.SYSTEM_ADMIN), handling_id=handling.pk + 1000)


def test_no_yellow_card_event_is_recorded_any_more():
    assert "appraisals.yellow_card" not in events.kinds()


def test_the_system_check_wants_consumers_in_an_apps_consumers_module():
    from jiandu.core.checks import event_consumers

    def handler(event):
        pass

    assert event_consumers() == []
    events.register_consumer("test.misplaced", ("registry.departure", "registry.nothing"), handler, applies_from=dt.date(2026, 1, 1))
    try:
        assert [problem.id for problem in event_consumers()] == ["core.E010", "core.E011"]
        handler.__module__ = "jiandu.audits.consumers"
        events.register_consumer("test.misplaced", ("registry.departure",), handler, applies_from=dt.date(2026, 1, 1))
        assert event_consumers() == []
    finally:
        events._consumers.pop("test.misplaced", None)
