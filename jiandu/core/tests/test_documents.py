"""GB/T 9704 official documents: Chinese line breaking, 发文字号 numbering, the layout's pieces."""

import datetime as dt
import io
import random
import threading

import pypdf
import pytest
from django.db import connection, connections, transaction

from jiandu.core.documents import format_document_number, next_document_number
from jiandu.core.models import DocumentCounter
from jiandu.core.pdf import (
    DOC_CHARS,
    NO_LINE_END,
    NO_LINE_START,
    GovernmentDocument,
    break_lines,
    chinese_numeral_date,
    document_filename,
    serif_font_paths,
)


def one_per_char(text: str) -> float:
    return float(len(text))


# --- line breaking ----------------------------------------------------------------------------


def test_a_line_that_fills_the_width_exactly_is_not_broken():
    assert break_lines("一二三四", 4, one_per_char) == ["一二三四"]
    assert break_lines("一二三四五", 4, one_per_char) == ["一二三四", "五"]


def test_closing_punctuation_never_starts_a_line():
    # "，" would be the first character of line 2: the character before it goes down with it.
    assert break_lines("一二三四，五", 4, one_per_char) == ["一二三", "四，五"]
    # Two closing marks in a row ("。”") travel together with the character before them.
    assert break_lines("一二三四。”五", 4, one_per_char) == ["一二三", "四。”五"]
    for mark in "，。；：、）》":
        lines = break_lines("一二三四" + mark + "五六", 4, one_per_char)
        assert all(line[0] not in NO_LINE_START for line in lines[1:]), (mark, lines)


def test_opening_punctuation_never_ends_a_line():
    assert break_lines("一二三（四五", 4, one_per_char) == ["一二三", "（四五"]
    assert break_lines("一二三《四》", 4, one_per_char) == ["一二三", "《四》"]


def test_numbers_are_not_split():
    assert break_lines("一二三2026年", 5, one_per_char) == ["一二三", "2026年"]
    # A run longer than a line is broken where it overflows rather than looping.
    assert break_lines("1234567890", 4, one_per_char) == ["1234", "5678", "90"]


def test_random_paragraphs_keep_every_rule():
    rng = random.Random(9704)
    words = ["干部", "监督", "工作", "有关规定", "现就", "问题", "函询"]

    def token() -> str:
        word = rng.choice(words)
        return rng.choice([word, word + rng.choice("，。；：、"), "（" + word + "）", "《" + word + "》。", "2026年", word + "“" + word + "”。"])

    for _ in range(300):
        text = "".join(token() for _ in range(rng.randint(1, 40)))
        width = rng.randint(8, 28)
        lines = break_lines(text, width, one_per_char)
        assert "".join(lines) == text
        assert all(len(line) <= width for line in lines), (text, lines)
        for line in lines[1:]:
            assert line[0] not in NO_LINE_START, (text, lines)
        for line in lines[:-1]:
            assert line[-1] not in NO_LINE_END, (text, lines)


# --- dates, file names ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2026, 3, 1), "二〇二六年三月一日"),
        (dt.date(2026, 10, 10), "二〇二六年十月十日"),
        (dt.date(2026, 12, 31), "二〇二六年十二月三十一日"),
        (dt.date(2030, 11, 20), "二〇三〇年十一月二十日"),
        (dt.date(2026, 1, 19), "二〇二六年一月十九日"),
    ],
)
def test_date_of_writing_in_chinese_numerals(day, expected):
    assert chinese_numeral_date(day) == expected


def test_file_names_are_chinese_without_forbidden_characters():
    assert document_filename("函询函", "张伟明", "示组函〔2026〕3号") == "函询函-张伟明-示组函〔2026〕3号.pdf"
    assert document_filename("函询函", 'a/b\\c:"d"\r\n', "") == "函询函-abcd.pdf"


# --- document numbers -------------------------------------------------------------------------


@pytest.mark.django_db
def test_numbers_count_per_prefix_and_year():
    assert format_document_number("示组函", 2026, 12) == "示组函〔2026〕12号"
    assert [next_document_number("示组函", 2026) for _ in range(3)] == ["示组函〔2026〕1号", "示组函〔2026〕2号", "示组函〔2026〕3号"]
    assert next_document_number("示组函", 2027) == "示组函〔2027〕1号"
    assert next_document_number("示组发", 2026) == "示组发〔2026〕1号"
    assert DocumentCounter.objects.get(prefix="示组函", year=2026).last == 3


@pytest.mark.django_db
def test_a_rolled_back_issue_gives_its_number_back():
    next_document_number("示组函", 2026)
    with pytest.raises(RuntimeError), transaction.atomic():
        assert next_document_number("示组函", 2026) == "示组函〔2026〕2号"
        raise RuntimeError("the issuing action failed")
    assert next_document_number("示组函", 2026) == "示组函〔2026〕2号"


THREADS = 6
PER_THREAD = 10


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent connections; SQLite serialises writers itself")
def test_concurrent_issuers_never_share_a_number(transactional_db):
    barrier = threading.Barrier(THREADS)
    taken: list[str] = []
    errors: list[str] = []

    def issuer():
        try:
            barrier.wait()
            for _ in range(PER_THREAD):
                with transaction.atomic():
                    taken.append(next_document_number("示组函", 2026))
        except Exception as exc:  # noqa: BLE001 - reported by the test
            errors.append(f"{type(exc).__name__}: {exc}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issuer) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(taken, key=lambda n: int(n.split("〕")[1][:-1])) == [f"示组函〔2026〕{n}号" for n in range(1, THREADS * PER_THREAD + 1)]


# --- the layout -------------------------------------------------------------------------------


def _letter(body: str) -> bytes:
    document = GovernmentDocument(title="函询函", issuer="中共示范区委组织部", number="示组函〔2026〕3号")
    document.addressee("张伟明同志：")
    document.paragraph(body)
    document.closing(dt.date(2026, 3, 1))
    return document.output(copy_to="示范区财政局王局长同志", printed_on=dt.date(2026, 3, 1))


def _lines(content: bytes) -> list[str]:
    reader = pypdf.PdfReader(io.BytesIO(content))
    text = "\n".join(page.extract_text() for page in reader.pages).replace("\x00", "")
    return [line.strip() for line in text.splitlines() if line.strip()]


def test_serif_font_is_available_and_embedded():
    # CI and the development machines install fonts-noto-cjk (README, .ci/run).
    assert serif_font_paths() is not None
    reader = pypdf.PdfReader(io.BytesIO(_letter("正文。")))
    fonts = {str(font["/BaseFont"]) for font in reader.pages[0]["/Resources"]["/Font"].values()}
    assert any(name.endswith("NotoSerifCJKSC") for name in fonts) and any(name.endswith("NotoSerifCJKSCBold") for name in fonts), fonts


def test_letter_has_the_official_parts_in_order():
    content = _letter("根据干部监督工作有关规定，现就有关情况向你函询。")
    lines = _lines(content)
    assert lines[0] == "中共示范区委组织部"
    assert lines[1] == "示组函〔2026〕3号"
    assert lines[2] == "函询函"
    assert "张伟明同志：" in lines
    flat = "".join("".join(lines).split())
    assert flat.index("二〇二六年三月一日") < flat.index("抄送：示范区财政局王局长同志。") < flat.index("2026年3月1日印发")
    # The mark and the seal area are red (230, 0, 18).
    raw = b"".join(page.get_contents().get_data() for page in pypdf.PdfReader(io.BytesIO(content)).pages)
    assert b"0.902 0 0.0706 rg" in raw and b"0.902 0 0.0706 RG" in raw


def test_body_lines_follow_the_chinese_rules_in_the_pdf():
    # The first line holds 26 characters after its two-character indent: a comma falls on the
    # 27th, and an opening bracket on the last place of a later line.
    body = "甲" * 26 + "，" + "乙" * 26 + "（丙）" + "丁" * 30 + "。"
    lines = _lines(_letter(body))
    start = lines.index("张伟明同志：") + 1
    body_lines = lines[start : start + 4]
    assert "".join(body_lines).startswith("甲" * 26)
    assert body_lines[0] == "甲" * 25
    assert body_lines[1].startswith("甲，")
    for line in body_lines:
        assert line[0] not in NO_LINE_START and line[-1] not in NO_LINE_END, body_lines
        assert len(line) <= DOC_CHARS


def test_build_pdf_fonts_prepares_the_form_font_and_names_the_serif():
    import io as _io

    from django.core.management import call_command

    from jiandu.core.pdf import regular_font_path

    out = _io.StringIO()
    call_command("build_pdf_fonts", stdout=out)
    assert regular_font_path().is_file() and str(regular_font_path()) in out.getvalue()
    assert "Noto Serif CJK SC" in out.getvalue()
