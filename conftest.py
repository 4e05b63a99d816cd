"""Test configuration: SQLite by default; PostgreSQL when JIANDU_TEST_POSTGRES_URL is set (the
Makefile runs the suite once per database)."""

import os

import pytest

if os.environ.get("JIANDU_TEST_DATABASE_URL"):
    os.environ["JIANDU_DATABASE_URL"] = os.environ["JIANDU_TEST_DATABASE_URL"]


@pytest.fixture(autouse=True)
def _fast_hashing_and_media(settings, tmp_path):
    # The strong PBKDF2 hasher is checked in accounts tests; elsewhere a fast one keeps the suite quick.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *settings.PASSWORD_HASHERS]
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield


def is_postgres():
    from django.db import connection

    return connection.vendor == "postgresql"
