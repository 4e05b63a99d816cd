"""Notifications (issue #16 §3b): one per recipient, cause and day, created inside the action or
job that produces the cause (reminders, escalations, alerts, clue transfers …); the bell's count,
the list, opening and marking read (own notifications only); mail only when an SMTP server is
configured, sent by the worker, and never with sensitive content in the body."""

import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jiandu.accounts.models import Role
from jiandu.core import notifications
from jiandu.core.actions import mark_notifications_read, set_notification_address
from jiandu.core.errors import ActionError
from jiandu.core.models import JournalEntry, Notification
from jiandu.dossier import actions as dossier_actions
from jiandu.oversight.actions.inquiries import escalate_overdue_inquiries, send_reply_reminders
from jiandu.oversight.models import Inquiry
from jiandu.testing import log_in, make_cadre, make_unit, make_user, registrar

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 10)  # a Tuesday, no holiday near
SMTP = override_settings(EMAIL_HOST="smtp.example.org", EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")


def test_one_notification_per_recipient_cause_and_day():
    a, b = make_user(role=Role.ORG_OFFICER), make_user(role=Role.ORG_OFFICER)
    assert notifications.notify([a, b.pk, None], notifications.REMINDER, "提醒一", "/todo/", cause="x:1", today=TODAY) == 2
    assert notifications.notify([a, b], notifications.REMINDER, "提醒一", "/todo/", cause="x:1", today=TODAY) == 0
    assert notifications.notify([a], notifications.REMINDER, "提醒一", "/todo/", cause="x:2", today=TODAY) == 1
    assert notifications.notify([a], notifications.REMINDER, "提醒一", "/todo/", cause="x:1", today=TODAY + dt.timedelta(days=1)) == 1
    assert Notification.objects.filter(user=a).count() == 3 and Notification.objects.filter(user=b).count() == 1
    with pytest.raises(ValueError):
        notifications.notify([a], "made_up", "t", "/", cause="x:3")
    notifications.notify([a], notifications.ALERT, "t", "https://elsewhere.example/", cause="x:4", today=TODAY)
    assert Notification.objects.get(cause="x:4").url == ""  # only a path of this site is kept


def test_many_causes_at_once_skip_the_ones_already_sent_in_a_few_queries():
    a, b = make_user(role=Role.ORG_OFFICER), make_user(role=Role.ORG_OFFICER)
    notifications.notify([a], notifications.ALERT, "预警", "/dossier/alerts/", cause="alert:7", today=TODAY)
    notes = [notifications.Note([a, b], "预警：%(text)s", "/dossier/alerts/", params={"text": n}, cause=f"alert:{n}") for n in range(2500)]
    notes.append(notifications.Note([], "无人", cause="alert:nobody"))
    with CaptureQueriesContext(connection) as queries:
        created = notifications.notify_many(notifications.ALERT, notes, today=TODAY)
    assert created == 2 * 2500 - 1  # a already had alert:7 today
    # 3 lookups of the existing ones (1,000 causes each) and the insert in the backend's batches
    # (SQLite takes about 80 rows a statement): no query per cause.
    assert len(queries) <= 10 + created // 80
    assert Notification.objects.filter(cause="alert:7").count() == 2 and Notification.objects.filter(cause="alert:1234", user=b).get().params == {
        "text": "1234"
    }
    assert notifications.notify_many(notifications.ALERT, notes, today=TODAY) == 0


@pytest.fixture
def inquiry_world():
    root = make_unit(name="示范区委", kind="party_committee")
    finance = make_unit(name="财政局", parent=root)
    zhang = make_cadre(unit=finance, name="张伟明")
    officer = make_user(role=Role.ORG_OFFICER)
    cadre_user = make_user(role=Role.CADRE, cadre=zhang)
    head = make_user(role=Role.ORG_HEAD)
    committee = make_user(role=Role.COMMITTEE_MEMBER)

    def inquiry(due):
        return Inquiry.objects.create(
            cadre=zhang,
            unit=finance,
            source="complaint",
            subject="CANARY-SUBJECT",
            questions="q",
            status=Inquiry.Status.DELIVERED,
            issued_on=TODAY - dt.timedelta(days=20),
            delivered_on=TODAY - dt.timedelta(days=19),
            reply_due_on=due,
            created_by=officer,
        )

    return {"officer": officer, "cadre_user": cadre_user, "head": head, "committee": committee, "inquiry": inquiry, "finance": finance}


def test_inquiry_reminder_and_escalation_notify_once_however_often_the_jobs_run(inquiry_world):
    w = inquiry_world
    soon = w["inquiry"](TODAY + dt.timedelta(days=1))
    late = w["inquiry"](TODAY - dt.timedelta(days=1))
    for _run in range(2):
        send_reply_reminders(today=TODAY)
        escalate_overdue_inquiries(today=TODAY)
    reminder = Notification.objects.get(cause=f"oversight.inquiry.reminded:{soon.pk}")
    assert reminder.user == w["cadre_user"] and reminder.kind == notifications.REMINDER and reminder.sensitive
    assert reminder.url == reverse("oversight:my_inquiries") and reminder.text == "您的函询回复将于2026-03-11到期"
    escalated = Notification.objects.filter(cause=f"oversight.inquiry.escalated:{late.pk}")
    # oversight.confirm over 财政局: the heads (the builders' registrar is one too); not the officer,
    # not the committee member.
    assert sorted(n.user_id for n in escalated) == sorted([w["head"].pk, registrar().pk])
    assert Notification.objects.filter(user__in=[w["officer"], w["committee"]]).count() == 0


def test_an_alert_notifies_those_who_handle_alerts_once(inquiry_world):
    w = inquiry_world
    w["inquiry"](dt.date.today() - dt.timedelta(days=3))
    discipline = make_user(role=Role.DISCIPLINE_OFFICER)  # reads alerts (dossier.view) but does not handle them
    dossier_actions.scan_alerts(actor=None)
    dossier_actions.scan_alerts(actor=None)
    alerts = Notification.objects.filter(kind=notifications.ALERT, cause__startswith="dossier.alert:oversight.inquiry_reply_overdue")
    assert sorted(n.user_id for n in alerts) == sorted([w["officer"].pk, w["head"].pk, registrar().pk])
    assert all(n.sensitive and n.url == reverse("dossier:alerts") for n in alerts)
    assert not Notification.objects.filter(user=discipline).exists()


def test_no_mail_without_a_configured_server(inquiry_world):
    user = inquiry_world["officer"]
    set_notification_address(actor=user, email="officer@example.org")
    notifications.notify([user], notifications.REMINDER, "t", "/todo/", cause="m:1")
    assert Notification.objects.get(cause="m:1").mail_state == Notification.MailState.NONE
    assert notifications.send_pending_mail() == 0 and mail.outbox == []


@SMTP
def test_mail_carries_only_the_kind_and_a_link(inquiry_world):
    user, other = inquiry_world["officer"], inquiry_world["head"]
    set_notification_address(actor=user, email="officer@example.org")
    notifications.notify([user, other], notifications.CLUE_RECEIPT, "CANARY 张伟明 的问题线索", "/oversight/clues/7/", cause="m:2", sensitive=True)
    notifications.notify([user], notifications.LOG_RETURNED, "CANARY 周志", "/decisions/logs/", cause="m:3")
    assert Notification.objects.get(cause="m:2", user=other).mail_state == Notification.MailState.NONE  # no address given
    assert notifications.send_pending_mail() == 2
    assert notifications.send_pending_mail() == 0  # sent once
    assert len(mail.outbox) == 2 and all(m.to == ["officer@example.org"] for m in mail.outbox)
    sensitive, plain = sorted(mail.outbox, key=lambda m: "周志退回" in m.subject)
    for message in (sensitive, plain):
        assert "CANARY" not in message.subject + message.body and "张伟明" not in message.body
    assert "待接收问题线索" in sensitive.subject and "您在监督系统中有一条新的待接收问题线索" in sensitive.body
    assert reverse("core:notifications") in sensitive.body and "/oversight/" not in sensitive.body  # not even the record's address
    assert "/decisions/logs/" in plain.body
    assert set(Notification.objects.filter(user=user).values_list("mail_state", flat=True)) == {Notification.MailState.SENT}


def test_address_action_checks_the_address_and_journals_without_it(inquiry_world):
    user = inquiry_world["officer"]
    with pytest.raises(ActionError):
        set_notification_address(actor=user, email="not an address")
    set_notification_address(actor=user, email="officer@example.org")
    set_notification_address(actor=user, email="officer@example.org")  # unchanged: nothing new
    entries = JournalEntry.objects.filter(action="core.notifications.address_changed")
    assert entries.count() == 1 and "example.org" not in str(entries.get().data)


def test_bell_list_open_and_mark_read(client, inquiry_world):
    user, other = inquiry_world["officer"], inquiry_world["head"]
    notifications.notify([user], notifications.REMINDER, "请回复函询甲", "/todo/", cause="p:1")
    notifications.notify([user], notifications.ESCALATION, "督办乙", "/todo/", cause="p:2")
    notifications.notify([other], notifications.REMINDER, "别人的通知", "/todo/", cause="p:3")
    log_in(client, user)
    body = client.get(reverse("core:home")).content.decode()
    assert 'class="bell has-unread"' in body and '<span class="badge badge-info">2</span>' in body
    listing = client.get(reverse("core:notifications")).content.decode()
    assert "请回复函询甲" in listing and "督办乙" in listing and "别人的通知" not in listing and "2 条未读通知" in listing
    mine = Notification.objects.get(cause="p:1")
    theirs = Notification.objects.get(cause="p:3")
    assert client.get(reverse("core:notification_open", args=[theirs.pk])).status_code == 404
    assert Notification.objects.get(pk=theirs.pk).read_at is None
    response = client.get(reverse("core:notification_open", args=[mine.pk]))
    assert response.status_code == 302 and response["Location"] == "/todo/"
    assert Notification.objects.get(pk=mine.pk).read_at is not None
    client.post(reverse("core:notifications_read"))
    assert Notification.objects.filter(user=user, read_at__isnull=True).count() == 0
    assert Notification.objects.get(pk=theirs.pk).read_at is None
    assert 'class="bell"' in client.get(reverse("core:home")).content.decode()
    assert mark_notifications_read(actor=user) == 0
    # Opening one and marking all: two journal entries, with the counts.
    assert list(JournalEntry.objects.filter(action="core.notifications.read", actor_id=user.pk).order_by("seq").values_list("data__count", flat=True)) == [1, 1]


def test_address_form_refuses_a_bad_address(client, inquiry_world):
    user = inquiry_world["officer"]
    log_in(client, user)
    response = client.post(reverse("core:notification_address"), {"email": "nope"}, follow=True)
    assert "这不是有效的电子邮件地址" in response.content.decode()
    assert not JournalEntry.objects.filter(action="core.notifications.address_changed").exists()


@SMTP
def test_the_worker_job_sends_the_mail_not_the_request(client, inquiry_world):
    """The request that causes a notification sends nothing; the worker's job does."""
    from jiandu.core import jobs

    user = inquiry_world["officer"]
    set_notification_address(actor=user, email="officer@example.org")
    log_in(client, user)
    notifications.notify([user], notifications.ESCALATION, "t", "/todo/", cause="w:1")
    client.get(reverse("core:notifications"))
    assert mail.outbox == []
    job = jobs.jobs()["core.notification_mail"]
    assert job.every_seconds == 60
    assert job.run() == 1 and len(mail.outbox) == 1
    assert job.run() == 0 and len(mail.outbox) == 1


def test_api_lists_marks_and_sets_only_my_own(inquiry_world):
    from jiandu.testing import api_client

    user, other = inquiry_world["officer"], inquiry_world["head"]
    notifications.notify(
        [user], notifications.REMINDER, "Your reply to a written inquiry is due on %(day)s", "/todo/", params={"day": "2026-03-11"}, cause="a:1"
    )
    notifications.notify([user], notifications.ALERT, "预警二", "/dossier/alerts/", cause="a:2")
    notifications.notify([other], notifications.REMINDER, "别人的", "/todo/", cause="a:3")
    client = api_client(user)
    body = client.get("/api/v1/accounts/notifications", {"unread": "true"}).json()
    assert body["count"] == 2 and {n["text"] for n in body["items"]} == {"您的函询回复将于2026-03-11到期", "预警二"}
    theirs = Notification.objects.get(cause="a:3")
    mine = Notification.objects.get(cause="a:1")
    answer = client.post("/api/v1/accounts/notifications/read", {"ids": [theirs.pk, mine.pk]}, content_type="application/json")
    assert answer.status_code == 200 and answer.json() == {"marked": 1}  # another's is ignored
    assert Notification.objects.get(pk=theirs.pk).read_at is None
    assert client.get("/api/v1/accounts/notifications", {"unread": "true"}).json()["count"] == 1
    assert client.post("/api/v1/accounts/notifications/read", {}, content_type="application/json").json() == {"marked": 1}
    bad = client.put("/api/v1/accounts/notifications/address", {"email": "nope"}, content_type="application/json")
    assert bad.status_code == 400 and bad.json()["field"] == "email"
    ok = client.put("/api/v1/accounts/notifications/address", {"email": "me@example.org"}, content_type="application/json")
    assert ok.status_code == 204
    assert api_client().get("/api/v1/accounts/notifications").status_code == 401
