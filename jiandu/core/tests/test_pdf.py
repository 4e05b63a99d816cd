"""Official-form PDFs: Chinese text survives (extractable), the font is embedded, layout helpers."""

import datetime as dt
import decimal
import io

import pypdf

from jiandu.core.pdf import BLANK_DATE, Field, Heading, OfficialDocument, Signature, chinese_date, format_value, pdf_response, render_form


def _text(content: bytes) -> tuple[list[str], pypdf.PdfReader]:
    reader = pypdf.PdfReader(io.BytesIO(content))
    return [page.extract_text() for page in reader.pages], reader


def _flat(text: str) -> str:
    return "".join(text.split())


def test_form_text_is_chinese_and_extractable():
    content = render_form(
        "离任经济事项交接清单",
        [Field("移交人", "王芳"), Field("接交人", "赵堃"), Field("交接日期", dt.date(2026, 3, 1)), Field("未了结经济事项", "工程款结算尚未完成。" * 30)],
        signatures=[Signature("移交人"), Signature("接交人"), Signature("监交人", "李明", dt.date(2026, 3, 2))],
        issuer="中共示范区委组织部",
        serial="编号：JJ-2026-001",
    )
    assert content.startswith(b"%PDF-")
    pages, reader = _text(content)
    text = _flat("".join(pages))
    for expected in (
        "离任经济事项交接清单",
        "移交人",
        "王芳",
        "赵堃",
        "2026年3月1日",
        "中共示范区委组织部",
        "编号：JJ-2026-001",
        "监交人（签字）",
        "李明",
        "2026年3月2日",
        "年月日",
    ):
        assert expected in text, expected
    # A long value wraps inside its cell and is printed in full.
    assert text.count("工程款结算尚未完成。") == 30
    assert len(reader.pages) == 1 and "第1页共1页" in text
    assert reader.metadata.title == "离任经济事项交接清单"
    # A4 portrait: 595 × 842 points.
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)


def test_font_is_embedded_as_a_truetype_subset():
    content = render_form("谈话记录", [Field("谈话对象", "张伟明")])
    assert b"/FontFile2" in content
    _, reader = _text(content)
    fonts = reader.pages[0]["/Resources"]["/Font"]
    embedded = []
    for ref in fonts.values():
        font = ref.get_object()
        for descendant in font.get("/DescendantFonts", []):
            descriptor = descendant.get_object()["/FontDescriptor"].get_object()
            embedded.append((str(descriptor["/FontName"]), "/FontFile2" in descriptor))
    assert embedded and all(has_file for _, has_file in embedded)
    # A subset (tag "ABCDEF+") of Noto Sans SC, not the whole 10 MB font.
    assert all("+" in name and "NotoSansSC" in name for name, _ in embedded)
    assert len(content) < 200_000


def test_numbering_headings_and_page_numbers_across_pages():
    rows = [Heading("一、基本情况")] + [Field(f"事项{i}", "内容" * (i % 9 + 1)) for i in range(1, 81)]
    content = render_form("干部选拔任用全程纪实表", rows, [Signature("经办人")], columns=2, subtitle="（一人一表）")
    pages, reader = _text(content)
    total = len(reader.pages)
    assert total >= 2
    for number, page in enumerate(pages, start=1):
        assert f"第{number}页共{total}页" in _flat(page)
    text = _flat("".join(pages))
    assert "一、基本情况" in text and "（一人一表）" in text
    assert "1.事项1" in text and "80.事项80" in text
    # The signature block comes after the last field.
    assert text.index("80.事项80") < text.index("经办人（签字）")


def test_single_column_layout_numbers_rows():
    content = render_form("函询通知", [Field("被函询人", "王芳"), Field("答复期限", dt.date(2026, 4, 10))], dated=dt.date(2026, 3, 20), issuer="示范区纪委监委")
    text = _flat("".join(_text(content)[0]))
    assert "1被函询人王芳" in text and "2答复期限2026年4月10日" in text
    assert text.endswith("示范区纪委监委2026年3月20日第1页共1页")


def test_document_builder_paragraphs_and_sections():
    document = OfficialDocument(title="审计通知书", issuer="示范区审计局")
    document.title("审计通知书", "示审通〔2026〕3号")
    document.paragraph("根据《中华人民共和国审计法》的规定，我局决定派审计组对你单位进行经济责任审计。\n请予以配合。")
    document.heading("一、审计范围")
    document.fields([Field("被审计单位", "示范区教育局"), Field("审计期间", "2021年1月1日至2025年12月31日")], numbered=False)
    document.date_line(dt.date(2026, 3, 1), issuer="示范区审计局")
    text = _flat("".join(_text(document.output())[0]))
    assert "示审通〔2026〕3号" in text and "我局决定派审计组" in text and "请予以配合。" in text
    assert "一、审计范围" in text and "被审计单位示范区教育局" in text


def test_value_formatting():
    assert chinese_date(dt.date(2026, 11, 26)) == "2026年11月26日"
    assert chinese_date(None) == BLANK_DATE
    assert format_value(dt.datetime(2026, 3, 1, 9, 5)) == "2026年3月1日 09:05"
    assert format_value(True) == "是" and format_value(False) == "否"
    assert format_value(None) == ""
    assert format_value(decimal.Decimal("1250000.00")) == "1,250,000.00"
    assert format_value(["财务", "审计"]) == "财务、审计"
    assert format_value(3) == "3"


def test_pdf_response_is_a_download_with_a_chinese_file_name():
    response = pdf_response(b"%PDF-1.4", "全程纪实表-张伟明.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''%E5%85%A8%E7%A8%8B" in disposition
