"""Registry pages: happy paths, inline errors, masking, and 404 for everything out of scope."""

import datetime as dt

import pytest
from django.urls import reverse

from jiandu.core.models import JournalEntry
from jiandu.registry.models import Cadre, Position, Relative, Tenure, Unit
from jiandu.registry.validators import make_id_number
from jiandu.testing import make_cadre, make_position, make_relative, make_tenure

pytestmark = pytest.mark.django_db

VALID_ID = make_id_number("640202", dt.date(1990, 7, 1), 31)


def cadre_post(unit, **overrides):
    data = {
        "name": "王建国",
        "gender": "male",
        "ethnicity": "汉族",
        "birth_on": "1990-07-01",
        "native_place": "宁夏银川",
        "id_number": VALID_ID,
        "phone": "13900001111",
        "political_status": "cpc",
        "education": "bachelor",
        "rank": "clerk_1",
        "work_start_on": "2012-07-01",
        "party_join_on": "",
        "unit": unit.pk,
    }
    data.update(overrides)
    return data


# --- units --------------------------------------------------------------------------------------


def test_unit_tree_shows_only_the_scope_and_create_buttons_where_allowed(district, client_for):
    page = client_for(district.officer).get(reverse("registry:unit_tree")).content.decode()
    assert "财政局" in page and "预算科" in page
    assert "教育局" not in page and "示范区委" not in page
    assert reverse("registry:unit_create_child", args=[district.finance.pk]) in page
    assert reverse("registry:unit_create") not in page  # top units need district-wide rights
    leader_page = client_for(district.leader).get(reverse("registry:unit_tree")).content.decode()
    assert "财政局" in leader_page
    assert reverse("registry:unit_create_child", args=[district.finance.pk]) not in leader_page


def test_unit_create_child_happy_path_redirects_and_journals(district, client_for):
    client = client_for(district.officer)
    url = reverse("registry:unit_create_child", args=[district.finance.pk])
    response = client.post(url, {"name": "国库科", "short_name": "", "kind": "government_department", "order": 3})
    unit = Unit.objects.get(name="国库科")
    assert response.status_code == 302 and response["Location"] == reverse("registry:unit_detail", args=[unit.pk])
    assert unit.parent == district.finance and unit.order == 3
    assert JournalEntry.objects.filter(action="registry.unit.created", target_id=str(unit.pk), actor_id=district.officer.pk).exists()


def test_unit_create_duplicate_name_shows_inline_error_and_keeps_input(district, client_for):
    client = client_for(district.officer)
    response = client.post(
        reverse("registry:unit_create_child", args=[district.finance.pk]), {"name": "预算科", "short_name": "预算", "kind": "government_department", "order": 0}
    )
    assert response.status_code == 200
    assert "name" in response.context["form"].errors
    page = response.content.decode()
    assert "error-summary" in page and 'value="预算"' in page  # the short name typed is still there
    assert Unit.objects.filter(name="预算科").count() == 1


def test_unit_pages_of_another_unit_are_404(district, client_for):
    client = client_for(district.officer)
    assert client.get(reverse("registry:unit_detail", args=[district.education.pk])).status_code == 404
    assert client.get(reverse("registry:unit_edit", args=[district.education.pk])).status_code == 404
    assert client.post(reverse("registry:unit_create_child", args=[district.education.pk]), {"name": "x", "kind": "other", "order": 0}).status_code == 404
    assert client.get(reverse("registry:unit_create")).status_code == 404
    assert client.get(reverse("registry:position_create", args=[district.education.pk])).status_code == 404
    assert not Unit.objects.filter(name="x").exists()


def test_reader_cannot_force_unit_edit(district, client_for):
    client = client_for(district.leader)
    assert client.get(reverse("registry:unit_detail", args=[district.finance.pk])).status_code == 200
    assert client.post(reverse("registry:unit_edit", args=[district.finance.pk]), {"name": "改名", "kind": "other", "order": 0}).status_code == 404
    assert Unit.objects.get(pk=district.finance.pk).name == "财政局"


def test_unit_edit_and_detail(district, client_for):
    client = client_for(district.officer)
    response = client.post(
        reverse("registry:unit_edit", args=[district.section.pk]),
        {"name": "预算管理科", "short_name": "", "kind": "government_department", "order": 1, "is_active": "on"},
    )
    assert response.status_code == 302
    page = client.get(reverse("registry:unit_detail", args=[district.finance.pk])).content.decode()
    assert "预算管理科" in page and "局长" in page
    assert "新建了单位" in page and "registry.unit.created" not in page  # the history section, as a sentence


def test_unit_deactivation_refused_with_current_tenures_is_a_form_error(district, client_for):
    make_tenure(cadre=district.zhang, position=district.director)
    client = client_for(district.officer)
    response = client.post(
        reverse("registry:unit_edit", args=[district.finance.pk]), {"name": "财政局", "short_name": "财政", "kind": "government_department", "order": 0}
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert Unit.objects.get(pk=district.finance.pk).is_active


# --- cadres -------------------------------------------------------------------------------------


def test_cadre_list_search_filters_sorting_and_scope(district, client_for):
    make_cadre(unit=district.section, name="张三丰")
    client = client_for(district.officer)
    page = client.get(reverse("registry:cadre_list"), {"q": "zwm"}).content.decode()
    assert "张伟明" in page and "张三丰" not in page
    page = client.get(reverse("registry:cadre_list")).content.decode()
    assert "李秀英" not in page  # another unit
    response = client.get(reverse("registry:cadre_list"), {"unit": district.education.pk})
    assert list(response.context["page"]) == []  # a unit out of scope filters to nothing, not to everything
    response = client.get(reverse("registry:cadre_list"), {"unit": district.section.pk})
    assert [c.name for c in response.context["page"]] == ["张三丰"]
    ascending = client.get(reverse("registry:cadre_list"), {"sort": "name"})
    assert [c.name for c in ascending.context["page"]] == ["张三丰", "张伟明"]  # zhangsanfeng < zhangweiming
    assert ascending.context["sorts"]["name"] == {"param": "-name", "arrow": "▲"}
    descending = client.get(reverse("registry:cadre_list"), {"sort": "-name"})
    assert [c.name for c in descending.context["page"]] == ["张伟明", "张三丰"]
    assert descending.context["sorts"]["name"] == {"param": "name", "arrow": "▼"}


def test_cadre_list_page_size_and_count(district, client_for):
    for i in range(21):
        make_cadre(unit=district.section, name=f"测试{i}")
    client = client_for(district.officer)
    response = client.get(reverse("registry:cadre_list"))
    assert len(response.context["page"].object_list) == 20 and response.context["page"].paginator.count == 22
    assert len(client.get(reverse("registry:cadre_list"), {"size": 50}).context["page"].object_list) == 22
    assert client.get(reverse("registry:cadre_list"), {"size": 7}).context["page"].paginator.per_page == 20  # not an offered size


def test_cadre_create_happy_path(district, client_for):
    client = client_for(district.officer)
    response = client.post(reverse("registry:cadre_create"), cadre_post(district.section))
    cadre = Cadre.objects.get(id_number=VALID_ID)
    assert response.status_code == 302 and response["Location"] == reverse("registry:cadre_detail", args=[cadre.pk])
    assert cadre.unit == district.section and cadre.name_initials == "wjg" and cadre.phone == "13900001111"
    assert JournalEntry.objects.filter(action="registry.cadre.created", cadre_id=cadre.pk).exists()


def test_cadre_create_shows_every_problem_beside_its_field_and_keeps_the_input(district, client_for):
    client = client_for(district.officer)
    bad_id = VALID_ID[:-1] + ("0" if VALID_ID[-1] != "0" else "1")
    response = client.post(reverse("registry:cadre_create"), cadre_post(district.section, id_number=bad_id, phone="12345", party_join_on="1980-01-01"))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"id_number", "phone", "party_join_on"}
    page = response.content.decode()
    assert "GB 11643" in page  # the check-digit message, translated
    assert 'value="宁夏银川"' in page and f'value="{bad_id}"' in page
    assert not Cadre.objects.filter(name="王建国").exists()


def test_cadre_create_duplicate_id_number_is_a_field_error(district, client_for):
    client = client_for(district.officer)
    response = client.post(reverse("registry:cadre_create"), cadre_post(district.section, id_number=district.zhang.id_number))
    assert response.status_code == 200 and "id_number" in response.context["form"].errors


def test_cadre_create_in_a_unit_out_of_scope_is_refused(district, client_for):
    client = client_for(district.officer)
    response = client.post(reverse("registry:cadre_create"), cadre_post(district.education))
    assert response.status_code == 200 and "unit" in response.context["form"].errors
    assert not Cadre.objects.filter(id_number=VALID_ID).exists()
    assert client_for(district.leader).get(reverse("registry:cadre_create")).status_code == 404


def test_cadre_create_refuses_an_inactive_unit(district, client_for):
    from jiandu.registry import actions

    actions.update_unit(actor=district.head, unit=district.section, is_active=False)
    response = client_for(district.officer).post(reverse("registry:cadre_create"), cadre_post(district.section))
    assert response.status_code == 200 and "unit" in response.context["form"].errors


def test_cadre_edit_happy_path_and_wrong_unit(district, client_for):
    client = client_for(district.officer)
    data = cadre_post(district.finance, name="张伟民", id_number=district.zhang.id_number, birth_on="1980-05-17", status="serving")
    response = client.post(reverse("registry:cadre_edit", args=[district.zhang.pk]), data)
    assert response.status_code == 302
    zhang = Cadre.objects.get(pk=district.zhang.pk)
    assert zhang.name == "张伟民" and zhang.phone == "13900001111"
    entry = JournalEntry.objects.filter(action="registry.cadre.updated", cadre_id=zhang.pk).get()
    assert "phone" not in entry.data["changed"] and entry.data["changed_sensitive"] == ["phone"]
    assert client.get(reverse("registry:cadre_edit", args=[district.li.pk])).status_code == 404
    assert client.post(reverse("registry:cadre_edit", args=[district.li.pk]), data).status_code == 404
    assert client_for(district.leader).get(reverse("registry:cadre_edit", args=[district.zhang.pk])).status_code == 404


def test_cadre_detail_masks_id_number_and_phone_without_view_sensitive(district, client_for):
    make_relative(cadre=district.zhang, name="刘芳")
    officer_page = client_for(district.officer).get(reverse("registry:cadre_detail", args=[district.zhang.pk])).content.decode()
    assert district.zhang.id_number in officer_page and "13812345678" in officer_page and "刘芳" in officer_page
    leader_page = client_for(district.leader).get(reverse("registry:cadre_detail", args=[district.zhang.pk])).content.decode()
    assert district.zhang.id_number not in leader_page and "13812345678" not in leader_page
    assert district.zhang.id_number[:2] + "*" * 14 + district.zhang.id_number[-2:] in leader_page and "138****5678" in leader_page
    assert district.zhang.birth_on.isoformat() not in leader_page and "出生年份" in leader_page
    assert "刘芳" not in leader_page  # family is sensitive too
    assert reverse("registry:cadre_edit", args=[district.zhang.pk]) not in leader_page


def test_cadre_detail_of_another_unit_is_404(district, client_for):
    assert client_for(district.officer).get(reverse("registry:cadre_detail", args=[district.li.pk])).status_code == 404
    assert client_for(district.officer).get(reverse("registry:cadre_detail", args=[999999])).status_code == 404


def test_move_cadre(district, client_for):
    client = client_for(district.officer)
    response = client.post(reverse("registry:cadre_move", args=[district.zhang.pk]), {"unit": district.section.pk})
    assert response.status_code == 302 and Cadre.objects.get(pk=district.zhang.pk).unit == district.section
    client.post(reverse("registry:cadre_move", args=[district.zhang.pk]), {"unit": district.education.pk})
    assert Cadre.objects.get(pk=district.zhang.pk).unit == district.section  # out of scope: refused
    assert client.post(reverse("registry:cadre_move", args=[district.li.pk]), {"unit": district.section.pk}).status_code == 404


def test_relatives_add_and_remove_with_reason(district, client_for):
    client = client_for(district.officer)
    response = client.post(
        reverse("registry:relative_add", args=[district.zhang.pk]), {"relation": "spouse", "name": "刘芳", "work_unit": "区医院", "post": "护士"}
    )
    assert response.status_code == 302
    relative = Relative.objects.get(name="刘芳")
    confirm = client.get(reverse("registry:relative_remove", args=[relative.pk]))
    assert confirm.status_code == 200 and "刘芳" in confirm.content.decode()
    response = client.post(reverse("registry:relative_remove", args=[relative.pk]), {"reason": ""})
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    response = client.post(reverse("registry:relative_remove", args=[relative.pk]), {"reason": "离婚"})
    assert response.status_code == 302
    assert Relative.objects.get(pk=relative.pk).is_removed
    entry = JournalEntry.objects.get(action="registry.relative.removed")
    assert entry.data["reason"] == "离婚" and entry.cadre_id == district.zhang.pk
    assert client.get(reverse("registry:relative_remove", args=[relative.pk])).status_code == 404  # already removed


def test_relatives_of_another_unit_are_404(district, client_for):
    relative = make_relative(cadre=district.li)
    client = client_for(district.officer)
    assert client.get(reverse("registry:relative_add", args=[district.li.pk])).status_code == 404
    assert client.post(reverse("registry:relative_remove", args=[relative.pk]), {"reason": "x"}).status_code == 404
    assert client_for(district.leader).post(reverse("registry:relative_add", args=[district.zhang.pk]), {"relation": "spouse", "name": "x"}).status_code == 404
    assert not Relative.objects.get(pk=relative.pk).is_removed


def test_my_record_redirects_a_cadre_to_their_own_page(district, client_for):
    from jiandu.accounts.models import Role
    from jiandu.testing import make_user

    me = make_user(role=Role.CADRE, cadre=district.li)
    client = client_for(me)
    response = client.get(reverse("registry:my_record"))
    assert response.status_code == 302 and response["Location"] == reverse("registry:cadre_detail", args=[district.li.pk])
    page = client.get(response["Location"]).content.decode()
    assert district.li.id_number in page  # one's own record in clear
    assert client.get(reverse("registry:cadre_detail", args=[district.zhang.pk])).status_code == 404
    assert client_for(district.officer).get(reverse("registry:my_record")).status_code == 404


# --- positions and tenures ------------------------------------------------------------------------


def test_position_create_edit_and_detail(district, client_for):
    client = client_for(district.officer)
    data = {
        "title": "副局长",
        "kind": "leading",
        "level": "section_deputy",
        "headcount": 2,
        "portfolio": "预算、国库",
        "public_contact": "0951-1234567",
        "order": 2,
        "has_financial_authority": "on",
    }
    response = client.post(reverse("registry:position_create", args=[district.finance.pk]), data)
    position = Position.objects.get(title="副局长")
    assert response.status_code == 302 and position.has_financial_authority and not position.is_principal and position.headcount == 2
    response = client.post(reverse("registry:position_edit", args=[position.pk]), {**data, "headcount": 0, "is_active": "on"})
    assert response.status_code == 200 and "headcount" in response.context["form"].errors
    response = client.post(reverse("registry:position_edit", args=[position.pk]), {**data, "portfolio": "预算", "is_active": "on"})
    assert response.status_code == 302 and Position.objects.get(pk=position.pk).portfolio == "预算"
    page = client.get(reverse("registry:position_detail", args=[position.pk])).content.decode()
    assert "0951-1234567" in page and reverse("registry:appoint", args=[position.pk]) in page


def test_position_pages_of_another_unit_are_404(district, client_for):
    other = make_position(unit=district.education, title="局长")
    client = client_for(district.officer)
    assert client.get(reverse("registry:position_detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("registry:position_edit", args=[other.pk])).status_code == 404
    assert client.get(reverse("registry:appoint", args=[other.pk])).status_code == 404
    assert client_for(district.leader).get(reverse("registry:position_edit", args=[district.director.pk])).status_code == 404


def test_appoint_through_the_position_page(district, client_for):
    client = client_for(district.officer)
    form_page = client.get(reverse("registry:appoint", args=[district.director.pk])).content.decode()
    assert "张伟明" in form_page and "李秀英" not in form_page  # options only from the scope
    response = client.post(
        reverse("registry:appoint", args=[district.director.pk]),
        {"cadre": district.zhang.pk, "started_on": "2024-01-02", "start_method": "appointment", "move_cadre_to_unit": "on", "note": ""},
    )
    assert response.status_code == 302
    tenure = Tenure.objects.get(cadre=district.zhang)
    assert tenure.position == district.director and tenure.started_on == dt.date(2024, 1, 2)
    # The only place is taken now: the form says so beside the field, nothing else is stored.
    other = make_cadre(unit=district.finance, name="赵敏")
    response = client.post(
        reverse("registry:appoint", args=[district.director.pk]), {"cadre": other.pk, "started_on": "2024-02-01", "start_method": "appointment"}
    )
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert Tenure.objects.filter(cadre=other).count() == 0


def test_appoint_cannot_pick_a_cadre_out_of_scope(district, client_for):
    response = client_for(district.officer).post(
        reverse("registry:appoint", args=[district.director.pk]), {"cadre": district.li.pk, "started_on": "2024-01-02", "start_method": "appointment"}
    )
    assert response.status_code == 200 and "cadre" in response.context["form"].errors
    assert not Tenure.objects.exists()


def test_appoint_from_the_cadre_page(district, client_for):
    client = client_for(district.officer)
    response = client.post(
        reverse("registry:appoint_cadre", args=[district.zhang.pk]),
        {"position": district.director.pk, "started_on": "2024-01-02", "start_method": "election", "is_acting": "on"},
    )
    assert response.status_code == 302
    tenure = Tenure.objects.get(cadre=district.zhang)
    assert tenure.is_acting and tenure.start_method == "election"
    assert client.get(reverse("registry:appoint_cadre", args=[district.li.pk])).status_code == 404


def test_pickers_search_by_initials_within_scope(district, client_for):
    client = client_for(district.officer)
    fragment = client.get(reverse("registry:pick_cadres"), {"cadre_q": "zwm"}, HTTP_HX_REQUEST="true").content.decode()
    assert "张伟明" in fragment and "<option" in fragment and "<html" not in fragment
    assert "李秀英" not in client.get(reverse("registry:pick_cadres"), {"cadre_q": "lxy"}).content.decode()
    units = client.get(reverse("registry:pick_units"), {"unit_q": "ysk"}).content.decode()
    assert "预算科" in units and "教育局" not in units
    positions = client.get(reverse("registry:pick_positions"), {"position_q": "局长"}).content.decode()
    assert "财政局 · 局长" in positions
    assert client_for(district.leader).get(reverse("registry:pick_units")).status_code == 404


def test_end_tenure_needs_confirmation_and_is_journaled(district, client_for):
    tenure = make_tenure(cadre=district.zhang, position=district.director, started_on=dt.date(2022, 3, 1))
    client = client_for(district.officer)
    page = client.get(reverse("registry:tenure_end", args=[tenure.pk])).content.decode()
    assert "cannot be undone" in page or "无法撤销" in page or "不能撤销" in page
    response = client.post(reverse("registry:tenure_end", args=[tenure.pk]), {"ended_on": "2026-01-05", "end_reason": "transfer"})
    assert response.status_code == 200 and "confirm" in response.context["form"].errors
    assert Tenure.objects.get(pk=tenure.pk).is_current
    response = client.post(reverse("registry:tenure_end", args=[tenure.pk]), {"ended_on": "2020-01-05", "end_reason": "transfer", "confirm": "on"})
    assert response.status_code == 200 and "ended_on" in response.context["form"].errors  # before the start
    response = client.post(reverse("registry:tenure_end", args=[tenure.pk]), {"ended_on": "2026-01-05", "end_reason": "transfer", "confirm": "on"})
    assert response.status_code == 302
    assert Tenure.objects.get(pk=tenure.pk).ended_on == dt.date(2026, 1, 5)
    assert JournalEntry.objects.filter(action="registry.tenure.ended", target_id=str(tenure.pk)).exists()
    assert client.get(reverse("registry:tenure_end", args=[tenure.pk])).status_code == 404  # ended: nothing left to end


def test_end_tenure_of_another_unit_is_404(district, client_for):
    other_position = make_position(unit=district.education, title="局长")
    tenure = make_tenure(cadre=district.li, position=other_position)
    assert (
        client_for(district.officer)
        .post(reverse("registry:tenure_end", args=[tenure.pk]), {"ended_on": "2026-01-05", "end_reason": "transfer", "confirm": "on"})
        .status_code
        == 404
    )
    own = make_tenure(cadre=district.zhang, position=district.director)
    assert (
        client_for(district.leader)
        .post(reverse("registry:tenure_end", args=[own.pk]), {"ended_on": "2026-01-05", "end_reason": "transfer", "confirm": "on"})
        .status_code
        == 404
    )
    assert Tenure.objects.get(pk=tenure.pk).is_current and Tenure.objects.get(pk=own.pk).is_current


def test_position_and_tenure_lists(district, client_for):
    make_tenure(cadre=district.zhang, position=district.director)
    client = client_for(district.officer)
    page = client.get(reverse("registry:position_list"), {"flag": "principal"}).content.decode()
    assert "局长" in page
    response = client.get(reverse("registry:tenure_list"), {"state": "current", "q": "zwm"})
    assert [t.cadre.name for t in response.context["page"]] == ["张伟明"]
    assert list(client.get(reverse("registry:tenure_list"), {"state": "ended"}).context["page"]) == []
    assert list(client_for(district.outsider).get(reverse("registry:tenure_list")).context["page"]) == []


def test_buttons_are_hidden_from_readers(district, client_for):
    page = client_for(district.leader).get(reverse("registry:unit_detail", args=[district.finance.pk])).content.decode()
    assert reverse("registry:position_create", args=[district.finance.pk]) not in page
    assert reverse("registry:unit_edit", args=[district.finance.pk]) not in page
    page = client_for(district.leader).get(reverse("registry:cadre_list")).content.decode()
    assert reverse("registry:cadre_create") not in page and reverse("registry:import_index") not in page


def test_pages_render_in_english_too(district, client_for):
    client = client_for(district.officer)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("registry:cadre_list")).content.decode()
    assert "Register a cadre" in page
    client.cookies["django_language"] = "zh-hans"
    page = client.get(reverse("registry:cadre_list")).content.decode()
    assert "登记干部" in page


def test_a_malformed_filter_is_ignored_and_the_others_still_apply(district, client_for):
    make_cadre(unit=district.section, name="张三丰")
    client = client_for(district.officer)
    response = client.get(reverse("registry:cadre_list"), {"q": "zsf", "unit": "abc", "sort": "nonsense", "page": "x", "size": "y"})
    assert response.status_code == 200 and [c.name for c in response.context["page"]] == ["张三丰"]
    response = client.get(reverse("registry:tenure_list"), {"started_from": "2024-13-01"})
    assert response.status_code == 200 and "started_from" in response.context["filters"].errors


def test_top_unit_creation_by_the_district_head(district, client_for):
    client = client_for(district.head)
    assert reverse("registry:unit_create") in client.get(reverse("registry:unit_tree")).content.decode()
    response = client.post(reverse("registry:unit_create"), {"name": "示范区人大", "short_name": "", "kind": "peoples_congress", "order": 2})
    unit = Unit.objects.get(name="示范区人大")
    assert response.status_code == 302 and unit.parent is None and unit.depth == 0


def test_cadre_form_for_a_manager_without_sensitive_rights_keeps_the_hidden_values(district):
    """Who may manage but not read ID numbers can replace them, never see them; empty keeps them."""
    from jiandu.registry.forms import CadreForm

    data = {
        "name": "张伟明",
        "gender": "male",
        "ethnicity": "汉族",
        "birth_on": "1980-05-17",
        "political_status": "cpc",
        "education": "bachelor",
        "rank": "clerk_1",
        "status": "serving",
        "id_number": "",
        "phone": "",
    }
    form = CadreForm(data, user=district.head, cadre=district.zhang, show_sensitive=False)
    assert form.is_valid(), form.errors
    assert "id_number" not in form.action_values() and "phone" not in form.action_values()
    unbound = CadreForm(initial={"id_number": district.zhang.id_number}, user=district.head, cadre=district.zhang, show_sensitive=False)
    assert district.zhang.id_number not in str(unbound["id_number"])
