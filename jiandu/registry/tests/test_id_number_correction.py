"""Correcting a cadre's ID number (registry.actions.update_cadre)."""

import datetime as dt

import pytest

from jiandu.core.models import JournalEntry
from jiandu.registry import actions
from jiandu.registry.validators import make_id_number
from jiandu.testing import make_cadre, registrar

pytestmark = pytest.mark.django_db


def test_correcting_an_id_number_is_journaled_without_the_number():
    """Found by the API fuzz while adding issue #9.7's operations: the journal refuses an
    `id_number` key even masked, so correcting an ID number was a server error (page and API)."""
    cadre = make_cadre(name="赵更正", born=dt.date(1980, 5, 17))
    corrected = make_id_number("640202", dt.date(1980, 5, 17), 991)
    actions.update_cadre(actor=registrar(), cadre=cadre, id_number=corrected, phone="13812345678")
    cadre.refresh_from_db()
    assert cadre.id_number == corrected
    entry = JournalEntry.objects.get(action="registry.cadre.updated")
    assert entry.data == {"changed": {}, "changed_sensitive": ["id_number", "phone"]}
    assert corrected not in str(entry.data) and "13812345678" not in str(entry.data)
