"""Target indicators: manual entry and xlsx import with row-level errors, nothing stored on error."""

import io
import zipfile

import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from python_calamine import CalamineWorkbook

from jiandu.accounts.access import NotVisible
from jiandu.appraisals import actions, targets
from jiandu.appraisals.models import TargetIndicator
from jiandu.core.errors import ActionError, RowErrors
from jiandu.core.models import JournalEntry

from .conftest import make_team, open_cycle

pytestmark = pytest.mark.django_db


def workbook(rows, headers=targets.HEADERS) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, headers)
    for i, r in enumerate(rows, start=1):
        sheet.write_row(i, 0, r)
    book.close()
    return SimpleUploadedFile("targets.xlsx", buffer.getvalue())


@pytest.fixture
def cycle(district, officer):
    cycle = actions.create_cycle(actor=officer, unit=district, year=2025)
    for name in ("区财政局", "区教育局"):
        unit, _ = make_team(district, name, titles=("局长",))
        actions.add_unit(actor=officer, cycle=cycle, unit=unit)
    return cycle


def test_save_indicators_replaces_and_journals(cycle, officer):
    assessed = cycle.units.first()
    actions.save_indicators(
        actor=officer, assessed_unit=assessed, rows=[{"name": "收入", "weight": "60", "score": "90"}, {"name": "支出", "weight": 40, "score": 85.5}]
    )
    assert [(i.name, str(i.weight), str(i.score)) for i in assessed.indicators.all()] == [("收入", "60.00", "90.00"), ("支出", "40.00", "85.50")]
    assert JournalEntry.objects.get(action="appraisals.targets.saved").data["target_base"] == "441/5"  # (5400 + 3420) / 100 = 88.2
    actions.save_indicators(actor=officer, assessed_unit=assessed, rows=[{"name": "综合", "weight": "1", "score": "80"}])
    assert assessed.indicators.count() == 1


def test_save_indicators_row_errors_store_nothing(cycle, officer, outsider):
    assessed = cycle.units.first()
    actions.save_indicators(actor=officer, assessed_unit=assessed, rows=[{"name": "原有", "weight": "1", "score": "80"}])
    with pytest.raises(RowErrors) as exc:
        actions.save_indicators(
            actor=officer,
            assessed_unit=assessed,
            rows=[
                {"name": "好的", "weight": "50", "score": "90"},
                {"name": "", "weight": "0", "score": "101"},
                {"name": "好的", "weight": "1.234", "score": "abc"},
            ],
        )
    problems = [(e["row"], e["message"]) for e in exc.value.errors]
    assert (2, "The indicator name is required.") in problems
    assert (2, "Weight must be greater than zero.") in problems
    assert (2, "Score must be from 0 to 100.") in problems
    assert (3, "Weight has more than two decimals.") in problems and (3, "Score must be a number.") in problems
    assert (3, "好的 appears twice for this unit.") not in problems  # the row itself was invalid
    assert [i.name for i in assessed.indicators.all()] == ["原有"]
    with pytest.raises(NotVisible):
        actions.save_indicators(actor=outsider, assessed_unit=assessed, rows=[])


def test_import_happy_path_and_template_round_trip(cycle, officer):
    data = targets.template([(u.unit_name, []) for u in cycle.units.all()])
    rows = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    assert rows[0] == targets.HEADERS and [r[0] for r in rows[1:]] == ["区财政局", "区教育局"]
    upload = workbook([["区财政局", "收入", 60, 90, ""], ["区财政局", "支出", 40, 85.5, "说明"], ["区教育局", "", "", "", ""]])
    summary = actions.import_targets(actor=officer, cycle=cycle, file=upload)
    assert summary == {"units": 1, "indicators": 2}
    finance = cycle.units.get(unit_name="区财政局")
    assert [(i.name, float(i.score)) for i in finance.indicators.all()] == [("收入", 90.0), ("支出", 85.5)]
    assert cycle.units.get(unit_name="区教育局").indicators.count() == 0
    entry = JournalEntry.objects.get(action="appraisals.targets.imported")
    assert entry.data["indicators"] == 2 and entry.data["target_base"] == {"区财政局": "441/5"}


def test_the_template_keeps_existing_indicators_and_never_writes_a_formula(cycle, officer):
    finance = cycle.units.get(unit_name="区财政局")
    actions.save_indicators(actor=officer, assessed_unit=finance, rows=[{"name": '=HYPERLINK("x")', "weight": "60", "score": "90.5", "note": "=1+1"}])
    data = targets.template([(u.unit_name, list(u.indicators.all())) for u in cycle.units.all()])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet  # the names are text, not formulas
    rows = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    assert rows[1] == ["区财政局", '=HYPERLINK("x")', 60.0, 90.5, "=1+1"] and rows[2][0] == "区教育局"


def test_import_with_errors_stores_nothing(cycle, officer):
    finance = cycle.units.get(unit_name="区财政局")
    actions.save_indicators(actor=officer, assessed_unit=finance, rows=[{"name": "原有", "weight": "1", "score": "80"}])
    upload = workbook([["区财政局", "收入", 60, 90, ""], ["外区单位", "支出", 40, 85, ""], ["区教育局", "教学", -1, 70, ""], ["区财政局", "收入", 1, 1, ""]])
    with pytest.raises(RowErrors) as exc:
        actions.import_targets(actor=officer, cycle=cycle, file=upload)
    assert [(e["row"], e["column"]) for e in exc.value.errors] == [(3, "Unit"), (4, "Weight"), (5, "Indicator")]
    assert [i.name for i in finance.indicators.all()] == ["原有"]
    assert not JournalEntry.objects.filter(action="appraisals.targets.imported").exists()


def test_import_rejects_wrong_files(cycle, officer):
    with pytest.raises(ActionError) as exc:
        actions.import_targets(actor=officer, cycle=cycle, file=SimpleUploadedFile("x.xlsx", b"not a workbook"))
    assert exc.value.field == "file"
    with pytest.raises(ActionError):
        actions.import_targets(actor=officer, cycle=cycle, file=SimpleUploadedFile("x.xlsx", b"PK\x03\x04broken zip"))
    with pytest.raises(RowErrors) as exc:
        actions.import_targets(actor=officer, cycle=cycle, file=workbook([["区财政局", "a", 1, 1]], headers=["unit", "x"]))
    assert exc.value.errors[0]["row"] == 1


def test_nul_characters_in_name_or_note_are_refused_on_every_database(cycle, officer):
    # PostgreSQL cannot store NUL: the row check names it instead of failing at the insert.
    assessed = cycle.units.first()
    with pytest.raises(RowErrors) as exc:
        actions.save_indicators(
            actor=officer,
            assessed_unit=assessed,
            rows=[{"name": "收\x00入", "weight": "1", "score": "80"}, {"name": "支出", "weight": "1", "score": "80", "note": "a\x00"}],
        )
    assert [(e["row"], e["message"]) for e in exc.value.errors] == [
        (1, "The indicator name contains a NUL character."),
        (2, "The note contains a NUL character."),
    ]
    assert not assessed.indicators.exists()


def test_targets_fixed_after_close(cycle, officer):
    for assessed in cycle.units.all():
        actions.save_indicators(actor=officer, assessed_unit=assessed, rows=[{"name": "综合", "weight": "1", "score": "80"}])
    open_cycle(officer, cycle)
    actions.save_indicators(actor=officer, assessed_unit=cycle.units.first(), rows=[{"name": "综合", "weight": "1", "score": "82"}])
    actions.close_evaluation(actor=officer, cycle=cycle)
    with pytest.raises(ActionError) as exc:
        actions.save_indicators(actor=officer, assessed_unit=cycle.units.first(), rows=[])
    assert exc.value.code == "stage"
    assert TargetIndicator.objects.filter(score=82).count() == 1
