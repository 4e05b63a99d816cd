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
