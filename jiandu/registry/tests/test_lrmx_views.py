"""The .lrmx pages and the printed 任免审批表 (issue 12 parts 1–3), through the web client."""

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from jiandu.core.models import JournalEntry
from jiandu.registry import appform, lrmx
from jiandu.registry.models import Cadre, CadreRecord, ResumeLine
from jiandu.testing import make_relative

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).with_name("lrmx")


def upload(name):
    return SimpleUploadedFile(name, (FIXTURES / name).read_bytes())


def pdf_text(content: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).replace("\x00", "")


def test_export_three_edit_one_import_back(district, client_for):
    client = client_for(district.head)
    make_relative(cadre=district.zhang, relation="spouse", name="王丽", work_unit="示范区教育局", post="科员")
    response = client.get(reverse("registry:cadres_lrmx"))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response)))
    names = archive.namelist()
    assert len(names) == Cadre.objects.count()
    files = [SimpleUploadedFile(n, archive.read(n)) for n in names]
    edited = names.index("张伟明.lrmx")
    text = archive.read(names[edited]).decode().replace("<JiGuan>", "<JiGuan>浙江杭州").replace("<JiGuan />", "<JiGuan>浙江杭州</JiGuan>")
    files[edited] = SimpleUploadedFile(names[edited], text.encode())
    response = client.post(reverse("registry:lrmx_import"), {"files": files})
    assert response.status_code == 302, response.context["form"].errors
    preview = client.get(response["Location"])
    changed = [f for f in preview.context["preview"].files if f["changes"]]
    assert [(f["name"], [c[0] for c in f["changes"]]) for f in changed] == [("张伟明.lrmx", [str(lrmx.LABELS["native_place"])])]
    response = client.post(response["Location"])
    assert response.status_code == 302
    district.zhang.refresh_from_db()
    assert district.zhang.native_place.startswith("浙江杭州")
    assert JournalEntry.objects.filter(action="registry.cadre.lrmx_imported").count() == 1


def test_refused_upload_stores_nothing_and_says_why(district, client_for):
    client = client_for(district.head)
    response = client.post(reverse("registry:lrmx_import"), {"files": [upload("zhao.lrmx"), upload("entity_bomb.lrmx")], "unit": district.education.pk})
    preview = client.get(response["Location"])
    assert preview.status_code == 200
    body = preview.content.decode()
    assert "entity_bomb.lrmx" in body and "DOCTYPE" not in body
    response = client.post(response["Location"])
    assert response.status_code == 200  # the preview again, with the message
    assert not Cadre.objects.filter(name="赵文博").exists()


def test_import_page_refuses_a_zip_bomb(district, client_for):
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("big.lrmx", b"\0" * (100 * 1024 * 1024))
    response = client_for(district.head).post(reverse("registry:lrmx_import"), {"files": [SimpleUploadedFile("bomb.zip", bomb.getvalue())]})
    assert response.status_code == 200 and response.context["form"].errors["files"]


def test_leader_without_sensitive_view_cannot_export_or_print(district, client_for):
    client = client_for(district.leader)
    for name in ("registry:cadre_lrmx", "registry:cadre_form_pdf"):
        response = client.get(reverse(name, args=[district.zhang.pk]))
        assert response.status_code == 302
    assert client.get(reverse("registry:cadres_lrmx")).status_code == 302
    assert not JournalEntry.objects.filter(action__in=["registry.cadre.lrmx_exported", "registry.cadre.form_printed"]).exists()


def test_outsider_cannot_see_the_record_page(district, client_for):
    assert client_for(district.outsider).get(reverse("registry:cadre_record_edit", args=[district.zhang.pk])).status_code == 404


def test_record_edit_with_resume(district, client_for):
    client = client_for(district.head)
    url = reverse("registry:cadre_record_edit", args=[district.zhang.pk])
    assert client.get(url).status_code == 200
    data = {key: "" for key in lrmx.RECORD_TEXT_FIELDS} | {"health": "健康", "resume": "2001.09—2005.07 示范大学学习\n2005.07-- 示范区财政局科员"}
    response = client.post(url, data)
    assert response.status_code == 302
    assert CadreRecord.objects.get(cadre=district.zhang).health == "健康"
    from jiandu.core.models import JournalEntry

    assert JournalEntry.objects.filter(action="registry.cadre.record_updated", cadre_id=district.zhang.pk, actor_id=district.head.pk).count() == 1
    assert [(r.start, r.end) for r in ResumeLine.objects.filter(cadre=district.zhang)] == [("2001.09", "2005.07"), ("2005.07", "")]
    detail = client.get(reverse("registry:cadre_detail", args=[district.zhang.pk])).content.decode()
    assert "2001.09--2005.07" in detail and "示范大学学习" in detail and "健康" in detail
    bad = client.post(url, data | {"resume": "示范大学学习"})
    assert bad.status_code == 200 and bad.context["form"].errors["resume"]
    assert ResumeLine.objects.filter(cadre=district.zhang).count() == 2


def test_printed_form_text(district, client_for):
    lrmx.apply_plan(actor=district.head, files=[("zhao.lrmx", (FIXTURES / "zhao.lrmx").read_bytes())], unit=district.education, source="t")
    zhao = Cadre.objects.get(name="赵文博")
    response = client_for(district.head).get(reverse("registry:cadre_form_pdf", args=[zhao.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    content = b"".join(response)
    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) == 2
    text = pdf_text(content).replace(" ", "").replace("\n", "").replace("\u3000", "")
    for expected in (
        "干部任免审批表",
        "赵文博",
        "1980.05",
        "（44岁）",
        "山东济南",
        "中学高级教师",
        "示范大学中文系汉语言文学专业",
        "2001.09--2005.07",
        "示范大学汉语言文学专业学习",
        "王小红",
        "妻子",
        "呈报单位",
        "家庭主要成员及重要社会关系",
        "年度考核结果",
        "2022年、2023年度考核称职，2024年度考核优秀",
        "审批机关意见",
        "家庭主要成员及重要社会关系",
        "中共示范区委组织部",
        "钱组干",
    ):
        assert expected in text, expected
    assert JournalEntry.objects.filter(action="registry.cadre.form_printed", cadre_id=zhao.pk).count() == 1


def test_long_text_shrinks_down_to_the_minimum_then_is_cut(district):
    sheet = appform._Sheet("t")
    size, lines = sheet.fit("示范" * 5, 40, 10, 11)
    assert size == 11 and len(lines) == 1
    size, lines = sheet.fit("示范" * 20, 40, 10, 11)
    assert appform.MIN_PT < size < 11
    size, lines = sheet.fit("示范" * 400, 40, 10, 11)
    assert size == appform.MIN_PT and lines[-1].endswith("…")


def test_photo_upload_is_checked_and_printed(district, client_for):
    from PIL import Image

    client = client_for(district.head)
    url = reverse("registry:cadre_record_edit", args=[district.zhang.pk])
    data = dict.fromkeys(lrmx.RECORD_TEXT_FIELDS, "") | {"resume": ""}
    assert 'enctype="multipart/form-data"' in client.get(url).content.decode()
    fake = client.post(url, data | {"photo": SimpleUploadedFile("p.png", b"MZ\x90\x00" * 10)})
    assert fake.status_code == 200 and fake.context["form"].errors["photo"]
    assert not CadreRecord.objects.filter(cadre=district.zhang).exists()
    buffer = io.BytesIO()
    Image.new("RGB", (60, 80), (20, 20, 200)).save(buffer, "JPEG")
    assert client.post(url, data | {"photo": SimpleUploadedFile("p.jpg", buffer.getvalue())}).status_code == 302
    assert bytes(CadreRecord.objects.get(cadre=district.zhang).photo_data) == buffer.getvalue()
    content = b"".join(client.get(reverse("registry:cadre_form_pdf", args=[district.zhang.pk])))
    assert PdfReader(io.BytesIO(content)).pages[0].images  # the photo is in the box
    assert "<ZhaoPian>/9j/" in lrmx.build(district.zhang).decode()


def test_long_resume_shrinks_and_the_form_stays_two_pages(district):
    lines = "\n".join(
        f"{1990 + i // 12}.{i % 12 + 1:02d}--{1990 + (i + 1) // 12}.{(i + 1) % 12 + 1:02d}  示范区某某单位工作人员第{i}段经历说明文字较长需要换行显示"
        for i in range(60)
    )
    lrmx.update_record(actor=district.head, cadre=district.zhang, values={}, resume=lines)
    content = appform.render(district.zhang)
    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) == 2
    first = reader.pages[0].extract_text().replace("\x00", "")
    assert "1990.01--1990.02" in first and "第0段" in first
