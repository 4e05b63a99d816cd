"""离任经济事项交接: checklist, parties, the three confirmations and the deadline."""

import datetime as dt

import pytest
from django.urls import reverse

from jiandu.accounts.models import Role
from jiandu.audits import actions, queries
from jiandu.audits.models import Handover, HandoverSignature
from jiandu.audits.settings import DEFAULT_CHECKLIST
from jiandu.core import events
from jiandu.core.errors import ActionError
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
    district.supervisor = make_user(role=Role.ORG_OFFICER, full_name="监交人")
    return district


def test_checklist_has_the_twelve_default_items(h):
    assert [i.title for i in h.handover.items.all()] == DEFAULT_CHECKLIST and len(DEFAULT_CHECKLIST) == 12


def test_overdue_at_its_exact_deadline(h):
    due = h.handover.due_on
    assert due == dt.date(2026, 12, 21)
    qs = Handover.objects.all()
    assert not queries.overdue(qs, today=due).exists()  # the due date itself: still in time
    assert list(queries.overdue(qs, today=due + dt.timedelta(days=1))) == [h.handover]


def test_three_party_confirmation_and_a_successor_cannot_supervise(h, client):
    handover = h.handover
    # Naming the successor's own account as supervisor is refused; nothing stored.
    with pytest.raises(ActionError, match="接任人不能担任监交人|successor cannot be"):
        actions.set_handover_parties(actor=h.auditor, handover=handover, successor=h.successor, supervisor=h.successor_user)
    handover.refresh_from_db()
    assert handover.successor_id is None and handover.supervisor_id is None
    assert not JournalEntry.objects.filter(action="audits.handover.parties_set").exists()

    actions.set_handover_parties(actor=h.auditor, handover=handover, successor=h.successor, supervisor=h.supervisor)
    assert JournalEntry.objects.filter(action="audits.handover.parties_set").count() == 1
    item = handover.items.first()
    actions.record_handover_item(actor=h.auditor, handover=handover, item_id=item.pk, figures="3项，合计1200万元", notes="均已移交")
    assert JournalEntry.objects.get(action="audits.handover.item_recorded").data["figures"] == "3项，合计1200万元"

    # The successor cannot sign as supervisor, nor as the leaver.
    for party in ("supervisor", "leaver"):
        with pytest.raises(ActionError):
            actions.sign_handover(actor=h.successor_user, handover=handover, party=party)
    # Nor can the audit officer sign for anybody.
    for party in ("leaver", "successor", "supervisor"):
        with pytest.raises(ActionError):
            actions.sign_handover(actor=h.auditor, handover=handover, party=party)
    assert not HandoverSignature.objects.exists()

    # Through the pages, as each party would.
    sign = reverse("audits:handover_sign", args=[handover.pk])
    client.force_login(h.successor_user)
    assert client.get(reverse("audits:handover_detail", args=[handover.pk])).status_code == 200  # a party sees it
    client.post(sign, {"party": "supervisor"})
    assert not HandoverSignature.objects.exists()
    client.post(sign, {"party": "successor"})
    client.force_login(h.leaver_user)
    client.post(sign, {"party": "leaver"})
    client.post(sign, {"party": "leaver"})  # twice: refused
    assert HandoverSignature.objects.count() == 2
    handover.refresh_from_db()
    assert handover.status == "open"
    # Changing an item after a confirmation is refused.
    with pytest.raises(ActionError):
        actions.record_handover_item(actor=h.auditor, handover=handover, item_id=item.pk, figures="改", notes="")
    client.force_login(h.supervisor)
    client.post(sign, {"party": "supervisor"})
    handover.refresh_from_db()
    assert handover.status == "completed" and handover.completed_on == dt.date.today()
    assert JournalEntry.objects.filter(action="audits.handover.signed").count() == 3
    assert JournalEntry.objects.filter(action="audits.handover.signed").latest("seq").data["completed"] is True
    assert not queries.overdue(Handover.objects.all(), today=dt.date(2027, 1, 1)).exists()  # completed: never overdue


def test_bad_input_is_refused_with_nothing_stored(h, client):
    handover = h.handover
    item = handover.items.first()
    journal_before = JournalEntry.objects.count()
    with pytest.raises(ActionError):
        actions.record_handover_item(actor=h.auditor, handover=handover, item_id=item.pk, figures="9" * 501, notes="")
    with pytest.raises(ActionError):
        actions.record_handover_item(actor=h.auditor, handover=handover, item_id=987654, figures="1", notes="")
    with pytest.raises(ActionError):
        actions.set_handover_parties(actor=h.auditor, handover=handover, successor=h.zhang, supervisor=None)
    with pytest.raises(ActionError):
        actions.sign_handover(actor=h.leaver_user, handover=handover, party="witness")
    client.force_login(h.auditor)
    parties = reverse("audits:handover_parties", args=[handover.pk])
    client.post(parties, {"successor": str(h.wang.pk)})  # a cadre of another unit
    client.post(parties, {"successor": "abc"})
    client.post(parties, {"supervisor": "nobody-here"})
    # Found by the injection corpus on PostgreSQL: a NUL in the user name was a server error.
    for hostile in ("sup\x00ervisor", "x" * 151):
        response = client.post(parties, {"supervisor": hostile})
        assert response.status_code == 302
    handover.refresh_from_db()
    item.refresh_from_db()
    assert (handover.successor_id, handover.supervisor_id, item.figures) == (None, None, "")
    assert JournalEntry.objects.count() == journal_before


def test_handover_pages_wrong_unit_and_wrong_role_get_404(h, client):
    pk = h.handover.pk
    posts = [
        (reverse("audits:handover_parties", args=[pk]), {"successor": str(h.successor.pk)}),
        (reverse("audits:handover_item", args=[pk]), {"item": str(h.handover.items.first().pk), "figures": "x"}),
        (reverse("audits:handover_sign", args=[pk]), {"party": "leaver"}),
    ]
    for user in (make_user(role=Role.AUDIT_OFFICER, unit=h.education), h.cadre_user):
        client.force_login(user)
        assert client.get(reverse("audits:handover_detail", args=[pk])).status_code == 404
        assert "张伟明" not in client.get(reverse("audits:handovers")).content.decode()
        for url, data in posts:
            assert client.post(url, data).status_code == 404
    # The organisation officer reads the handover but cannot change it.
    client.force_login(h.org_officer)
    assert client.get(reverse("audits:handover_detail", args=[pk])).status_code == 200
    client.post(posts[0][0], posts[0][1])
    h.handover.refresh_from_db()
    assert h.handover.successor_id is None
    # The auditor of the unit sees it in the overdue list only once it is overdue.
    client.force_login(h.auditor)
    listed = client.get(reverse("audits:handovers") + "?overdue=1").content.decode()
    assert ("张伟明" in listed) == (dt.date.today() > h.handover.due_on)
    assert "张伟明" in client.get(reverse("audits:handovers")).content.decode()


def test_pages_read_in_chinese(h, client):
    client.force_login(h.auditor)
    pages = {
        reverse("audits:index"): ["审计对象", "任职期间", "最近一次审计", "已立项"],
        reverse("audits:departures"): ["未开展审计或交接的离任", "所有离任均已开展审计和交接。"],
        reverse("audits:handovers"): ["离任经济事项交接", "截止日期"],
        reverse("audits:handover_detail", args=[h.handover.pk]): ["张伟明的离任经济事项交接", "监交人", "未完成的重大经济事项", "尚未确认"],
    }
    for url, texts in pages.items():
        body = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
        for text in texts:
            assert text in body, (url, text)


def test_dashboard_cards_count_open_departures_and_overdue_handovers(h):
    from jiandu.audits.cards import open_departures_card, overdue_handovers_card

    assert open_departures_card(h.auditor)["number"] == 0  # opened by the consumer
    overdue = overdue_handovers_card(h.auditor)
    assert overdue["number"] == (1 if dt.date.today() > h.handover.due_on else 0)
    Handover.objects.filter(pk=h.handover.pk).update(due_on=dt.date.today())
    assert overdue_handovers_card(h.auditor)["number"] == 0  # due today: not yet overdue
    Handover.objects.filter(pk=h.handover.pk).update(due_on=dt.date.today() - dt.timedelta(days=1))
    assert overdue_handovers_card(h.auditor) == {"label": "逾期的离任经济事项交接", "number": 1, "url": "/audits/handovers/?overdue=1", "attention": True}
    assert overdue_handovers_card(h.org_officer) is None and open_departures_card(h.cadre_user) is None


def test_each_party_finds_the_handover_in_their_todo_until_they_have_signed(h, client):
    from jiandu.core import todo

    def keys(user):
        return [i.key for i in todo.items_for(user).items if i.area == "audits"]

    handover = h.handover
    mine = f"audits.handover:{handover.pk}"
    assert keys(h.leaver_user) == [mine]  # the leaver is a party from the start
    assert keys(h.successor_user) == [] and keys(h.supervisor) == []
    actions.set_handover_parties(actor=h.auditor, handover=handover, successor=h.successor, supervisor=h.supervisor)
    for user in (h.leaver_user, h.successor_user, h.supervisor):
        assert keys(user) == [mine]
    item = todo.items_for(h.supervisor).items[0]
    assert item.due_on == handover.due_on and ("监交人" in item.title or "supervisor" in item.title)
    actions.sign_handover(actor=h.successor_user, handover=handover, party="successor")
    assert keys(h.successor_user) == [] and keys(h.leaver_user) == [mine]
    client.force_login(h.supervisor)
    opened = client.get(reverse("core:todo_open"), {"key": mine})
    assert opened.status_code == 302 and client.get(opened["Location"]).status_code == 200
    assert keys(h.auditor) == []  # an officer who is no party has nothing to sign


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _stored_files():
    from django.conf import settings

    root = __import__("pathlib").Path(settings.MEDIA_ROOT) / "handovers"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_a_checklist_item_takes_files_for_the_parties_to_read(h, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from jiandu.audits.models import HandoverAttachment

    handover = h.handover
    actions.set_handover_parties(actor=h.auditor, handover=handover, successor=h.successor, supervisor=h.supervisor)
    item = handover.items.first()
    client.force_login(h.auditor)
    answer = client.post(reverse("audits:handover_attach", args=[handover.pk]), {"item": item.pk, "file": SimpleUploadedFile("合同清单.pdf", PDF)})
    assert answer.status_code == 302
    attachment = HandoverAttachment.objects.get()
    assert (attachment.item, attachment.name, attachment.size, attachment.content_type) == (item, "合同清单.pdf", len(PDF), "application/pdf")
    assert JournalEntry.objects.get(action="audits.handover.file_attached").data["file"] == "合同清单.pdf"
    page = client.get(reverse("audits:handover_detail", args=[handover.pk])).content.decode()
    url = reverse("audits:handover_file", args=[handover.pk, attachment.pk])
    assert url in page and "合同清单.pdf" in page
    # Every party reads it (the download journaled); someone with no part in it gets 404.
    for user in (h.leaver_user, h.successor_user, h.supervisor):
        client.force_login(user)
        download = client.get(url)
        assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
        assert "attachment" in download["Content-Disposition"] and download["X-Content-Type-Options"] == "nosniff"
    assert JournalEntry.objects.filter(action="audits.handover.file_downloaded").count() == 3
    client.force_login(h.cadre_user)
    assert client.get(url).status_code == 404
    # Once a party has confirmed, nothing more is attached.
    actions.sign_handover(actor=h.successor_user, handover=handover, party="successor")
    with pytest.raises(ActionError):
        actions.attach_handover_file(actor=h.auditor, handover=handover, item_id=item.pk, upload=SimpleUploadedFile("补充.pdf", PDF))
    assert HandoverAttachment.objects.count() == 1 and len(_stored_files()) == 1


def test_hostile_handover_files_are_refused_with_nothing_stored(h, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from jiandu.audits.models import HandoverAttachment
    from jiandu.core.models import LocalSetting

    LocalSetting.objects.create(key="rectification.evidence_max_mb", value=1)
    handover = h.handover
    item = handover.items.first()
    attacks = [
        ("大文件.pdf", PDF + b"0" * (1024 * 1024)),  # one MB and more
        ("程序.pdf", b"MZ\x90\x00" + b"\x00" * 200),  # a renamed executable
        ("脚本.pdf", b"<script>alert(1)</script>"),
        ("空.pdf", b""),
        ("假图片.jpg", PDF),  # a PDF named as an image
    ]
    for name, body in attacks:
        with pytest.raises(ActionError):
            actions.attach_handover_file(actor=h.auditor, handover=handover, item_id=item.pk, upload=SimpleUploadedFile(name, body))
    other = Handover.objects.exclude(pk=handover.pk).first()
    foreign_item = other.items.first().pk if other else 999999
    with pytest.raises(ActionError):
        actions.attach_handover_file(actor=h.auditor, handover=handover, item_id=foreign_item, upload=SimpleUploadedFile("清单.pdf", PDF))
    client.force_login(h.auditor)
    answer = client.post(reverse("audits:handover_attach", args=[handover.pk]), {"item": item.pk, "file": SimpleUploadedFile("程序.pdf", b"MZ\x90\x00")})
    assert answer.status_code == 302
    assert not HandoverAttachment.objects.exists() and _stored_files() == []
    assert not JournalEntry.objects.filter(action="audits.handover.file_attached").exists()
    # Another unit's auditor may not attach at all (404), through the page or the action.
    client.force_login(make_user(role=Role.AUDIT_OFFICER, unit=h.education))
    assert client.post(reverse("audits:handover_attach", args=[handover.pk]), {"item": item.pk, "file": SimpleUploadedFile("清单.pdf", PDF)}).status_code == 404


def test_a_file_through_the_api(h):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from jiandu.testing import api_client

    api = api_client(h.auditor)
    item = h.handover.items.first()
    answer = api.post(f"/api/v1/audits/handovers/{h.handover.pk}/items/{item.pk}/files", {"file": SimpleUploadedFile("资金余额.pdf", PDF)})
    assert answer.status_code == 200, answer.content
    files = next(i for i in answer.json()["items"] if i["id"] == item.pk)["files"]
    assert [f["name"] for f in files] == ["资金余额.pdf"]
    refused = api.post(f"/api/v1/audits/handovers/{h.handover.pk}/items/{item.pk}/files", {"file": SimpleUploadedFile("程序.pdf", b"MZ\x90\x00")})
    assert refused.status_code == 400
    assert item.attachments.count() == 1


def test_the_api_upload_is_refused_outside_the_auditors_scope(h):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from jiandu.testing import api_client

    item = h.handover.items.first()
    for user in (make_user(role=Role.AUDIT_OFFICER, unit=h.education), h.cadre_user):
        answer = api_client(user).post(f"/api/v1/audits/handovers/{h.handover.pk}/items/{item.pk}/files", {"file": SimpleUploadedFile("清单.pdf", PDF)})
        assert answer.status_code == 404
    assert not item.attachments.exists()
