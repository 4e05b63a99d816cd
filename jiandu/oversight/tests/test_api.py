"""The oversight API through the real stack: URL routing, token or session authentication, the
core glue's JSON errors (400 refused, 404 not visible, 422 schema) and the journal."""

import datetime as dt

import pytest
from django.test import Client

from jiandu.accounts.models import Role
from jiandu.core.models import JournalEntry
from jiandu.oversight.actions import clues, dispositions, inquiries
from jiandu.oversight.models import Clue, Disposition, Inquiry, Measure, Talk
from jiandu.testing import api_client, grant_role, make_user

from .conftest import exe_upload, make_yellow_card, pdf_upload

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()
BASE = "/api/v1/oversight"


def post(client, path, body):
    return client.post(BASE + path, body, content_type="application/json")


def get(client, path):
    return client.get(BASE + path)


def assert_error(response, status, code, field=None):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == code and body["message"]
    if field is not None:
        assert body["field"] == field
    return body


def disposition_body(d, **changes):
    body = {"cadre_id": d.cadre_a.pk, "measure": "party_warning", "decided_on": "2025-03-15", "deciding_body": "区纪委", "grounds": "违纪"}
    return {**body, **changes}


def business_entries():
    return JournalEntry.objects.filter(action__startswith="oversight.").exclude(action="oversight.clue.viewed").count()


# --- authentication ------------------------------------------------------------------------


def test_token_authenticates_and_the_journal_records_the_token_holder(d):
    response = post(api_client(d.officer_a), "/dispositions", disposition_body(d))
    assert response.status_code == 201, response.content
    entry = JournalEntry.objects.get(action="oversight.disposition.recorded")
    assert entry.actor_id == d.officer_a.pk and entry.role == Role.ORG_OFFICER and entry.cadre_id == d.cadre_a.pk
    assert entry.request_id == response["X-Request-Id"]


@pytest.mark.parametrize("path", ["/dispositions", "/talks", "/inquiries", "/clues", f"/statistics/{TODAY.year}", "/cadres/1/influence"])
def test_no_or_a_wrong_token_is_401(d, path):
    assert_error(Client().get(BASE + path), 401, "unauthenticated")
    assert_error(api_client(secret="jd_not-a-real-token").get(BASE + path), 401, "unauthenticated")


def test_a_logged_in_session_reads_and_needs_csrf_to_write(d):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(d.officer_a)
    assert get(browser, "/dispositions").json()["count"] == 0
    assert_error(post(browser, "/dispositions", disposition_body(d)), 403, "csrf_failed")
    assert not Disposition.objects.exists()


# --- dispositions and influence periods ----------------------------------------------------


def test_disposition_happy_path_scoping_and_influence_boundary(d):
    created = post(api_client(d.officer), "/dispositions", disposition_body(d))
    assert created.status_code == 201
    body = created.json()
    assert body["influence_ends_on"] == "2026-03-14" and body["cadre"] == {"id": d.cadre_a.pk, "name": "张伟明"} and body["status"] == "effective"
    pk = body["id"]
    officer_a, officer_b = api_client(d.officer_a), api_client(d.officer_b)
    assert get(officer_a, f"/dispositions/{pk}").json()["id"] == pk
    assert_error(get(officer_b, f"/dispositions/{pk}"), 404, "not_found")
    assert get(officer_b, "/dispositions").json() == {"count": 0, "limit": 50, "offset": 0, "items": []}
    listed = get(officer_a, f"/dispositions?cadre={d.cadre_a.pk}&status=effective").json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == pk
    assert get(officer_a, "/dispositions?running_on=2026-03-14").json()["count"] == 1
    assert get(officer_a, "/dispositions?running_on=2026-03-15").json()["count"] == 0
    assert get(officer_a, f"/dispositions?unit={d.b.pk}").json()["count"] == 0
    on_last_day = get(officer_a, f"/cadres/{d.cadre_a.pk}/influence?on=2026-03-14").json()
    assert [r["measure"] for r in on_last_day] == ["party_warning"] and on_last_day[0]["ends_on"] == "2026-03-14"
    assert get(officer_a, f"/cadres/{d.cadre_a.pk}/influence?on=2026-03-15").json() == []
    assert_error(get(officer_b, f"/cadres/{d.cadre_a.pk}/influence"), 404, "not_found")


def test_disposition_refusals_store_nothing(d):
    officer = api_client(d.officer)
    future = (TODAY + dt.timedelta(days=1)).isoformat()
    assert_error(post(officer, "/dispositions", disposition_body(d, decided_on=future)), 400, "invalid", "decided_on")
    assert_error(post(officer, "/dispositions", disposition_body(d, measure="party_probation")), 400, "invalid", "probation_years")
    assert_error(post(officer, "/dispositions", disposition_body(d, measure="flogging")), 422, "validation_error", "measure")
    assert_error(post(officer, "/dispositions", disposition_body(d, colour="red")), 422, "validation_error", "colour")
    assert_error(post(officer, "/dispositions", disposition_body(d, grounds="")), 422, "validation_error", "grounds")
    assert_error(post(officer, "/dispositions", disposition_body(d, cadre_id=987654)), 404, "not_found")
    # Another unit's officer, and roles that may not record dispositions: not visible.
    assert_error(post(api_client(d.officer_b), "/dispositions", disposition_body(d)), 404, "not_found")
    assert_error(post(api_client(d.leader_a), "/dispositions", disposition_body(d)), 404, "not_found")
    assert_error(get(api_client(d.outsider), "/dispositions"), 404, "not_found")
    assert not Disposition.objects.exists() and business_entries() == 0


def test_revoke_and_correct_need_the_right_to_confirm(d):
    pk = post(api_client(d.officer), "/dispositions", disposition_body(d)).json()["id"]
    officer, head = api_client(d.officer), api_client(d.head)
    assert_error(post(officer, f"/dispositions/{pk}/revoke", {"reason": "撤销"}), 404, "not_found")
    head_b = api_client(make_user(role=Role.ORG_HEAD, unit=d.b, username="head_b"))
    assert_error(post(head_b, f"/dispositions/{pk}/revoke", {"reason": "撤销"}), 404, "not_found")
    assert_error(post(head_b, f"/dispositions/{pk}/correct", {"reason": "更正"}), 404, "not_found")
    assert_error(post(api_client(d.officer_b), f"/dispositions/{pk}/correct", {"reason": "更正"}), 404, "not_found")
    corrected = post(head, f"/dispositions/{pk}/correct", {"reason": "更正", "measure": "party_serious_warning"})
    assert corrected.status_code == 201 and corrected.json()["corrects_id"] == pk and corrected.json()["influence_ends_on"] == "2026-09-14"
    assert Disposition.objects.get(pk=pk).status == Disposition.Status.CORRECTED
    new = corrected.json()["id"]
    assert_error(post(head, f"/dispositions/{pk}/revoke", {"reason": "撤销"}), 400, "invalid")
    revoked = post(head, f"/dispositions/{new}/revoke", {"reason": "复查撤销"})
    assert revoked.status_code == 200 and revoked.json()["status"] == "revoked"
    assert JournalEntry.objects.filter(action="oversight.disposition.revoked", actor_id=d.head.pk, target_id=str(new)).exists()


# --- yellow cards and talks ----------------------------------------------------------------


def test_yellow_card_and_talks(d):
    body = {
        "cadre_id": d.cadre_a.pk,
        "grounds": "测评不满意率≥1/3",
        "source_type": "appraisals.proposal",
        "source_id": "9",
        "figures": {"poor": 11, "valid": 30},
    }
    assert_error(post(api_client(d.officer), "/admonishments", body), 404, "not_found")
    head_b = api_client(make_user(role=Role.ORG_HEAD, unit=d.b, username="head_b"))
    assert_error(post(head_b, "/admonishments", body), 404, "not_found")
    head = api_client(d.head)
    created = post(head, "/admonishments", body)
    assert created.status_code == 201 and created.json()["measure"] == "admonishment_talk"
    assert_error(post(head, "/admonishments", body), 400, "duplicate")
    assert_error(post(head, "/admonishments", {**body, "figures": {"poor": -1}}), 422, "validation_error")
    officer_a = api_client(d.officer_a)
    required = get(officer_a, "/talks?status=required").json()
    assert required["count"] == 1 and required["items"][0]["kind"] == "admonishment" and required["items"][0]["due_explanation"]
    talk = {"cadre_id": d.cadre_a.pk, "kind": "routine", "talked_on": TODAY.isoformat(), "talkers": "部长", "reason": "x", "summary": "y"}
    created = post(officer_a, "/talks", talk)
    assert created.status_code == 201 and created.json()["status"] == "held"
    assert_error(post(officer_a, "/talks", {**talk, "explanation_required": True}), 400, "invalid", "explanation_required")
    assert_error(post(api_client(d.officer_b), "/talks", talk), 404, "not_found")
    assert_error(get(api_client(d.officer_b), f"/talks/{created.json()['id']}"), 404, "not_found")
    assert get(api_client(d.officer_b), "/talks").json()["count"] == 0
    assert Talk.objects.count() == 2


def test_the_appraisals_yellow_cards(d):
    first, second = make_yellow_card(d, year=2024), make_yellow_card(d, year=2025)
    head, officer, officer_a = api_client(d.head), api_client(d.officer), api_client(d.officer_a)
    head_b = api_client(make_user(role=Role.ORG_HEAD, unit=d.b, username="head_b"))
    listed = get(officer, "/yellow-cards?state=pending").json()
    assert listed["count"] == 2 and listed["items"][0]["figures"] == "不称职 1/3 = 33.33%" and listed["items"][0]["threshold"] == "1/3"
    assert (listed["items"][0]["count"], listed["items"][0]["valid"], listed["items"][0]["cadre"]["id"]) == (1, 3, d.principal_a.pk)
    assert get(officer_a, "/yellow-cards").json()["count"] == 0  # scoped on the appraisal's organising unit
    assert get(officer, "/yellow-cards?year=2025").json()["count"] == 1
    for client in (officer, officer_a, head_b):
        assert_error(post(client, f"/yellow-cards/{first.pk}/confirm", {}), 404, "not_found")
        assert_error(post(client, f"/yellow-cards/{first.pk}/dismiss", {"reason": "x"}), 404, "not_found")
    assert_error(get(head_b, f"/yellow-cards/{first.pk}"), 404, "not_found")
    assert_error(post(head, f"/yellow-cards/{first.pk}/confirm", {"decided_on": "2999-01-01"}), 400, "invalid", "decided_on")
    created = post(head, f"/yellow-cards/{first.pk}/confirm", {"decided_on": "2026-09-28", "note": "部务会研究同意"})
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["measure"] == "admonishment_talk" and body["cadre"]["id"] == d.principal_a.pk and "1/3" in body["grounds"]
    assert Talk.objects.get(disposition_id=body["id"]).due_on == dt.date(2026, 10, 16)
    shown = get(head, f"/yellow-cards/{first.pk}").json()
    assert shown["state"] == "taken_up" and shown["reference"] == f"oversight.admonishment:{body['id']}" and shown["decision_note"] == "部务会研究同意"
    assert_error(post(head, f"/yellow-cards/{first.pk}/confirm", {}), 400, "duplicate")
    assert_error(post(head, f"/yellow-cards/{second.pk}/dismiss", {"reason": " "}), 400, "invalid", "reason")
    dismissed = post(head, f"/yellow-cards/{second.pk}/dismiss", {"reason": "经核实系有组织打低分"})
    assert dismissed.status_code == 200 and dismissed.json()["state"] == "dismissed"
    assert_error(post(head, f"/yellow-cards/{second.pk}/confirm", {}), 400, "decided")
    assert Disposition.objects.count() == 1


# --- written inquiries ---------------------------------------------------------------------


def test_inquiry_flow_with_the_cadres_own_token(d):
    officer, officer_b, cadre = api_client(d.officer_a), api_client(d.officer_b), api_client(d.self_a)
    created = post(officer, "/inquiries", {"cadre_id": d.cadre_a.pk, "source": "complaint", "subject": "兼职", "questions": "是否兼职"})
    assert created.status_code == 201 and created.json()["status"] == "draft"
    pk = created.json()["id"]
    assert_error(get(cadre, f"/inquiries/{pk}"), 404, "not_found")  # not yet delivered
    assert_error(get(officer_b, f"/inquiries/{pk}"), 404, "not_found")
    assert_error(post(officer_b, f"/inquiries/{pk}/issue", {}), 404, "not_found")
    issued = post(officer, f"/inquiries/{pk}/issue", {"issued_on": "2026-09-25"}).json()
    assert issued["number"].startswith("组函〔2026〕") and issued["principal_name"] == "王局长"
    assert_error(post(officer_b, f"/inquiries/{pk}/delivery", {"delivered_on": "2026-09-28"}), 404, "not_found")
    assert_error(post(officer, f"/inquiries/{pk}/delivery", {"delivered_on": "2026-09-24"}), 400, "invalid", "delivered_on")
    delivered = post(officer, f"/inquiries/{pk}/delivery", {"delivered_on": "2026-09-28"}).json()
    assert delivered["reply_due_on"] == "2026-10-23" and "10-10" in delivered["reply_due_explanation"]
    assert [i["id"] for i in get(cadre, "/inquiries").json()["items"]] == [pk]
    reply = BASE + f"/inquiries/{pk}/reply"
    early = cadre.post(reply, {"reply_text": "说明", "replied_on": "2026-09-27", "file": pdf_upload()})
    assert_error(early, 400, "invalid", "replied_on")
    disguised = cadre.post(reply, {"reply_text": "说明", "replied_on": "2026-10-09", "file": exe_upload()})
    assert_error(disguised, 400, "invalid", "file")
    other_cadre = make_user(role=Role.CADRE, unit=None, cadre=d.cadre_b, username="self_b")
    assert_error(api_client(other_cadre).post(reply, {"reply_text": "x", "replied_on": "2026-10-09", "file": pdf_upload()}), 404, "not_found")
    replied = cadre.post(reply, {"reply_text": "说明", "replied_on": "2026-10-09", "file": pdf_upload()})
    assert replied.status_code == 200 and replied.json()["status"] == "replied"
    assert_error(post(cadre, f"/inquiries/{pk}/sign-off", {"signed_off_on": "2026-10-09"}), 404, "not_found")
    assert_error(post(officer_b, f"/inquiries/{pk}/sign-off", {"signed_off_on": "2026-10-09"}), 404, "not_found")
    assert post(officer, f"/inquiries/{pk}/sign-off", {"signed_off_on": "2026-10-09"}).json()["reply_signed_off_by"] == "王局长"
    assert_error(post(officer_b, f"/inquiries/{pk}/assessment", {"assessment": "clear", "follow_up": "close"}), 404, "not_found")
    blocked = post(officer, f"/inquiries/{pk}/assessment", {"assessment": "needs_verification", "follow_up": "transfer", "transfer_to_unit_id": d.b.pk})
    assert_error(blocked, 400, "invalid", "transfer_to_unit_id")
    assessed = post(officer, f"/inquiries/{pk}/assessment", {"assessment": "clear", "follow_up": "close"})
    assert assessed.status_code == 200 and assessed.json()["status"] == "closed" and assessed.json()["assessment"] == "clear"
    assert Inquiry.objects.get(pk=pk).status == Inquiry.Status.CLOSED


def test_inquiry_list_is_for_officers_and_the_cadre_only(d):
    inquiries.draft_inquiry(actor=d.officer, cadre=d.cadre_a, source="complaint", subject="x", questions="y")
    assert get(api_client(d.officer_a), "/inquiries").json()["count"] == 1
    assert get(api_client(d.officer_b), "/inquiries").json()["count"] == 0
    assert get(api_client(d.self_a), "/inquiries").json()["count"] == 0  # a draft is not shown to the cadre
    assert_error(get(api_client(d.auditor), "/inquiries"), 404, "not_found")
    # Action errors name the request's field (source_clue_id), not the action's argument.
    body = {"cadre_id": d.cadre_a.pk, "source": "clue", "subject": "x", "questions": "y"}
    assert_error(post(api_client(d.officer_a), "/inquiries", body), 400, "invalid", "source_clue_id")
    assert_error(
        post(api_client(d.officer_b), "/inquiries", {"cadre_id": d.cadre_a.pk, "source": "complaint", "subject": "x", "questions": "y"}), 404, "not_found"
    )


# --- clues ---------------------------------------------------------------------------------


@pytest.fixture
def clue(d):
    for unit in (d.org, d.audit, d.discipline):
        clues.add_member(actor=d.officer, unit=unit)
    registered = clues.register_clue(actor=d.officer, cadre=d.cadre_a, from_unit=d.org, source="petition", summary="秘密线索")
    return clues.transfer_clue(actor=d.officer, clue=registered, to_unit=d.audit)


def views_of(clue, user):
    return JournalEntry.objects.filter(action="oversight.clue.viewed", target_id=str(clue.pk), actor_id=user.pk, data__via="api").count()


def test_every_clue_read_through_the_api_is_journaled(d, clue):
    auditor = api_client(d.auditor)
    listed = get(auditor, "/clues").json()
    assert listed["count"] == 1 and listed["items"][0]["summary"] == "秘密线索"
    assert views_of(clue, d.auditor) == 1
    assert get(auditor, f"/clues/{clue.pk}").json()["to_unit"] == {"id": d.audit.pk, "name": "审计局"}
    assert views_of(clue, d.auditor) == 2
    # A filter that returns nothing reads nothing.
    assert get(auditor, "/clues?status=closed").json()["count"] == 0
    assert views_of(clue, d.auditor) == 2
    entry = JournalEntry.objects.filter(action="oversight.clue.viewed").latest("pk")
    assert entry.cadre_id == d.cadre_a.pk and "秘密线索" not in str(entry.data)


def test_clues_are_only_for_the_sending_and_receiving_departments(d, clue):
    # The discipline commission is a member but neither sent nor received it; officer_a manages
    # the cadre's unit but is no department's clue officer: not even the list.
    assert get(api_client(d.discipline_officer), "/clues").json()["count"] == 0
    assert_error(get(api_client(d.officer_a), "/clues"), 404, "not_found")
    for user in (d.discipline_officer, d.officer_a):
        client = api_client(user)
        assert_error(get(client, f"/clues/{clue.pk}"), 404, "not_found")
        assert_error(post(client, f"/clues/{clue.pk}/receipt", {}), 404, "not_found")
        assert_error(post(client, f"/clues/{clue.pk}/feedback", {"handling": "已核查", "result": "partly"}), 404, "not_found")
    assert_error(get(api_client(d.leader_a), "/clues"), 404, "not_found")
    assert not JournalEntry.objects.filter(action="oversight.clue.viewed").exists()
    # The sending department's officer may read it; only the receiver confirms receipt.
    sender = api_client(grant_role(make_user(role=Role.ORG_OFFICER, unit=d.org, username="org_clerk"), Role.CLUE_OFFICER, d.org))
    assert get(sender, f"/clues/{clue.pk}").status_code == 200
    assert_error(post(sender, f"/clues/{clue.pk}/receipt", {}), 404, "not_found")
    auditor = api_client(d.auditor)
    assert_error(post(auditor, f"/clues/{clue.pk}/feedback", {"handling": "已核查", "result": "unsubstantiated"}), 400, "invalid")
    assert post(auditor, f"/clues/{clue.pk}/receipt", {"received_on": TODAY.isoformat()}).json()["status"] == "received"
    assert_error(post(auditor, f"/clues/{clue.pk}/feedback", {"handling": "已核查", "result": "maybe"}), 422, "validation_error", "result")
    fed = post(auditor, f"/clues/{clue.pk}/feedback", {"handling": "已核查", "result": "unsubstantiated"})
    assert fed.status_code == 200 and fed.json()["status"] == "fed_back"
    assert Clue.objects.get(pk=clue.pk).status == Clue.Status.FED_BACK


# --- statistics ----------------------------------------------------------------------------


def test_statistics_are_scoped_and_the_year_bounded(d):
    dispositions.record_disposition(actor=d.officer, cadre=d.cadre_a, measure=Measure.ADMIN_WARNING, decided_on=TODAY, deciding_body="x", grounds="y")
    data = get(api_client(d.officer_a), f"/statistics/{TODAY.year}").json()
    assert data["year"] == TODAY.year and sum(r["count"] for r in data["dispositions"]["rows"]) == 1
    assert sum(r["count"] for r in get(api_client(d.officer_b), f"/statistics/{TODAY.year}").json()["dispositions"]["rows"]) == 0
    assert_error(get(api_client(d.outsider), f"/statistics/{TODAY.year}"), 404, "not_found")
    assert get(api_client(d.officer_a), "/statistics/2000").status_code == 200
    assert_error(get(api_client(d.officer_a), "/statistics/1999"), 422, "validation_error")
    assert_error(get(api_client(d.officer_a), "/statistics/2101"), 422, "validation_error")


# --- the OpenAPI document ------------------------------------------------------------------


def test_openapi_documents_every_oversight_operation_with_its_errors(d):
    schema = api_client(d.officer).get("/api/v1/openapi.json").json()
    operations = {
        (method.upper(), path): operation for path, methods in schema["paths"].items() if path.startswith(BASE + "/") for method, operation in methods.items()
    }
    assert len(operations) == 47  # 29, and 18 of issue #9.7: talks hold/cancel/follow-up, withdrawal, clue registration, tours, duty sessions
    for (method, path), operation in operations.items():
        assert operation["operationId"].startswith("jiandu_oversight_api_oversight_"), path
        assert operation["summary"] and operation["tags"] == ["oversight"]
        expected = {"401", "404", "422"} | ({"400", "403", "409"} if method == "POST" else set())
        assert expected <= {str(code) for code in operation["responses"]}, (method, path)
        assert operation["responses"]["404"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
    reply = operations[("POST", BASE + "/inquiries/{inquiry_id}/reply")]
    assert "multipart/form-data" in reply["requestBody"]["content"]
