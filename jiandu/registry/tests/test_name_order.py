"""Name ordering (issue #12 part 5): 姓氏笔画, pinyin with surname readings, post order.

The expected orders below are written by hand from the characters' strokes and readings, not
computed with the code under test."""

import pytest

from jiandu.registry import names, queries
from jiandu.registry.models import Cadre
from jiandu.testing import api_client, make_cadre, make_position, make_tenure, make_unit, registrar

# 丁2 马3 王4(横横…) 区4(横撇…) 刘6 李7(横…) 张7(折…) 欧8(横…) 单8(点…) 曾12 解13;
# 王一 before 王芳: 一 has one stroke, 芳 seven.
BY_STROKES = ["丁一", "马力", "王一", "王芳", "区华", "刘伟", "李明", "张强", "欧阳红", "单田", "曾志", "解放"]

# Syllable by syllable: chen before cheng whatever follows; 曾 zeng, 区 ou, 朴 piao, 仇 qiu,
# 单 shan, 解 xie, 尉迟 yu chi, 查 zha, 盖 ge; zha before zhang.
BY_PINYIN = ["陈安", "陈子", "程安", "盖伟", "李明", "区华", "欧阳红", "朴正", "仇明", "单田", "王芳", "解放", "尉迟恭", "曾志", "查理", "张强"]


def test_surname_readings():
    assert names.plain_syllables("曾志") == ["zeng", "zhi"]
    assert names.plain_syllables("单田") == ["shan", "tian"]
    assert names.plain_syllables("解放") == ["xie", "fang"]
    assert names.plain_syllables("仇明") == ["qiu", "ming"]
    assert names.plain_syllables("区华") == ["ou", "hua"]
    assert names.plain_syllables("查理") == ["zha", "li"]
    assert names.plain_syllables("盖伟") == ["ge", "wei"]
    assert names.plain_syllables("朴正") == ["piao", "zheng"]
    assert names.plain_syllables("尉迟恭") == ["yu", "chi", "gong"]
    assert names.plain_syllables("万俟卨")[:2] == ["mo", "qi"]
    # The same characters inside a given name keep their everyday reading.
    assert names.plain_syllables("王曾")[1] == "ceng"


def test_compound_surnames():
    assert names.split_surname("欧阳红") == ("欧阳", "红")
    assert names.split_surname("司马光") == ("司马", "光")
    assert names.split_surname("欧阳") == ("欧", "阳")  # two characters: surname 欧, given name 阳
    assert names.split_surname("王芳") == ("王", "芳")


def test_stroke_order_of_the_hand_written_list():
    shuffled = sorted(BY_STROKES, key=lambda n: names.pinyin_key(n))
    assert shuffled != BY_STROKES
    assert sorted(shuffled, key=names.stroke_key) == BY_STROKES


def test_pinyin_order_of_the_hand_written_list():
    shuffled = sorted(BY_PINYIN, key=names.stroke_key)
    assert shuffled != BY_PINYIN
    assert sorted(shuffled, key=names.pinyin_key) == BY_PINYIN


def test_keys_are_digits_and_letters_only():
    # Collations that skip spaces or punctuation must not change the order.
    for name in BY_PINYIN + BY_STROKES + ["买买提·艾力"]:
        assert names.pinyin_key(name).isalnum()
        assert names.stroke_key(name).isdigit()


@pytest.mark.django_db
def test_cadre_list_sorts_by_strokes_and_pinyin_in_the_database(client_for):
    unit = make_unit(name="排序局")
    for name in sorted(set(BY_STROKES + BY_PINYIN)):
        make_cadre(unit=unit, name=name)
    user = registrar()
    by_strokes = [c.name for c in queries.filter_cadres(user, unit=unit.pk, sort="strokes") if c.name in BY_STROKES]
    assert by_strokes == BY_STROKES
    by_pinyin = [c.name for c in queries.filter_cadres(user, unit=unit.pk, sort="name") if c.name in BY_PINYIN]
    assert by_pinyin == BY_PINYIN
    assert [c.name for c in queries.filter_cadres(user, unit=unit.pk, sort="-strokes")][0] == "解放"
    # The model's default order is the pinyin order too.
    assert [c.name for c in Cadre.objects.filter(unit=unit) if c.name in BY_PINYIN] == BY_PINYIN
    # Search finds 曾志 by zeng, not ceng.
    assert [c.name for c in queries.filter_cadres(user, q="zengz")] == ["曾志"]

    page = client_for(user).get("/registry/cadres/", {"unit": unit.pk, "sort": "strokes", "size": 100}).content.decode()
    positions = [page.index(f">{name}</a>") for name in BY_STROKES]
    assert positions == sorted(positions)
    assert "按姓氏笔画" in page

    response = api_client(user).get("/api/v1/registry/cadres", {"unit": unit.pk, "sort": "strokes", "limit": 100})
    assert response.status_code == 200, response.content
    body = response.json()
    items = body["items"] if isinstance(body, dict) else body
    assert [c["name"] for c in items if c["name"] in BY_STROKES] == BY_STROKES


@pytest.mark.django_db
def test_renaming_a_cadre_moves_it_in_both_orders():
    from jiandu.registry import actions

    unit = make_unit(name="改名局")
    a, b = make_cadre(unit=unit, name="丁一"), make_cadre(unit=unit, name="马力")
    actions.update_cadre(actor=registrar(), cadre=a, name="解放")
    order = [c.pk for c in queries.filter_cadres(registrar(), unit=unit.pk, sort="strokes")]
    assert order == [b.pk, a.pk]
    a.refresh_from_db()
    assert a.name_pinyin == "xiefang"


@pytest.mark.django_db
def test_post_order_follows_unit_order_then_position_order():
    root = make_unit(name="区委", kind="party_committee")
    second = make_unit(name="乙局", parent=root)
    first = make_unit(name="甲局", parent=root)
    below_second = make_unit(name="乙局下属科", parent=second)
    from jiandu.registry import actions

    actions.update_unit(actor=registrar(), unit=first, order=1)
    actions.update_unit(actor=registrar(), unit=second, order=2)
    head_first = make_position(unit=first, title="局长", order=1)
    deputy_first = make_position(unit=first, title="副局长", order=2, headcount=2)
    head_second = make_position(unit=second, title="局长", order=1, headcount=2)
    head_below = make_position(unit=below_second, title="科长", order=1)
    # Created out of order, with stroke order opposite to post order.
    c_below = make_tenure(position=head_below, cadre=make_cadre(unit=below_second, name="丁一")).cadre
    c_deputy = make_tenure(position=deputy_first, cadre=make_cadre(unit=first, name="马力")).cadre
    c_head2 = make_tenure(position=head_second, cadre=make_cadre(unit=second, name="王芳")).cadre
    c_head1 = make_tenure(position=head_first, cadre=make_cadre(unit=first, name="解放")).cadre
    deputy_too = make_tenure(position=deputy_first, cadre=make_cadre(unit=first, name="曾志")).cadre
    no_post = make_cadre(unit=first, name="乙二")
    # A cadre with a post in the first unit and one in the second is placed by the first.
    make_tenure(position=head_second, cadre=c_deputy)
    order = [c.pk for c in queries.filter_cadres(registrar(), unit=root.pk, sort="post")]
    # 马力 before 曾志 on the same post: surname strokes (3 before 12).
    assert order == [c_head1.pk, c_deputy.pk, deputy_too.pk, c_head2.pk, c_below.pk, no_post.pk]


@pytest.mark.django_db
def test_the_migration_fills_the_keys_of_existing_cadres():
    import importlib

    from django.apps import apps

    migration = importlib.import_module("jiandu.registry.migrations.0002_ranks_names_and_levels")
    cadre = make_cadre(unit=make_unit(), name="曾志")
    Cadre.objects.filter(pk=cadre.pk).update(sort_pinyin="", sort_strokes="", name_pinyin="cengzhi", name_initials="cz")
    migration.fill_sort_keys(apps, None)
    cadre.refresh_from_db()
    assert (cadre.name_pinyin, cadre.name_initials) == ("zengzhi", "zz")
    assert cadre.sort_pinyin == names.pinyin_key("曾志") and cadre.sort_strokes == names.stroke_key("曾志") != ""
