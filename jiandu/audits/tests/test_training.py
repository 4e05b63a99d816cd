"""Training and warning education (培训与警示教育, issue #13 §7): sessions, participants picked or
imported, attendance, hours per cadre and year, absences from required sessions, access."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from jiandu.audits import timeline, training_actions, training_queries
from jiandu.audits.models import TrainingParticipant, TrainingSession
from jiandu.core.errors import ActionError, RowErrors
from jiandu.core.models import JournalEntry
from jiandu.core.uploads import WorkbookError
from jiandu.testing import api_client, make_xlsx, raw_xlsx

J = "application/json"


def _session(d, *, held_on=dt.date(2026, 3, 10), hours="3", required=True, organiser=None, kind="warning_education", title="警示教育"):
    return training_actions.create_session(
        actor=d.auditor, kind=kind, title=title, held_on=held_on, hours=hours, organiser=organiser or d.finance, required=required, place="廉政教育基地"
    )


def _invite(d, session, *cadres):
    return [training_actions.add_participant(actor=d.auditor, session=session, cadre=c) for c in cadres]


def _mark(d, session, participant, attendance, reason=""):
    return training_actions.record_attendance(actor=d.auditor, session=session, participant_id=participant.pk, attendance=attendance, reason=reason)


# --- sessions ----------------------------------------------------------------------------------


def test_hours_boundary_zero_refused_24_accepted_24_and_a_half_refused(district):
    for bad in ("0", "0.0", "-1", "24.5", "24.1", "abc", "NaN", "1.25"):
        with pytest.raises(ActionError) as caught:
            _session(district, hours=bad)
        assert caught.value.field == "hours"
    assert not TrainingSession.objects.exists()
    assert _session(district, hours="24").hours == Decimal("24.0")
    assert _session(district, hours="0.5").hours == Decimal("0.5")
    # The page: 0 and 24.5 are refused beside the field, nothing stored; 24 is saved.
    from django.test import Client

    client = Client()
    client.force_login(district.auditor)
    data = {"kind": "regulation_study", "title": "党纪学习", "held_on": "2026-04-01", "hours": "0", "organiser": district.finance.pk}
    assert client.post(reverse("audits:training_create"), data).status_code == 400
    assert client.post(reverse("audits:training_create"), {**data, "hours": "24.5"}).status_code == 400
    assert TrainingSession.objects.count() == 2
    response = client.post(reverse("audits:training_create"), {**data, "hours": "24"})
    created = TrainingSession.objects.get(title="党纪学习")
    assert response["Location"] == reverse("audits:training_detail", args=[created.pk]) and created.hours == Decimal("24.0")
    assert JournalEntry.objects.filter(action="audits.training.session_created").count() == 3


def test_nul_characters_are_refused_everywhere(district, client):
    with pytest.raises(ActionError) as caught:
        _session(district, title="警示\x00教育")
    assert caught.value.field == "title"
    session = _session(district, held_on=dt.date(2026, 1, 5))
    (participant,) = _invite(district, session, district.zhang)
    with pytest.raises(ActionError):
        _mark(district, session, participant, "absent", "生病\x00")
    client.force_login(district.auditor)
    data = {"kind": "regulation_study", "title": "学习\x00", "held_on": "2026-04-01", "hours": "2", "organiser": district.finance.pk}
    assert client.post(reverse("audits:training_create"), data).status_code == 400
    client.post(reverse("audits:training_attendance", args=[session.pk]), {"participant": participant.pk, "attendance": "absent", "reason": "x\x00"})
    participant.refresh_from_db()
    assert participant.attendance == "pending" and TrainingSession.objects.count() == 1
    api = api_client(district.auditor)
    body = {"kind": "regulation_study", "title": "学习\x00", "held_on": "2026-04-01", "hours": "2", "organiser_id": district.finance.pk}
    assert api.post("/api/v1/audits/training/sessions", body, content_type=J).status_code in (400, 422)
    assert TrainingSession.objects.count() == 1


def test_attendance_rules_and_edit(district, client):
    session = _session(district, held_on=dt.date(2026, 6, 1))
    zhang, li = _invite(district, session, district.zhang, district.li)
    with pytest.raises(ActionError, match="already|已"):
        training_actions.add_participant(actor=district.auditor, session=session, cadre=district.zhang)
    with pytest.raises(ActionError) as caught:
        _mark(district, session, zhang, "absent")
    assert caught.value.field == "reason"
    with pytest.raises(ActionError):
        training_actions.record_attendance(actor=district.auditor, session=session, participant_id=zhang.pk, attendance="attended", today=dt.date(2026, 5, 31))
    training_actions.record_attendance(actor=district.auditor, session=session, participant_id=zhang.pk, attendance="attended", today=dt.date(2026, 6, 1))
    with pytest.raises(ActionError):
        training_actions.remove_participant(actor=district.auditor, session=session, participant_id=zhang.pk)
    training_actions.remove_participant(actor=district.auditor, session=session, participant_id=li.pk)
    with pytest.raises(ActionError) as caught:
        training_actions.update_session(
            actor=district.auditor, session=session, kind="warning_education", title="改期", held_on=dt.date(2099, 1, 1), hours="3", organiser=district.finance
        )
    assert caught.value.field == "held_on"
    assert list(session.participants.values_list("cadre__name", flat=True)) == ["张伟明"]
    client.force_login(district.auditor)
    edit = reverse("audits:training_edit", args=[session.pk])
    assert client.get(edit).status_code == 200
    data = {
        "kind": "economic_responsibility",
        "title": "经济责任培训",
        "held_on": "2026-06-01",
        "hours": "4",
        "organiser": district.finance.pk,
        "required": "on",
    }
    assert client.post(edit, data).status_code == 302
    session.refresh_from_db()
    assert (session.title, session.hours, session.kind) == ("经济责任培训", Decimal("4.0"), "economic_responsibility")
    # Picking a participant by name on the page.
    page = client.get(reverse("audits:training_detail", args=[session.pk]) + "?q=李").content.decode()
    assert "李秀英" in page
    client.post(reverse("audits:training_add", args=[session.pk]), {"cadre": district.li.pk})
    assert session.participants.count() == 2


# --- import ------------------------------------------------------------------------------------


HEADER = ["姓名", "身份证号"]


def test_import_with_a_bad_row_stores_nothing_and_names_the_unknown_cadre(district, tmp_path, client):
    session = _session(district)
    path = make_xlsx(
        tmp_path / "bad.xlsx",
        [["张伟明", district.zhang.id_number], ["赵六", "110101199001011237"], ["李秀英", ""], ["王建国", district.li.id_number]],
        header=HEADER,
    )
    with pytest.raises(RowErrors) as caught:
        training_actions.import_participants(actor=district.auditor, session=session, path=path)
    errors = caught.value.errors
    assert [e["row"] for e in errors] == [3, 5]
    assert "赵六" in errors[0]["message"] and "李秀英" in errors[1]["message"]
    assert not session.participants.exists()
    # The page lists the refused rows; nothing is stored.
    client.force_login(district.auditor)
    with open(path, "rb") as handle:
        response = client.post(reverse("audits:training_import", args=[session.pk]), {"workbook": handle}, follow=True)
    text = response.content.decode()
    assert "赵六" in text and "第 3 行" in text and not session.participants.exists()
    # Not a workbook at all: refused by the structure check before any reading.
    bogus = tmp_path / "bogus.xlsx"
    bogus.write_bytes(b"PK\x03\x04 not really")
    with open(bogus, "rb") as handle:
        response = client.post(reverse("audits:training_import", args=[session.pk]), {"workbook": handle}, follow=True)
    assert response.status_code == 200 and not session.participants.exists()
    hostile = tmp_path / "far.xlsx"
    hostile.write_bytes(raw_xlsx({"A1": "姓名", "A1048576": "张伟明"}))
    with pytest.raises(WorkbookError):
        training_actions.import_participants(actor=district.auditor, session=session, path=hostile)
    assert not session.participants.exists()


def test_import_by_id_number_or_unique_name(district, tmp_path):
    session = _session(district)
    _invite(district, session, district.wang)
    path = make_xlsx(tmp_path / "ok.xlsx", [["张伟明", district.zhang.id_number], ["李秀英", None], ["王建国", None]], header=HEADER)
    created = training_actions.import_participants(actor=district.auditor, session=session, path=path)
    assert sorted(p.cadre.name for p in created) == ["张伟明", "李秀英"]  # 王建国 was already invited
    assert session.participants.count() == 3
    assert JournalEntry.objects.filter(action="audits.training.participants_imported").count() == 1
    # A finance-only auditor sees no education cadre: 王建国 is unknown to them.
    other = _session(district, title="另一场")
    path = make_xlsx(tmp_path / "edu.xlsx", [["王建国", district.wang.id_number]], header=HEADER)
    with pytest.raises(RowErrors) as caught:
        training_actions.import_participants(actor=district.finance_auditor, session=other, path=path)
    assert "王建国" in caught.value.errors[0]["message"]


# --- reports ------------------------------------------------------------------------------------


def test_hours_per_cadre_sum_per_year_december_31_and_january_1(district, client):
    dec31 = _session(district, held_on=dt.date(2025, 12, 31), hours="3", title="年末培训")
    jan1 = _session(district, held_on=dt.date(2026, 1, 1), hours="2.5", title="新年培训")
    missed = _session(district, held_on=dt.date(2025, 6, 1), hours="8", title="缺席的培训")
    for session in (dec31, jan1, missed):
        _invite(district, session, district.zhang, district.li)
    for session in (dec31, jan1):
        for participant in session.participants.all():
            _mark(district, session, participant, "attended")
    for participant in missed.participants.all():
        _mark(district, session=missed, participant=participant, attendance="excused" if participant.cadre_id == district.li.pk else "absent", reason="出差")
    hours_2025 = {c.name: c.hours for c in training_queries.cadre_hours(district.auditor, 2025)}
    hours_2026 = {c.name: c.hours for c in training_queries.cadre_hours(district.auditor, 2026)}
    assert hours_2025 == {"张伟明": Decimal("3.0"), "李秀英": Decimal("3.0")}
    assert hours_2026 == {"张伟明": Decimal("2.5"), "李秀英": Decimal("2.5")}
    assert training_queries.cadre_hours(district.auditor, 2024).count() == 0
    assert training_queries.hours_of(district.zhang, 2025) == Decimal("3.0")
    client.force_login(district.auditor)
    page = client.get(reverse("audits:training_hours") + "?year=2025&sort=-hours").content.decode()
    assert "张伟明" in page and "3.0" in page
    export = client.get(reverse("audits:training_hours") + "?year=2025&format=xlsx")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")
    assert JournalEntry.objects.filter(action="audits.training.hours_exported").get().data["rows"] == 2
    # A malformed year falls back to this year without an error.
    assert client.get(reverse("audits:training_hours") + "?year=abc").status_code == 200
    api = api_client(district.auditor).get("/api/v1/audits/training/hours?year=2026").json()
    assert {i["cadre"]: i["hours"] for i in api["items"]} == {"张伟明": "2.5", "李秀英": "2.5"} or {i["cadre"]: float(i["hours"]) for i in api["items"]} == {
        "张伟明": 2.5,
        "李秀英": 2.5,
    }
    # The dossier timeline shows the sessions attended, with their hours.
    entries = [e for e in timeline.entries(district.auditor, district.zhang) if e.key.startswith("training:")]
    assert [e.title for e in entries] == ["年末培训", "新年培训"] and "3.0" in entries[0].summary
    assert entries[0].url == reverse("audits:training_detail", args=[dec31.pk])
    own = [e for e in timeline.entries(district.cadre_user, district.li) if e.key.startswith("training:")]
    assert len(own) == 2 and own[0].url == ""


def test_who_missed_required_sessions(district, client):
    required = _session(district, held_on=dt.date(2026, 5, 6), required=True, title="必须参加的警示教育")
    optional = _session(district, held_on=dt.date(2026, 5, 7), required=False, title="自愿参加的学习")
    r_zhang, r_li = _invite(district, required, district.zhang, district.li)
    (o_zhang,) = _invite(district, optional, district.zhang)
    _mark(district, required, r_zhang, "absent", "未请假")
    _mark(district, required, r_li, "excused", "经批准外出")
    _mark(district, optional, o_zhang, "absent", "未请假")
    missed = list(training_queries.missed_required(district.auditor, year=2026))
    assert [(p.cadre.name, p.session.title) for p in missed] == [("张伟明", "必须参加的警示教育")]
    assert list(training_queries.missed_required(district.auditor, year=2025)) == []
    client.force_login(district.auditor)
    page = client.get(reverse("audits:training_missed") + "?year=2026").content.decode()
    assert "张伟明" in page and "必须参加的警示教育" in page and "李秀英" not in page and "自愿参加的学习" not in page
    export = client.get(reverse("audits:training_missed") + "?year=2026&format=xlsx")
    assert export.status_code == 200
    assert JournalEntry.objects.filter(action="audits.training.missed_exported").get().data["rows"] == 1
    api = api_client(district.auditor).get("/api/v1/audits/training/missed?year=2026").json()
    assert [i["cadre"] for i in api["items"]] == ["张伟明"]
    # The attendance is journaled with the cadre (the dossier's column).
    assert JournalEntry.objects.filter(action="audits.training.attendance_recorded", cadre_id=district.zhang.pk).count() == 2


# --- access --------------------------------------------------------------------------------------


def test_training_pages_wrong_role_and_wrong_unit_get_404(district, client):
    session = _session(district, held_on=dt.date(2026, 2, 2))
    (participant,) = _invite(district, session, district.zhang)
    edu_session = _session(district, organiser=district.education, title="教育局培训")
    reads = [
        reverse("audits:training_list"),
        reverse("audits:training_hours"),
        reverse("audits:training_missed"),
        reverse("audits:training_detail", args=[session.pk]),
    ]
    writes = [
        (reverse("audits:training_add", args=[session.pk]), {"cadre": district.li.pk}),
        (reverse("audits:training_remove", args=[session.pk]), {"participant": participant.pk}),
        (reverse("audits:training_attendance", args=[session.pk]), {"participant": participant.pk, "attendance": "attended"}),
        (reverse("audits:training_import", args=[session.pk]), {}),
        (reverse("audits:training_edit", args=[session.pk]), {"title": "x"}),
        (reverse("audits:training_create"), {"title": "x"}),
    ]
    # A cadre in self service reads nothing and writes nothing.
    client.force_login(district.cadre_user)
    for url in reads:
        assert client.get(url).status_code == 404, url
    for url, data in writes:
        assert client.post(url, data).status_code == 404, url
    # The org officer reads (audits.view) but may not change anything.
    client.force_login(district.org_officer)
    for url in reads:
        assert client.get(url).status_code == 200, url
    for url, data in writes:
        assert client.post(url, data).status_code == 404, url
    assert client.get(reverse("audits:training_create")).status_code == 404
    assert client.get(reverse("audits:training_edit", args=[session.pk])).status_code == 404
    # The finance-only auditor: the education bureau's session is not found.
    client.force_login(district.finance_auditor)
    assert client.get(reverse("audits:training_detail", args=[edu_session.pk])).status_code == 404
    assert client.get(reverse("audits:training_edit", args=[edu_session.pk])).status_code == 404
    assert client.post(reverse("audits:training_add", args=[edu_session.pk]), {"cadre": district.zhang.pk}).status_code == 404
    assert "教育局培训" not in client.get(reverse("audits:training_list")).content.decode()
    # The auditor's own pages open, and the audits index links the training pages.
    client.force_login(district.auditor)
    for url in reads:
        assert client.get(url).status_code == 200, url
    assert reverse("audits:training_list") in client.get(reverse("audits:index")).content.decode()
    assert client.post(reverse("audits:training_attendance", args=[session.pk]), {"participant": participant.pk, "attendance": "attended"}).status_code == 302
    assert TrainingParticipant.objects.get(pk=participant.pk).attendance == "attended"


def test_training_api_scoped_and_wrong_role_404(district):
    auditor = api_client(district.auditor)
    body = {"kind": "warning_education", "title": "警示教育", "held_on": "2026-03-03", "hours": "24.5", "organiser_id": district.finance.pk}
    assert auditor.post("/api/v1/audits/training/sessions", body, content_type=J).status_code == 400
    made = auditor.post("/api/v1/audits/training/sessions", {**body, "hours": "3"}, content_type=J)
    assert made.status_code == 201
    session_id = made.json()["id"]
    added = auditor.post(f"/api/v1/audits/training/sessions/{session_id}/participants", {"cadre_id": district.zhang.pk}, content_type=J).json()
    pid = added["participants"][0]["id"]
    refused = auditor.post(f"/api/v1/audits/training/sessions/{session_id}/attendance", {"participant_id": pid, "attendance": "absent"}, content_type=J)
    assert refused.status_code == 400
    done = auditor.post(f"/api/v1/audits/training/sessions/{session_id}/attendance", {"participant_id": pid, "attendance": "attended"}, content_type=J)
    assert done.json()["participants"][0]["attendance"] == "attended"
    changed = auditor.put(f"/api/v1/audits/training/sessions/{session_id}", {**body, "hours": "4", "title": "改名"}, content_type=J).json()
    assert changed["title"] == "改名"
    assert [s["title"] for s in auditor.get("/api/v1/audits/training/sessions?year=2026&kind=warning_education").json()["items"]] == ["改名"]
    assert auditor.get("/api/v1/audits/training/sessions?year=2025").json()["items"] == []
    assert auditor.get(f"/api/v1/audits/training/sessions/{session_id}").status_code == 200
    second = auditor.post(f"/api/v1/audits/training/sessions/{session_id}/participants", {"cadre_id": district.li.pk}, content_type=J).json()
    li_pid = [p["id"] for p in second["participants"] if p["cadre"] == "李秀英"][0]
    assert len(auditor.delete(f"/api/v1/audits/training/sessions/{session_id}/participants/{li_pid}").json()["participants"]) == 1
    # Wrong role: the cadre reads nothing; the org officer reads but cannot write.
    cadre = api_client(district.cadre_user)
    for url in (
        "/api/v1/audits/training/sessions",
        f"/api/v1/audits/training/sessions/{session_id}",
        "/api/v1/audits/training/hours",
        "/api/v1/audits/training/missed",
    ):
        assert cadre.get(url).status_code == 404, url
    officer = api_client(district.org_officer)
    assert officer.get(f"/api/v1/audits/training/sessions/{session_id}").status_code == 200
    assert officer.post("/api/v1/audits/training/sessions", {**body, "hours": "3"}, content_type=J).status_code == 404
    assert officer.put(f"/api/v1/audits/training/sessions/{session_id}", {**body, "hours": "3"}, content_type=J).status_code == 404
    assert officer.post(f"/api/v1/audits/training/sessions/{session_id}/participants", {"cadre_id": district.li.pk}, content_type=J).status_code == 404
    assert (
        officer.post(
            f"/api/v1/audits/training/sessions/{session_id}/attendance", {"participant_id": pid, "attendance": "absent", "reason": "x"}, content_type=J
        ).status_code
        == 404
    )
    assert officer.delete(f"/api/v1/audits/training/sessions/{session_id}/participants/{pid}").status_code == 404
    # Wrong unit: the education head's scope does not cover the finance bureau's session.
    assert api_client(district.education_head).get(f"/api/v1/audits/training/sessions/{session_id}").status_code == 404


def test_demo_district_has_sessions_and_one_absence_from_a_required_one(db):
    from django.core.management import call_command

    call_command("load_demo", "--small", verbosity=0)
    assert TrainingSession.objects.count() == 4
    missed = TrainingParticipant.objects.filter(attendance="absent", session__required=True)
    assert missed.count() == 1 and missed.get().reason
    assert TrainingParticipant.objects.filter(attendance="excused").count() == 1
