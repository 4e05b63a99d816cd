"""The shared rectification building blocks (jiandu.core.rectification), exercised on a concrete
subclass (the inspection tours' tables; audits use the same functions): deadlines, the state
changes, follow-up visits, evidence attacks and the overdue reminder and escalation."""

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jiandu.core.calendar import add_working_days, working_days_between
from jiandu.core.errors import ActionError
from jiandu.core.models import JournalEntry, LocalSetting
from jiandu.core.rectification import evidence, flow
from jiandu.oversight.models import FollowUpVisit, InspectionTour, RectificationItem, RectificationUpdate
from jiandu.testing import make_unit, make_user

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()
CODES = flow.Codes(
    progress="oversight.tour.progress_recorded",
    returned="oversight.tour.item_returned",
    closed="oversight.tour.item_closed",
    visited="oversight.tour.item_visited",
    overdue="oversight.tour.item_overdue",
    escalated="oversight.tour.item_escalated",
)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def item():
    unit = make_unit(name="示范区财政局")
    officer = make_user(role="org_officer")
    tour = InspectionTour.objects.create(
        name="第一轮巡察", year=TODAY.year, organiser=unit, planned_start=TODAY, planned_end=TODAY, stage="rectification", created_by=officer
    )
    made = RectificationItem.objects.create(tour=tour, unit=unit, measure="退回津贴", owner="王局长", due_on=TODAY)
    made.actor = officer
    return made


def _context(item):
    return {"target": item.tour, "unit": item.unit}


def _progress(item, **kw):
    return flow.record_progress(
        actor=item.actor, item=item, report_model=RectificationUpdate, codes=CODES, context=_context(item), **{"progress": "已退回", "on": TODAY, **kw}
    )


def _close(item, **kw):
    return flow.verify_and_close(actor=item.actor, item=item, codes=CODES, context=_context(item), **{"note": "核实", **kw})


def _visit(item, **kw):
    return flow.record_visit(
        actor=item.actor,
        item=item,
        visit_model=FollowUpVisit,
        codes=CODES,
        context=_context(item),
        **{"visited_on": TODAY, "visited_by": "回访组", "outcome": "in_place", **kw},
    )


def test_overdue_from_the_day_after_the_deadline_and_never_when_closed(item):
    assert not item.is_overdue(item.due_on - dt.timedelta(days=1))
    assert not item.is_overdue(item.due_on)  # the day of the deadline: not yet
    assert item.is_overdue(item.due_on + dt.timedelta(days=1))
    item.status = item.Status.REPORTED  # awaiting verification is still not rectified
    assert item.is_overdue(item.due_on + dt.timedelta(days=1))
    item.status = item.Status.CLOSED
    assert not item.is_overdue(item.due_on + dt.timedelta(days=365))


def test_default_deadline_is_60_days_after_the_report_and_a_setting():
    reported = dt.date(2026, 3, 2)
    assert flow.default_due(reported).due == dt.date(2026, 5, 1)
    due, rule = flow.deadline(None, reported_on=reported)
    assert due == dt.date(2026, 5, 1) and "60" in rule
    LocalSetting.objects.create(key="rectification.default_days", value=30)
    assert flow.deadline("", reported_on=reported)[0] == dt.date(2026, 4, 1)
    assert flow.deadline(dt.date(2026, 3, 2), reported_on=reported)[0] == dt.date(2026, 3, 2)  # the report's day itself
    with pytest.raises(ActionError) as exc:
        flow.deadline(dt.date(2026, 3, 1), reported_on=reported)
    assert exc.value.field == "due_on"


def test_progress_verify_return_close_and_closing_twice_refused(item):
    with pytest.raises(ActionError):  # nothing reported yet
        _close(item)
    with pytest.raises(ActionError):
        flow.return_for_more_work(actor=item.actor, item=item, report_model=RectificationUpdate, codes=CODES, context=_context(item), note="不够")
    with pytest.raises(ActionError):  # NUL refused
        _progress(item, progress="已\x00退回")
    with pytest.raises(ActionError):  # in the future
        _progress(item, on=TODAY + dt.timedelta(days=1))
    assert not RectificationUpdate.objects.exists()
    _progress(item)
    assert item.status == "reported"
    with pytest.raises(ActionError) as exc:  # returning needs the reason
        flow.return_for_more_work(actor=item.actor, item=item, report_model=RectificationUpdate, codes=CODES, context=_context(item), note=" ")
    assert exc.value.field == "note"
    flow.return_for_more_work(actor=item.actor, item=item, report_model=RectificationUpdate, codes=CODES, context=_context(item), note="凭证不全")
    item.refresh_from_db()
    assert item.status == "open" and [u.kind for u in item.updates.all()] == ["progress", "returned"]
    _progress(item, progress="补齐凭证")
    _close(item)
    item.refresh_from_db()
    assert (item.status, item.closed_on, item.verified_by) == ("closed", TODAY, item.actor)
    with pytest.raises(ActionError, match="closed|销号"):
        _close(item)
    with pytest.raises(ActionError):
        _progress(item)
    codes = list(JournalEntry.objects.filter(action__startswith="oversight.tour.").order_by("id").values_list("action", flat=True))
    assert codes == [CODES.progress, CODES.returned, CODES.progress, CODES.closed]


def test_follow_up_visit_only_on_a_closed_item_and_not_before_its_closing(item):
    with pytest.raises(ActionError):
        _visit(item)
    _progress(item)
    with pytest.raises(ActionError):  # reported, not yet closed
        _visit(item)
    _close(item)
    with pytest.raises(ActionError) as exc:
        _visit(item, visited_on=TODAY - dt.timedelta(days=1))
    assert exc.value.field == "visited_on"
    with pytest.raises(ActionError) as exc:  # a rebound needs the note saying what came back
        _visit(item, outcome="rebound")
    assert exc.value.field == "note"
    with pytest.raises(ActionError):
        _visit(item, outcome="forgotten")
    assert not FollowUpVisit.objects.exists()
    visit = _visit(item, outcome="rebound", note="津贴又在发放")
    assert visit.get_outcome_display() and JournalEntry.objects.filter(action=CODES.visited).count() == 1


def _stored_files() -> list[Path]:
    root = evidence.storage_root()
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _exe_body() -> bytes:
    return b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 56 + b"PE\x00\x00" + b"\x00" * 200


def _zip_without_office() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.exe", _exe_body())
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "body", "message"),
    [
        ("凭证.pdf", b"", "empty|空"),
        ("凭证.pdf", b"hello, this is text", "type|类型"),
        ("凭证.pdf", _exe_body(), "type|类型"),  # a renamed executable
        ("setup.exe", _exe_body(), "type|类型"),
        ("凭证.docx", _zip_without_office(), "type|类型"),  # a zip that is no office document
        ("凭证.jpg", PDF, "match|不符"),  # a PDF under an image's name
        ("凭证.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 4 + b"IHDR" + (100000).to_bytes(4, "big") * 2, "large|过大|pixels|像素"),
    ],
)
def test_evidence_attacks_are_refused_with_nothing_stored(item, name, body, message):
    with pytest.raises(ActionError, match=message) as exc:
        _progress(item, evidence=SimpleUploadedFile(name, body))
    assert exc.value.field == "evidence"
    item.refresh_from_db()
    assert item.status == "open" and not RectificationUpdate.objects.exists()
    assert not JournalEntry.objects.filter(action__startswith="oversight.tour.").exists()
    assert _stored_files() == []


def test_oversize_evidence_is_refused_before_reading_it(item):
    LocalSetting.objects.create(key="rectification.evidence_max_mb", value=1)

    class Huge(SimpleUploadedFile):
        def read(self, *args):  # the declared size alone must refuse it
            raise AssertionError("read an oversize upload")

    with pytest.raises(ActionError, match="1 MB"):
        _progress(item, evidence=Huge("凭证.pdf", PDF + b"0" * (1024 * 1024)))
    with pytest.raises(ActionError, match="1 MB"):  # one byte over the limit, size not declared
        upload = SimpleUploadedFile("凭证.pdf", PDF + b"0" * (1024 * 1024 - len(PDF) + 1))
        upload.size = None
        _progress(item, evidence=upload)
    assert not RectificationUpdate.objects.exists() and _stored_files() == []
    exactly = _progress(item, evidence=SimpleUploadedFile("凭证.pdf", PDF + b"0" * (1024 * 1024 - len(PDF))))
    assert exactly.evidence_size == 1024 * 1024 and evidence.path_of(exactly).read_bytes()[:5] == b"%PDF-"
    assert exactly.evidence_content_type == "application/pdf" and len(exactly.evidence_sha256) == 64


def test_reminded_the_day_after_and_escalated_at_exactly_n_working_days(item):
    LocalSetting.objects.create(key="rectification.escalation_working_days", value=5)
    due = dt.date(2026, 9, 1)
    RectificationItem.objects.filter(pk=item.pk).update(due_on=due)
    items = RectificationItem.objects.select_related("tour", "unit")

    def run(today):
        return flow.send_overdue_reminders(items=items, codes=CODES, context_of=_context, today=today)

    assert run(due) == 0  # the day of the deadline: not overdue
    assert run(due + dt.timedelta(days=1)) == 1  # reminded
    assert run(due + dt.timedelta(days=1)) == 0  # once
    before = add_working_days(due, 4).due
    assert working_days_between(due, before) == 4 and run(before) == 0
    on = add_working_days(due, 5).due
    assert run(on) == 1 and run(on) == 0
    item.refresh_from_db()
    assert (item.reminded_on, item.escalated_on) == (due + dt.timedelta(days=1), on)
    entry = JournalEntry.objects.get(action=CODES.escalated)
    assert entry.data["working_days"] == 5 and entry.role == "system"


def test_closed_items_are_neither_reminded_nor_escalated(item):
    RectificationItem.objects.filter(pk=item.pk).update(status="closed", due_on=TODAY - dt.timedelta(days=100))
    items = RectificationItem.objects.select_related("tour", "unit")
    assert flow.send_overdue_reminders(items=items, codes=CODES, context_of=_context, today=TODAY) == 0
