import pytest

from jiandu.accounts import access
from jiandu.core import actions as core_actions
from jiandu.testing import security_admin, system_admin


@pytest.fixture
def set_setting(db):
    """Change a local-practice setting the way its administrator does (journaled): the security
    administrator for security.*, the system administrator for the rest."""

    def _set(key, value):
        actor = security_admin() if access.setting_permission(key) == "settings.manage_security" else system_admin()
        core_actions.change_setting(actor=actor, key=key, value=value)

    return _set


@pytest.fixture(scope="module")
def _journal_triggers_restored(django_db_blocker):
    yield
    from django.db import connection

    if connection.vendor == "postgresql":
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute("ALTER TABLE core_journalentry ENABLE TRIGGER USER")


@pytest.fixture
def flushable_journal(_journal_triggers_restored, transactional_db):
    """For transaction=True tests on PostgreSQL: the flush that empties the database after the test
    TRUNCATEs the journal, which its append-only trigger refuses. Lift the trigger just before that
    flush; it is restored when the module's tests are done."""
    yield
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE core_journalentry DISABLE TRIGGER USER")
