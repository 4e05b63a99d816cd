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
