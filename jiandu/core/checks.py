"""System checks of the installation's keys and of the database role (shown by `manage.py check`
and `manage.py check --deploy`; CI runs the latter with --fail-level WARNING).

- Production needs its own JIANDU_JOURNAL_KEY, JIANDU_BALLOT_KEY and JIANDU_FIELD_KEY, distinct
  from each other and from the secret key: an error, so `check`, `migrate`, the development
  server and the WSGI/ASGI application (require_production_keys) refuse to run without them (the development defaults are derived from the secret key,
  which lives in a file next to the embedded database).
- On PostgreSQL the application's role must be neither superuser nor owner of the journal table
  (nor able to set session_replication_role or replicate): otherwise it can switch the journal's
  append-only triggers off (`SET LOCAL session_replication_role = replica`, `ALTER TABLE …
  DISABLE TRIGGER`, `DROP TRIGGER`) without anyone noticing. A warning under --deploy.
"""

import os

from django.conf import settings
from django.core import checks
from django.db import DatabaseError, connection

KEYS = ("JIANDU_JOURNAL_KEY", "JIANDU_BALLOT_KEY", "JIANDU_FIELD_KEY")


@checks.register(checks.Tags.security)
def production_keys(app_configs=None, **kwargs):
    if not settings.PRODUCTION:
        return []
    values = {name: os.environ.get(name, "").strip() for name in KEYS}
    errors = []
    missing = [name for name, value in values.items() if not value]
    if missing:
        errors.append(
            checks.Error(
                f"{', '.join(missing)} not set: in production the journal, ballot and field-encryption keys must each be set "
                "separately instead of being derived from the secret key.",
                hint='Generate each with `python -c "import secrets; print(secrets.token_hex(32))"` and keep them outside the database (README, Production).',
                id="core.E001",
            )
        )
    named = [(name, value) for name, value in values.items() if value] + [("JIANDU_SECRET_KEY", settings.SECRET_KEY)]
    for i, (name, value) in enumerate(named):
        for other, other_value in named[i + 1 :]:
            if value == other_value:
                errors.append(
                    checks.Error(
                        f"{name} and {other} are the same: every key must be distinct, so that one key leaked or rotated does not expose or break the others.",
                        id="core.E002",
                    )
                )
    if not os.environ.get("JIANDU_JOURNAL_CHECKPOINT_DIR", "").strip():
        errors.append(
            checks.Warning(
                "JIANDU_JOURNAL_CHECKPOINT_DIR is not set: the journal's signed checkpoints are written under JIANDU_VAR_DIR.",
                hint="Point it to a directory the database's users cannot write, and make its files append-only (docs/deployment.md).",
                id="core.W004",
            )
        )
    return errors


def require_production_keys() -> None:
    """Called by the WSGI/ASGI entry points: production does not serve without its keys."""
    from django.core.exceptions import ImproperlyConfigured

    errors = [e for e in production_keys() if e.level >= checks.ERROR]
    if errors:
        raise ImproperlyConfigured(" ".join(f"({e.id}) {e.msg}" for e in errors))


def database_role_problems(cursor) -> list[str]:
    """What the connected PostgreSQL role may do to the journal that it should not."""
    from jiandu.core.models import JournalEntry

    cursor.execute("SELECT rolsuper, rolreplication, rolbypassrls FROM pg_roles WHERE rolname = current_user")
    superuser, replication, bypassrls = cursor.fetchone()
    problems = []
    if superuser:
        problems.append("is a superuser (it can SET session_replication_role = replica and bypass the journal's append-only triggers)")
    if replication:
        problems.append("has the REPLICATION attribute")
    if bypassrls:
        problems.append("has the BYPASSRLS attribute")
    cursor.execute(
        "SELECT pg_get_userbyid(relowner), pg_has_role(current_user, relowner, 'USAGE') FROM pg_class WHERE oid = to_regclass(%s)",
        [JournalEntry._meta.db_table],
    )
    row = cursor.fetchone()
    if row and row[1] and not superuser:
        problems.append(f"owns the journal table {JournalEntry._meta.db_table} (through role {row[0]}): it can disable or drop its triggers")
    if not superuser and connection.pg_version >= 150000:
        cursor.execute("SELECT has_parameter_privilege(current_user, 'session_replication_role', 'SET')")
        if cursor.fetchone()[0]:
            problems.append("was granted SET on session_replication_role")
    return problems


@checks.register(checks.Tags.security, deploy=True)
def database_role(app_configs=None, **kwargs):
    if connection.vendor != "postgresql":
        return []  # SQLite has no roles: whoever can write the file can do anything to it
    try:
        with connection.cursor() as cursor:
            problems = database_role_problems(cursor)
            user = connection.get_connection_params().get("user") or ""
    except DatabaseError as exc:
        return [checks.Warning(f"could not check the database role's privileges: {exc}", id="core.W002")]
    if not problems:
        return []
    return [
        checks.Warning(
            f"the application's database role {user!r} " + "; ".join(problems) + ".",
            hint="Run the application as a role that is neither superuser nor owner of the tables and grant it only what it needs; "
            "run migrations as the owner (docs/deployment.md, 'Database roles').",
            id="core.W001",
        )
    ]


@checks.register()
def event_consumers(app_configs=None, **kwargs):
    """docs/events.md: a consumer lives in its app's `consumers.py` (imported by the app's
    ready()) and consumes only declared kinds."""
    from django.apps import apps

    from . import events

    problems = []
    labels = {config.name for config in apps.get_app_configs()}
    for consumer in events.consumers().values():
        module = getattr(consumer.handler, "__module__", "") or ""
        app, _dot, leaf = module.rpartition(".")
        if leaf != "consumers" or app not in labels:
            problems.append(checks.Error(f"event consumer {consumer.name} is defined in {module}, not in an installed app's consumers.py", id="core.E010"))
        undeclared = [kind for kind in consumer.kinds if kind not in events.kinds()]
        if undeclared:
            problems.append(checks.Error(f"event consumer {consumer.name} consumes undeclared kinds {undeclared}", id="core.E011"))
    return problems
