"""The full demo district that `make run` builds (on an empty database: not in test_load_demo.py,
whose tests share one small district)."""

import io

import pytest
from django.core.management import call_command

from jiandu.accounts.models import Role, RoleAssignment
from jiandu.core.models import JournalEntry

pytestmark = pytest.mark.django_db


@pytest.mark.slow
def test_the_full_district_that_make_run_builds_loads_every_pillar():
    """`make run` builds the full district, not the reduced one the other tests use: an officer's
    roles cached before the clue-officer appointment once broke the oversight demo only there."""
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    text = out.getvalue()
    assert "journal verifies" in text and "jiandu.oversight.demo.load()" in text
    assert RoleAssignment.objects.filter(role=Role.CLUE_OFFICER).count() == 4
    assert JournalEntry.objects.filter(action="oversight.clue.registered").exists()
