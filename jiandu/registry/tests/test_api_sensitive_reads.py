"""Security issue #8, part 8: sensitive reads through the API leave a trace, as the pages do.

A cadre returned in clear is journaled like the detail page (`registry.cadre.viewed_sensitive`,
page "api"); a list page that returned ID numbers and phones in clear is one entry naming the
cadres (`registry.cadres.viewed_sensitive`); an API refusal (404) is journaled like a page's.
"""

import pytest

from jiandu.accounts.models import Role
from jiandu.core.models import JournalEntry
from jiandu.registry.actions import SENSITIVE_LIST_ACTION, SENSITIVE_VIEW_ACTION
from jiandu.testing import api_client, make_cadre, make_user

pytestmark = pytest.mark.django_db
BASE = "/api/v1/registry"


def test_a_cadre_read_in_clear_through_the_api_is_journaled(district):
    body = api_client(district.officer).get(f"{BASE}/cadres/{district.zhang.pk}").json()
    assert body["id_number"] == district.zhang.id_number
    entry = JournalEntry.objects.get(action=SENSITIVE_VIEW_ACTION)
    assert (entry.actor_id, entry.cadre_id, entry.target_id, entry.data) == (district.officer.pk, district.zhang.pk, str(district.zhang.pk), {"page": "api"})
    assert district.zhang.id_number not in str(entry.data)


def test_a_masked_read_through_the_api_is_not_a_sensitive_view(district):
    body = api_client(district.leader).get(f"{BASE}/cadres/{district.zhang.pk}").json()
    assert body["sensitive_visible"] is False
    assert not JournalEntry.objects.filter(action__in=(SENSITIVE_VIEW_ACTION, SENSITIVE_LIST_ACTION)).exists()
    listed = api_client(district.leader).get(f"{BASE}/cadres").json()
    assert listed["count"] >= 1 and not JournalEntry.objects.filter(action=SENSITIVE_LIST_ACTION).exists()


def test_each_list_page_in_clear_is_one_entry_naming_its_cadres(district):
    extra = [make_cadre(unit=district.section, name=f"预算{n}") for n in range(3)]
    client = api_client(district.officer)  # finance bureau and below: zhang and the three
    first = client.get(f"{BASE}/cadres", {"limit": 2, "offset": 0, "sort": "name"}).json()
    second = client.get(f"{BASE}/cadres", {"limit": 2, "offset": 2, "sort": "name"}).json()
    assert first["count"] == 4 and {c["id"] for c in first["items"] + second["items"]} == {district.zhang.pk, *(c.pk for c in extra)}
    entries = list(JournalEntry.objects.filter(action=SENSITIVE_LIST_ACTION).order_by("seq"))
    assert [e.data for e in entries] == [
        {"via": "api", "cadres": [c["id"] for c in first["items"]]},
        {"via": "api", "cadres": [c["id"] for c in second["items"]]},
    ]
    assert all(e.actor_id == district.officer.pk for e in entries)
    # An empty page shows nothing in clear: no entry.
    assert client.get(f"{BASE}/cadres", {"offset": 10}).json()["items"] == []
    assert JournalEntry.objects.filter(action=SENSITIVE_LIST_ACTION).count() == 2


def test_a_list_names_only_the_cadres_shown_in_clear(district):
    """A district-wide reader who may see one unit's sensitive fields: the entry names that unit's
    cadres only, the others went out masked."""
    from jiandu.accounts.models import RoleAssignment

    reader = make_user(role=Role.VETTING_OFFICER, unit=None)  # the whole registry, masked
    RoleAssignment.objects.create(
        user=reader, role=Role.DISCIPLINE_OFFICER, unit_id=district.education.pk, unit_path=district.education.path, include_descendants=True
    )
    items = api_client(reader).get(f"{BASE}/cadres", {"limit": 100}).json()["items"]
    shown = {c["id"]: c["sensitive_visible"] for c in items}
    assert shown[district.li.pk] is True and shown[district.zhang.pk] is False
    entry = JournalEntry.objects.get(action=SENSITIVE_LIST_ACTION)
    assert entry.data == {"via": "api", "cadres": [district.li.pk]} and entry.unit_id == district.education.pk


def test_an_api_refusal_is_journaled_as_on_the_pages(district):
    client = api_client(district.outsider)  # an org officer of the education bureau
    for path in (f"{BASE}/cadres/{district.zhang.pk}", f"{BASE}/cadres/999999"):
        response = client.get(path)
        assert response.status_code == 404 and response.json()["code"] == "not_found"
    refusals = JournalEntry.objects.filter(action="core.access.denied", actor_id=district.outsider.pk).order_by("seq")
    assert [(e.outcome, e.data) for e in refusals] == [
        ("denied", {"method": "GET", "path": f"{BASE}/cadres/{district.zhang.pk}"}),
        ("denied", {"method": "GET", "path": f"{BASE}/cadres/999999"}),
    ]
    assert not JournalEntry.objects.filter(action=SENSITIVE_VIEW_ACTION).exists()


def test_the_list_action_refuses_a_cadre_not_shown_in_clear(district):
    from jiandu.accounts.access import NotVisible
    from jiandu.registry.actions import record_sensitive_list_view

    with pytest.raises(NotVisible):
        record_sensitive_list_view(actor=district.leader, cadres=[district.zhang])  # masked for a unit leader
    with pytest.raises(NotVisible):
        record_sensitive_list_view(actor=district.officer, cadres=[district.zhang, district.li])  # li: another unit
    assert record_sensitive_list_view(actor=district.officer, cadres=[]) is None
    assert not JournalEntry.objects.filter(action=SENSITIVE_LIST_ACTION).exists()
    entry = record_sensitive_list_view(actor=district.officer, cadres=[district.zhang])
    assert entry.data == {"via": "api", "cadres": [district.zhang.pk]} and entry.unit_id == district.finance.pk
