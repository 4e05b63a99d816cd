"""The API: the same actions and refusals as the pages, readings journaled."""

import datetime as dt

from jiandu.core.models import JournalEntry
from jiandu.matters.models import Reporter
from jiandu.testing import api_client

FLAT = {"address": "示范区东园路18号502室", "area": "128.50", "nature": "商品房"}


def test_report_check_and_passport_flow_through_the_api(district):
    api = api_client(district.head)
    assert api.post("/api/v1/matters/years", {"year": 2026, "deadline": "2026-01-31"}, content_type="application/json").status_code == 201
    reporters = api.get("/api/v1/matters/years/2026/reporters").json()
    assert reporters["count"] == 3 and {r["state"] for r in reporters["items"]} == {"missing"}
    zhang = Reporter.objects.get(cadre=district.zhang)
    report = api.post(f"/api/v1/matters/reporters/{zhang.pk}/reports", {}, content_type="application/json").json()
    bad = api.post(f"/api/v1/matters/reports/{report['id']}/items", {"kind": "real_estate", "values": {"area": "1"}}, content_type="application/json")
    assert bad.status_code == 400 and bad.json()["field"] == "address"
    nul = api.post(f"/api/v1/matters/reports/{report['id']}/items", {"kind": "real_estate", "values": {"address": "a\x00"}}, content_type="application/json")
    assert nul.status_code in (400, 422)
    ok = api.post(f"/api/v1/matters/reports/{report['id']}/items", {"kind": "real_estate", "values": FLAT}, content_type="application/json")
    assert ok.status_code == 201
    submitted = api.post(f"/api/v1/matters/reports/{report['id']}/submit", {"received_on": "2026-01-20"}, content_type="application/json").json()
    assert submitted["status"] == "submitted"
    assert api.get(f"/api/v1/matters/reports/{report['id']}").json()["items"][0]["values"]["address"] == FLAT["address"]
    assert JournalEntry.objects.filter(action="matters.report.viewed", actor_id=district.head.pk).exists()
    assert len(api.get("/api/v1/matters/years/2026/export").json()) == 1

    draw = api.post("/api/v1/matters/years/2026/draw", {"seed": "s1"}, content_type="application/json").json()
    assert api.post(f"/api/v1/matters/draws/{draw['id']}/rerun").json() == {"selected": draw["selected"], "same": True}
    assert api.get(f"/api/v1/matters/draws/{draw['id']}").json()["seed"] == "s1"

    check = api.post("/api/v1/matters/checks", {"cadre_id": district.zhang.pk, "reason": "拟提拔"}, content_type="application/json").json()
    req = api.post(f"/api/v1/matters/checks/{check['id']}/requests", {"department": "不动产登记机构"}, content_type="application/json").json()
    hidden = {"kind": "real_estate", "values": {"address": "示范区西湖路7号", "area": "96"}}
    reply = api.post(
        f"/api/v1/matters/requests/{req['id']}/reply", {"replied_on": dt.date.today().isoformat(), "items": [hidden]}, content_type="application/json"
    )
    assert reply.status_code == 200
    detail = api.get(f"/api/v1/matters/checks/{check['id']}").json()
    (comparison,) = detail["comparisons"]
    assert comparison["status"] == "not_reported"
    api.post(
        f"/api/v1/matters/checks/{check['id']}/findings",
        {"reply_item_id": comparison["reply_item_id"], "classification": "omission"},
        content_type="application/json",
    )
    done = api.post(
        f"/api/v1/matters/checks/{check['id']}/conclusion",
        {"handling": "criticism", "decided_on": dt.date.today().isoformat()},
        content_type="application/json",
    ).json()
    assert done["status"] == "concluded" and done["disposition_id"] is None
    assert api.get("/api/v1/matters/checks").json()["count"] == 2  # the drawn one and the targeted one

    holder = api.post("/api/v1/matters/holders", {"cadre_id": district.li.pk, "registered_on": "2026-01-05"}, content_type="application/json").json()
    document = api.post(
        f"/api/v1/matters/holders/{holder['id']}/documents", {"kind": "passport", "number": "E1", "received_on": "2026-01-05"}, content_type="application/json"
    ).json()
    travel = api.post(
        f"/api/v1/matters/holders/{holder['id']}/travels",
        {"destination": "泰国", "purpose": "探亲", "departs_on": "2026-07-01", "returns_on": "2026-07-10"},
        content_type="application/json",
    ).json()
    assert api.post(f"/api/v1/matters/travels/{travel['id']}/decision", {"approve": True}, content_type="application/json").json()["status"] == "approved"
    loan = api.post(
        f"/api/v1/matters/holders/{holder['id']}/loans",
        {"document_id": document["id"], "travel_id": travel["id"], "lent_on": "2026-06-28"},
        content_type="application/json",
    ).json()
    assert loan["due_on"] == "2026-07-20"
    assert [x["id"] for x in api.get("/api/v1/matters/loans?overdue=true").json()["items"]] == ([loan["id"]] if dt.date.today() > dt.date(2026, 7, 20) else [])
    assert (
        api.post(f"/api/v1/matters/loans/{loan['id']}/return", {"returned_on": "2026-07-21"}, content_type="application/json").json()["returned_on"]
        == "2026-07-21"
    )
    assert api.get("/api/v1/matters/holders").json()["count"] == 1
    assert len(api.get("/api/v1/matters/holders/export").json()) == 1


def test_api_refuses_other_roles(district):
    api = api_client(district.org_officer)
    assert api.get("/api/v1/matters/years").status_code == 404
    assert api.post("/api/v1/matters/years", {"year": 2026}, content_type="application/json").status_code == 404
    assert api.post("/api/v1/matters/checks", {"cadre_id": district.zhang.pk, "reason": "x"}, content_type="application/json").status_code == 201
    assert api.get("/api/v1/matters/checks").status_code == 404
    officer = api_client(district.officer)
    assert officer.get("/api/v1/matters/holders").status_code == 404  # passports are the org officers'
    assert officer.get("/api/v1/matters/years/2026/export").status_code == 404
