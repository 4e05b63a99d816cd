"""Plan → notice: the audit notice is served ≥ 3 working days before fieldwork (DOMAIN.md §5)."""

import datetime as dt

import pytest
from django.urls import reverse

from jiandu.accounts.models import Role
from jiandu.audits import actions
from jiandu.audits.models import DepartureAudit
from jiandu.core import events
from jiandu.core.errors import ActionError
from jiandu.core.models import JournalEntry
from jiandu.registry import actions as registry_actions
from jiandu.testing import make_user

SERVED = dt.date(2026, 12, 1)  # a Tuesday: three working days later is Friday 2026-12-04


@pytest.fixture
def audit(district):
    tenure = registry_actions.appoint(actor=district.registrar, cadre=district.zhang, position=district.director, started_on=dt.date(2020, 1, 1))
    registry_actions.end_tenure(actor=district.registrar, tenure=tenure, ended_on=dt.date(2026, 11, 30), end_reason="transfer")
    events.process_pending()
    return DepartureAudit.objects.get()


def test_notice_two_working_days_before_fieldwork_is_refused_three_is_allowed(district, audit):
    with pytest.raises(ActionError) as refused:
        actions.serve_notice(actor=district.auditor, audit=audit, served_on=SERVED, fieldwork_starts_on=dt.date(2026, 12, 3))
    assert "2026-12-04" in str(refused.value.message)
    audit.refresh_from_db()
    assert (audit.stage, audit.notice_number, audit.notice_served_on) == ("planned", "", None)
    assert not JournalEntry.objects.filter(action="audits.audit.notice_served").exists()

    served = actions.serve_notice(actor=district.auditor, audit=audit, served_on=SERVED, fieldwork_starts_on=dt.date(2026, 12, 4))
    assert served.stage == "notice" and served.notice_number == "审通〔2026〕1号"
    entry = JournalEntry.objects.get(action="audits.audit.notice_served")
    assert entry.data["number"] == "审通〔2026〕1号" and entry.cadre_id == district.zhang.pk
    with pytest.raises(ActionError):  # served once only
        actions.serve_notice(actor=district.auditor, audit=audit, served_on=SERVED, fieldwork_starts_on=dt.date(2026, 12, 10))


def test_notice_over_a_weekend_counts_working_days(district, audit):
    # Served Thursday 2026-12-03: Fri, Mon, Tue → fieldwork from Tuesday 2026-12-08.
    with pytest.raises(ActionError):
        actions.serve_notice(actor=district.auditor, audit=audit, served_on=dt.date(2026, 12, 3), fieldwork_starts_on=dt.date(2026, 12, 7))
    assert actions.serve_notice(actor=district.auditor, audit=audit, served_on=dt.date(2026, 12, 3), fieldwork_starts_on=dt.date(2026, 12, 8)).stage == "notice"


def test_notice_pages_pdf_and_bad_input(district, audit, client):
    client.force_login(district.auditor)
    detail = reverse("audits:audit_detail", args=[audit.pk])
    notice = reverse("audits:audit_notice", args=[audit.pk])
    pdf = reverse("audits:audit_notice_pdf", args=[audit.pk])
    assert client.get(detail).status_code == 200
    assert client.get(pdf).status_code == 404  # no notice yet
    future = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    for data in (
        {"served_on": "", "fieldwork_starts_on": "2026-12-04"},
        {"served_on": "2026-13-01", "fieldwork_starts_on": "2026-12-04"},
        {"served_on": future, "fieldwork_starts_on": "2027-06-01"},
    ):
        assert client.post(notice, data).status_code == 302
    audit.refresh_from_db()
    assert audit.stage == "planned" and not JournalEntry.objects.filter(action="audits.audit.notice_served").exists()
    client.post(notice, {"served_on": SERVED.isoformat(), "fieldwork_starts_on": "2026-12-04"})
    audit.refresh_from_db()
    assert audit.stage == "notice"
    response = client.get(pdf)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response).startswith(b"%PDF")


def test_notice_wrong_unit_and_wrong_role_get_404(district, audit, client):
    urls = [reverse("audits:audit_detail", args=[audit.pk]), reverse("audits:audit_notice_pdf", args=[audit.pk])]
    notice = reverse("audits:audit_notice", args=[audit.pk])
    data = {"served_on": SERVED.isoformat(), "fieldwork_starts_on": "2026-12-04"}
    for user in (make_user(role=Role.AUDIT_OFFICER, unit=district.education), district.cadre_user):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 404
        assert client.post(notice, data).status_code == 404
    client.force_login(district.org_officer)  # reads, cannot serve
    assert client.get(urls[0]).status_code == 200
    assert client.post(notice, data).status_code == 404
    audit.refresh_from_db()
    assert audit.stage == "planned"


def test_notice_api(district, audit):
    from jiandu.testing import api_client

    url = f"/api/v1/audits/audits/{audit.pk}"
    j = "application/json"
    auditor = api_client(district.auditor)
    assert auditor.get(url).json()["stage"] == "planned"
    outsider = api_client(make_user(role=Role.AUDIT_OFFICER, unit=district.education))
    assert outsider.get(url).status_code == 404
    assert outsider.post(url + "/notice", {"served_on": "2026-12-01", "fieldwork_starts_on": "2026-12-04"}, content_type=j).status_code == 404
    assert (
        api_client(district.org_officer).post(url + "/notice", {"served_on": "2026-12-01", "fieldwork_starts_on": "2026-12-04"}, content_type=j).status_code
        == 404
    )
    refused = auditor.post(url + "/notice", {"served_on": "2026-12-01", "fieldwork_starts_on": "2026-12-03"}, content_type=j)
    assert refused.status_code == 400 and refused.json()["field"] == "fieldwork_starts_on"
    assert auditor.post(url + "/notice", {"served_on": "2026-12-01"}, content_type=j).status_code == 422
    audit.refresh_from_db()
    assert audit.stage == "planned"
    done = auditor.post(url + "/notice", {"served_on": "2026-12-01", "fieldwork_starts_on": "2026-12-04"}, content_type=j).json()
    assert done["stage"] == "notice" and done["notice_number"] == "审通〔2026〕1号"
