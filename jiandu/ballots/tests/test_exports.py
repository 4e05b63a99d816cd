"""Files: code sheets (PDF with QR codes, xlsx), blank paper ballots, results xlsx and PDF."""

import io

import pytest
from pypdf import PdfReader
from python_calamine import CalamineWorkbook

from jiandu.accounts.models import Role
from jiandu.ballots import actions, exports, queries
from jiandu.testing import answer_all, ballot_spec, make_ballot, make_unit, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    unit = make_unit(name="区民政局")
    officer = make_user(role=Role.ORG_OFFICER, unit=unit)
    spec = ballot_spec(subjects=("张伟明", "李红"), groups=(("区领导", "0.4", 6), ("本单位干部职工", "0.6", 30)), questions="five_dimensions")
    ballot = make_ballot(unit=unit, actor=officer, spec=spec, open=True)
    return unit, officer, ballot


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def embedded_fonts(data: bytes) -> set[str]:
    """Names of the fonts embedded (as TrueType files) in a PDF."""
    names = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", []):
                descriptor = descendant.get_object()["/FontDescriptor"].get_object()
                if "/FontFile2" in descriptor:
                    names.add(str(descriptor["/FontName"]))
    return names


def assert_chinese_font_embedded(data: bytes) -> None:
    fonts = embedded_fonts(data)
    assert fonts and all("NotoSansSC" in name for name in fonts), fonts


def test_code_sheet_pdf_and_xlsx(setup):
    _unit, officer, ballot = setup
    group = ballot.groups.get(code="g2")
    batch, plain = actions.generate_codes(actor=officer, ballot=ballot, group=group, count=12)
    data = exports.code_sheet_pdf(ballot, group, batch, plain, "https://jiandu.example.gov.cn")
    assert data.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 3  # 10 cards, 2 cards, the list
    text = pdf_text(data)
    assert all(code in text.replace(" ", "") for code in plain)
    assert "本单位干部职工" in text and "测评码" in text  # the card heading, in the interface language
    assert_chinese_font_embedded(data)
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(exports.code_list_xlsx(ballot, group, batch, plain, "https://jiandu.example.gov.cn")))
    rows = workbook.get_sheet_by_index(0).to_python()
    assert [r[2] for r in rows[4:]] == plain
    assert rows[4][3] == f"https://jiandu.example.gov.cn/vote/?c={plain[0]}"


def test_paper_ballot_pdf(setup):
    _unit, _officer, ballot = setup
    data = exports.paper_ballot_pdf(ballot, ballot.groups.get(code="g1"))
    text = pdf_text(data)
    assert "张伟明" in text and "不称职" in text and "廉" in text and "纸质测评票" in text
    assert text.count("张伟明") == 1  # once per subject, its questions below it
    assert_chinese_font_embedded(data)


def test_results_exports(setup):
    _unit, officer, ballot = setup
    for group in ballot.groups.all():
        _b, plain = actions.generate_codes(actor=officer, ballot=ballot, group=group, count=5 if group.code == "g2" else 3)
        for i, code in enumerate(plain):
            actions.submit_ballot(code=code, answers=answer_all(ballot, code, lambda s, q, o, i=i: o[i % len(o)]))
    ballot = actions.close_ballot(actor=officer, ballot=ballot)
    res = queries.results(ballot)
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(exports.results_xlsx(res)))
    assert workbook.sheet_names == ["班子成员", "By voter group", "Participation"] or len(workbook.sheet_names) == 3
    by_group = workbook.get_sheet_by_index(1).to_python()
    leaders = [r for r in by_group[1:] if r[2] == "区领导"]
    assert leaders and all("5" in str(r[4]) or "not shown" in str(r[4]) or "不单独" in str(r[4]) for r in leaders)
    data = exports.results_pdf(res)
    text = pdf_text(data)
    assert "张伟明" in text and ballot.title in text.replace("\n", "")
    page = PdfReader(io.BytesIO(data)).pages[0].mediabox
    assert (round(float(page.width)), round(float(page.height))) == (842, 595)  # A4 landscape
    assert_chinese_font_embedded(data)


# --- every text box of a code card lies inside its card ----------------------------------------


def _widths(font) -> tuple[dict[int, float], float]:
    descendant = font["/DescendantFonts"][0].get_object()
    table, default = {}, float(descendant.get("/DW", 1000))
    w = list(descendant.get("/W", []))
    i = 0
    while i < len(w):
        first = int(w[i])
        if isinstance(w[i + 1], list) or hasattr(w[i + 1], "__iter__"):
            for k, width in enumerate(w[i + 1]):
                table[first + k] = float(width)
            i += 2
        else:
            for cid in range(first, int(w[i + 1]) + 1):
                table[cid] = float(w[i + 2])
            i += 3
    return table, default


def text_boxes(page) -> list[tuple[float, float, float, float, str]]:
    """(left, bottom, right, top, text) in points of every text run of a page, measured with the
    embedded font's own glyph widths (fpdf2 writes one BT … Td … Tj ET per run)."""
    from pypdf.generic import ContentStream

    fonts = {name: _widths(font.get_object()) for name, font in page["/Resources"]["/Font"].items()}
    boxes = []
    font, size, x, y = None, 0.0, 0.0, 0.0
    for operands, operator in ContentStream(page.get_contents(), page.pdf).operations:
        if operator == b"Tf":
            font, size = str(operands[0]), float(operands[1])
        elif operator == b"Td":
            x, y = float(operands[0]), float(operands[1])
        elif operator in (b"Tj", b"TJ"):
            table, default = fonts[font]
            parts = operands[0] if operator == b"TJ" else [operands[0]]
            width, text = 0.0, ""
            for part in parts:
                if isinstance(part, (int, float)) or hasattr(part, "as_numeric"):
                    width -= float(part) / 1000 * size
                    continue
                raw = bytes(part.original_bytes if hasattr(part, "original_bytes") else part)
                for k in range(0, len(raw), 2):
                    width += table.get(int.from_bytes(raw[k : k + 2], "big"), default) / 1000 * size
                text += f"[{len(raw) // 2}]"
            boxes.append((x, y - 0.25 * size, x + width, y + 0.9 * size, text))
    return boxes


def card_rects(count: int) -> list[tuple[float, float, float, float]]:
    mm = 72 / 25.4
    rects = []
    for slot in range(count):
        left = (exports.CARD_LEFT + (slot % 2) * exports.CARD_W) * mm
        top = 842 - (exports.CARD_TOP + (slot // 2) * exports.CARD_H) * mm
        rects.append((left, top - exports.CARD_H * mm, left + exports.CARD_W * mm, top))
    return rects


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_card_text_stays_inside_its_card(setup, language):
    from django.utils import translation

    unit, officer, _ballot = setup
    spec = ballot_spec(subjects=("张伟明",), groups=(("区人民代表大会常务委员会机关全体干部职工和服务对象代表", "1", 30),), questions="five_dimensions")
    ballot = make_ballot(unit=unit, actor=officer, spec=spec, open=True)
    ballot.title = "2026年度示范区人民代表大会常务委员会领导班子和领导干部年度考核民主测评（第二轮）"
    group = ballot.groups.get()
    _batch, plain = actions.generate_codes(actor=officer, ballot=ballot, group=group, count=10)
    with translation.override(language):
        data = exports.code_sheet_pdf(ballot, group, _batch, plain, "https://jiandu.shifanqu-district-example.gov.cn")
    page = PdfReader(io.BytesIO(data)).pages[0]
    boxes = [box for box in text_boxes(page) if box[1] > 40]  # the page footer sits below the cards
    rects = card_rects(10)
    per_card = {i: [] for i in range(10)}
    inset = 1.5 * 72 / 25.4  # 1.5 mm clear of the dashed line
    for left, bottom, right, top, text in boxes:
        inside = [i for i, (x0, b, r, t) in enumerate(rects) if left >= x0 + inset and right <= r - inset and bottom >= b + inset and top <= t - inset]
        assert len(inside) == 1, f"text {text} at ({left:.1f}, {bottom:.1f})–({right:.1f}, {top:.1f}) is not inside one card"
        per_card[inside[0]].append(text)
    # Every card has the same runs: title, heading, the code's two halves, the numbered steps.
    assert len({len(runs) for runs in per_card.values()}) == 1 and len(per_card[0]) >= 8
    text = pdf_text(data)
    assert not any(line.strip() in {"1.", "2.", "3."} for line in text.splitlines())  # no number alone on a line
