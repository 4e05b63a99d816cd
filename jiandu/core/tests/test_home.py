"""Every role's home page offers its work; only non-zero counts are alarms; menus and footer."""

import pytest
from django.test import Client
from django.urls import reverse

from jiandu.accounts.models import Role
from jiandu.core import dashboard
from jiandu.testing import grant_role, make_unit, make_user

pytestmark = pytest.mark.django_db


def page(user, name="core:home") -> str:
    client = Client()
    client.force_login(user)
    session = client.session
    session["jiandu_epoch"] = user.session_epoch
    session.save()
    response = client.get(reverse(name))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.AUDIT_OFFICER, ["接收和办理转交本部门的问题线索", "经济责任审计和离任交接", "在干部信息库中查询单位"]),
        (Role.VETTING_OFFICER, ["接收和办理转交本部门的问题线索", "对拟任人选出具本部门意见（联审）"]),
        (Role.COMMITTEE_MEMBER, ["查阅日常监督", "查阅考核结果", "查阅已结束测评的结果"]),
        (Role.ORG_OFFICER, ["登记谈话、函询和处理处分", "准备测评票、打印投票码、查看结果"]),
    ],
)
def test_home_page_says_what_each_role_can_do(role, expected):
    user = make_user(role=role, unit=None)
    if role in (Role.AUDIT_OFFICER, Role.VETTING_OFFICER):
        # Clues are handled by a department's clue officer only (a role on that department's unit).
        grant_role(user, Role.CLUE_OFFICER, make_unit(), include_descendants=False)
    html = page(user)
    assert "您可以办理的工作" in html
    for text in expected:
        assert text in html, text


def test_a_district_wide_role_without_the_clue_officer_role_is_not_offered_clues():
    html = page(make_user(role=Role.AUDIT_OFFICER, unit=None))
    assert "您可以办理的工作" in html and "接收和办理转交本部门的问题线索" not in html


def test_every_pillar_is_built_and_linked_none_marked_coming():
    # All five pillars have pages now (selection since issue #15); the "coming" rendering of an entry
    # without pages is tested in tests/test_navigation.py.
    html = page(make_user(role=Role.AUDIT_OFFICER, unit=None))
    line = next(line for line in html.splitlines() if "对拟任人选出具本部门意见" in line)
    item = line[line.rindex("<li>", 0, line.index("对拟任人选出具本部门意见")) :].split("</li>")[0]
    assert '<a href="/selection/">' in item and "暂未开放" not in item
    built = line[line.rindex("<li>", 0, line.index("经济责任审计和离任交接")) :].split("</li>")[0]
    assert '<a href="/audits/">' in built and "暂未开放" not in built
    assert "暂未开放" not in html


def test_ballots_have_a_menu_entry_for_those_who_manage_them():
    url = reverse("ballots:index")
    assert f'href="{url}"' in page(make_user(role=Role.ORG_OFFICER, unit=None)).split('class="sidenav"')[1].split("</aside>")[0]
    html = page(make_user(role=Role.DISCIPLINE_OFFICER, unit=None))
    assert 'class="sidenav"' not in html or f'href="{url}"' not in html.split('class="sidenav"')[1].split("</aside>")[0]


def test_zero_counts_are_not_alarms():
    def provider(user):
        return {"label": "逾期", "number": user.pk and provider.number, "url": "/", "attention": True}

    dashboard.register_card(provider)
    try:
        user = make_user(role=Role.ORG_OFFICER, unit=make_unit())
        provider.number = 0
        assert [c["attention"] for c in dashboard.cards_for(user) if c["label"] == "逾期"] == [False]
        provider.number = 1
        assert [c["attention"] for c in dashboard.cards_for(user) if c["label"] == "逾期"] == [True]
        provider.number = 0
        html = page(user)
        card = html[html.index("逾期") - 200 : html.index("逾期")]
        assert "attention" not in card.rsplit("<a", 1)[1]
    finally:
        dashboard._providers.remove(provider)


def test_api_docs_are_linked_for_api_users_only():
    docs = reverse("api:openapi-view")
    assert f'href="{docs}"' in page(make_user(role=Role.ORG_OFFICER, unit=None))
    assert f'href="{docs}"' in page(make_user(role=Role.ORG_OFFICER, unit=None), "accounts:tokens")
    from jiandu.testing import make_cadre

    cadre_user = make_user(role=Role.CADRE, unit=None, cadre=make_cadre(unit=make_unit()))
    assert f'href="{docs}"' not in page(cadre_user)
