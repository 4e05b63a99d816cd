import pytest

from jiandu.accounts.access import NotVisible
from jiandu.accounts.models import Role
from jiandu.core import actions, jobs
from jiandu.core.errors import ActionError
from jiandu.core.models import JournalEntry
from jiandu.core.practice import get_setting
from jiandu.testing import make_user, security_admin

pytestmark = pytest.mark.django_db


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
    with pytest.raises(NotVisible):  # security settings belong to the security administrator
        actions.change_setting(actor=head, key="security.lockout_minutes", value="45")
    with pytest.raises(ActionError):
        actions.change_setting(actor=security_admin(), key="security.lockout_minutes", value="29")
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
