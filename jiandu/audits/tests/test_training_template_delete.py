"""Training (issue #13 §7): the participants' import template (exactly the columns the import
reads; a filled-in template imports) and deleting a session while no attendance is recorded."""

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse

from jiandu.audits import training_actions
from jiandu.audits.models import TrainingParticipant, TrainingSession
from jiandu.core.errors import ActionError
from jiandu.core.models import JournalEntry
from jiandu.testing import api_client

J = "application/json"


def _session(d, *, organiser=None, title="警示教育", held_on=dt.date(2026, 3, 10)):
    return training_actions.create_session(
        actor=d.auditor, kind="warning_education", title=title, held_on=held_on, hours="3", organiser=organiser or d.finance, required=True
    )


def test_the_template_has_the_importers_columns_and_imports_once_filled_in(district, client, tmp_path):
    client.force_login(district.auditor)
    session = _session(district)
    page = client.get(reverse("audits:training_detail", args=[session.pk])).content.decode()
    assert reverse("audits:training_template") in page
    response = client.get(reverse("audits:training_template"))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response)))
    sheet = workbook.worksheets[0]
    assert [cell.value for cell in sheet[1]][:2] == ["*姓名", "身份证号"]
    assert [cell.value for cell in sheet[2]][:2] == [column.key for column in training_actions.IMPORT_COLUMNS] == ["name", "id_number"]
    sheet["A3"], sheet["B3"] = "张伟明", district.zhang.id_number
    sheet["A4"] = "李秀英"  # unique name: the ID number may stay empty
    path = tmp_path / "filled.xlsx"
    workbook.save(path)
    with open(path, "rb") as handle:
        client.post(reverse("audits:training_import", args=[session.pk]), {"workbook": handle})
    assert sorted(session.participants.values_list("cadre__name", flat=True)) == ["张伟明", "李秀英"]


def test_the_template_is_for_those_who_manage_training(district, client):
    for user in (district.cadre_user, district.org_officer):
        client.force_login(user)
        assert client.get(reverse("audits:training_template")).status_code == 404
    client.force_login(district.finance_auditor)
    assert client.get(reverse("audits:training_template")).status_code == 200


def test_delete_a_session_without_attendance_after_the_confirm_step(district, client):
    session = _session(district)
    training_actions.add_participant(actor=district.auditor, session=session, cadre=district.zhang)
    client.force_login(district.auditor)
    url = reverse("audits:training_delete", args=[session.pk])
    assert url in client.get(reverse("audits:training_detail", args=[session.pk])).content.decode()
    confirm = client.get(url)
    assert confirm.status_code == 200 and 'id="delete-session"' in confirm.content.decode()
    assert TrainingSession.objects.filter(pk=session.pk).exists()  # the confirm page deletes nothing
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == reverse("audits:training_list")
    assert not TrainingSession.objects.filter(pk=session.pk).exists() and not TrainingParticipant.objects.exists()
    entry = JournalEntry.objects.get(action="audits.training.session_deleted")
    assert entry.data["title"] == "警示教育" and entry.data["participants"] == 1 and entry.actor_id == district.auditor.pk
    assert client.get(reverse("audits:training_detail", args=[session.pk])).status_code == 404


def test_a_session_with_recorded_attendance_is_not_deleted(district, client):
    session = _session(district)
    participant = training_actions.add_participant(actor=district.auditor, session=session, cadre=district.zhang)
    training_actions.record_attendance(actor=district.auditor, session=session, participant_id=participant.pk, attendance="excused")
    with pytest.raises(ActionError, match="1"):
        training_actions.delete_session(actor=district.auditor, session=session)
    client.force_login(district.auditor)
    url = reverse("audits:training_delete", args=[session.pk])
    page = client.get(url).content.decode()
    assert 'id="delete-session"' not in page and reverse("audits:training_detail", args=[session.pk]) in page
    response = client.post(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("audits:training_detail", args=[session.pk])
    assert "stays in the training record" in response.content.decode() or "培训记录" in response.content.decode()
    assert TrainingSession.objects.filter(pk=session.pk).exists() and not JournalEntry.objects.filter(action="audits.training.session_deleted").exists()


def test_delete_wrong_role_and_wrong_unit_get_404(district, client):
    session = _session(district, organiser=district.education, title="教育局培训")
    url = reverse("audits:training_delete", args=[session.pk])
    for user in (district.cadre_user, district.org_officer, district.finance_auditor):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404
    assert TrainingSession.objects.filter(pk=session.pk).exists()


def test_delete_through_the_api(district):
    session = _session(district)
    held = _session(district, title="已点名")
    participant = training_actions.add_participant(actor=district.auditor, session=held, cadre=district.zhang)
    training_actions.record_attendance(actor=district.auditor, session=held, participant_id=participant.pk, attendance="attended")
    url = f"/api/v1/audits/training/sessions/{session.pk}"
    assert api_client(district.org_officer).delete(url).status_code == 404
    assert api_client(district.cadre_user).delete(url).status_code == 404
    refused = api_client(district.auditor).delete(f"/api/v1/audits/training/sessions/{held.pk}")
    assert refused.status_code == 400 and TrainingSession.objects.filter(pk=held.pk).exists()
    assert api_client(district.auditor).delete(url).status_code == 204
    assert not TrainingSession.objects.filter(pk=session.pk).exists()
    assert api_client(district.auditor).delete(url).status_code == 404
