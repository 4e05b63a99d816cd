"""Test configuration. The database is the one JIANDU_DATABASE_URL names (SQLite by default);
`make test` runs the suite again with JIANDU_DATABASE_URL=$JIANDU_TEST_POSTGRES_URL."""

import pytest


@pytest.fixture(autouse=True)
def _fast_hashing_and_media(settings, tmp_path):
    # The strong PBKDF2 hasher is checked in accounts tests; elsewhere a fast one keeps the suite quick.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *settings.PASSWORD_HASHERS]
    settings.MEDIA_ROOT = str(tmp_path / "media")
    # Each test's signed journal checkpoints stay in its own directory, never in var/.
    settings.JOURNAL_CHECKPOINT_DIR = tmp_path / "journal-checkpoints"


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    from jiandu.portal import fragments

    cache.clear()
    fragments.clear()  # the portal's fragments kept in process (ids and times repeat across tests)
    yield


def is_postgres():
    from django.db import connection

    return connection.vendor == "postgresql"


def _journal_triggers(enabled: bool) -> None:
    """Switch the journal's append-only triggers on or off (PostgreSQL: enable/disable; SQLite,
    which cannot disable a trigger: create/drop, with the migration's own statements)."""
    import importlib

    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE core_journalentry {'ENABLE' if enabled else 'DISABLE'} TRIGGER USER")
    elif connection.vendor == "sqlite":
        migration = importlib.import_module("jiandu.core.migrations.0002_journal_append_only")
        with connection.cursor() as cursor:
            for sql in migration.SQLITE_DROP + (migration.SQLITE if enabled else []):
                cursor.execute(sql)


@pytest.fixture(scope="session")
def _journal_triggers_restored(django_db_blocker):
    yield
    with django_db_blocker.unblock():
        _journal_triggers(True)


@pytest.fixture
def flushable_journal(_journal_triggers_restored, transactional_db):
    """For transactional tests: the flush that empties the database after the test deletes the
    journal's rows, which its append-only triggers refuse. Lift the triggers just before that flush
    and put them back when the next test starts."""
    _journal_triggers(True)
    yield
    _journal_triggers(False)


def _is_transactional(item) -> bool:
    if {"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())):
        return True
    marker = item.get_closest_marker("django_db")
    return bool(marker and (marker.kwargs.get("transaction") or (len(marker.args) > 0 and marker.args[0])))


def pytest_collection_modifyitems(items):
    # Set up after transactional_db, so torn down before its flush.
    for item in items:
        if _is_transactional(item) and "flushable_journal" not in item.fixturenames:
            item.fixturenames.append("flushable_journal")


@pytest.fixture(scope="module")
def small_demo_once(django_db_setup, django_db_blocker):
    """The small demo district (`load_demo --small`), built once for a module's tests: inside a
    transaction kept open for the module and rolled back after its last test. Each test's own
    changes are rolled back to a savepoint as usual (its `db` transaction nests inside), so every
    test sees the district as built. Returns the command's report. Not for transactional tests.
    Tests of the module that need an empty database must not run while it is in use: keep them
    in another module."""
    import io

    from django.core.management import call_command
    from django.db import transaction

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            out = io.StringIO()
            call_command("load_demo", "--small", stdout=out)
            yield out.getvalue()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
