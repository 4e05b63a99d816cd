"""List exports: the viewer's scope, the current filters and masking, read back from the xlsx."""

import io

import pytest
import python_calamine
from django.urls import reverse
from django.utils import translation

from jiandu.core.exports import BOOL, Column
from jiandu.core.models import JournalEntry
from jiandu.testing import make_cadre, make_tenure

pytestmark = pytest.mark.django_db


def read_back(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].startswith("attachment")
    workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))
    header, *rows = workbook.get_sheet_by_index(0).to_python()
    return [dict(zip(header, row, strict=True)) for row in rows]


def test_cadre_export_in_clear_for_the_officer_and_journaled(district, client_for):
    make_tenure(cadre=district.zhang, position=district.director)
    rows = read_back(client_for(district.officer).get(reverse("registry:cadres_export")))
    assert [row["姓名"] for row in rows] == ["张伟明"]  # only the officer's scope
    row = rows[0]
    assert row["身份证号"] == district.zhang.id_number and row["手机号码"] == "13812345678"
    assert row["性别"] == "男" and row["所在单位"] == "示范区委/财政局" and row["现任职务"] == "财政局局长"
    assert str(row["出生日期"]).startswith("1980-05-17")
    entry = JournalEntry.objects.get(action="registry.cadres.exported")
    assert entry.actor_id == district.officer.pk and entry.data["rows"] == 1 and entry.data["sensitive_in_clear"] == "all"


def test_cadre_export_masks_for_a_reader_and_keeps_the_filters(district, client_for):
    make_cadre(unit=district.section, name="赵敏")
    client = client_for(district.leader)
    rows = read_back(client.get(reverse("registry:cadres_export"), {"q": "zwm"}))
    assert [row["姓名"] for row in rows] == ["张伟明"]
    number = district.zhang.id_number
    assert rows[0]["身份证号"] == number[:2] + "*" * 14 + number[-2:] and rows[0]["手机号码"] == "138****5678"
    assert rows[0]["出生日期"] == str(district.zhang.birth_on.year)  # the year only, as text
    entry = JournalEntry.objects.get(action="registry.cadres.exported")
    assert entry.data == {"list": "cadres", "rows": 1, "filters": {"q": "zwm"}, "sensitive_in_clear": "none"}
    rows = read_back(client.get(reverse("registry:cadres_export"), {"unit": district.section.pk, "sort": "-name"}))
    assert [row["姓名"] for row in rows] == ["赵敏"]


def test_exports_are_empty_outside_the_scope(district, client_for):
    client = client_for(district.outsider)
    assert [row["姓名"] for row in read_back(client.get(reverse("registry:cadres_export")))] == ["李秀英"]
    assert read_back(client.get(reverse("registry:cadres_export"), {"unit": district.finance.pk})) == []
    assert read_back(client.get(reverse("registry:positions_export"))) == []


def test_unit_position_and_tenure_exports(district, client_for):
    make_tenure(cadre=district.zhang, position=district.director)
    client = client_for(district.officer)
    units = read_back(client.get(reverse("registry:units_export")))
    assert [(u["单位名称"], u["上级单位"], u["在职干部数"]) for u in units] == [("财政局", "示范区委", 1), ("预算科", "示范区委/财政局", 0)]
    positions = read_back(client.get(reverse("registry:positions_export")))
    with translation.override("zh-hans"):
        yes = Column("flag", "flag", kind=BOOL).display(True)  # 是 (core's catalogue)
    assert positions[0]["职务名称"] == "局长" and positions[0]["一把手"] == yes and positions[0]["现任人数"] == 1
    tenures = read_back(client_for(district.leader).get(reverse("registry:tenures_export"), {"state": "current"}))
    assert tenures[0]["姓名"] == "张伟明" and "*" in tenures[0]["身份证号"]
    assert JournalEntry.objects.filter(action__in=["registry.units.exported", "registry.positions.exported", "registry.tenures.exported"]).count() == 3


def test_an_export_reads_back_as_an_import(district, client_for, tmp_path):
    """Exported columns carry the template's labels, so an export can be corrected and re-imported."""
    from jiandu.registry import imports

    response = client_for(district.officer).get(reverse("registry:positions_export"))
    path = tmp_path / "positions.xlsx"
    path.write_bytes(b"".join(response.streaming_content))
    preview = imports.prepare(imports.IMPORTERS["positions"], actor=district.officer, path=path, mask_sensitive=False)
    assert preview.rows == 1 and preview.errors == []
    assert set(preview.ignored_columns) == {"启用", "现任人数"}


def test_exports_need_the_view_permission(district, client_for):
    from jiandu.accounts.models import Role
    from jiandu.testing import make_user

    nobody = make_user(role=Role.CADRE, cadre=district.zhang)
    for name in ("cadres_export", "units_export", "positions_export", "tenures_export"):
        assert client_for(nobody).get(reverse(f"registry:{name}")).status_code == 404
    assert not JournalEntry.objects.filter(action__endswith=".exported").exists()
