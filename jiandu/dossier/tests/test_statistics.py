"""年度干部监督工作统计 (issue #16 §4): every pillar's sections for a year, counted from its own
records dated in that year and scoped by the viewer's rights there; charts, a journaled xlsx; an
area whose provider fails is shown unavailable; users without dossier.view get nothing."""

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse

from jiandu.core import statistics
from jiandu.core.models import JournalEntry
from jiandu.testing import log_in

TODAY = dt.date.today()
LAST_YEAR = TODAY.year - 1


def _rows(report, area_key, section_key):
    return dict((str(label), value) for area, sections in report.areas if area.key == area_key for label, value in sections[section_key]["rows"])


def test_counts_come_from_the_records_of_the_year(world):
    last = statistics.collect(world.readers.officer, LAST_YEAR)
    grades = _rows(last, "appraisals", "grades")
    assert grades["称职"] == 1 and sum(grades.values()) == 1  # the world's one graded cadre
    assert _rows(last, "appraisals", "yellow_cards")["亮出"] == 1
    this = statistics.collect(world.readers.officer, TODAY.year)
    meetings = _rows(this, "decisions", "meetings")
    assert meetings["会议"] == 1 and meetings["议题"] == 1
    assert "appraisals" not in {a.key for a, _s in this.areas}  # no cycle this year
    # A year with nothing recorded counts zero everywhere.
    empty = statistics.collect(world.readers.officer, 2001)
    values = [float(v) for _area, sections in empty.areas for s in sections.values() for _label, v in s["rows"]]
    assert values and not any(values)


def test_each_area_counts_only_what_the_viewer_reads_there(world):
    auditor = statistics.collect(world.readers.auditor, LAST_YEAR)
    assert {a.key for a, _s in auditor.areas} <= {"audits"}  # no appraisal, decision or oversight rights


def test_page_charts_and_journaled_workbook(world, client):
    log_in(client, world.readers.officer)
    page = client.get(reverse("dossier:statistics"), {"year": LAST_YEAR})
    body = page.content.decode()
    assert page.status_code == 200 and 'id="statistics-charts"' in body and "<script>" not in body
    assert f"{LAST_YEAR}年度干部监督工作统计" in body and "称职" in body
    export = client.get(reverse("dossier:statistics"), {"year": LAST_YEAR, "format": "xlsx"})
    assert export.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(export.streaming_content) if export.streaming else export.content)).active
    values = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    assert any(tuple(row[:4]) == ("目标监督", "年度考核等次", "称职", 1) for row in values), values[:8]
    entry = JournalEntry.objects.get(action="dossier.statistics.exported")
    assert entry.data["year"] == LAST_YEAR and "appraisals" in entry.data["areas"]
    # A year out of range falls back to last year; nonsense too.
    for bad in ("1800", "abc", str(TODAY.year + 5)):
        assert f"{LAST_YEAR}年度" in client.get(reverse("dossier:statistics"), {"year": bad}).content.decode()


def test_a_failing_area_is_unavailable_and_the_rest_shows(world, client):
    def broken(user, year):
        raise RuntimeError("boom")

    statistics.register_statistics("zz_broken", broken, label="测试领域")
    try:
        log_in(client, world.readers.officer)
        body = client.get(reverse("dossier:statistics"), {"year": LAST_YEAR}).content.decode()
        assert "测试领域：暂不可用。" in body and "年度考核等次" in body
    finally:
        statistics._areas.pop("zz_broken")


@pytest.mark.parametrize("reader", ["cadre", "vetting"])
def test_without_dossier_view_the_page_is_refused(world, client, reader):
    log_in(client, getattr(world.readers, reader))
    assert client.get(reverse("dossier:statistics")).status_code in (403, 404)
    assert client.get(reverse("dossier:statistics"), {"format": "xlsx"}).status_code in (403, 404)
    assert not JournalEntry.objects.filter(action="dossier.statistics.exported").exists()


def _kind_table(tables, area_key):
    return next(t for t in tables if t.area.key == area_key)


def test_unit_kind_rows_sum_to_the_section_totals(world):
    from jiandu.dossier.statistics_report import unit_kind_tables
    from jiandu.oversight.models import Talk
    from jiandu.testing import make_cadre, make_unit

    street = make_unit(name="东园街道", parent=world.root, kind="street")
    Talk.objects.create(cadre=make_cadre(unit=street, name="街道干部"), unit=street, kind=Talk.Kind.REMINDER, talked_on=TODAY, created_by=world.readers.officer)
    report = statistics.collect(world.readers.officer, TODAY.year)
    tables = unit_kind_tables(world.readers.officer, report)
    oversight = _kind_table(tables, "oversight")
    talks = oversight.columns.index("谈话")
    by_kind = {label: values[talks] for label, values in oversight.rows}
    assert by_kind["政府部门"] >= 1 and by_kind["街道/乡镇"] == 1
    talks_by_kind = sum(float(v) for _label, v in _rows(report, "oversight", "talks").items())
    assert oversight.totals[talks] == sum(by_kind.values()) == talks_by_kind  # the kinds add up to the section
    for table in tables:  # every column of every area: the rows add up to the total row
        assert table.totals == [sum(values[n] for _label, values in table.rows) for n in range(len(table.columns))]
    last = statistics.collect(world.readers.officer, LAST_YEAR)
    appraisals = _kind_table(unit_kind_tables(world.readers.officer, last), "appraisals")
    graded = appraisals.columns.index("确定等次的干部")
    assert appraisals.totals[graded] == sum(_rows(last, "appraisals", "grades").values()) == 1
    assert appraisals.totals[appraisals.columns.index("亮黄牌")] == _rows(last, "appraisals", "yellow_cards")["亮出"] == 1


def test_unit_kind_breakdown_follows_the_viewer_scope(world):
    from jiandu.dossier.statistics_report import unit_kind_tables

    auditor = statistics.collect(world.readers.auditor, TODAY.year)
    assert {t.area.key for t in unit_kind_tables(world.readers.auditor, auditor)} <= {"audits"}


def test_statistics_pdf_holds_the_year_counts(world, client):
    import pypdf

    log_in(client, world.readers.officer)
    response = client.get(reverse("dossier:statistics"), {"year": LAST_YEAR, "format": "pdf"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    text = "".join(page.extract_text() for page in reader.pages).replace(" ", "")
    assert f"{LAST_YEAR}年度干部监督工作统计" in text
    assert "年度考核等次" in text and "称职" in text and "按单位类别" in text and "合计" in text
    entry = JournalEntry.objects.get(action="dossier.statistics.exported")
    assert entry.data["year"] == LAST_YEAR and entry.data["format"] == "pdf"
    # Clue figures are counted, never listed: no clue text can reach the file.
    assert "CANARY" not in text


def test_workbook_has_the_unit_kind_sheet_and_the_page_its_table(world, client):
    log_in(client, world.readers.officer)
    page = client.get(reverse("dossier:statistics"), {"year": LAST_YEAR}).content.decode()
    assert 'id="by-unit-kind"' in page and "单位类别" in page and "format=pdf" in page
    export = client.get(reverse("dossier:statistics"), {"year": LAST_YEAR, "format": "xlsx"})
    book = openpyxl.load_workbook(io.BytesIO(b"".join(export.streaming_content) if export.streaming else export.content))
    assert len(book.worksheets) == 2
    rows = [row for row in book.worksheets[1].iter_rows(values_only=True)]
    assert any(row[0] == "合计" for row in rows) and any(row[0] == "政府部门" for row in rows)
