"""Views of a cadre's ID number, phone and family in clear are journaled (SECURITY.md "Journal"):
`registry.cadre.viewed_sensitive`, at most once per user and cadre in ten minutes."""

import time

import pytest
from django.urls import reverse

from jiandu.accounts.access import NotVisible
from jiandu.accounts.models import Role
from jiandu.core.models import JournalEntry
from jiandu.registry import actions
from jiandu.registry.actions import SENSITIVE_VIEW_ACTION, SENSITIVE_VIEW_QUIET_SECONDS, record_sensitive_view
from jiandu.testing import make_cadre, make_relative, make_user

pytestmark = pytest.mark.django_db


def views(**filters):
    return JournalEntry.objects.filter(action=SENSITIVE_VIEW_ACTION, **filters)


# --- the action ----------------------------------------------------------------------------------


def test_a_view_in_clear_is_journaled_with_actor_cadre_and_unit(district):
    entry = record_sensitive_view(actor=district.officer, cadre=district.zhang)
    assert entry is not None and views().count() == 1
    assert entry.action == "registry.cadre.viewed_sensitive" and entry.outcome == "ok"
    assert entry.actor_id == district.officer.pk and entry.actor_username == district.officer.username
    assert entry.cadre_id == district.zhang.pk and entry.unit_id == district.finance.pk and entry.unit_path == district.finance.path
    assert (entry.target_type, entry.target_id) == ("registry.cadre", str(district.zhang.pk))
    assert entry.data == {"page": "detail"}  # what was seen is named, never the values
    assert district.zhang.id_number not in str(entry.data) and "13812345678" not in str(entry.data)


def test_only_who_may_see_the_record_in_clear_is_journaled(district):
    with pytest.raises(NotVisible):
        record_sensitive_view(actor=district.leader, cadre=district.zhang)  # reads the record, masked
    with pytest.raises(NotVisible):
        record_sensitive_view(actor=district.outsider, cadre=district.zhang)  # another unit
    with pytest.raises(ValueError):
        record_sensitive_view(actor=district.officer, cadre=district.zhang, page="elsewhere")
    assert not views().exists()


def test_at_most_one_entry_per_user_and_cadre_in_ten_minutes_boundaries_exact(district):
    start = time.time()
    assert SENSITIVE_VIEW_QUIET_SECONDS == 600
    assert record_sensitive_view(actor=district.officer, cadre=district.zhang, now=start) is not None
    assert record_sensitive_view(actor=district.officer, cadre=district.zhang, now=start + 1) is None
    assert record_sensitive_view(actor=district.officer, cadre=district.zhang, page="edit", now=start + 599.999) is None  # any page
    assert views().count() == 1
    second = record_sensitive_view(actor=district.officer, cadre=district.zhang, now=start + 600)  # the window has passed
    assert second is not None and views().count() == 2
    assert record_sensitive_view(actor=district.officer, cadre=district.zhang, now=start + 1199.999) is None  # a new window from the 2nd
    assert record_sensitive_view(actor=district.officer, cadre=district.zhang, now=start + 1200) is not None
    assert views().count() == 3


def test_the_window_is_per_user_and_per_cadre(district):
    other_cadre = make_cadre(unit=district.section)
    colleague = make_user(role=Role.ORG_OFFICER, unit=district.finance)
    start = time.time()
    record_sensitive_view(actor=district.officer, cadre=district.zhang, now=start)
    assert record_sensitive_view(actor=district.officer, cadre=other_cadre, now=start + 1) is not None
    assert record_sensitive_view(actor=colleague, cadre=district.zhang, now=start + 1) is not None
    assert set(views().values_list("actor_id", "cadre_id")) == {
        (district.officer.pk, district.zhang.pk),
        (district.officer.pk, other_cadre.pk),
        (colleague.pk, district.zhang.pk),
    }


def test_ones_own_record_is_journaled_as_such(district):
    me = make_user(role=Role.CADRE, cadre=district.li)
    entry = record_sensitive_view(actor=me, cadre=district.li)
    assert entry.data == {"page": "detail", "own_record": True} and entry.cadre_id == district.li.pk


# --- the pages -----------------------------------------------------------------------------------


def test_cadre_detail_in_clear_is_journaled_once_and_not_listed_in_the_records_history(district, client_for):
    make_relative(cadre=district.zhang, name="刘芳")
    client = client_for(district.officer)
    url = reverse("registry:cadre_detail", args=[district.zhang.pk])
    first = client.get(url)
    assert district.zhang.id_number in first.content.decode() and "刘芳" in first.content.decode()
    assert views(actor_id=district.officer.pk, cadre_id=district.zhang.pk).count() == 1
    second = client.get(url)
    assert views().count() == 1  # a reload within ten minutes
    history = second.content.decode().split('id="history"')[1]
    assert "新建了干部信息" in history and "查看了干部身份证号" not in history  # sensitive reads stay out of the history
    client_for(district.head).get(url)
    assert views().count() == 2  # another user


def test_masked_pages_are_not_journaled_as_sensitive_views(district, client_for):
    page = client_for(district.leader).get(reverse("registry:cadre_detail", args=[district.zhang.pk])).content.decode()
    assert district.zhang.id_number not in page
    assert not views().exists()


def test_edit_form_and_family_confirmation_are_sensitive_views_too(district, client_for):
    relative = make_relative(cadre=district.zhang, name="刘芳")
    other = make_cadre(unit=district.section, name="赵敏")
    client = client_for(district.officer)
    response = client.get(reverse("registry:relative_remove", args=[relative.pk]))
    assert "刘芳" in response.content.decode()
    assert views(cadre_id=district.zhang.pk).get().data == {"page": "family"}
    response = client.get(reverse("registry:cadre_edit", args=[other.pk]))
    assert other.id_number in response.content.decode()
    assert views(cadre_id=other.pk).get().data == {"page": "edit"}
    client.post(reverse("registry:cadre_edit", args=[other.pk]), {"name": ""})  # a POST shows what was typed
    assert views().count() == 2


def test_a_refused_page_journals_no_view(district, client_for):
    client = client_for(district.outsider)
    assert client.get(reverse("registry:cadre_detail", args=[district.zhang.pk])).status_code == 404
    assert not views().exists()


def test_the_action_writes_only_the_journal(district):
    from jiandu.registry.models import Cadre

    before = list(Cadre.objects.values_list("pk", "updated_at"))
    count = JournalEntry.objects.count()
    actions.record_sensitive_view(actor=district.officer, cadre=district.zhang)
    assert list(Cadre.objects.values_list("pk", "updated_at")) == before
    assert JournalEntry.objects.count() == count + 1
