"""Cycles: creation, membership, self-reports, completion preconditions."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jiandu.accounts.access import NotVisible
from jiandu.appraisals import actions
from jiandu.appraisals.models import AppraisalCycle, AssessedCadre
from jiandu.core.errors import ActionError
from jiandu.core.models import JournalEntry
from jiandu.testing import make_cadre, make_unit

from .conftest import make_team

pytestmark = pytest.mark.django_db


def test_create_cycle_defaults_and_journal(district, officer):
    cycle = actions.create_cycle(actor=officer, unit=district, year=2025)
    assert cycle.title == "2025年度领导班子和领导干部年度考核"
    assert cycle.status == AppraisalCycle.Status.SETUP and cycle.kind == "annual"
    entry = JournalEntry.objects.get(action="appraisals.cycle.created")
    assert entry.target_id == str(cycle.pk) and entry.unit_id == district.pk and entry.data["year"] == 2025


def test_create_cycle_preconditions(district, officer, outsider):
    with pytest.raises(ActionError) as exc:
        actions.create_cycle(actor=officer, unit=district, year=1999)
    assert exc.value.field == "year"
    with pytest.raises(ActionError) as exc:
        actions.create_cycle(actor=officer, unit=district, year=2025, kind="weekly")
    assert exc.value.field == "kind"
    actions.create_cycle(actor=officer, unit=district, year=2025)
    with pytest.raises(ActionError) as exc:
        actions.create_cycle(actor=officer, unit=district, year=2025)
    assert exc.value.field == "year"
    # other kinds may repeat in a year
    actions.create_cycle(actor=officer, unit=district, year=2025, kind="special", title="2025年专项考核")
    with pytest.raises(NotVisible):
        actions.create_cycle(actor=outsider, unit=district, year=2024)
    with pytest.raises(ActionError):
        actions.create_cycle(actor=officer, unit=None, year=2024)


def test_update_cycle(district, officer):
    cycle = actions.create_cycle(actor=officer, unit=district, year=2025)
    actions.update_cycle(actor=officer, cycle=cycle, title="新标题", uses_target_scores=False)
    cycle.refresh_from_db()
    assert cycle.title == "新标题" and not cycle.uses_target_scores
    assert JournalEntry.objects.get(action="appraisals.cycle.updated").data["changed"]["title"] == ["2025年度领导班子和领导干部年度考核", "新标题"]
    with pytest.raises(ActionError) as exc:
        actions.update_cycle(actor=officer, cycle=cycle, title="  ")
    assert exc.value.field == "title"


def test_add_unit_takes_its_leadership_team(district, officer):
    unit, cadres = make_team(district, "区财政局")
    cycle = actions.create_cycle(actor=officer, unit=district, year=2025)
    assessed = actions.add_unit(actor=officer, cycle=cycle, unit=unit)
    rows = list(assessed.cadres.order_by("order"))
    assert [r.cadre for r in rows] == cadres and rows[0].post == "局长"
    entry = JournalEntry.objects.get(action="appraisals.unit.added")
    assert entry.data["cadres_added"] == 2 and entry.unit_id == unit.pk
    with pytest.raises(ActionError) as exc:
        actions.add_unit(actor=officer, cycle=cycle, unit=unit)
    assert exc.value.field == "unit"
    outside = make_unit(name="外区单位")
    with pytest.raises(ActionError):
        actions.add_unit(actor=officer, cycle=cycle, unit=outside)


def test_add_and_remove_cadre_and_unit(district, officer):
    unit, cadres = make_team(district, "区教育局", titles=("局长",))
    cycle = actions.create_cycle(actor=officer, unit=district, year=2025)
    assessed = actions.add_unit(actor=officer, cycle=cycle, unit=unit)
    extra = make_cadre(unit=unit, name="王小二")
    row = actions.add_cadre(actor=officer, assessed_unit=assessed, cadre=extra, post="党组成员")
    assert row.post == "党组成员"
    assert JournalEntry.objects.get(action="appraisals.cadre.added").cadre_id == extra.pk
    with pytest.raises(ActionError):
        actions.add_cadre(actor=officer, assessed_unit=assessed, cadre=extra)
    actions.remove_cadre(actor=officer, assessed_cadre=row)
    assert not AssessedCadre.objects.filter(pk=row.pk).exists()
    assert JournalEntry.objects.get(action="appraisals.cadre.removed").cadre_id == extra.pk
    actions.remove_unit(actor=officer, assessed_unit=assessed)
    assert not cycle.units.exists() and not cycle.cadres.exists()
    assert JournalEntry.objects.filter(action="appraisals.unit.removed").exists()


def test_reports_text_and_pdf(district, officer, settings, tmp_path):
    unit, cadres = make_team(district, "区卫健局", titles=("局长",))
    cycle = actions.create_cycle(actor=officer, unit=district, year=2025)
    assessed = actions.add_unit(actor=officer, cycle=cycle, unit=unit)
    row = assessed.cadres.get()
    actions.set_team_report(actor=officer, assessed_unit=assessed, text="班子述职全文")
    actions.set_cadre_report(actor=officer, assessed_cadre=row, text="个人述职", file=SimpleUploadedFile("述职.pdf", b"%PDF-1.4 test"))
    row.refresh_from_db()
    assert row.report_text == "个人述职" and row.report_file_name == "述职.pdf" and row.report_file.name.endswith(".pdf")
    entry = JournalEntry.objects.filter(action="appraisals.report.changed", cadre_id=row.cadre_id).get()
    assert entry.data["fields"] == ["report_file", "report_text"]
    with pytest.raises(ActionError) as exc:
        actions.set_cadre_report(actor=officer, assessed_cadre=row, file=SimpleUploadedFile("x.pdf", b"MZ not a pdf"))
    assert exc.value.field == "report_file"
    actions.set_cadre_report(actor=officer, assessed_cadre=row, remove_file=True)
    row.refresh_from_db()
    assert not row.report_file


def test_membership_frozen_once_evaluation_open(district, officer):
    from .conftest import open_cycle

    unit, cadres = make_team(district, "区民政局", titles=("局长",))
    cycle = actions.create_cycle(actor=officer, unit=district, year=2025)
    assessed = actions.add_unit(actor=officer, cycle=cycle, unit=unit)
    open_cycle(officer, cycle)
    with pytest.raises(ActionError) as exc:
        actions.add_unit(actor=officer, cycle=cycle, unit=make_unit(parent=district))
    assert exc.value.code == "stage"
    with pytest.raises(ActionError):
        actions.remove_cadre(actor=officer, assessed_cadre=assessed.cadres.get())
    with pytest.raises(ActionError):
        actions.complete_cycle(actor=officer, cycle=cycle)
