"""Navigation and the home page's work lines come from what each app registered
(jiandu.core.navigation), in their declared order; an entry without pages yet is shown as coming."""

import pytest
from django.utils import translation

from jiandu.accounts.models import Role
from jiandu.core import navigation
from jiandu.testing import make_user
from jiandu.web.views import work_for

pytestmark = pytest.mark.django_db


def test_every_pillar_registered_its_entry_in_order():
    assert [e.url_name for e in navigation.nav_entries(navigation.PILLAR)] == [
        "decisions:index",
        "appraisals:index",
        "audits:index",
        "selection:index",
        "oversight:index",
        # Personal-matters reports follow the five focuses in the seed's order.
        "matters:index",
    ]
    tools = [e.url_name for e in navigation.nav_entries(navigation.TOOL)]
    assert tools[:3] == ["registry:unit_tree", "registry:cadre_list", "ballots:index"]
    assert tools[-2:] == ["core:settings", "core:journal_search"]


def test_registering_twice_keeps_one_entry_and_sections_are_checked():
    before = len(navigation.nav_entries(navigation.PILLAR))
    entry = navigation.nav_entries(navigation.PILLAR)[0]
    navigation.register_nav(entry.label, entry.url_name, entry.permission, section=navigation.PILLAR, order=entry.order)
    assert len(navigation.nav_entries(navigation.PILLAR)) == before
    with pytest.raises(ValueError):
        navigation.register_nav("x", "x:index", "registry.view", section="sidebar", order=1)


def test_a_registered_work_line_without_pages_is_shown_as_coming_and_unless_hides_the_lesser_line():
    officer = make_user(role=Role.ORG_OFFICER, unit=None)
    navigation.register_work("registry.view", "A pillar still to come", "nowhere:index", order=999)
    try:
        lines = work_for(officer)
        assert {"text": "A pillar still to come", "url": None} in lines
    finally:
        navigation._work.pop(("registry.view", "nowhere:index"))
    with translation.override("en"):
        texts = [str(line["text"]) for line in work_for(officer)]
    assert "A pillar still to come" not in texts
    # the organisation officer manages daily supervision: the read-only line is not repeated
    assert any("Record talks" in t for t in texts) and not any(t.startswith("Read daily supervision") for t in texts)
