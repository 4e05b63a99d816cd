"""The registry in Chinese, as the running app serves it: its catalogue is complete, and no other
catalogue (all share one namespace; earlier apps win) replaces its words."""

import re
from pathlib import Path

import polib
import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, ngettext, npgettext, pgettext

from jiandu.testing import make_relative, make_tenure

CATALOGUE = Path(__file__).resolve().parent.parent / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def _entries():
    return [entry for entry in polib.pofile(str(CATALOGUE)) if not entry.obsolete]


def test_the_catalogue_is_complete():
    entries = _entries()
    problems = [entry.msgid for entry in entries if "fuzzy" in entry.flags or not entry.translated()]
    assert len(entries) > 300 and problems == []


def test_every_registry_string_reads_as_its_catalogue_says_in_the_running_app():
    """Catches a msgid that an earlier catalogue translates differently (accounts' "Name" is 名称,
    a token's name; the registry's person names are 姓名 under the context "person")."""
    shadowed = []
    with translation.override("zh-hans"):
        for entry in _entries():
            if entry.msgid_plural:
                want = entry.msgstr_plural[0]
                got = npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, 1) if entry.msgctxt else ngettext(entry.msgid, entry.msgid_plural, 1)
            else:
                want = entry.msgstr
                got = pgettext(entry.msgctxt, entry.msgid) if entry.msgctxt else gettext(entry.msgid)
            if got != want:
                shadowed.append(f"{entry.msgctxt or ''}|{entry.msgid}: catalogue {want!r}, app {got!r}")
    print(f"\nregistry catalogue: {len(_entries())} entries checked in the running app, {len(shadowed)} read otherwise")
    assert not shadowed, "\n".join(shadowed)


LABELS = {
    "Gender": "性别",
    "Ethnicity": "民族",
    "Birth date": "出生日期",
    "Native place": "籍贯",
    "ID number": "身份证号",
    "Phone": "手机号码",
    "Political status": "政治面貌",
    "Education": "学历",
    "Rank": "职级",
    "Started work": "参加工作时间",
    "Joined the party": "入党时间",
    "Tenures": "任职",
}


def _facts(page: str) -> list[str]:
    return re.findall(r"<dt>([^<]*)</dt>", page)


@pytest.mark.django_db
def test_cadre_detail_in_chinese_shows_chinese_labels_and_values(district, client_for):
    make_tenure(cadre=district.zhang, position=district.director)
    make_relative(cadre=district.zhang, name="刘芳", relation="spouse")
    client = client_for(district.officer)
    client.cookies["django_language"] = "zh-hans"
    page = client.get(reverse("registry:cadre_detail", args=[district.zhang.pk])).content.decode()
    facts = _facts(page)
    for english, chinese in LABELS.items():
        assert chinese in page, f"{english} → {chinese}"
        assert english not in facts
    assert facts[:2] == ["性别", "民族"]
    assert "<dd>男</dd>" in page and "中共党员" in page  # choice values too
    family = page.split('id="family"')[1].split('id="history"')[0]
    assert "<th>姓名</th>" in family and "名称" not in family  # a person's name, not a thing's
    assert "配偶" in page and "家庭成员" in page and "操作留痕" in page
    assert '<html lang="zh-hans">' in page


@pytest.mark.django_db
def test_cadre_pages_in_english_show_english_labels(district, client_for):
    client = client_for(district.officer)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("registry:cadre_detail", args=[district.zhang.pk])).content.decode()
    assert _facts(page)[:5] == ["Gender", "Ethnicity", "Birth date", "Native place", "ID number"]
    assert "性别" not in page
    form = client.get(reverse("registry:cadre_edit", args=[district.zhang.pk])).content.decode()
    assert ">Name<" in form or ">Name " in form


@pytest.mark.django_db
def test_forms_and_lists_call_a_persons_name_xingming(district, client_for):
    client = client_for(district.officer)
    client.cookies["django_language"] = "zh-hans"
    form = client.get(reverse("registry:cadre_edit", args=[district.zhang.pk])).content.decode()
    assert 'for="id_name"' in form and "姓名" in form.split('for="id_name"')[1][:80]
    family = client.get(reverse("registry:relative_add", args=[district.zhang.pk])).content.decode()
    assert "姓名" in family.split('for="id_name"')[1][:80]
    listing = client.get(reverse("registry:cadre_list")).content.decode()
    assert "姓名" in listing and "名称" not in listing
    unit_form = client.get(reverse("registry:unit_create_child", args=[district.finance.pk])).content.decode()
    assert "单位名称" in unit_form
