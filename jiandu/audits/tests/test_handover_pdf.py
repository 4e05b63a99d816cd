"""The handover list (离任经济事项交接清单) as a PDF: official layout, the three parties' signing
times or 未签, the same access as the handover's page, the download journaled."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from jiandu.accounts.models import Role
from jiandu.audits import actions
from jiandu.audits.models import Handover
from jiandu.core import events
from jiandu.core.models import JournalEntry
from jiandu.registry import actions as registry_actions
from jiandu.testing import make_cadre, make_user


@pytest.fixture
def h(district):
    tenure = registry_actions.appoint(actor=district.registrar, cadre=district.zhang, position=district.director, started_on=dt.date(2020, 1, 1))
    registry_actions.end_tenure(actor=district.registrar, tenure=tenure, ended_on=dt.date(2026, 11, 30), end_reason="transfer")
    events.process_pending()
    district.handover = Handover.objects.get()
    district.successor = make_cadre(unit=district.finance, name="赵接任")
    district.leaver_user = make_user(role=Role.CADRE, cadre=district.zhang)
    district.successor_user = make_user(role=Role.CADRE, cadre=district.successor)
    district.supervisor = make_user(role=Role.ORG_OFFICER, full_name="钱监交")
    return district


def _text(response) -> str:
    content = b"".join(response)
    assert content.startswith(b"%PDF")
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).replace("\x00", "").replace(" ", "")


def test_pdf_lists_items_and_parties_signed_or_not(h, client):
    handover = h.handover
    actions.set_handover_parties(actor=h.auditor, handover=handover, successor=h.successor, supervisor=h.supervisor)
    item = handover.items.first()
    actions.record_handover_item(actor=h.auditor, handover=handover, item_id=item.pk, figures="3项，合计1200万元", notes="均已移交")
    actions.sign_handover(actor=h.leaver_user, handover=handover, party="leaver")
    url = reverse("audits:handover_pdf", args=[handover.pk])

    client.force_login(h.auditor)
    assert url in client.get(reverse("audits:handover_detail", args=[handover.pk])).content.decode()
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = _text(response)
    assert "离任经济事项交接清单" in text
    assert "3项，合计1200万元" in text and "均已移交" in text and item.title.replace(" ", "") in text
    assert "移交人：张伟明" in text and "接交人：赵接任" in text and "监交人：钱监交" in text
    assert text.count("未签") == 2  # the successor and the supervisor have not confirmed yet
    entry = JournalEntry.objects.get(action="audits.handover.printed")
    assert entry.actor_id == h.auditor.pk and entry.cadre_id == h.zhang.pk

    # A party to the handover reads the page, so the list too; after all three confirmations no 未签.
    actions.sign_handover(actor=h.successor_user, handover=handover, party="successor")
    actions.sign_handover(actor=h.supervisor, handover=handover, party="supervisor")
    client.force_login(h.successor_user)
    text = _text(client.get(url))
    assert "未签" not in text and "交接于" in text


def test_pdf_wrong_unit_and_wrong_role_get_404(h, client):
    url = reverse("audits:handover_pdf", args=[h.handover.pk])
    for user in (make_user(role=Role.AUDIT_OFFICER, unit=h.education), h.cadre_user, make_user(role=Role.CADRE, cadre=h.wang)):
        client.force_login(user)
        assert client.get(url).status_code == 404
    assert client.get(reverse("audits:handover_pdf", args=[h.handover.pk + 999])).status_code == 404
    assert not JournalEntry.objects.filter(action="audits.handover.printed").exists()
    client.logout()
    assert client.get(url).status_code == 302  # to the login page
