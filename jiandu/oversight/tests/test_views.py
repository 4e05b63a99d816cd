import datetime as dt
import io
import json
import re

import openpyxl
import pytest
from django.urls import reverse

from jiandu.accounts.models import Role
from jiandu.core.models import JournalEntry
from jiandu.oversight.actions import clues, dispositions, duty, inquiries, talks, tours
from jiandu.oversight.models import Attachment, Clue, Disposition, Measure, Talk
from jiandu.testing import make_position, make_tenure, make_user

from .conftest import exe_upload, pdf_upload

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def client_for(client, user):
    client.logout()
    client.force_login(user)
    session = client.session
    session["jiandu_epoch"] = user.session_epoch  # as the login view does (session policy)
    session.save()
    return client


@pytest.fixture
def data(d):
    """One record of each kind about cadre_a (unit a)."""
    for unit in (d.org, d.audit, d.discipline):
        clues.add_member(actor=d.officer, unit=unit)
    d.disposition = dispositions.record_disposition(
        actor=d.officer,
        cadre=d.cadre_a,
        measure=Measure.PARTY_WARNING,
        decided_on=TODAY - dt.timedelta(days=10),
        deciding_body="区纪委",
        grounds="违纪",
        document=pdf_upload(),
    )
    d.talk = talks.record_talk(
        actor=d.officer, cadre=d.cadre_a, kind="reminder", talked_on=TODAY, talkers="赵部长", reason="反映", summary="提醒", explanation_required=True
    )
    d.inquiry = inquiries.draft_inquiry(actor=d.officer, cadre=d.cadre_a, source="complaint", subject="兼职问题", questions="是否兼职？")
    d.clue = clues.transfer_clue(
        actor=d.officer, clue=clues.register_clue(actor=d.officer, cadre=d.cadre_a, from_unit=d.org, source="petition", summary="秘密线索内容"), to_unit=d.audit
    )
    d.tour = tours.plan_tour(actor=d.officer, organiser=d.org, name="第一轮巡察", year=TODAY.year, planned_start=TODAY, planned_end=TODAY, targets=[d.a])
    make_tenure(position=make_position(unit=d.a, title="副局长"), cadre=d.cadre_a)
    d.report = duty.plan_duty_reports(actor=d.officer, year=TODAY.year, due_on=TODAY + dt.timedelta(days=5), unit=d.a)[0]
    return d


LISTS = [
    ("oversight:disposition_list", "Dispositions"),
    ("oversight:talk_list", "Talks"),
    ("oversight:inquiry_list", "Written inquiries"),
    ("oversight:clue_list", "Clue registry"),
    ("oversight:tour_list", "Inspection tours"),
    ("oversight:rectification_list", "Rectification items"),
    ("oversight:duty_report_list", "Duty and integrity reports"),
    ("oversight:joint", "Joint meeting"),
]


def test_index_and_every_page_renders(client, data):
    d = data
    c = client_for(client, d.head)
    assert c.get(reverse("oversight:index")).status_code == 200
    for name, _title in LISTS:
        assert c.get(reverse(name)).status_code == 200, name
    for name, pk in [
        ("oversight:disposition_detail", d.disposition.pk),
        ("oversight:talk_detail", d.talk.pk),
        ("oversight:inquiry_detail", d.inquiry.pk),
        ("oversight:clue_detail", d.clue.pk),
        ("oversight:tour_detail", d.tour.pk),
        ("oversight:duty_report_detail", d.report.pk),
        ("oversight:cadre", d.cadre_a.pk),
    ]:
        assert c.get(reverse(name, args=[pk])).status_code == 200, name
    for name in (
        "oversight:disposition_create",
        "oversight:admonishment_create",
        "oversight:talk_create",
        "oversight:inquiry_create",
        "oversight:tour_create",
        "oversight:duty_plan",
        "oversight:duty_session_create",
        "oversight:meeting_create",
        "oversight:member_add",
    ):
        assert c.get(reverse(name)).status_code == 200, name
    for step in ("target", "member", "station"):
        assert c.get(reverse("oversight:tour_step", args=[d.tour.pk, step])).status_code == 200, step
    assert c.get(reverse("oversight:tour_step", args=[d.tour.pk, "nonsense"])).status_code == 404
    # The head reads clues but registers none (that is a department's clue officer).
    assert c.get(reverse("oversight:clue_create")).status_code == 404
    assert client_for(client, d.officer).get(reverse("oversight:clue_create")).status_code == 200


@pytest.mark.parametrize(("name", "_title"), LISTS)
def test_every_list_exports_xlsx(client, data, name, _title):
    c = client_for(client, data.head)
    response = c.get(reverse(name) + "?format=xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) >= 1 and all(h for h in rows[0])
    # The file is journaled as a read, naming the records it held.
    entry = JournalEntry.objects.filter(action__endswith=".exported", actor_id=data.head.pk).latest("seq")
    assert entry.action.startswith("oversight.") and entry.data["rows"] == len(rows) - 1 == len(entry.data["ids"])
    if name in (
        "oversight:disposition_list",
        "oversight:talk_list",
        "oversight:inquiry_list",
        "oversight:clue_list",
        "oversight:tour_list",
        "oversight:duty_report_list",
    ):
        assert len(rows) >= 2


def test_disposition_export_content(client, data):
    c = client_for(client, data.head)
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(c.get(reverse("oversight:disposition_list") + "?format=xlsx").streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == "张伟明"
    assert rows[1][4].date() == TODAY - dt.timedelta(days=10)


def test_wrong_unit_gets_404_on_every_detail(client, data):
    d = data
    c = client_for(client, d.officer_b)
    urls = [
        reverse("oversight:disposition_detail", args=[d.disposition.pk]),
        reverse("oversight:disposition_revoke", args=[d.disposition.pk]),
        reverse("oversight:talk_detail", args=[d.talk.pk]),
        reverse("oversight:talk_hold", args=[d.talk.pk]),
        reverse("oversight:inquiry_detail", args=[d.inquiry.pk]),
        reverse("oversight:inquiry_letter", args=[d.inquiry.pk]),
        reverse("oversight:inquiry_issue", args=[d.inquiry.pk]),
        reverse("oversight:clue_detail", args=[d.clue.pk]),
        reverse("oversight:clue_receive", args=[d.clue.pk]),
        reverse("oversight:tour_detail", args=[d.tour.pk]),
        reverse("oversight:tour_step", args=[d.tour.pk, "member"]),
        reverse("oversight:duty_report_detail", args=[d.report.pk]),
        reverse("oversight:duty_submit", args=[d.report.pk]),
        reverse("oversight:cadre", args=[d.cadre_a.pk]),
        reverse("oversight:download", args=[Attachment.objects.first().pk]),
    ]
    for url in urls:
        assert c.get(url).status_code == 404, url
    # A receiving department sees only its own clues.
    c = client_for(client, d.discipline_officer)
    assert c.get(reverse("oversight:clue_detail", args=[d.clue.pk])).status_code == 404
    assert "秘密线索内容" not in c.get(reverse("oversight:clue_list")).content.decode()


def test_outsider_sees_no_oversight_page(client, data):
    c = client_for(client, data.outsider)
    assert c.get(reverse("oversight:index")).status_code == 404
    assert c.get(reverse("oversight:disposition_list")).status_code == 404
    assert c.get(reverse("oversight:clue_list")).status_code == 404


def test_committee_member_reads_daily_supervision_but_changes_nothing(client, data):
    """区委常委: statistics, the lists and the records, read-only; clues stay with their departments."""
    member = make_user(role=Role.COMMITTEE_MEMBER, unit=None, username="changwei")
    c = client_for(client, member)
    for name in ("oversight:index", "oversight:statistics", "oversight:disposition_list", "oversight:inquiry_list", "oversight:talk_list"):
        assert c.get(reverse(name)).status_code == 200, name
    assert c.get(reverse("oversight:inquiry_detail", args=[data.inquiry.pk])).status_code == 200
    assert c.get(reverse("oversight:inquiry_create")).status_code == 404
    assert c.post(reverse("oversight:inquiry_create"), {"subject": "x"}).status_code == 404
    assert c.get(reverse("oversight:clue_list")).status_code == 404
    # The menu offers daily supervision to the committee member.
    assert reverse("oversight:index") in c.get(reverse("core:home")).content.decode()


def test_clue_view_is_journaled_and_hidden_from_others(client, data):
    d = data
    c = client_for(client, d.auditor)
    assert c.get(reverse("oversight:clue_detail", args=[d.clue.pk])).status_code == 200
    views = JournalEntry.objects.filter(action="oversight.clue.viewed", actor_id=d.auditor.pk, target_id=str(d.clue.pk))
    assert list(views.values_list("data__via", flat=True)) == ["page"]
    # The list shows the summary: a read too, as is every exported row.
    assert "秘密线索内容" in c.get(reverse("oversight:clue_list")).content.decode()
    assert c.get(reverse("oversight:clue_list") + "?format=xlsx").status_code == 200
    assert sorted(views.values_list("data__via", flat=True)) == ["export", "list", "page"]
    assert "秘密线索内容" not in str(list(JournalEntry.objects.values_list("data", flat=True)))
    c = client_for(client, d.officer_a)  # manages unit a, neither sender nor receiver: no clue work
    assert c.get(reverse("oversight:clue_list")).status_code == 404
    assert c.get(reverse("oversight:clue_detail", args=[d.clue.pk])).status_code == 404
    # The discipline commission's clue officer has the registry but not this clue, not even its number.
    page = client_for(client, d.discipline_officer).get(reverse("oversight:clue_list")).content.decode()
    assert d.clue.number not in page and "秘密线索内容" not in page
    assert not JournalEntry.objects.filter(action="oversight.clue.viewed", actor_id=d.officer_a.pk).exists()


def test_post_record_disposition_and_errors_keep_input(client, data):
    d = data
    c = client_for(client, d.officer)
    url = reverse("oversight:disposition_create")
    bad = c.post(
        url,
        {
            "cadre": d.cadre_a.pk,
            "measure": "party_warning",
            "decided_on": (TODAY + dt.timedelta(days=2)).isoformat(),
            "deciding_body": "区纪委",
            "grounds": "违纪",
        },
    )
    assert bad.status_code == 400 and "晚于今天" in bad.content.decode() and "区纪委" in bad.content.decode()
    disguised = c.post(
        url,
        {
            "cadre": d.cadre_a.pk,
            "measure": "party_warning",
            "decided_on": TODAY.isoformat(),
            "deciding_body": "区纪委",
            "grounds": "违纪",
            "document": exe_upload(),
        },
    )
    assert disguised.status_code == 400
    assert Disposition.objects.count() == 1
    ok = c.post(url, {"cadre": d.cadre_a.pk, "measure": "admin_warning", "decided_on": TODAY.isoformat(), "deciding_body": "区监委", "grounds": "违规"})
    assert ok.status_code == 302
    created = Disposition.objects.latest("pk")
    assert ok["Location"] == reverse("oversight:disposition_detail", args=[created.pk])


def test_revoke_through_the_page(client, data):
    d = data
    c = client_for(client, d.head)
    response = c.post(reverse("oversight:disposition_revoke", args=[d.disposition.pk]), {"reason": "复查撤销"})
    assert response.status_code == 302
    d.disposition.refresh_from_db()
    assert d.disposition.status == Disposition.Status.REVOKED
    assert c.get(reverse("oversight:disposition_correct", args=[d.disposition.pk])).status_code == 200
    assert c.post(reverse("oversight:disposition_revoke", args=[d.disposition.pk]), {"reason": "again"}).status_code == 400


def test_download_is_attachment_with_nosniff(client, data):
    c = client_for(client, data.officer_a)
    attachment = Attachment.objects.get(owner_type="disposition")
    response = c.get(reverse("oversight:download", args=[attachment.pk]))
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert JournalEntry.objects.filter(action="oversight.file.downloaded").exists()


def test_cadre_answers_own_inquiry_through_pages(client, data):
    d = data
    inquiries.issue_inquiry(actor=d.officer, inquiry=d.inquiry)
    inquiries.record_delivery(actor=d.officer, inquiry=d.inquiry, delivered_on=TODAY)
    c = client_for(client, d.self_a)
    assert d.inquiry.subject in c.get(reverse("oversight:my_inquiries")).content.decode()
    detail = c.get(reverse("oversight:inquiry_detail", args=[d.inquiry.pk]))
    assert detail.status_code == 200 and "About the source" not in detail.content.decode()
    letter = c.get(reverse("oversight:inquiry_letter", args=[d.inquiry.pk]))
    assert letter.status_code == 200 and letter.content.startswith(b"%PDF")
    assert letter["Content-Disposition"].startswith("attachment") and letter["X-Content-Type-Options"] == "nosniff"
    # A Chinese file name without the internal id: 函询函-<cadre>-<发文字号>.pdf
    from urllib.parse import quote, unquote

    d.inquiry.refresh_from_db()
    disposition = letter["Content-Disposition"]
    name = unquote(disposition.split("filename*=UTF-8''")[1])
    assert name == f"函询函-{d.inquiry.cadre.name}-{d.inquiry.number}.pdf" and f"-{d.inquiry.pk}-" not in name
    assert quote(name) in disposition
    early = c.post(
        reverse("oversight:inquiry_reply", args=[d.inquiry.pk]),
        {"reply_text": "说明", "replied_on": (TODAY - dt.timedelta(days=1)).isoformat(), "file": pdf_upload()},
    )
    assert early.status_code == 400
    ok = c.post(reverse("oversight:inquiry_reply", args=[d.inquiry.pk]), {"reply_text": "说明", "replied_on": TODAY.isoformat(), "file": pdf_upload()})
    assert ok.status_code == 302
    # Another cadre's inquiry is not visible.
    other = inquiries.draft_inquiry(actor=d.officer, cadre=d.cadre_b, source="complaint", subject="x", questions="y")
    assert c.get(reverse("oversight:inquiry_detail", args=[other.pk])).status_code == 404


def test_statistics_page_and_export(client, data):
    c = client_for(client, data.head)
    page = c.get(reverse("oversight:statistics") + f"?year={TODAY.year}")
    assert page.status_code == 200
    content = page.content.decode()
    assert 'src="/static/js/statistics.js"' in content and "<script>" not in content
    charts = json.loads(re.search(r'<script id="statistics-charts" type="application/json">(.*?)</script>', content, re.S).group(1))
    assert charts["talks"]["values"][list(Talk.Kind.values).index("reminder")] == 1
    assert charts["dispositions"]["values"][0] == 0 and sum(charts["dispositions"]["values"]) == 1
    export = c.get(reverse("oversight:statistics") + f"?year={TODAY.year}&format=xlsx")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(export.streaming_content)))
    assert "talks" in book.sheetnames and book["clues"].max_row >= 3


def test_tour_step_through_pages(client, data):
    d = data
    c = client_for(client, d.officer)
    assert c.post(reverse("oversight:tour_step", args=[d.tour.pk, "member"]), {"name": "周组长", "role": "leader"}).status_code == 302
    member = d.tour.members.get()
    assert c.post(reverse("oversight:tour_step_child", args=[d.tour.pk, "declare", member.pk]), {"declared_on": TODAY.isoformat()}).status_code == 302
    page = c.get(reverse("oversight:tour_detail", args=[d.tour.pk])).content.decode()
    assert 'aria-current="step"' in page
    assert c.post(reverse("oversight:tour_step", args=[d.tour.pk, "station"]), {"stationed_on": TODAY.isoformat()}).status_code == 302
    blocked = c.post(reverse("oversight:tour_step", args=[d.tour.pk, "finish"]), {"confirm": "on"})
    assert blocked.status_code == 400 and "工作日志" in blocked.content.decode()


def test_clue_receipt_through_pages(client, data):
    d = data
    c = client_for(client, d.auditor)
    assert c.post(reverse("oversight:clue_receive", args=[d.clue.pk]), {"received_on": TODAY.isoformat()}).status_code == 302
    d.clue.refresh_from_db()
    assert d.clue.status == Clue.Status.RECEIVED


def test_explanation_upload_by_the_cadre(client, data):
    d = data
    c = client_for(client, d.self_a)
    assert c.post(reverse("oversight:talk_explanation", args=[d.talk.pk]), {"file": exe_upload(), "submitted_on": TODAY.isoformat()}).status_code == 400
    assert c.post(reverse("oversight:talk_explanation", args=[d.talk.pk]), {"file": pdf_upload(), "submitted_on": TODAY.isoformat()}).status_code == 302
    d.talk.refresh_from_db()
    assert d.talk.explanation == Talk.Explanation.SUBMITTED


def test_cadre_submits_own_duty_report_from_the_index(client, data):
    d = data
    own = next(r for r in d.report.__class__.objects.filter(cadre=d.cadre_a))
    c = client_for(client, d.self_a)
    index = c.get(reverse("oversight:index")).content.decode()
    assert reverse("oversight:duty_report_detail", args=[own.pk]) in index
    assert c.post(reverse("oversight:duty_submit", args=[own.pk]), {"text": "本人述责述廉报告", "submitted_on": TODAY.isoformat()}).status_code == 302
    others = d.report.__class__.objects.exclude(cadre=d.cadre_a).first()
    assert c.get(reverse("oversight:duty_report_detail", args=[others.pk])).status_code == 404


def test_filters_offer_all_rather_than_dashes(client, data):
    html = client_for(client, data.officer).get(reverse("oversight:disposition_list")).content.decode()
    assert "---------" not in html
    unit_select = html[html.index('name="unit"') :]
    unit_select = unit_select[: unit_select.index("</select>")]
    assert '<option value="" selected>全部</option>' in unit_select
