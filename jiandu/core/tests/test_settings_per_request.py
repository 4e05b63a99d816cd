"""Local-practice settings are read once per request (one query for all of them) and forgotten
when an action changes one; outside a request every read goes to the database."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jiandu.core import context
from jiandu.core.actions import change_setting, reset_setting
from jiandu.core.models import LocalSetting
from jiandu.core.practice import get_setting
from jiandu.testing import system_admin

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_context():
    token = context.begin("127.0.0.1")
    yield
    context.end(token)


def test_one_query_for_every_setting_read_in_a_request(request_context):
    LocalSetting.objects.create(key="rates.display_places", value=3)
    with CaptureQueriesContext(connection) as reads:
        assert get_setting("rates.display_places") == 3
        assert get_setting("rates.rounding_mode") == "down"  # the default: no row
        assert get_setting("security.idle_timeout_minutes") == 30
    assert len(reads.captured_queries) == 1


def test_a_change_by_the_action_is_seen_at_once_in_the_same_request(request_context):
    admin = system_admin()
    assert get_setting("rates.display_places") == 2
    change_setting(actor=admin, key="rates.display_places", value=4)
    assert get_setting("rates.display_places") == 4
    reset_setting(actor=admin, key="rates.display_places")
    assert get_setting("rates.display_places") == 2


def test_a_returned_list_is_a_copy(request_context):
    first = get_setting("audits.handover_checklist")
    first.append("不应出现")
    assert "不应出现" not in get_setting("audits.handover_checklist")


def test_outside_a_request_each_read_goes_to_the_database():
    assert context.active() is None
    assert get_setting("rates.display_places") == 2
    LocalSetting.objects.create(key="rates.display_places", value=5)
    assert get_setting("rates.display_places") == 5
