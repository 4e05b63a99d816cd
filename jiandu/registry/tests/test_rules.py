"""Tenure limits and avoidance at appointment (registry.rules), each rule at its boundary."""

import datetime as dt

import pytest
from django.urls import reverse

from jiandu.accounts.models import Role
from jiandu.core.errors import ActionError
from jiandu.core.models import JournalEntry
from jiandu.registry import actions, rules
from jiandu.registry.models import Tenure
from jiandu.testing import api_client, log_in, make_cadre, make_position, make_relative, make_tenure, make_unit, make_user, registrar

pytestmark = pytest.mark.django_db
D = dt.date


def past(cadre, position, start, end):
    return actions.record_past_tenure(actor=registrar(), cadre=cadre, position=position, started_on=start, ended_on=end, end_reason="term_end")


def appoint(cadre, position, on, reason=""):
    return actions.appoint(actor=registrar(), cadre=cadre, position=position, started_on=on, exception_reason=reason)


# --- tenure limits ----------------------------------------------------------------------------


@pytest.mark.parametrize(("first_start", "refused"), [(D(2016, 3, 1), True), (D(2016, 3, 2), False)])
def test_two_consecutive_terms_in_the_same_post_at_the_boundary(first_start, refused):
    post = make_position(title="局长", is_principal=True, level="county_chief")
    cadre = make_cadre(unit=post.unit)
    past(cadre, post, first_start, D(2021, 2, 28))
    past(cadre, post, D(2021, 3, 1), D(2026, 2, 28))  # re-appointed the next day: no break
    findings = rules.tenure_findings(cadre, post, D(2026, 3, 1))
    assert [f.rule for f in findings] == (["tenure.consecutive_terms"] if refused else [])
    if refused:
        assert "2016-03-01" in findings[0].text and findings[0].basis == rules.TENURE_BASIS_TERMS
        with pytest.raises(ActionError) as exc:
            appoint(cadre, post, D(2026, 3, 1))
        assert exc.value.field == "exception_reason" and "第六条" in exc.value.message
        assert not Tenure.objects.filter(cadre=cadre, ended_on__isnull=True).exists()
    else:
        assert appoint(cadre, post, D(2026, 3, 1)).is_current


def test_a_break_of_more_than_a_month_interrupts_the_terms():
    post = make_position(level="county_chief")
    cadre = make_cadre(unit=post.unit)
    past(cadre, post, D(2014, 1, 1), D(2020, 1, 1))
    past(cadre, post, D(2020, 2, 1), D(2026, 1, 1))  # 31 days: still consecutive
    assert [f.rule for f in rules.tenure_findings(cadre, post, D(2026, 1, 1))] == ["tenure.consecutive_terms"]
    other = make_cadre(unit=post.unit)
    past(other, post, D(2014, 1, 1), D(2020, 1, 1))
    past(other, post, D(2020, 2, 2), D(2026, 1, 1))  # 32 days: the chain starts again in 2020
    assert rules.tenure_findings(other, post, D(2026, 1, 1)) == []


@pytest.mark.parametrize(("first_start", "refused"), [(D(2011, 6, 1), True), (D(2011, 6, 2), False)])
def test_fifteen_years_at_the_same_level_at_the_boundary(first_start, refused):
    unit = make_unit()
    a = make_position(unit=unit, title="副局长", level="county_deputy")
    b = make_position(unit=make_unit(), title="副主任", level="county_deputy")
    lower = make_position(unit=unit, title="科长", level="section_chief")
    new = make_position(unit=make_unit(), title="副部长", level="county_deputy")
    cadre = make_cadre(unit=unit)
    past(cadre, lower, D(2000, 1, 1), D(2011, 5, 31))  # another level: not counted
    past(cadre, a, first_start, D(2018, 6, 1))
    past(cadre, b, D(2018, 3, 1), D(2026, 6, 1))  # overlaps a: counted once
    findings = rules.tenure_findings(cadre, new, D(2026, 6, 1))
    assert [f.rule for f in findings] == (["tenure.same_level"] if refused else [])
    if refused:
        assert findings[0].basis == rules.TENURE_BASIS_LEVEL and "5479" in findings[0].text  # 2011-06-01 → 2026-06-01


def test_a_recorded_reason_lets_the_appointment_go_on_and_is_journaled():
    post = make_position(level="county_chief")
    cadre = make_cadre(unit=post.unit)
    past(cadre, post, D(2010, 1, 1), D(2025, 12, 31))
    tenure = appoint(cadre, post, D(2026, 1, 1), reason="  区委常委会2025年12月30日会议研究同意  ")
    entry = JournalEntry.objects.get(action="registry.tenure.started", target_id=str(tenure.pk))
    assert entry.data["exception_reason"] == "区委常委会2025年12月30日会议研究同意"
    assert any("第六条" in text for text in entry.data["findings"]) and any("第七条" in text for text in entry.data["findings"])
    blank = make_cadre(unit=post.unit)
    past(blank, post, D(2010, 1, 1), D(2025, 12, 31))
    with pytest.raises(ActionError):
        appoint(blank, post, D(2026, 1, 1), reason="   ")  # only spaces is no reason


# --- avoidance ------------------------------------------------------------------------------


@pytest.fixture
def family():
    """李强's wife 王芳 is the director of 示范区教育局."""
    root = make_unit(name="示范区人民政府", kind="government")
    education = make_unit(name="示范区教育局", parent=root, short_name="教育局")
    finance_office = make_unit(name="财务科", parent=education, kind="other")
    other_bureau = make_unit(name="示范区商务局", parent=root)
    director = make_position(unit=education, title="局长", is_principal=True, level="county_chief")
    wife = make_cadre(unit=education, name="王芳", gender="female", born=D(1982, 4, 3))
    make_tenure(cadre=wife, position=director, started_on=D(2022, 1, 1))
    husband = make_cadre(unit=other_bureau, name="李强")
    spouse = make_relative(cadre=husband, relation="spouse", name="王芳", work_unit="示范区教育局", post="局长", birth_on=D(1982, 4, 3))
    return {
        "root": root,
        "education": education,
        "finance_office": finance_office,
        "other_bureau": other_bureau,
        "wife": wife,
        "husband": husband,
        "spouse": spouse,
        "accountant": make_position(unit=finance_office, title="科长", kind="leading", level="section_chief"),
        "cashier": make_position(unit=education, title="财务会计", kind="non_leading", level=""),
        "trade_post": make_position(unit=other_bureau, title="科长", level="section_chief"),
    }


def test_appointing_to_the_finance_office_of_the_wifes_unit_is_an_avoidance_conflict(family):
    for post in (family["accountant"], family["cashier"]):  # an office below the unit, or a finance post in it
        with pytest.raises(ActionError) as exc:
            appoint(family["husband"], post, D(2026, 5, 1))
        assert "王芳" in exc.value.message and "第三条" in exc.value.message and "示范区教育局" in exc.value.message
    assert not Tenure.objects.filter(cadre=family["husband"]).exists()
    assert appoint(family["husband"], family["trade_post"], D(2026, 5, 1)).is_current  # another unit: no conflict


def test_the_wifes_own_record_of_her_husband_counts_too(family):
    actions.remove_relative(actor=registrar(), relative=family["spouse"], reason="测试")
    assert rules.avoidance_findings(family["husband"], family["accountant"]) == []
    make_relative(cadre=family["wife"], relation="spouse", name="李强", work_unit="示范区商务局")
    assert [f.rule for f in rules.avoidance_findings(family["husband"], family["accountant"])] == ["avoidance.relative"]


def test_a_namesake_elsewhere_or_with_another_birth_date_is_not_the_relative(family):
    spouse = family["spouse"]
    spouse.birth_on = D(1982, 4, 4)
    spouse.save()
    assert rules.avoidance_findings(family["husband"], family["accountant"]) == []
    spouse.birth_on, spouse.work_unit = None, "示范区商务局"
    spouse.save()
    assert rules.avoidance_findings(family["husband"], family["accountant"]) == []


def test_same_unit_and_direct_line(family):
    deputy = make_position(unit=family["education"], title="副局长", level="county_deputy")
    assert "示范区教育局" in rules.avoidance_findings(family["husband"], deputy)[0].text
    superior = make_position(unit=family["root"], title="副区长", level="county_deputy")
    assert rules.avoidance_findings(family["husband"], superior)  # leads the unit above the one she leads


def test_conflicts_page_lists_the_conflict_with_its_basis_only_to_who_sees_both(client, family):
    appoint(family["husband"], family["accountant"], D(2026, 5, 1), reason="测试回避清单")
    officer = make_user(role=Role.ORG_OFFICER)
    log_in(client, officer)
    page = client.get("/registry/conflicts/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "李强" in text and "王芳" in text and rules.AVOIDANCE_BASIS in text
    leader = make_user(role=Role.UNIT_LEADER, unit=family["other_bureau"])
    client.logout()
    log_in(client, leader)
    page = client.get("/registry/conflicts/")
    assert page.status_code == 200 and "王芳" not in page.content.decode()


def test_adding_the_relative_shows_the_conflict(client, family):
    actions.remove_relative(actor=registrar(), relative=family["spouse"], reason="测试")
    appoint(family["husband"], family["accountant"], D(2026, 5, 1), reason="测试")
    log_in(client, make_user(role=Role.ORG_OFFICER))
    response = client.post(
        f"/registry/cadres/{family['husband'].pk}/relatives/new/",
        {"relation": "spouse", "name": "王芳", "work_unit": "示范区教育局", "post": "局长"},
        follow=True,
    )
    assert response.status_code == 200
    assert rules.AVOIDANCE_BASIS in response.content.decode()


def test_api_appoint_needs_the_reason(family):
    client = api_client(make_user(role=Role.ORG_OFFICER))
    payload = {"cadre_id": family["husband"].pk, "position_id": family["accountant"].pk, "started_on": "2026-05-01"}
    refused = client.post("/api/v1/registry/tenures", payload, content_type="application/json")
    assert refused.status_code == 400 and refused.json()["field"] == "exception_reason" and "第三条" in refused.json()["message"]
    payload["exception_reason"] = "经区委常委会研究同意"
    assert client.post("/api/v1/registry/tenures", payload, content_type="application/json").status_code == 201


def test_native_place_avoidance_for_the_district_principals():
    from jiandu.core import actions as core_actions

    root = make_unit(name="示范区委", kind="party_committee")
    police = make_unit(name="示范区公安分局", parent=root)
    secretary = make_position(unit=root, title="书记", is_principal=True, level="county_chief")
    police_chief = make_position(unit=police, title="局长", is_principal=True, level="county_deputy")
    police_deputy = make_position(unit=police, title="副局长", level="county_deputy")
    local = make_cadre(unit=police, native_place="宁夏石嘴山")
    assert rules.native_place_findings(local, secretary) == []  # not configured: not checked
    core_actions.change_setting(actor=make_user(role=Role.ORG_HEAD), key="registry.avoidance.native_places", value="宁夏石嘴山\n")
    for post in (secretary, police_chief):
        findings = rules.native_place_findings(local, post)
        assert [f.basis for f in findings] == [rules.NATIVE_BASIS] and "宁夏石嘴山" in findings[0].text
    assert rules.native_place_findings(local, police_deputy) == []  # a deputy is not concerned
    assert rules.native_place_findings(make_cadre(unit=police, native_place="甘肃天水"), police_chief) == []
    with pytest.raises(ActionError) as exc:
        appoint(local, police_chief, D(2026, 5, 1))
    assert "第五条" in exc.value.message


def test_the_appoint_page_shows_the_conflict_and_goes_on_with_a_reason(client, family):
    log_in(client, make_user(role=Role.ORG_OFFICER))
    url = f"/registry/cadres/{family['husband'].pk}/appoint/"
    data = {"position": family["accountant"].pk, "started_on": "2026-05-01", "start_method": "appointment", "move_cadre_to_unit": "on"}
    refused = client.post(url, data)
    assert refused.status_code == 200 and rules.AVOIDANCE_BASIS in refused.content.decode() and "王芳" in refused.content.decode()
    assert not Tenure.objects.filter(cadre=family["husband"]).exists()
    done = client.post(url, {**data, "exception_reason": "经区委常委会研究同意"})
    assert done.status_code == 302 and Tenure.objects.get(cadre=family["husband"]).position == family["accountant"]


def test_the_native_place_setting_is_listed_and_changed_on_the_settings_page(client):
    head = make_user(role=Role.ORG_HEAD)
    log_in(client, head)
    page = client.get(reverse("core:settings"))
    assert page.status_code == 200 and rules.NATIVE_BASIS in page.content.decode()
    response = client.post(reverse("core:settings_change", args=["registry.avoidance.native_places"]), {"value": ["宁夏石嘴山", " ", "宁夏平罗"]})
    assert response.status_code == 302
    from jiandu.core.practice import get_setting

    assert get_setting("registry.avoidance.native_places") == ["宁夏石嘴山", "宁夏平罗"]


def test_api_lists_the_conflicts_in_scope(family):
    appoint(family["husband"], family["accountant"], D(2026, 5, 1), reason="测试")
    body = api_client(make_user(role=Role.ORG_OFFICER)).get("/api/v1/registry/conflicts").json()
    assert [(row["cadre"]["name"], row["relative"]["name"], row["basis"]) for row in body] == [("李强", "王芳", rules.AVOIDANCE_BASIS)]
    outsider = api_client(make_user(role=Role.UNIT_LEADER, unit=family["other_bureau"]))
    assert outsider.get("/api/v1/registry/conflicts").json() == []


def test_attack_the_refusal_does_not_name_a_relative_outside_the_officers_scope(family):
    """An officer scoped to the finance office appoints a cadre whose wife (in the bureau above,
    out of his scope) recorded him as her husband: refused, without her name or unit."""
    actions.remove_relative(actor=registrar(), relative=family["spouse"], reason="测试")
    make_relative(cadre=family["wife"], relation="spouse", name="李强", work_unit="财务科")
    actions.move_cadre(actor=registrar(), cadre=family["husband"], unit=family["finance_office"])
    officer = make_user(role=Role.ORG_OFFICER, unit=family["finance_office"])
    with pytest.raises(ActionError) as exc:
        actions.appoint(actor=officer, cadre=family["husband"], position=family["accountant"], started_on=D(2026, 5, 1))
    assert rules.AVOIDANCE_BASIS in exc.value.message
    assert "王芳" not in exc.value.message and "示范区教育局" not in exc.value.message
    entry_count = JournalEntry.objects.filter(action="registry.tenure.started", cadre_id=family["husband"].pk).count()
    assert entry_count == 0
