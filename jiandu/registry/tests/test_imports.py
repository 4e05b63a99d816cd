"""xlsx imports: templates, preview (stores nothing), commit (all or nothing), and the web flow.
Every workbook here is a real .xlsx written by xlsxwriter."""

import datetime as dt
import io
from pathlib import Path

import pytest
import python_calamine
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from jiandu.core.errors import ActionError, RowErrors
from jiandu.core.exports import WorkbookError
from jiandu.core.models import DomainEvent, JournalEntry
from jiandu.registry import actions, imports
from jiandu.registry.models import Cadre, Position, Tenure, Unit
from jiandu.registry.validators import make_id_number
from jiandu.testing import make_cadre, make_position, make_xlsx

pytestmark = pytest.mark.django_db

CADRE_HEADER = [
    "姓名",
    "性别",
    "民族",
    "出生日期",
    "籍贯",
    "身份证号",
    "政治面貌",
    "学历",
    "领导职务层次",
    "职级",
    "手机号码",
    "参加工作时间",
    "入党时间",
    "所在单位",
    "区委管理",
    "状态",
]


def person(n, unit="示范区委/财政局", **overrides):
    born = dt.date(1970 + n % 30, 1 + n % 12, 1 + n % 28)
    row = {
        "name": f"干部{n}",
        "gender": "男" if n % 2 else "女",
        "ethnicity": "汉族",
        "birth_on": born,
        "native_place": "",
        "id_number": make_id_number("640104", born, (n * 2 + n % 2) % 1000),
        "political_status": "中共党员",
        "education": "大学本科",
        "leadership_level": "",
        "rank": "一级科员",
        "phone": "",
        "work_start_on": None,
        "party_join_on": None,
        "unit": unit,
        "managed_by_district": "否",
        "status": "",
    }
    row.update(overrides)
    return list(row.values())


def cadre_file(tmp_path, rows, name="cadres.xlsx", header=CADRE_HEADER):
    return make_xlsx(tmp_path / name, rows, header=header)


def importer(kind):
    return imports.IMPORTERS[kind]


def prepare(kind, actor, path, mask=False):
    with translation.override("zh-hans"):
        return imports.prepare(importer(kind), actor=actor, path=path, mask_sensitive=mask)


# --- templates ----------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["units", "cadres", "positions", "tenures", "relatives"])
def test_templates_have_labels_hidden_keys_and_notes(district, client_for, kind):
    with translation.override("zh-hans"):
        response = client_for(district.officer).get(reverse("registry:import_template", args=[kind]))
        labels = [str(c.label) for c in importer(kind).columns]
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment" in response["Content-Disposition"]
    workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))
    assert len(workbook.sheet_names) == 3
    rows = workbook.get_sheet_by_index(0).to_python()
    keys = [column.key for column in importer(kind).columns]
    assert rows[1] == keys
    assert [cell.lstrip("*") for cell in rows[0]] == labels
    assert all(cell.startswith("*") == column.required for cell, column in zip(rows[0], importer(kind).columns, strict=True))
    notes = workbook.get_sheet_by_name(workbook.sheet_names[2]).to_python()
    assert any(keys[0] in row for row in notes)
    meta = {m.name: m.visible for m in workbook.sheets_metadata}
    assert meta["lists"] != python_calamine.SheetVisibleEnum.Visible


def test_a_filled_in_template_reads_back(district, tmp_path):
    with translation.override("zh-hans"):
        response = importer("cadres").template()
    path = tmp_path / "template.xlsx"
    path.write_bytes(b"".join(response.streaming_content))
    with pytest.raises(WorkbookError):  # an empty template has no data rows
        prepare("cadres", district.head, path)


def test_template_needs_import_permission(district, client_for):
    assert client_for(district.leader).get(reverse("registry:import_template", args=["cadres"])).status_code == 404
    assert client_for(district.officer).get(reverse("registry:import_template", args=["nothing"])).status_code == 404


# --- cadres: preview and commit ------------------------------------------------------------------


def test_good_cadre_file_previews_clean_then_commits_with_one_journal_entry(district, tmp_path):
    path = cadre_file(tmp_path, [person(n) for n in range(1, 6)] + [person(6, unit="预算科", political_status="党员", education="本科")])
    before = Cadre.objects.count()
    preview = prepare("cadres", district.officer, path)
    assert preview.errors == [] and preview.rows == 6
    assert Cadre.objects.count() == before  # the preview stores nothing
    summary = imports.commit(importer("cadres"), actor=district.officer, path=path, source="cadres.xlsx")
    assert summary == {"created": 6, "units": 2}
    stored = Cadre.objects.get(name="干部1")
    assert stored.unit == district.finance and stored.gender == "male" and stored.name_initials == "gb" and stored.rank == "clerk_1"
    sixth = Cadre.objects.get(name="干部6")
    assert sixth.unit == district.section and sixth.political_status == "cpc" and sixth.education == "bachelor"  # common spellings accepted
    entries = JournalEntry.objects.filter(action="registry.cadres.imported")
    assert entries.count() == 1
    entry = entries.get()
    assert entry.data["rows"] == 6 and entry.data["source"] == "cadres.xlsx" and entry.unit_id == district.finance.pk
    assert not any(len(str(v)) == 18 for v in entry.data.values())  # no ID numbers in the journal


def test_a_deliberate_error_names_row_and_column_and_nothing_is_stored(district, tmp_path):
    rows = [person(n) for n in range(1, 5)]
    rows[2][5] = rows[2][5][:-1] + ("0" if rows[2][5][-1] != "0" else "1")  # Excel row 4: a wrong check digit
    path = cadre_file(tmp_path, rows)
    before = Cadre.objects.count()
    preview = prepare("cadres", district.officer, path)
    assert preview.error_count == 1
    error = preview.errors[0]
    assert error["row"] == 4 and error["column"] == "身份证号" and "校验" in error["message"]
    with translation.override("zh-hans"), pytest.raises(RowErrors) as exc:
        imports.commit(importer("cadres"), actor=district.officer, path=path, source="x.xlsx")
    assert exc.value.errors[0]["row"] == 4
    assert Cadre.objects.count() == before
    assert not JournalEntry.objects.filter(action="registry.cadres.imported").exists()


def test_duplicates_within_the_file_and_with_the_registry(district, tmp_path):
    rows = [person(1), person(2), person(1, name="另一人")]
    rows.append(person(9, id_number=district.zhang.id_number))
    preview = prepare("cadres", district.officer, cadre_file(tmp_path, rows))
    problems = {(e["row"], e["column"]): e["message"] for e in preview.errors}
    assert set(problems) == {(4, "身份证号"), (5, "身份证号")}
    assert "第2行" in problems[(4, "身份证号")] or "2" in problems[(4, "身份证号")]
    assert "已" in problems[(5, "身份证号")]


def test_cell_problems_are_each_reported(district, tmp_path):
    rows = [
        person(1, gender="未知", birth_on="1980-13-01"),
        person(2, unit="不存在的单位"),
        person(3, unit="教育局"),  # out of the officer's scope: looks like it does not exist
        person(4, phone="12345", name=""),
        person(5, id_number=6.40104197501050e17),  # an ID typed as a number: digits already lost
    ]
    preview = prepare("cadres", district.officer, cadre_file(tmp_path, rows))
    found = {(e["row"], e["column"]) for e in preview.errors}
    assert {(2, "性别"), (2, "出生日期"), (3, "所在单位"), (4, "所在单位"), (5, "手机号码"), (5, "姓名"), (6, "身份证号")} <= found
    assert len(found) == len(preview.errors)  # one message per cell


def test_english_headers_and_values_are_accepted(district, tmp_path):
    with translation.override("en"):
        header = [str(c.label) for c in imports.CADRE_COLUMNS]
    row = person(1, gender="male", political_status="CPC member", education="master's degree", rank="clerk_1", managed_by_district="yes", status="serving")
    preview = prepare("cadres", district.head, cadre_file(tmp_path, [row], header=header))
    assert preview.errors == []


def test_masking_in_the_preview_sample(district, tmp_path):
    path = cadre_file(tmp_path, [person(1, phone="13812345678")])
    preview = prepare("cadres", district.head, path, mask=True)
    sample = dict(zip(preview.sample_header, preview.sample[0], strict=True))
    assert sample["手机号码"] == "138****5678" and "*" in sample["身份证号"]


def test_not_an_xlsx_and_missing_columns_are_clear_errors(district, tmp_path):
    fake = tmp_path / "fake.xlsx"
    fake.write_text("name,id\n张三,1\n", encoding="utf-8")
    with translation.override("zh-hans"), pytest.raises(WorkbookError) as exc:
        prepare("cadres", district.head, fake)
    assert ".xlsx" in exc.value.message
    wrong = make_xlsx(tmp_path / "wrong.xlsx", [["张三", "男"]], header=["姓名", "性别"])
    with translation.override("zh-hans"), pytest.raises(WorkbookError) as exc:
        prepare("cadres", district.head, wrong)
    assert "身份证号" in exc.value.message and "所在单位" in exc.value.message


def test_import_cadres_action_preconditions(district):
    with pytest.raises(ActionError):
        actions.import_cadres(actor=district.officer, rows=[])
    born = dt.date(1980, 1, 1)
    row = {"name": "甲", "gender": "male", "birth_on": born, "id_number": make_id_number("640104", born, 1), "unit": district.education, "row": 2}
    with pytest.raises(RowErrors) as exc:
        actions.import_cadres(actor=district.officer, rows=[row])  # another unit: not allowed
    assert exc.value.errors[0]["field"] == "unit"
    actions.update_unit(actor=district.head, unit=district.section, is_active=False)
    with pytest.raises(ActionError):  # checked again under lock, whatever the caller's copy says
        actions.import_cadres(actor=district.officer, rows=[dict(row, unit=district.section)])
    with pytest.raises(RowErrors):
        actions.import_cadres(actor=district.leader, rows=[dict(row, unit=district.finance)])  # a reader may not import
    assert not Cadre.objects.filter(name="甲").exists()
    summary = actions.import_cadres(actor=district.officer, rows=[dict(row, unit=district.finance)], source="direct")
    assert summary == {"created": 1, "units": 1}
    assert Cadre.objects.get(name="甲").ethnicity == "汉族"


def test_import_cadres_checks_like_create_cadre(district):
    """The same values give the same verdict one by one (create_cadre) and in bulk."""
    born = dt.date(1980, 1, 1)
    samples = [
        {"name": "", "gender": "male", "birth_on": born, "id_number": make_id_number("640104", born, 3)},
        {"name": "乙", "gender": "x", "birth_on": born, "id_number": make_id_number("640104", born, 5)},
        {"name": "丙", "gender": "male", "birth_on": None, "id_number": make_id_number("640104", born, 7)},
        {"name": "丁", "gender": "male", "birth_on": born, "id_number": "123"},
        {"name": "戊", "gender": "male", "birth_on": born, "id_number": make_id_number("640104", born, 9), "phone": "1"},
        {"name": "己", "gender": "male", "birth_on": born, "id_number": district.zhang.id_number},
        {"name": "庚", "gender": "male", "birth_on": born, "id_number": make_id_number("640104", born, 11), "work_start_on": dt.date(1970, 1, 1)},
    ]
    for values in samples:
        with pytest.raises(ActionError) as single:
            actions.create_cadre(actor=district.officer, unit=district.finance, **values)
        bulk = actions.check_cadre_rows(actor=district.officer, rows=[dict(values, unit=district.finance, row=2)])
        assert bulk and bulk[0]["field"] == single.value.field and bulk[0]["message"] == single.value.message


# --- units, positions, tenures ------------------------------------------------------------------


def test_units_import_with_parents_on_earlier_rows_preview_stores_nothing(district, tmp_path):
    rows = [
        ["国库科", "示范区委/财政局", "", "政府部门", 2],
        ["国库一组", "国库科", "", "其他", None],
        ["孤儿", "无此单位", "", "其他", None],
    ]
    path = make_xlsx(tmp_path / "units.xlsx", rows, header=["单位名称", "上级单位", "简称", "类别", "排序"])
    count = Unit.objects.count()
    journal_count = JournalEntry.objects.count()
    preview = prepare("units", district.officer, path)
    assert [(e["row"], e["column"]) for e in preview.errors] == [(4, "上级单位")]
    assert Unit.objects.count() == count and JournalEntry.objects.count() == journal_count  # dry run rolled back
    with pytest.raises(RowErrors):
        imports.commit(importer("units"), actor=district.officer, path=path, source="units.xlsx")
    assert Unit.objects.count() == count
    good = make_xlsx(tmp_path / "units2.xlsx", rows[:2], header=["单位名称", "上级单位", "简称", "类别", "排序"])
    assert imports.commit(importer("units"), actor=district.officer, path=good, source="units2.xlsx") == {"created": 2}
    group = Unit.objects.get(name="国库一组")
    assert group.parent.name == "国库科" and group.parent.parent == district.finance and group.kind == "other"
    assert JournalEntry.objects.filter(action="registry.units.imported").count() == 1


def test_units_import_top_unit_needs_district_rights(district, tmp_path):
    path = make_xlsx(tmp_path / "top.xlsx", [["新区委", "", "", "党委", 0]], header=["单位名称", "上级单位", "简称", "类别", "排序"])
    assert [e["column"] for e in prepare("units", district.officer, path).errors] == ["上级单位"]
    assert prepare("units", district.head, path).errors == []


def test_ambiguous_unit_names_ask_for_the_path(district, tmp_path):
    from jiandu.testing import make_unit

    make_unit(name="办公室", parent=district.finance)
    make_unit(name="办公室", parent=district.education)
    path = cadre_file(tmp_path, [person(1, unit="办公室"), person(2, unit="财政局/办公室")])
    errors = prepare("cadres", district.head, path).errors
    assert [(e["row"], e["column"]) for e in errors] == [(2, "所在单位")]
    assert "示范区委/财政局/办公室" in errors[0]["message"]


def test_positions_import(district, tmp_path):
    header = ["所在单位", "职务名称", "类别", "级别", "一把手", "财务权限", "职数", "分管工作", "公开联系方式", "排序"]
    rows = [["财政局", "副局长", "领导职务", "副科级", "否", "是", 2, "预算", "", 1], ["预算科", "科长", "", "", "", "", 0, "", "", ""]]
    path = make_xlsx(tmp_path / "positions.xlsx", rows, header=header)
    preview = prepare("positions", district.officer, path)
    assert [(e["row"], e["column"]) for e in preview.errors] == [(3, "职数")]
    rows[1][6] = None
    path = make_xlsx(tmp_path / "positions2.xlsx", rows, header=header)
    assert imports.commit(importer("positions"), actor=district.officer, path=path, source="p.xlsx") == {"created": 2}
    deputy = Position.objects.get(title="副局长")
    assert deputy.has_financial_authority and deputy.headcount == 2 and deputy.level == "section_deputy"
    assert Position.objects.get(title="科长").headcount == 1


def test_tenures_import_current_and_past(district, tmp_path):
    deputy = make_position(unit=district.finance, title="副局长", headcount=1)
    header = ["身份证号", "姓名", "所在单位", "职务", "任职时间", "任职方式", "代理/主持", "免职时间", "免职原因", "备注"]
    rows = [
        [district.zhang.id_number, "张伟明", "财政局", "副局长", dt.date(2015, 1, 1), "", "", dt.date(2019, 12, 31), "提拔", ""],
        [district.zhang.id_number, "张伟明", "财政局", "局长", dt.date(2020, 1, 1), "任命", "", None, "", ""],
        [district.zhang.id_number, "张某", "财政局", "副局长", dt.date(2021, 1, 1), "", "", None, "", ""],
        [district.li.id_number, "", "财政局", "副局长", dt.date(2021, 1, 1), "", "", None, "", ""],
        [district.zhang.id_number, "", "财政局", "科员", dt.date(2021, 1, 1), "", "", None, "", ""],
        [district.zhang.id_number, "", "财政局", "副局长", dt.date(2016, 1, 1), "", "", dt.date(2017, 1, 1), "调任", ""],
        [district.zhang.id_number, "", "财政局", "副局长", dt.date(2010, 1, 1), "", "", dt.date(2011, 1, 1), "", ""],
    ]
    path = make_xlsx(tmp_path / "tenures.xlsx", rows, header=header)
    preview = prepare("tenures", district.officer, path)
    problems = [(e["row"], e["column"]) for e in preview.errors]
    assert problems == [(4, "姓名"), (5, "身份证号"), (6, "职务"), (7, "任职时间"), (8, "免职原因")]
    assert not Tenure.objects.exists()
    path = make_xlsx(tmp_path / "tenures2.xlsx", rows[:2], header=header)
    assert imports.commit(importer("tenures"), actor=district.officer, path=path, source="t.xlsx") == {"created": 2, "ended": 0, "unchanged": 0}
    past = Tenure.objects.get(position=deputy)
    assert past.ended_on == dt.date(2019, 12, 31) and past.end_reason == "promotion"
    assert Tenure.objects.get(position=district.director).is_current
    assert not DomainEvent.objects.filter(kind="registry.departure").exists()  # history, not a departure


def test_record_past_tenure_action(district):
    def past(started, ended, reason="transfer", position=None):
        return actions.record_past_tenure(
            actor=district.officer, cadre=district.zhang, position=position or district.director, started_on=started, ended_on=ended, end_reason=reason
        )

    tenure = past(dt.date(2010, 1, 1), dt.date(2014, 1, 1))
    assert JournalEntry.objects.filter(action="registry.tenure.recorded", target_id=str(tenure.pk), cadre_id=district.zhang.pk).exists()
    with pytest.raises(ActionError) as exc:
        past(dt.date(2013, 1, 1), dt.date(2015, 1, 1))
    assert exc.value.field == "started_on"  # overlaps
    with pytest.raises(ActionError) as exc:
        past(dt.date(2020, 1, 1), dt.date.today() + dt.timedelta(days=1))
    assert exc.value.field == "ended_on"  # not yet past
    past(dt.date(2014, 1, 2), dt.date.today())  # boundaries: the day after the last one, ending today
    with pytest.raises(ActionError):
        past(dt.date(2009, 1, 1), dt.date(2010, 1, 1))  # shares its last day with the first tenure's first
    with pytest.raises(ActionError) as exc:
        past(dt.date(2001, 1, 1), dt.date(2000, 1, 1))
    assert exc.value.field == "ended_on"
    with pytest.raises(ActionError) as exc:
        past(dt.date(1970, 1, 1), dt.date(1971, 1, 1))
    assert exc.value.field == "started_on"  # before birth
    with pytest.raises(ActionError) as exc:
        past(dt.date(2005, 1, 1), dt.date(2006, 1, 1), reason="nope")
    assert exc.value.field == "end_reason"
    from jiandu.accounts.access import NotVisible

    with pytest.raises(NotVisible):
        past(dt.date(2005, 1, 1), dt.date(2006, 1, 1), position=make_position(unit=district.education))
    assert Tenure.objects.filter(cadre=district.zhang).count() == 2


# --- the web flow ---------------------------------------------------------------------------------


def upload(client, path, kind="cadres", name=None):
    data = SimpleUploadedFile(name or Path(path).name, Path(path).read_bytes())
    return client.post(reverse("registry:import_index"), {"kind": kind, "file": data})


def uploads():
    directory = Path(settings.MEDIA_ROOT) / "imports"
    return sorted(p.name for p in directory.iterdir()) if directory.exists() else []


def test_upload_preview_commit_flow(district, client_for, tmp_path):
    client = client_for(district.officer)
    response = upload(client, cadre_file(tmp_path, [person(1), person(2)]))
    assert response.status_code == 302
    preview_url = response["Location"]
    token = preview_url.rstrip("/").split("/")[-1]
    assert f"{token}.xlsx" in uploads()
    page = client.get(preview_url).content.decode()
    assert "干部1" in page and reverse("registry:import_commit", args=[token]) in page
    assert Cadre.objects.filter(name__startswith="干部").count() == 0
    # Another user (another session) cannot reach the upload.
    assert client_for(district.head).get(preview_url).status_code == 404
    assert client_for(district.head).post(reverse("registry:import_commit", args=[token])).status_code == 404
    response = client.post(reverse("registry:import_commit", args=[token]))
    assert response.status_code == 302 and response["Location"] == reverse("registry:cadre_list")
    assert Cadre.objects.filter(name__startswith="干部").count() == 2
    assert uploads() == []  # deleted after the commit
    assert client.get(preview_url).status_code == 404


def test_upload_with_errors_shows_them_and_cannot_commit(district, client_for, tmp_path):
    client = client_for(district.officer)
    response = upload(client, cadre_file(tmp_path, [person(1), person(2, birth_on="不知道")]))
    preview_url = response["Location"]
    token = preview_url.rstrip("/").split("/")[-1]
    page = client.get(preview_url).content.decode()
    assert "出生日期" in page and "<td>3</td>" in page
    assert reverse("registry:import_commit", args=[token]) not in page
    response = client.post(reverse("registry:import_commit", args=[token]))
    assert response.status_code == 302 and response["Location"] == preview_url
    assert Cadre.objects.filter(name__startswith="干部").count() == 0
    assert JournalEntry.objects.filter(action="registry.cadres.import_refused", outcome="failed").exists()
    client.post(reverse("registry:import_cancel", args=[token]))
    assert uploads() == []


def test_commit_rechecks_what_changed_since_the_preview(district, client_for, tmp_path):
    client = client_for(district.officer)
    rows = [person(1)]
    preview_url = upload(client, cadre_file(tmp_path, rows))["Location"]
    token = preview_url.rstrip("/").split("/")[-1]
    make_cadre(unit=district.finance, id_number=rows[0][5])  # someone registers the same person meanwhile
    response = client.post(reverse("registry:import_commit", args=[token]))
    assert response["Location"] == preview_url
    assert "已有" in client.get(preview_url).content.decode() or "already" in client.get(preview_url).content.decode()
    assert Cadre.objects.filter(id_number=rows[0][5]).count() == 1


def test_upload_of_a_non_xlsx_gives_a_clear_error_and_keeps_nothing(district, client_for, tmp_path):
    client = client_for(district.officer)
    fake = tmp_path / "roster.xlsx"
    fake.write_bytes(b"%PDF-1.4 not a workbook")
    response = upload(client, fake)
    assert response.status_code == 200
    assert "file" in response.context["form"].errors
    assert uploads() == []
    response = client.post(reverse("registry:import_index"), {"kind": "cadres"})
    assert response.status_code == 200 and "file" in response.context["form"].errors


def test_import_pages_need_the_import_permission(district, client_for, tmp_path):
    client = client_for(district.leader)
    assert client.get(reverse("registry:import_index")).status_code == 404
    assert upload(client, cadre_file(tmp_path, [person(1)])).status_code == 404
    assert uploads() == []


def test_purge_removes_abandoned_uploads(district, client_for, tmp_path):
    import time

    client = client_for(district.officer)
    upload(client, cadre_file(tmp_path, [person(1)]))
    assert len(uploads()) == 2  # the workbook and its findings
    assert imports.purge_stale_uploads(now=time.time()) == 0
    assert imports.purge_stale_uploads(now=time.time() + imports.STALE_SECONDS + 1) == 2
    assert uploads() == []


def test_tenure_import_reads_the_acting_flag(district, tmp_path):
    header = ["身份证号", "姓名", "所在单位", "职务", "任职时间", "任职方式", "代理/主持", "免职时间", "免职原因", "备注"]
    path = make_xlsx(
        tmp_path / "t.xlsx", [[district.zhang.id_number, "", "财政局", "局长", dt.date(2020, 1, 1), "", "是", None, "", "主持工作"]], header=header
    )
    assert imports.commit(importer("tenures"), actor=district.head, path=path, source="t.xlsx") == {"created": 1, "ended": 0, "unchanged": 0}
    assert Tenure.objects.get(position=district.director).is_acting


# --- hostile workbooks (security issue #8) --------------------------------------------------------


@pytest.mark.parametrize("kind", ["units", "cadres", "positions", "tenures", "relatives"])
def test_the_far_cell_workbook_is_refused_by_every_import_and_nothing_is_kept(district, client_for, tmp_path, kind):
    from jiandu.testing import raw_xlsx

    client = client_for(district.officer)
    path = tmp_path / "roster.xlsx"
    path.write_bytes(raw_xlsx({"A1": "姓名", "XFD1048576": "x"}))
    before = (Unit.objects.count(), Cadre.objects.count(), Position.objects.count(), Tenure.objects.count(), JournalEntry.objects.count())
    response = upload(client, path, kind=kind)
    assert response.status_code == 200
    message = " ".join(response.context["form"].errors["file"])
    assert "XFD1048576" in message and "第 1048576 行" in message  # in the user's language (zh-Hans)
    assert uploads() == [] and not client.session.get("registry_imports")
    assert (Unit.objects.count(), Cadre.objects.count(), Position.objects.count(), Tenure.objects.count(), JournalEntry.objects.count()) == before
    # The process that served the refusal goes on serving.
    assert client.get(reverse("registry:import_index")).status_code == 200


def test_a_zip_bomb_import_is_refused(district, client_for, tmp_path):
    from jiandu.testing import raw_xlsx

    client = client_for(district.officer)
    path = tmp_path / "roster.xlsx"
    path.write_bytes(raw_xlsx({"A1": "姓名"}, members={"xl/media/image1.bin": b"\0" * (20 * 1024 * 1024)}))
    response = upload(client, path)
    assert response.status_code == 200 and response.context["form"].errors["file"]
    assert uploads() == []


def test_the_commit_checks_the_file_again(district, client_for, tmp_path):
    """A file swapped on disk between preview and commit is refused at the commit."""
    from jiandu.testing import raw_xlsx

    client = client_for(district.officer)
    preview_url = upload(client, cadre_file(tmp_path, [person(1)]))["Location"]
    token = preview_url.rstrip("/").split("/")[-1]
    (Path(settings.MEDIA_ROOT) / "imports" / f"{token}.xlsx").write_bytes(raw_xlsx({"A1": "姓名", "XFD1048576": "x"}))
    response = client.post(reverse("registry:import_commit", args=[token]))
    assert response.status_code == 302 and response["Location"] == reverse("registry:import_index")
    assert Cadre.objects.filter(name__startswith="干部").count() == 0
    assert uploads() == []


def test_roster_import_ends_a_current_tenure_with_the_forms_departure_event_once(district, tmp_path):
    """The yearly roster: a current tenure's row comes back with an end date. The import ends it
    through end_tenure (the form's action), so it records the same departure event; importing the
    same file again changes nothing and records no second event."""
    header = ["身份证号", "姓名", "所在单位", "职务", "任职时间", "任职方式", "代理/主持", "免职时间", "免职原因", "备注"]
    deputy = make_position(unit=district.finance, title="副局长", headcount=1)
    current = actions.appoint(actor=district.officer, cadre=district.zhang, position=district.director, started_on=dt.date(2020, 1, 1))
    actions.appoint(actor=district.officer, cadre=district.li, position=deputy, started_on=dt.date(2021, 1, 1))
    rows = [
        [district.zhang.id_number, "张伟明", "财政局", "局长", dt.date(2020, 1, 1), "", "", dt.date(2026, 6, 30), "调任", ""],
        [district.li.id_number, "", "财政局", "副局长", dt.date(2021, 1, 1), "", "", None, "", ""],  # still in office
    ]
    path = make_xlsx(tmp_path / "roster.xlsx", rows, header=header)
    assert not prepare("tenures", district.officer, path).errors
    assert not DomainEvent.objects.exists()  # the preview stores nothing, no event either
    summary = imports.commit(importer("tenures"), actor=district.officer, path=path, source="roster.xlsx")
    assert summary == {"created": 0, "ended": 1, "unchanged": 1}
    with translation.override("zh-hans"):
        assert imports.IMPORTERS["tenures"].success(summary) == "导入任职 0 条，办理现任职务免职 1 条，1 行已登记、未作改动。"
    current.refresh_from_db()
    assert (current.ended_on, current.end_reason) == (dt.date(2026, 6, 30), "transfer")
    event = DomainEvent.objects.get(kind="registry.departure")
    assert (event.subject_id, event.cadre_id, event.unit_id) == (current.pk, district.zhang.pk, district.finance.pk)
    assert event.caused_by_id == district.officer.pk
    assert event.data == {
        "position": str(district.director),
        "is_principal": True,
        "has_financial_authority": True,
        "started_on": "2020-01-01",
        "ended_on": "2026-06-30",
        "end_reason": "transfer",
    }
    assert JournalEntry.objects.filter(action="registry.tenure.ended", target_id=str(current.pk)).count() == 1
    assert Tenure.objects.filter(cadre=district.li).count() == 1

    again = imports.commit(importer("tenures"), actor=district.officer, path=path, source="roster.xlsx")  # the same file again
    assert again == {"created": 0, "ended": 0, "unchanged": 2}
    assert JournalEntry.objects.filter(action="registry.tenures.imported").latest("seq").data["unchanged"] == 2
    assert DomainEvent.objects.filter(kind="registry.departure").count() == 1
    assert JournalEntry.objects.filter(action="registry.tenure.ended").count() == 1
    assert Tenure.objects.filter(cadre=district.zhang).count() == 1 and Tenure.objects.filter(cadre=district.li).count() == 1


def test_roster_import_refuses_a_different_end_of_an_ended_tenure(district, tmp_path):
    header = ["身份证号", "姓名", "所在单位", "职务", "任职时间", "任职方式", "代理/主持", "免职时间", "免职原因", "备注"]
    tenure = actions.appoint(actor=district.officer, cadre=district.zhang, position=district.director, started_on=dt.date(2020, 1, 1))
    actions.end_tenure(actor=district.officer, tenure=tenure, ended_on=dt.date(2026, 6, 30), end_reason="transfer")
    rows = [[district.zhang.id_number, "", "财政局", "局长", dt.date(2020, 1, 1), "", "", dt.date(2026, 5, 31), "调任", ""]]
    preview = prepare("tenures", district.officer, make_xlsx(tmp_path / "late.xlsx", rows, header=header))
    assert [e["row"] for e in preview.errors] == [2]
    assert DomainEvent.objects.filter(kind="registry.departure").count() == 1
