import datetime as dt

import pytest

from jiandu.accounts.access import NotVisible
from jiandu.core.calendar import add_working_days
from jiandu.core.errors import ActionError
from jiandu.core.models import JournalEntry, LocalSetting
from jiandu.oversight import deadlines, influence, queries
from jiandu.oversight.actions import dispositions as actions
from jiandu.oversight.models import Attachment, Disposition, Measure, Talk

from .conftest import exe_upload, pdf_upload

pytestmark = pytest.mark.django_db


def record(d, measure, decided_on, **kw):
    kw.setdefault("deciding_body", "区纪委监委")
    kw.setdefault("grounds", "违反廉洁纪律")
    return actions.record_disposition(actor=d.officer, cadre=d.cadre_a, measure=measure, decided_on=decided_on, **kw)


def running(d, on):
    return [r.measure for r in queries.active_influence(d.cadre_a, on=on)]


@pytest.mark.parametrize(
    ("measure", "decided_on", "last_day"),
    [
        (Measure.PARTY_WARNING, dt.date(2025, 3, 15), dt.date(2026, 3, 14)),
        (Measure.PARTY_SERIOUS_WARNING, dt.date(2025, 3, 15), dt.date(2026, 9, 14)),
        (Measure.PARTY_POST_REMOVAL, dt.date(2024, 3, 15), dt.date(2026, 3, 14)),
        # No 2026-02-31: the month's last day is the period's last day (influence.py, 民法典 art. 202).
        (Measure.ADMIN_WARNING, dt.date(2025, 8, 31), dt.date(2026, 2, 28)),
        (Measure.ADMIN_DEMERIT, dt.date(2025, 1, 10), dt.date(2026, 1, 9)),
        (Measure.ADMIN_MAJOR_DEMERIT, dt.date(2024, 7, 1), dt.date(2025, 12, 31)),
        (Measure.ADMIN_DOWNGRADE, dt.date(2024, 2, 29), dt.date(2026, 2, 28)),
        (Measure.ADMIN_DISMISSAL_FROM_POST, dt.date(2024, 5, 20), dt.date(2026, 5, 19)),
        (Measure.ADMONISHMENT_WRITING, dt.date(2025, 10, 8), dt.date(2026, 4, 7)),
        (Measure.REMOVAL_ACCOUNTABILITY, dt.date(2024, 6, 1), dt.date(2026, 5, 31)),
        (Measure.RESIGNATION_ACCOUNTABILITY, dt.date(2024, 6, 1), dt.date(2026, 5, 31)),
        (Measure.REMOVAL_UNSUITABLE, dt.date(2025, 1, 31), dt.date(2026, 1, 30)),
        (Measure.TRANSFER, dt.date(2024, 6, 1), dt.date(2025, 5, 31)),
        (Measure.ADMIN_WARNING, dt.date(2025, 8, 30), dt.date(2026, 2, 28)),
        (Measure.ADMIN_WARNING, dt.date(2025, 8, 28), dt.date(2026, 2, 27)),
    ],
)
def test_influence_period_boundaries(d, measure, decided_on, last_day):
    disposition = record(d, measure, decided_on)
    assert disposition.influence_ends_on == last_day
    assert running(d, decided_on - dt.timedelta(days=1)) == []
    assert running(d, decided_on) == [measure]
    assert running(d, last_day - dt.timedelta(days=1)) == [measure]
    assert running(d, last_day) == [measure]
    assert running(d, last_day + dt.timedelta(days=1)) == []
    assert disposition.influence_free_on == last_day + dt.timedelta(days=1)
    assert str(last_day) in influence.explain(disposition)


def test_probation_runs_its_term_plus_two_years(d):
    one = record(d, Measure.PARTY_PROBATION, dt.date(2023, 4, 1), probation_years=1)
    assert one.influence_months == 36 and one.influence_ends_on == dt.date(2026, 3, 31)
    two = actions.record_disposition(
        actor=d.officer,
        cadre=d.cadre_b,
        measure=Measure.PARTY_PROBATION,
        decided_on=dt.date(2023, 4, 1),
        deciding_body="区纪委",
        grounds="x",
        probation_years=2,
    )
    assert two.influence_months == 48 and two.influence_ends_on == dt.date(2027, 3, 31)


def test_probation_term_is_checked(d):
    with pytest.raises(ActionError) as exc:
        record(d, Measure.PARTY_PROBATION, dt.date(2025, 1, 1))
    assert exc.value.field == "probation_years"
    with pytest.raises(ActionError):
        record(d, Measure.PARTY_WARNING, dt.date(2025, 1, 1), probation_years=1)
    assert not Disposition.objects.exists()


def test_expulsion_has_no_end_and_reminder_no_period(d):
    record(d, Measure.PARTY_EXPULSION, dt.date(2020, 1, 1))
    record(d, Measure.REMINDER, dt.date(2025, 1, 1))
    assert running(d, dt.date(2040, 1, 1)) == [Measure.PARTY_EXPULSION]
    assert running(d, dt.date(2025, 1, 1)) == [Measure.PARTY_EXPULSION]


def test_admonishment_period_is_a_setting(d):
    LocalSetting.objects.create(key="oversight.admonishment_influence_months", value=12)
    disposition = record(d, Measure.ADMONISHMENT_TALK, dt.date(2025, 1, 1))
    assert disposition.influence_ends_on == dt.date(2025, 12, 31)


def test_record_journals_and_checks_input(d):
    disposition = record(d, Measure.PARTY_WARNING, dt.date(2025, 3, 15), document=pdf_upload())
    entry = JournalEntry.objects.get(action="oversight.disposition.recorded")
    assert entry.cadre_id == d.cadre_a.pk and entry.data["influence_ends_on"] == "2026-03-14"
    assert Attachment.objects.filter(owner_type="disposition", owner_id=disposition.pk).count() == 1
    with pytest.raises(ActionError) as exc:
        record(d, Measure.PARTY_WARNING, dt.date.today() + dt.timedelta(days=1))
    assert exc.value.field == "decided_on"
    with pytest.raises(ActionError) as exc:
        record(d, "nonsense", dt.date(2025, 1, 1))
    assert exc.value.field == "measure"
    with pytest.raises(ActionError) as exc:
        record(d, Measure.PARTY_WARNING, dt.date(2025, 1, 1), grounds=" ")
    assert exc.value.field == "grounds"
    with pytest.raises(ActionError) as exc:
        actions.record_disposition(actor=d.officer, cadre=999999, measure=Measure.PARTY_WARNING, decided_on=dt.date(2025, 1, 1), deciding_body="x", grounds="y")
    assert exc.value.field == "cadre"
    assert Disposition.objects.count() == 1


def test_disguised_upload_stores_nothing(d):
    with pytest.raises(ActionError) as exc:
        record(d, Measure.PARTY_WARNING, dt.date(2025, 3, 15), document=exe_upload())
    assert exc.value.field == "file"
    assert not Disposition.objects.exists() and not Attachment.objects.exists()
    assert not JournalEntry.objects.filter(action__startswith="oversight.").exists()


def test_oversized_upload_stores_nothing(d):
    LocalSetting.objects.create(key="oversight.upload_max_mb", value=1)
    with pytest.raises(ActionError) as exc:
        record(d, Measure.PARTY_WARNING, dt.date(2025, 3, 15), document=pdf_upload(size=1024 * 1024 + 1))
    assert "1 MB" in exc.value.message
    assert not Disposition.objects.exists() and not Attachment.objects.exists()


def test_wrong_unit_officer_cannot_record(d):
    with pytest.raises(NotVisible):
        actions.record_disposition(
            actor=d.officer_b, cadre=d.cadre_a, measure=Measure.PARTY_WARNING, decided_on=dt.date(2025, 1, 1), deciding_body="x", grounds="y"
        )


def test_revocation_keeps_history(d):
    disposition = record(d, Measure.ADMIN_DEMERIT, dt.date(2025, 6, 1))
    with pytest.raises(NotVisible):
        actions.revoke_disposition(actor=d.officer, disposition=disposition, reason="复查撤销")  # needs oversight.confirm
    with pytest.raises(ActionError) as exc:
        actions.revoke_disposition(actor=d.head, disposition=disposition, reason="")
    assert exc.value.field == "reason"
    actions.revoke_disposition(actor=d.head, disposition=disposition, reason="复查撤销")
    disposition.refresh_from_db()
    assert disposition.status == Disposition.Status.REVOKED and disposition.grounds == "违反廉洁纪律"
    assert disposition.closed_reason == "复查撤销" and disposition.closed_by == d.head
    assert running(d, dt.date(2025, 7, 1)) == []
    assert Disposition.objects.filter(pk=disposition.pk).exists()
    assert JournalEntry.objects.filter(action="oversight.disposition.revoked", cadre_id=d.cadre_a.pk).exists()
    assert JournalEntry.objects.filter(action="oversight.disposition.recorded", target_id=str(disposition.pk)).exists()
    with pytest.raises(ActionError):
        actions.revoke_disposition(actor=d.head, disposition=disposition, reason="again")


def test_correction_creates_a_new_disposition(d):
    old = record(d, Measure.PARTY_SERIOUS_WARNING, dt.date(2025, 3, 15))
    new = actions.correct_disposition(actor=d.head, disposition=old, reason="适用条款错误", measure=Measure.PARTY_WARNING)
    old.refresh_from_db()
    assert old.status == Disposition.Status.CORRECTED and old.measure == Measure.PARTY_SERIOUS_WARNING
    assert new.corrects == old and new.influence_ends_on == dt.date(2026, 3, 14)
    assert running(d, dt.date(2026, 6, 1)) == []
    entry = JournalEntry.objects.get(action="oversight.disposition.corrected")
    assert entry.data["before"]["measure"] == "party_serious_warning" and entry.data["after"]["measure"] == "party_warning"
    with pytest.raises(ActionError):
        actions.correct_disposition(actor=d.head, disposition=old, reason="again")


def test_create_admonishment_makes_a_required_talk_with_deadline(d):
    decided = dt.date(2026, 9, 28)
    disposition = actions.create_admonishment(
        actor=d.head,
        cadre=d.cadre_a,
        grounds="民主测评不满意率达到三分之一",
        source_type="appraisals.proposal",
        source_id=7,
        figures={"dissatisfied": 12, "valid": 30},
        decided_on=decided,
    )
    assert disposition.measure == Measure.ADMONISHMENT_TALK and disposition.influence_ends_on == dt.date(2027, 3, 27)
    talk = Talk.objects.get(disposition=disposition)
    # 10 working days from 2026-09-28: 09-29, 09-30, [10-01…10-07 National Day], 10-08, 10-09,
    # 10-10 (adjusted working Saturday), [10-11 Sunday], 10-12, 10-13, 10-14, 10-15, 10-16.
    assert talk.status == Talk.Status.REQUIRED and talk.due_on == dt.date(2026, 10, 16)
    assert talk.due_on == add_working_days(decided, 10).due
    assert "10-10" in deadlines.explain(talk.due_rule)
    entry = JournalEntry.objects.get(action="oversight.admonishment.created")
    assert entry.cadre_id == d.cadre_a.pk and entry.data["talk_due"]["due"] == "2026-10-16"
    assert list(queries.overdue_required_talks(d.officer, today=dt.date(2026, 10, 16))) == []
    assert list(queries.overdue_required_talks(d.officer, today=dt.date(2026, 10, 17))) == [talk]
    with pytest.raises(ActionError) as exc:
        actions.create_admonishment(actor=d.head, cadre=d.cadre_a, grounds="x", source_type="appraisals.proposal", source_id=7, figures={}, decided_on=decided)
    assert exc.value.code == "duplicate"


def test_create_admonishment_preconditions(d):
    with pytest.raises(NotVisible):
        actions.create_admonishment(actor=d.officer, cadre=d.cadre_a, grounds="x", source_type="s", source_id=1, figures={})
    with pytest.raises(ActionError) as exc:
        actions.create_admonishment(actor=d.head, cadre=d.cadre_a, grounds="", source_type="s", source_id=1, figures={})
    assert exc.value.field == "grounds"
    with pytest.raises(ActionError) as exc:
        actions.create_admonishment(actor=d.head, cadre=d.cadre_a, grounds="x", source_type="", source_id=1, figures={})
    assert exc.value.field == "source_type"
    assert not Disposition.objects.exists() and not Talk.objects.exists()


def test_revoking_a_yellow_card_cancels_its_pending_talk(d):
    disposition = actions.create_admonishment(actor=d.head, cadre=d.cadre_a, grounds="x", source_type="s", source_id=1, figures={})
    actions.revoke_disposition(actor=d.head, disposition=disposition, reason="测评数据有误")
    talk = Talk.objects.get(disposition=disposition)
    assert talk.status == Talk.Status.CANCELLED and talk.cancel_reason == "测评数据有误"


def test_attach_document(d):
    disposition = record(d, Measure.PARTY_WARNING, dt.date(2025, 3, 15))
    actions.attach_document(actor=d.officer, disposition=disposition, document=pdf_upload())
    assert JournalEntry.objects.filter(action="oversight.disposition.document_added").exists()
    with pytest.raises(NotVisible):
        actions.attach_document(actor=d.officer_b, disposition=disposition, document=pdf_upload())
