""".lrmx import and export (issue 12 part 2), with the hand-made fixtures in tests/lrmx/."""

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command

from jiandu.core.errors import ActionError
from jiandu.core.models import JournalEntry
from jiandu.registry import lrmx
from jiandu.registry.models import Cadre, CadreRecord, Relative, ResumeLine
from jiandu.testing import make_relative

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).with_name("lrmx")
ZHAO_ID = "110101198005170011"


def fixture(name):
    return (name, (FIXTURES / name).read_bytes())


def show(cadre, key, text):
    return text


def test_parse_reads_every_element_of_the_form():
    form = lrmx.parse(*fixture("zhao.lrmx"))
    assert form.problems == []
    v = form.values
    assert (v["name"], v["gender"], v["birth_on"], v["id_number"]) == ("赵文博", "male", dt.date(1980, 5, 17), ZHAO_ID)
    assert v["party_join_on"] == dt.date(2004, 6, 1) and v["work_start_on"] == dt.date(2005, 7, 1)
    assert v["fulltime_school"] == "示范大学中文系汉语言文学专业" and v["parttime_degree"] == "教育学硕士"
    assert v["age_on"] == dt.date(2025, 1, 1) and v["filled_by"] == "钱组干"
    assert form.resume == [
        {"start": "2001.09", "end": "2005.07", "text": "示范大学汉语言文学专业学习"},
        {"start": "2005.07", "end": "2010.03", "text": "示范区教育局科员"},
        {"start": "2010.03", "end": "", "text": "示范区教育局副局长"},
    ]
    assert [(r["relation"], r["name"], r["birth_on"]) for r in form.family] == [
        ("spouse", "王小红", dt.date(1982, 3, 1)),
        ("father", "赵大山", dt.date(1955, 1, 1)),
    ]


def test_gb2312_file_and_dash_variants_and_continuation_lines():
    form = lrmx.parse(*fixture("sun.lrmx"))
    assert form.problems == []
    assert form.values["name"] == "孙丽华" and form.values["gender"] == "female"
    assert form.resume[0] == {"start": "2003.09", "end": "2007.07", "text": "示范师范学院数学系学习"}
    assert form.resume[1]["start"] == "2007.07" and form.resume[1]["end"] == ""
    assert form.resume[1]["text"].startswith("示范区第一中学教师（其间：2012.09")


@pytest.mark.parametrize(
    "text,expected",
    [("200109", dt.date(2001, 9, 1)), ("2001.9", dt.date(2001, 9, 1)), ("2001年09月", dt.date(2001, 9, 1)), ("20010915", dt.date(2001, 9, 15)), ("", None)],
)
def test_month_formats(text, expected):
    assert lrmx.parse_month(text) == expected


@pytest.mark.parametrize("text", ["200113", "2001.00", "09.2001", "abc"])
def test_impossible_months_are_refused(text):
    with pytest.raises(ValueError):
        lrmx.parse_month(text)


@pytest.mark.parametrize("dash", ["--", "-", "—", "——", "–", "～", "~", "至", "－－", " -- "])
def test_resume_dash_variants(dash):
    assert lrmx.parse_resume(f"2001.09{dash}2005.07 学习") == [{"start": "2001.09", "end": "2005.07", "text": "学习"}]


def test_import_creates_then_shows_exactly_the_edited_field(district):
    files = [fixture("zhao.lrmx"), fixture("sun.lrmx")]
    preview, _forms = lrmx.plan(actor=district.head, files=files, unit=district.education, mask=show)
    assert preview.error_count == 0 and all(entry["new"] for entry in preview.files)
    summary = lrmx.apply_plan(actor=district.head, files=files, unit=district.education, source="upload")
    assert summary == {"created": 2, "updated": 0, "unchanged": 0}
    zhao = Cadre.objects.get(id_number=ZHAO_ID)
    assert zhao.record.specialty == "教育管理" and ResumeLine.objects.filter(cadre=zhao).count() == 3
    assert Relative.objects.filter(cadre=zhao, is_removed=False).count() == 2
    assert JournalEntry.objects.filter(action="registry.cadre.lrmx_imported").count() == 2
    # Export, edit one field in a text editor, import back: only that field changes.
    text = lrmx.build(zhao).decode("utf-8").replace("<JianKangZhuangKuang>健康</JianKangZhuangKuang>", "<JianKangZhuangKuang>良好</JianKangZhuangKuang>")
    preview, _forms = lrmx.plan(actor=district.head, files=[("赵文博.lrmx", text.encode())], unit=None, mask=show)
    assert preview.files[0]["changes"] == [(str(lrmx.LABELS["health"]), "健康", "良好")]
    assert lrmx.apply_plan(actor=district.head, files=[("赵文博.lrmx", text.encode())], unit=None, source="edit") == {
        "created": 0,
        "updated": 1,
        "unchanged": 0,
    }
    assert CadreRecord.objects.get(cadre=zhao).health == "良好"
    assert JournalEntry.objects.filter(action="registry.cadre.lrmx_imported", cadre_id=zhao.pk).count() == 2


@pytest.mark.parametrize(
    "name,field,message",
    [
        ("wrong_id.lrmx", "id_number", "GB 11643"),
        ("unknown_nation.lrmx", "ethnicity", "火星族"),
        ("entity_bomb.lrmx", "file", ""),
    ],
)
def test_refused_fixtures_store_nothing(district, name, field, message):
    files = [fixture("sun.lrmx"), fixture(name)]
    preview, _forms = lrmx.plan(actor=district.head, files=files, unit=district.education, mask=show)
    assert preview.files[0]["errors"] == []
    assert preview.files[1]["errors"] and preview.files[1]["errors"][0][0] == str(lrmx.LABELS[field]) and message in preview.files[1]["errors"][0][1]
    before = Cadre.objects.count()
    with pytest.raises(ActionError, match=name):
        lrmx.apply_plan(actor=district.head, files=files, unit=district.education, source="upload")
    assert Cadre.objects.count() == before
    assert not JournalEntry.objects.filter(action="registry.cadre.lrmx_imported").exists()


def test_duplicate_in_one_upload_is_refused(district):
    files = [fixture("zhao.lrmx"), ("copy.lrmx", (FIXTURES / "zhao.lrmx").read_bytes())]
    preview, _forms = lrmx.plan(actor=district.head, files=files, unit=district.education, mask=show)
    assert preview.files[0]["errors"] == []
    assert "zhao.lrmx" in preview.files[1]["errors"][0][1]
    with pytest.raises(ActionError):
        lrmx.apply_plan(actor=district.head, files=files, unit=district.education, source="upload")
    assert not Cadre.objects.filter(id_number=ZHAO_ID).exists()


def test_wrong_encoding_is_refused():
    data = (FIXTURES / "zhao.lrmx").read_text().encode("gb18030")  # declared UTF-8, written GB
    form = lrmx.parse("zhao.lrmx", data)
    assert form.problems and form.problems[0][0] == "file" and "UTF-8" in form.problems[0][1]


def test_zip_of_forms_and_100_mb_zip_bomb():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a/zhao.lrmx", (FIXTURES / "zhao.lrmx").read_bytes())
        archive.writestr("readme.txt", "x")
    assert [name for name, _data in lrmx.read_upload([("forms.zip", buffer.getvalue())])] == ["zhao.lrmx"]
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("big.lrmx", b"\0" * (100 * 1024 * 1024))
    with pytest.raises(lrmx.LrmxError) as caught:
        lrmx.read_upload([("bomb.zip", bomb.getvalue())])
    assert "big.lrmx" not in caught.value.message or "MB" in caught.value.message


def test_member_just_over_the_limit_is_refused_and_at_the_limit_accepted():
    for size, refused in ((lrmx.MAX_FILE_BYTES, False), (lrmx.MAX_FILE_BYTES + 1, True)):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
            archive.writestr("x.lrmx", b"a" * size)
        if refused:
            with pytest.raises(lrmx.LrmxError):
                lrmx.read_upload([("x.zip", buffer.getvalue())])
        else:
            assert len(lrmx.read_upload([("x.zip", buffer.getvalue())])[0][1]) == size


def test_upload_of_100_mb_is_refused():
    with pytest.raises(lrmx.LrmxError, match="100"):
        lrmx.read_upload([("a.lrmx", b"a" * (lrmx.MAX_FILE_BYTES)), ("b.zip", b"PK\x03\x04" + b"0" * (lrmx.MAX_UPLOAD_BYTES))])


def test_export_needs_sensitive_view(district):
    with pytest.raises(ActionError):
        lrmx.require_export(district.leader, [district.zhang])
    lrmx.require_export(district.head, [district.zhang])
    assert JournalEntry.objects.filter(action="registry.cadre.lrmx_exported", cadre_id=district.zhang.pk).count() == 1


def test_import_cannot_touch_a_cadre_outside_scope(district):
    data = lrmx.build(district.zhang)  # 财政局, outside the education officer's units
    preview, _forms = lrmx.plan(
        actor=district.outsider,
        files=[("z.lrmx", data.replace(b"<JianKangZhuangKuang />", b"<JianKangZhuangKuang>x</JianKangZhuangKuang>"))],
        unit=None,
        mask=show,
    )
    assert preview.files[0]["errors"]
    assert preview.files[0]["changes"] == []  # nothing of the other unit's cadre is shown


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (30, 40), (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


FULL_RECORD = {key: f"测试{key}" for key in lrmx.RECORD_TEXT_FIELDS} | {"age_on": dt.date(2025, 1, 1), "filled_on": dt.date(2025, 1, 15)}
RESUME = "2001.09--2005.07  示范大学学习\n2005.07--2019.03  示范区财政局科员（其间：2010.09--2013.07在职学习）\n2019.03--         示范区财政局副局长"


def test_round_trip_of_every_demo_cadre(db):
    call_command("load_demo", "--small", stdout=io.StringIO())
    actor = _head()
    cadres = list(Cadre.objects.select_related("unit"))
    for cadre in cadres[:5]:
        make_relative(cadre=cadre, relation="other", name="某亲属", political_status="群众")
        lrmx.update_record(actor=actor, cadre=cadre, values=FULL_RECORD, resume=RESUME)
        CadreRecord.objects.filter(cadre=cadre).update(photo_data=_png())
    snapshot = {cadre.pk: lrmx.current_values(cadre) for cadre in cadres}
    archive = lrmx.export_archive(cadres)
    files = lrmx.read_upload([("all.zip", archive)])
    assert len(files) == len(cadres)
    # Nothing changes when the files go back in.
    preview, _forms = lrmx.plan(actor=actor, files=files, unit=None, mask=show)
    assert preview.error_count == 0, [f["errors"] for f in preview.files if f["errors"]][:3]
    assert [f for f in preview.files if f["changes"]] == []
    assert lrmx.apply_plan(actor=actor, files=files, unit=None, source="round trip")["updated"] == 0
    # Blank the form records, import the files: every record is as before.
    for cadre in cadres[:5]:
        lrmx.update_record(actor=actor, cadre=cadre, values=dict.fromkeys(lrmx.RECORD_TEXT_FIELDS, "") | {"age_on": None, "filled_on": None}, resume="")
    assert lrmx.apply_plan(actor=actor, files=files, unit=None, source="round trip")["updated"] == 5
    assert {cadre.pk: lrmx.current_values(Cadre.objects.get(pk=cadre.pk)) for cadre in cadres} == snapshot
    assert lrmx.read_upload([("again.zip", lrmx.export_archive(cadres))]) == files


def _head():
    from jiandu.testing import registrar

    return registrar()


def test_appraisal_results_come_from_the_last_three_confirmed_annual_appraisals(district):
    from jiandu.appraisals.models import AppraisalCycle, AssessedCadre, AssessedUnit

    grades = {2020: "excellent", 2021: "competent", 2022: "excellent", 2023: "incompetent", 2024: "basically_competent"}
    for year, grade in grades.items():
        status = "setup" if year == 2023 else "grades_confirmed"
        cycle = AppraisalCycle.objects.create(year=year, title=f"{year}", unit=district.root, status=status)
        team = AssessedUnit.objects.create(cycle=cycle, unit=district.finance, unit_name="财政局")
        AssessedCadre.objects.create(cycle=cycle, assessed_unit=team, cadre=district.zhang, cadre_name="张伟明", grade=grade)
    special = AppraisalCycle.objects.create(year=2025, kind="special", title="专项", unit=district.root, status="grades_confirmed")
    AssessedCadre.objects.create(
        cycle=special,
        assessed_unit=AssessedUnit.objects.create(cycle=special, unit=district.finance, unit_name="财政局"),
        cadre=district.zhang,
        cadre_name="张伟明",
        grade="excellent",
    )
    expected = "2021年度考核称职；2022年度考核优秀；2024年度考核基本称职"
    assert lrmx.computed_appraisals(district.zhang) == expected
    assert f"<NianDuKaoHeJieGuo>{expected}</NianDuKaoHeJieGuo>" in lrmx.build(district.zhang).decode()
    # Typed over in the file: stored as the form's own text; the same as computed: keeps following.
    edited = lrmx.build(district.zhang).decode().replace(expected, "2024年度考核优秀")
    lrmx.apply_plan(actor=district.head, files=[("z.lrmx", edited.encode())], unit=None, source="t")
    assert CadreRecord.objects.get(cadre=district.zhang).appraisals == "2024年度考核优秀"
    lrmx.apply_plan(actor=district.head, files=[("z.lrmx", edited.replace("2024年度考核优秀", expected).encode())], unit=None, source="t")
    assert CadreRecord.objects.get(cadre=district.zhang).appraisals == ""


def _zhao_with(old: str, new: str) -> bytes:
    text = (FIXTURES / "zhao.lrmx").read_text()
    assert old in text
    return text.replace(old, new).encode()


@pytest.mark.parametrize("length,refused", [(50, False), (51, True)])
def test_name_length_boundary(length, refused):
    form = lrmx.parse("x.lrmx", _zhao_with("<XingMing>赵文博</XingMing>", f"<XingMing>{'赵' * length}</XingMing>"))
    assert bool(form.problems) is refused


@pytest.mark.parametrize("length,refused", [(200, False), (201, True)])
def test_family_work_length_boundary_and_long_work_is_kept_whole(district, length, refused):
    work = "示" * length
    data = _zhao_with("<GongZuoDanWeiJiZhiWu>已退休</GongZuoDanWeiJiZhiWu>", f"<GongZuoDanWeiJiZhiWu>{work}</GongZuoDanWeiJiZhiWu>")
    form = lrmx.parse("x.lrmx", data)
    assert bool(form.problems) is refused
    if not refused:
        lrmx.apply_plan(actor=district.head, files=[("x.lrmx", data)], unit=district.education, source="t")
        father = Relative.objects.get(name="赵大山")
        assert father.work_unit + father.post == work
        assert lrmx.plan(actor=district.head, files=[("x.lrmx", lrmx.build(father.cadre))], unit=None, mask=show)[0].files[0]["changes"] == []


def test_external_entity_is_refused():
    data = b'<?xml version="1.0"?><!DOCTYPE Person [<!ENTITY x SYSTEM "file:///etc/passwd">]><Person><XingMing>&x;</XingMing><ShenFenZheng>110101198005170011</ShenFenZheng></Person>'
    form = lrmx.parse("xxe.lrmx", data)
    assert [key for key, _message in form.problems] == ["file"]


def test_inactive_unit_for_new_cadres_is_refused(district):
    from jiandu.registry import actions

    actions.update_unit(actor=district.head, unit=district.section, is_active=False)
    district.section.refresh_from_db()
    preview, _forms = lrmx.plan(actor=district.head, files=[fixture("zhao.lrmx")], unit=district.section, mask=show)
    assert preview.files[0]["errors"]


def test_gender_and_birth_month_must_match_the_id_number():
    assert [k for k, _m in lrmx.parse("x", _zhao_with("<XingBie>男</XingBie>", "<XingBie>女</XingBie>")).problems] == ["gender"]
    assert [k for k, _m in lrmx.parse("x", _zhao_with("<ChuShengNianYue>198005</ChuShengNianYue>", "<ChuShengNianYue>198006</ChuShengNianYue>")).problems] == [
        "birth_on"
    ]


@pytest.mark.parametrize("side,refused", [(lrmx.MAX_PHOTO_SIDE, False), (lrmx.MAX_PHOTO_SIDE + 1, True)])
def test_photo_side_boundary(side, refused):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("L", (side, 10)).save(buffer, "JPEG")
    assert (lrmx.photo_problem(buffer.getvalue()) is not None) is refused


def test_photo_in_the_file_is_checked_by_content():
    import base64

    bad = lrmx.parse("x", _zhao_with("<ZhaoPian></ZhaoPian>", "<ZhaoPian>" + base64.b64encode(b"GIF89a....").decode() + "</ZhaoPian>"))
    assert [k for k, _m in bad.problems] == ["photo"]
    broken = lrmx.parse("x", _zhao_with("<ZhaoPian></ZhaoPian>", "<ZhaoPian>@@not base64@@</ZhaoPian>"))
    assert [k for k, _m in broken.problems] == ["photo"]
