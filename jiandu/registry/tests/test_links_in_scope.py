"""Issue #9.6, the registry's dead links: a tenure in the reader's units may be held by a cadre
who has since moved elsewhere (the tenure list, the position's history, the unit's team show the
name, but link it only where the record opens), and the cadre's own record has no link to the
cadre list that self service cannot open."""

import pytest
from django.test import Client
from django.urls import reverse

from jiandu.accounts.models import Role
from jiandu.registry import actions
from jiandu.testing import make_cadre, make_position, make_tenure, make_unit, make_user, registrar

pytestmark = pytest.mark.django_db


def test_a_cadre_who_moved_out_of_the_readers_units_is_named_not_linked():
    root = make_unit(name="示范区")
    school, finance = make_unit(name="教育局", parent=root), make_unit(name="财政局", parent=root)
    stayed = make_tenure(position=make_position(unit=school, title="局长", is_principal=True), cadre=make_cadre(unit=school, name="张留任"))
    moved_cadre = make_cadre(unit=school, name="李调出")
    moved = make_tenure(position=make_position(unit=school, title="副局长"), cadre=moved_cadre)
    actions.move_cadre(actor=registrar(), cadre=moved_cadre, unit=finance)  # still holds the post here
    leader = Client()
    leader.force_login(make_user(role=Role.UNIT_LEADER, unit=school))
    pages = [
        reverse("registry:tenure_list"),
        reverse("registry:position_detail", args=[moved.position_id]),
        reverse("registry:unit_detail", args=[school.pk]),
    ]
    for url in pages:
        page = leader.get(url).content.decode()
        assert "李调出" in page, url
        assert reverse("registry:cadre_detail", args=[moved_cadre.pk]) not in page, url
    assert leader.get(reverse("registry:cadre_detail", args=[moved_cadre.pk])).status_code == 404
    # the cadres still in scope keep their links, and those links open
    page = leader.get(reverse("registry:tenure_list")).content.decode()
    assert reverse("registry:cadre_detail", args=[stayed.cadre_id]) in page
    assert leader.get(reverse("registry:cadre_detail", args=[stayed.cadre_id])).status_code == 200
    # the district-wide officer sees both linked
    officer = Client()
    officer.force_login(make_user(role=Role.ORG_OFFICER, unit=None))
    page = officer.get(reverse("registry:position_detail", args=[moved.position_id])).content.decode()
    assert reverse("registry:cadre_detail", args=[moved_cadre.pk]) in page


def test_the_cadres_own_record_has_no_link_to_the_cadre_list():
    cadre = make_cadre(name="王自助")
    client = Client()
    client.force_login(make_user(role=Role.CADRE, unit=None, cadre=cadre))
    assert client.get(reverse("registry:cadre_list")).status_code == 404
    page = client.get(reverse("registry:cadre_detail", args=[cadre.pk])).content.decode()
    assert "王自助" in page and f'href="{reverse("registry:cadre_list")}"' not in page
    officer = Client()
    officer.force_login(make_user(role=Role.ORG_OFFICER, unit=None))
    assert f'href="{reverse("registry:cadre_list")}"' in officer.get(reverse("registry:cadre_detail", args=[cadre.pk])).content.decode()
