import datetime as dt
import io

import pytest
from pypdf import PdfReader

from jiandu.accounts.access import NotVisible
from jiandu.core.errors import ActionError
from jiandu.core.models import JournalEntry
from jiandu.oversight import deadlines, letters, queries
from jiandu.oversight.actions import clues, inquiries
from jiandu.oversight.models import Attachment, Clue, Inquiry, Talk

from .conftest import exe_upload, pdf_upload

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def pdf_text(reader) -> str:
    # pypdf reads fpdf2's embedded CID encoding of a CFF font as two one-byte codes per glyph and
    # prints the high byte as NUL; the characters themselves come out right.
    return "".join(page.extract_text() for page in reader.pages).replace("\x00", "")


def drafted(d, cadre=None):
    return inquiries.draft_inquiry(
        actor=d.officer, cadre=cadre or d.cadre_a, source=Inquiry.Source.COMPLAINT, subject="群众反映违规兼职问题", questions="是否在企业兼职？\n是否领取报酬？"
    )


def delivered(d, delivered_on=dt.date(2026, 9, 28)):
    inquiry = drafted(d)
    inquiries.issue_inquiry(actor=d.officer, inquiry=inquiry, issued_on=dt.date(2026, 9, 25))
    return inquiries.record_delivery(actor=d.officer, inquiry=inquiry, delivered_on=delivered_on)


def test_full_flow_with_cadre_answering(d):
    inquiry = drafted(d)
    assert inquiry.status == Inquiry.Status.DRAFT
    inquiry = inquiries.issue_inquiry(actor=d.officer, inquiry=inquiry, issued_on=dt.date(2026, 9, 25))
    assert inquiry.number == "组函〔2026〕1号" and inquiry.principal_name == "王局长"
    # The cadre cannot see it before delivery.
    with pytest.raises(NotVisible):
        queries.get_inquiry_for(d.self_a, inquiry.pk)
    inquiry = inquiries.record_delivery(actor=d.officer, inquiry=inquiry, delivered_on=dt.date(2026, 9, 28))
    # 15 working days after 09-28 across National Day 2026 (10-01…10-07) with 10-10 a working Saturday.
    assert inquiry.reply_due_on == dt.date(2026, 10, 23)
    explanation = deadlines.explain(inquiry.reply_due_rule)
    assert "10-01…10-07" in explanation and "10-10" in explanation and "2026-10-23" in explanation
    assert queries.get_inquiry_for(d.self_a, inquiry.pk) == inquiry
    inquiry = inquiries.record_reply(actor=d.self_a, inquiry=inquiry, reply_text="未兼职", replied_on=dt.date(2026, 10, 20), file=pdf_upload())
    assert inquiry.status == Inquiry.Status.REPLIED and not inquiry.reply_signed_off_on
    with pytest.raises(ActionError):
        inquiries.assess_reply(actor=d.officer, inquiry=inquiry, assessment="clear", follow_up="close")
    inquiries.sign_off_reply(actor=d.officer, inquiry=inquiry, signed_off_on=dt.date(2026, 10, 21))
    inquiry = inquiries.assess_reply(actor=d.officer, inquiry=inquiry, assessment="clear", follow_up="close")
    assert inquiry.status == Inquiry.Status.CLOSED
    codes = list(JournalEntry.objects.filter(cadre_id=d.cadre_a.pk, action__startswith="oversight.inquiry.").values_list("action", flat=True).order_by("seq"))
    assert codes == [
        "oversight.inquiry.drafted",
        "oversight.inquiry.issued",
        "oversight.inquiry.delivered",
        "oversight.inquiry.replied",
        "oversight.inquiry.reply_signed_off",
        "oversight.inquiry.assessed",
    ]


def test_reply_before_delivery_is_refused_and_stores_nothing(d):
    inquiry = delivered(d)
    with pytest.raises(ActionError) as exc:
        inquiries.record_reply(actor=d.officer, inquiry=inquiry, reply_text="x", replied_on=dt.date(2026, 9, 27), file=pdf_upload())
    assert exc.value.field == "replied_on" and "2026-09-28" in exc.value.message
    with pytest.raises(ActionError) as exc:
        inquiries.record_reply(actor=d.officer, inquiry=inquiry, reply_text="x", replied_on=dt.date(2026, 10, 2), file=exe_upload())
    assert exc.value.field == "file"
    inquiry.refresh_from_db()
    assert inquiry.status == Inquiry.Status.DELIVERED and not Attachment.objects.exists()
    assert not JournalEntry.objects.filter(action="oversight.inquiry.replied").exists()


def test_overdue_reminders_and_escalation(d):
    inquiry = delivered(d)
    due = inquiry.reply_due_on
    assert list(queries.overdue_inquiries(d.officer, today=due)) == []
    assert list(queries.overdue_inquiries(d.officer, today=due + dt.timedelta(days=1))) == [inquiry]
    # Reminder window: 3 working days before the due date (10-23): 10-20 is 3 working days before.
    assert inquiries.send_reply_reminders(today=dt.date(2026, 10, 19)) == 0
    assert inquiries.send_reply_reminders(today=dt.date(2026, 10, 20)) == 1
    assert inquiries.send_reply_reminders(today=dt.date(2026, 10, 21)) == 0  # once
    assert inquiries.escalate_overdue_inquiries(today=due) == 0
    assert inquiries.escalate_overdue_inquiries(today=due + dt.timedelta(days=1)) == 1
    assert inquiries.escalate_overdue_inquiries(today=due + dt.timedelta(days=2)) == 0
    entry = JournalEntry.objects.get(action="oversight.inquiry.escalated")
    assert entry.cadre_id == d.cadre_a.pk and entry.role == "system"


def test_preconditions(d):
    with pytest.raises(ActionError) as exc:
        inquiries.draft_inquiry(actor=d.officer, cadre=d.cadre_a, source="clue", subject="x", questions="y")
    assert exc.value.field == "source_clue"
    with pytest.raises(ActionError) as exc:
        inquiries.draft_inquiry(actor=d.officer, cadre=d.cadre_a, source="complaint", subject="x", questions="")
    assert exc.value.field == "questions"
    with pytest.raises(NotVisible):
        inquiries.draft_inquiry(actor=d.officer_b, cadre=d.cadre_a, source="complaint", subject="x", questions="y")
    inquiry = drafted(d)
    with pytest.raises(ActionError):
        inquiries.record_delivery(actor=d.officer, inquiry=inquiry, delivered_on=TODAY)
    inquiries.issue_inquiry(actor=d.officer, inquiry=inquiry, issued_on=TODAY)
    with pytest.raises(ActionError):
        inquiries.issue_inquiry(actor=d.officer, inquiry=inquiry)
    with pytest.raises(ActionError) as exc:
        inquiries.record_delivery(actor=d.officer, inquiry=inquiry, delivered_on=TODAY - dt.timedelta(days=1))
    assert exc.value.field == "delivered_on"
    with pytest.raises(ActionError):
        inquiries.update_draft(actor=d.officer, inquiry=inquiry, subject="x", questions="y")


def test_another_cadre_cannot_answer(d):
    inquiry = delivered(d)
    other = __import__("jiandu.testing", fromlist=["make_user"]).make_user(role="cadre", cadre=d.cadre_b)
    with pytest.raises(NotVisible):
        inquiries.record_reply(actor=other, inquiry=inquiry, reply_text="x", replied_on=TODAY, file=pdf_upload())
    with pytest.raises(NotVisible):
        queries.get_inquiry_for(other, inquiry.pk)


def test_assessment_follow_ups(d):
    clues.add_member(actor=d.officer, unit=d.discipline)
    clues.add_member(actor=d.officer, unit=d.org)
    inquiry = delivered(d, delivered_on=TODAY - dt.timedelta(days=2))
    inquiries.record_reply(actor=d.officer, inquiry=inquiry, reply_text="x", replied_on=TODAY, file=pdf_upload(), signed_off_on=TODAY)
    with pytest.raises(ActionError) as exc:
        inquiries.assess_reply(actor=d.officer, inquiry=inquiry, assessment="needs_verification", follow_up="close")
    assert exc.value.field == "follow_up"
    with pytest.raises(ActionError) as exc:
        inquiries.assess_reply(actor=d.officer, inquiry=inquiry, assessment="needs_verification", follow_up="transfer")
    assert exc.value.field == "transfer_to"
    inquiry = inquiries.assess_reply(
        actor=d.officer, inquiry=inquiry, assessment="needs_verification", follow_up="transfer", transfer_to=d.discipline, transfer_from=d.org
    )
    clue = inquiry.follow_up_clue
    assert clue.status == Clue.Status.TRANSFERRED and clue.to_unit == d.discipline and clue.source == Clue.Source.INQUIRY
    second = drafted(d)
    inquiries.issue_inquiry(actor=d.officer, inquiry=second)
    inquiries.record_delivery(actor=d.officer, inquiry=second, delivered_on=TODAY)
    inquiries.record_reply(actor=d.officer, inquiry=second, reply_text="x", replied_on=TODAY, file=pdf_upload(), signed_off_on=TODAY)
    with pytest.raises(ActionError) as exc:
        inquiries.assess_reply(actor=d.officer, inquiry=second, assessment="basically_clear", follow_up="talk", talk_due_on=TODAY - dt.timedelta(days=1))
    assert exc.value.field == "talk_due_on"
    second = inquiries.assess_reply(actor=d.officer, inquiry=second, assessment="basically_clear", follow_up="talk", talk_due_on=TODAY + dt.timedelta(days=5))
    assert second.follow_up_talk.status == Talk.Status.REQUIRED


def test_withdraw(d):
    inquiry = drafted(d)
    with pytest.raises(ActionError):
        inquiries.withdraw_inquiry(actor=d.officer, inquiry=inquiry, reason="")
    inquiries.withdraw_inquiry(actor=d.officer, inquiry=inquiry, reason="重复")
    assert JournalEntry.objects.filter(action="oversight.inquiry.withdrawn").exists()
    done = delivered(d)
    with pytest.raises(ActionError):
        inquiries.withdraw_inquiry(actor=d.officer, inquiry=done, reason="x")


def test_letter_pdf_has_chinese_text(d):
    inquiry = delivered(d)
    reader = PdfReader(io.BytesIO(letters.inquiry_letter_pdf(inquiry)))
    text = pdf_text(reader)
    assert "函询函" in text and "张伟明同志" in text and "是否在企业兼职" in text and "王局长" in text
    flat = "".join(text.split())
    for expected in (
        "中共区委组织部",
        "组函〔2026〕1号",
        "群众反映违规兼职问题",
        "15个工作日内",
        "1.是否在企业兼职？",
        "2.是否领取报酬？",
        "回复截止日期：2026年10月23日",
        "二〇二六年九月二十五日",
        "抄送：财政局王局长同志。",
        "2026年9月25日印发",
        "本人签收（签字）",
    ):
        assert expected in flat, expected
    # A4 portrait, the serif Chinese font embedded (a fresh machine renders it), the title in the metadata.
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    fonts = [str(font["/BaseFont"]) for font in reader.pages[0]["/Resources"]["/Font"].values()]
    assert any("NotoSerifCJK" in name for name in fonts), fonts
    assert reader.metadata.title == "函询函"


def test_letter_issuer_and_prefix_come_from_the_settings(d):
    from jiandu.accounts.models import Role
    from jiandu.core.actions import change_setting
    from jiandu.testing import make_user

    admin = make_user(role=Role.SYSTEM_ADMIN)
    change_setting(actor=admin, key="documents.issuer", value="中共示范区委组织部")
    change_setting(actor=admin, key="oversight.inquiry_number_prefix", value="示组函")
    first = delivered(d)
    second = delivered(d)
    assert (first.number, second.number) == ("示组函〔2026〕1号", "示组函〔2026〕2号")
    text = "".join(pdf_text(PdfReader(io.BytesIO(letters.inquiry_letter_pdf(second)))).split())
    assert text.startswith("中共示范区委组织部") and "示组函〔2026〕2号" in text
    assert letters.inquiry_letter_filename(second) == "函询函-张伟明-示组函〔2026〕2号.pdf"
    assert letters.inquiry_letter_filename(drafted(d)) == "函询函（草稿）-张伟明.pdf"


def test_draft_letter_has_blanks_for_number_and_date(d):
    text = pdf_text(PdfReader(io.BytesIO(letters.inquiry_letter_pdf(drafted(d)))))
    flat = "".join(text.split())
    assert "（草稿）" in flat and "中共区委组织部年月日" in flat and "回复截止日期" not in flat
    assert "抄送：财政局所在单位主要负责人同志" in flat


def test_update_draft_journals(d):
    inquiry = drafted(d)
    with pytest.raises(ActionError) as exc:
        inquiries.update_draft(actor=d.officer, inquiry=inquiry, subject="", questions="y")
    assert exc.value.field == "subject"
    with pytest.raises(NotVisible):
        inquiries.update_draft(actor=d.officer_b, inquiry=inquiry, subject="x", questions="y")
    inquiries.update_draft(actor=d.officer, inquiry=inquiry, subject="新事项", questions="新问题")
    assert JournalEntry.objects.filter(action="oversight.inquiry.draft_updated", cadre_id=d.cadre_a.pk).exists()


def test_downloading_the_letter_is_journaled(d):
    from django.test import Client
    from django.urls import reverse

    from jiandu.testing import log_in

    inquiry = delivered(d)
    response = log_in(Client(), d.officer).get(reverse("oversight:inquiry_letter", args=[inquiry.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    entry = JournalEntry.objects.get(action="oversight.inquiry.letter_downloaded")
    assert (entry.actor_id, entry.target_id, entry.cadre_id) == (d.officer.pk, str(inquiry.pk), inquiry.cadre_id)
    # A refused download leaves no download entry (it is journaled as a refusal instead).
    refused = log_in(Client(), d.officer_b).get(reverse("oversight:inquiry_letter", args=[inquiry.pk]))
    assert refused.status_code == 404
    assert JournalEntry.objects.filter(action="oversight.inquiry.letter_downloaded").count() == 1
    assert JournalEntry.objects.filter(action="core.access.denied", actor_id=d.officer_b.pk).exists()


def test_only_a_clue_officer_transfers_an_inquiry_for_verification(d):
    """officer_a manages unit a (the inquiry's unit) but is no department's clue officer: the
    transfer is refused with a clear message beside the sending department, nothing is stored."""
    clues.add_member(actor=d.officer, unit=d.discipline)
    inquiry = delivered(d, delivered_on=TODAY - dt.timedelta(days=2))
    inquiries.record_reply(actor=d.officer, inquiry=inquiry, reply_text="x", replied_on=TODAY, file=pdf_upload(), signed_off_on=TODAY)
    entries = JournalEntry.objects.count()
    with pytest.raises(ActionError) as exc:
        inquiries.assess_reply(actor=d.officer_a, inquiry=inquiry, assessment="needs_verification", follow_up="transfer", transfer_to=d.discipline)
    assert exc.value.field == "transfer_from" and "clue officer" in exc.value.message and d.a.name in exc.value.message
    inquiry.refresh_from_db()
    assert inquiry.status == Inquiry.Status.REPLIED and inquiry.follow_up_clue is None
    assert not Clue.objects.exists() and JournalEntry.objects.count() == entries
