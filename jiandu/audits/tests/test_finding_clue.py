"""移送问题线索: an audit finding transferred to the discipline inspection department through daily
supervision's clue registry (core.clue_referrals), once per finding."""

import pytest
from django.urls import reverse

from jiandu.accounts.models import Role
from jiandu.audits import actions
from jiandu.audits.models import Finding
from jiandu.core.errors import ActionError
from jiandu.core.models import JournalEntry
from jiandu.oversight.actions import clues
from jiandu.oversight.models import Clue
from jiandu.testing import api_client, grant_role, make_unit, make_user

from .test_course import _reported


@pytest.fixture
def c(district):
    district.audit_office = make_unit(name="区审计局", parent=district.root)
    district.discipline = make_unit(name="区纪委监委", parent=district.root)
    grant_role(district.auditor, Role.CLUE_OFFICER, district.audit_office)
    org = make_user(role=Role.ORG_OFFICER)
    clues.add_member(actor=org, unit=district.audit_office)
    clues.add_member(actor=org, unit=district.discipline)
    audit = _reported(district)
    district.audit = audit
    district.finding = actions.add_finding(
        actor=district.auditor, audit=audit, category="financial_rules", amount="120000", responsibility="direct", description="挪用专项资金", owner=district.li
    )
    return district


def test_transferred_once_second_attempt_refused(c):
    finding = actions.transfer_finding_as_clue(actor=c.auditor, finding=c.finding, to_unit=c.discipline, note="请依规处置")
    clue = Clue.objects.get()
    assert (finding.clue_id, finding.clue_number, finding.clue_to) == (clue.pk, clue.number, "区纪委监委")
    assert clue.status == Clue.Status.TRANSFERRED and clue.source == Clue.Source.AUDIT
    assert (clue.from_unit, clue.to_unit, clue.cadre) == (c.audit_office, c.discipline, c.zhang)
    assert "挪用专项资金" in clue.summary and "请依规处置" in clue.summary
    entry = JournalEntry.objects.get(action="audits.finding.clue_transferred")
    assert entry.data["number"] == clue.number and entry.cadre_id == c.zhang.pk

    with pytest.raises(ActionError, match=clue.number):
        actions.transfer_finding_as_clue(actor=c.auditor, finding=c.finding, to_unit=c.discipline)
    assert Clue.objects.count() == 1 and JournalEntry.objects.filter(action="audits.finding.clue_transferred").count() == 1


def test_refusals_store_nothing(c):
    # Not a clue officer of any department: refused with the reason.
    plain = make_user(role=Role.AUDIT_OFFICER)
    with pytest.raises(ActionError, match="线索联络员|clue officer"):
        actions.transfer_finding_as_clue(actor=plain, finding=c.finding, to_unit=c.discipline)
    # A department that is not a member of the joint meeting, and the sending department itself.
    with pytest.raises(ActionError):
        actions.transfer_finding_as_clue(actor=c.auditor, finding=c.finding, to_unit=c.education)
    with pytest.raises(ActionError):
        actions.transfer_finding_as_clue(actor=c.auditor, finding=c.finding, to_unit=c.audit_office)
    # NUL in the note.
    with pytest.raises(ActionError):
        actions.transfer_finding_as_clue(actor=c.auditor, finding=c.finding, to_unit=c.discipline, note="说\x00明")
    assert not Clue.objects.exists()
    assert not Finding.objects.exclude(clue_number="").exists()
    assert not JournalEntry.objects.filter(action="audits.finding.clue_transferred").exists()


def test_page_transfer_twice_nul_and_access(c, client):
    url = reverse("audits:finding_clue", args=[c.finding.pk])
    detail = reverse("audits:audit_detail", args=[c.audit.pk])
    # Wrong unit and wrong role: 404, nothing stored; the org officer reads the audit but has no form.
    for user in (make_user(role=Role.AUDIT_OFFICER, unit=c.education), c.cadre_user, c.org_officer):
        client.force_login(user)
        assert client.post(url, {"to_unit": c.discipline.pk}).status_code == 404
    assert url not in client.get(detail).content.decode()
    assert not Clue.objects.exists()

    client.force_login(c.auditor)
    page = client.get(detail).content.decode()
    assert url in page and "区纪委监委" in page
    response = client.post(url, {"to_unit": c.discipline.pk, "note": "说\x00明"}, follow=True)
    assert not Clue.objects.exists() and response.status_code == 200
    client.post(url, {"to_unit": c.discipline.pk})
    number = Clue.objects.get().number
    response = client.post(url, {"to_unit": c.discipline.pk}, follow=True)
    assert Clue.objects.count() == 1
    text = response.content.decode()
    assert number in text and url not in text  # the refusal names the clue; the form is gone


def test_api_transfer_once(c):
    api = api_client(c.auditor)
    url = f"/api/v1/audits/findings/{c.finding.pk}/clue"
    response = api.post(url, {"to_unit_id": c.discipline.pk}, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["clue_number"] == Clue.objects.get().number
    assert api.post(url, {"to_unit_id": c.discipline.pk}, content_type="application/json").status_code == 400
    other = api_client(make_user(role=Role.AUDIT_OFFICER, unit=c.education))
    assert other.post(url, {"to_unit_id": c.discipline.pk}, content_type="application/json").status_code == 404
    assert Clue.objects.count() == 1
