"""The lists' "unit (and below)" filter offers a bounded set of units (issue 17: a page's cost must
not grow with the data it does not show): the top units and their sub-units, then the sub-units of
each unit on the way to the chosen one, never the whole province."""

import pytest
from django.urls import reverse

from jiandu import testing
from jiandu.accounts.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def province():
    top = testing.make_unit(name="省")
    cities = [testing.make_unit(name=f"市{c}", parent=top) for c in range(3)]
    counties = {city.pk: [testing.make_unit(name=f"{city.name}县{k}", parent=city) for k in range(3)] for city in cities}
    departments = {
        county.pk: [testing.make_unit(name=f"{county.name}局{d}", parent=county) for d in range(4)] for city in cities for county in counties[city.pk]
    }
    return top, cities, counties, departments


def options(client, **params) -> list[str]:
    page = client.get(reverse("registry:cadre_list"), params)
    assert page.status_code == 200
    return [u.name for u in page.context["units"]]


def test_the_filter_opens_one_level_at_a_time(client, province):
    top, cities, counties, departments = province
    officer = testing.log_in(client, testing.make_user(role=Role.ORG_OFFICER, unit=None))
    # Nothing chosen: the province and its cities (not the 3 × 3 counties nor their 36 departments).
    assert options(officer) == ["省", "市0", "市1", "市2"]
    # A city chosen: its counties open below it, the other cities stay closed.
    assert options(officer, unit=cities[1].pk) == ["省", "市0", "市1", "市1县0", "市1县1", "市1县2", "市2"]
    # A county chosen: its departments open too, and the county stays selected.
    county = counties[cities[1].pk][2]
    page = officer.get(reverse("registry:cadre_list"), {"unit": county.pk})
    assert [u.name for u in page.context["units"]] == ["省", "市0", "市1", "市1县0", "市1县1", "市1县2", *[f"市1县2局{d}" for d in range(4)], "市2"]
    assert f'<option value="{county.pk}" selected>' in page.content.decode()
    # The same on the positions and tenures lists.
    for name in ("registry:position_list", "registry:tenure_list"):
        assert len(officer.get(reverse(name), {"unit": county.pk}).context["units"]) == 11


def test_a_unit_scoped_officer_starts_at_their_own_unit_and_cannot_open_another(client, province):
    top, cities, counties, departments = province
    county = counties[cities[0].pk][0]
    officer = testing.log_in(client, testing.make_user(role=Role.ORG_OFFICER, unit=county))
    assert options(officer) == [county.name, *[f"{county.name}局{d}" for d in range(4)]]
    # A unit outside the scope opens nothing (and the list shows nothing of it).
    elsewhere = counties[cities[2].pk][1]
    assert options(officer, unit=elsewhere.pk) == [county.name, *[f"{county.name}局{d}" for d in range(4)]]
    # Text that is not an id opens nothing, however numeric it looks to str.isdigit() (², full-width digits).
    for text in ("not-a-number", "²", "１２", "9" * 40):
        assert options(officer, unit=text) == [county.name, *[f"{county.name}局{d}" for d in range(4)]]
        assert officer.get(reverse("registry:unit_tree"), {"open": text}).status_code == 200


def test_the_query_count_does_not_grow_with_the_tree(client, province, django_assert_max_num_queries):
    top, cities, counties, departments = province
    officer = testing.log_in(client, testing.make_user(role=Role.ORG_OFFICER, unit=None))
    county = counties[cities[1].pk][2]
    officer.get(reverse("registry:cadre_list"), {"unit": county.pk})  # warm the per-process caches
    with django_assert_max_num_queries(15):
        officer.get(reverse("registry:cadre_list"), {"unit": county.pk})


def test_a_big_tree_page_opens_a_level_at_a_time(client, province, monkeypatch):
    from jiandu.registry.views import units as unit_views

    top, cities, counties, departments = province
    officer = testing.log_in(client, testing.make_user(role=Role.ORG_OFFICER, unit=None))
    # Small trees are shown whole (49 units here).
    page = officer.get(reverse("registry:unit_tree"))
    assert len(page.context["units"]) == 49 and "tree-toggle" not in page.content.decode()
    monkeypatch.setattr(unit_views, "WHOLE_TREE_LIMIT", 40)
    page = officer.get(reverse("registry:unit_tree"))
    html = page.content.decode()
    assert [u.name for u in page.context["units"]] == ["省", "市0", "市1", "市2"] and "49" in html
    # Each city links to its own level; opening one shows its counties with their counts.
    city = cities[1]
    assert f'href="?open={city.pk}" aria-expanded="false"' in html
    page = officer.get(reverse("registry:unit_tree"), {"open": city.pk})
    assert [u.name for u in page.context["units"]] == ["省", "市0", "市1", "市1县0", "市1县1", "市1县2", "市2"]
    html = page.content.decode()
    # The open city closes back to the province's level; its counties open their departments.
    assert f'href="?open={top.pk}" aria-expanded="true"' in html
    county = counties[city.pk][0]
    assert f'href="?open={county.pk}" aria-expanded="false"' in html
    page = officer.get(reverse("registry:unit_tree"), {"open": county.pk})
    shown = [u for u in page.context["units"] if u.parent_id == county.pk]
    assert [u.name for u in shown] == [f"{county.name}局{d}" for d in range(4)]
    # A department has nothing below it: no link.
    assert all(u.toggle is None and f"?open={u.pk}" not in page.content.decode() for u in shown)
