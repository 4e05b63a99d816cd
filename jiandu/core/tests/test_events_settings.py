import pytest

from jiandu.accounts.access import NotVisible
from jiandu.accounts.models import Role
from jiandu.core import actions, events, jobs
from jiandu.core.errors import ActionError
from jiandu.core.models import EventHandling, JournalEntry
from jiandu.core.practice import get_setting
from jiandu.registry.actions import end_tenure
from jiandu.testing import make_position, make_tenure, make_user, registrar

pytestmark = pytest.mark.django_db


@pytest.fixture
def consumer():
    seen = []
    state = {"fail": False}

    def handler(event):
        if state["fail"]:
            raise RuntimeError("downstream failure")
        seen.append(event.pk)

    events.register_consumer("test.consumer", ("registry.departure",), handler)
    yield seen, state
    events._consumers.pop("test.consumer", None)


def _departure():
    import datetime as dt

    tenure = make_tenure(position=make_position(is_principal=True))
    end_tenure(actor=registrar(), tenure=tenure, ended_on=dt.date(2026, 6, 30), end_reason="transfer")
    return tenure


def test_events_are_consumed_exactly_once(consumer):
    seen, _ = consumer
    _departure()
    assert events.unhandled("registry.departure", "test.consumer").count() == 1
    events.process_pending()
    events.process_pending()
    assert len(seen) == 1
    assert events.unhandled("registry.departure", "test.consumer").count() == 0


def test_failing_consumer_is_retried_and_its_work_rolled_back(consumer):
    seen, state = consumer
    _departure()
    state["fail"] = True
    assert events.process_pending() == 0
    handling = EventHandling.objects.get(consumer="test.consumer")
    assert handling.status == "failed" and handling.attempts == 1 and "downstream failure" in handling.last_error
    assert events.unhandled("registry.departure", "test.consumer").count() == 1
    state["fail"] = False
    assert events.process_pending() == 1
    assert EventHandling.objects.get(consumer="test.consumer").status == "done"
    assert len(seen) == 1


def test_worker_runs_due_jobs_once_per_interval():
    calls = []
    jobs.register_job("test.job", every_seconds=60)(lambda: calls.append(1))
    try:
        last = {}
        assert "test.job" in jobs.run_due(last, now=1000.0)
        assert "test.job" not in jobs.run_due(last, now=1059.0)
        assert "test.job" in jobs.run_due(last, now=1060.0)
        assert len(calls) == 2
    finally:
        jobs._jobs.pop("test.job", None)


def test_change_setting_is_journaled_and_validated():
    head = make_user(role=Role.ORG_HEAD)
    actions.change_setting(actor=head, key="rates.display_places", value="1")
    assert get_setting("rates.display_places") == 1
    entry = JournalEntry.objects.filter(action="core.setting.changed").latest("seq")
    assert entry.data == {"key": "rates.display_places", "old": 2, "new": 1}
    with pytest.raises(ActionError):
        actions.change_setting(actor=head, key="rates.display_places", value="-1")
    with pytest.raises(ActionError):
        actions.change_setting(actor=head, key="rates.rounding_mode", value="banker")
    with pytest.raises(ActionError):
        actions.change_setting(actor=head, key="security.lockout_minutes", value="29")
    with pytest.raises(ActionError):
        actions.change_setting(actor=head, key="no.such.key", value="1")
    actions.reset_setting(actor=head, key="rates.display_places")
    assert get_setting("rates.display_places") == 2
    with pytest.raises(ActionError):
        actions.reset_setting(actor=head, key="rates.display_places")


def test_only_settings_managers_change_settings():
    officer = make_user(role=Role.ORG_OFFICER)
    with pytest.raises(NotVisible):
        actions.change_setting(actor=officer, key="rates.display_places", value="1")
