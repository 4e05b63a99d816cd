"""Bodies and meetings: recording through the action, the verdict stored and shown with its
arithmetic, who sees which meeting (pages and API), and refusals that store nothing."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from jiandu.accounts.models import Role
from jiandu.core.errors import ActionError
from jiandu.core.models import JournalEntry
from jiandu.decisions import actions
from jiandu.decisions import verdict as rules
from jiandu.decisions.models import AgendaItem, Attendance, Body, Meeting
from jiandu.testing import api_client, log_in, make_cadre, make_position, make_tenure, make_unit, make_user


@pytest.fixture
def committee(db):
    """A standing committee of 9 members from the current tenures of the district committee."""
    root = make_unit(name="示范区委", kind="party_committee")
    other = make_unit(name="教育局", parent=root)
    leaders = []
    for n in range(9):
        cadre = make_cadre(unit=root, name=f"常委{n}")
        make_tenure(cadre=cadre, position=make_position(unit=root, title="区委书记" if n == 0 else "区委常委", is_principal=n == 0, order=n))
        leaders.append(cadre)
    officer = make_user(role=Role.ORG_OFFICER)
    body = actions.create_body(
        actor=officer, unit=root, name="区委常委会", kind=Body.Kind.STANDING_COMMITTEE, members=actions.current_leaders(root), principal=leaders[0]
    )
    return {"root": root, "other": other, "leaders": leaders, "officer": officer, "body": body}


def _record(c, *, absent=3, statements=None, category=AgendaItem.Category.APPOINTMENT, opinions=None):
    leaders = c["leaders"]
    absentees = leaders[9 - absent :] if absent else []
    absences = {a: {"reason": "出差", "opinions": opinions or {}} for a in absentees}
    present = [m for m in leaders if m not in absentees]
    if statements is None:
        statements = [(m, rules.AGREE, "") for m in present[1:]] + [(leaders[0], rules.AGREE, "同意")]
    return actions.record_meeting(
        actor=c["officer"],
        body=c["body"],
        held_on=dt.date(2026, 11, 3),
        title="区委常委会第9次会议",
        absences=absences,
        items=[{"title": "研究干部任免事项", "category": category, "proposer": leaders[1], "statements": statements}],
    )


def test_members_come_from_current_tenures(committee):
    assert {m.pk for m in committee["body"].members.all()} == {c.pk for c in committee["leaders"]}
    assert JournalEntry.objects.filter(action="decisions.body.created").count() == 1


def test_six_of_nine_appointment_passes_and_is_journaled(committee):
    meeting = _record(committee, absent=3)
    item = meeting.items.get()
    assert item.outcome == rules.PASSED
    assert [s.cadre_id for s in item.statements.order_by("order")][-1] == committee["leaders"][0].pk
    entry = JournalEntry.objects.get(action="decisions.meeting.recorded")
    assert entry.data["present"] == 6 and entry.data["outcomes"] == [rules.PASSED]


def test_five_of_nine_appointment_is_void_and_shown_with_arithmetic(committee):
    meeting = _record(committee, absent=4, opinions={1: (rules.AGREE, "同意")})
    item = meeting.items.get()
    assert item.outcome == rules.VOID
    assert item.written_opinions.count() == 4
    page = log_in(Client(), committee["officer"]).get(reverse("decisions:meeting", args=[meeting.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "无效" in text and "至少 6 人" in text and "缺席" in text


def test_principal_not_last_refused_and_nothing_stored(committee):
    leaders = committee["leaders"]
    said = [(leaders[0], rules.AGREE, "")] + [(m, rules.AGREE, "") for m in leaders[1:6]]
    with pytest.raises(ActionError) as refused:
        _record(committee, absent=3, statements=said)
    assert "最后表态" in str(refused.value)
    assert not Meeting.objects.exists() and not Attendance.objects.exists()
    assert not JournalEntry.objects.filter(action="decisions.meeting.recorded").exists()


def test_absent_member_cannot_state(committee):
    leaders = committee["leaders"]
    said = [(leaders[8], rules.AGREE, ""), (leaders[0], rules.AGREE, "")]
    with pytest.raises(ActionError):
        _record(committee, absent=3, statements=said)
    assert not Meeting.objects.exists()


def test_absence_needs_a_reason(committee):
    with pytest.raises(ActionError):
        actions.record_meeting(
            actor=committee["officer"],
            body=committee["body"],
            held_on=dt.date(2026, 11, 3),
            title="会议",
            absences={committee["leaders"][8]: {"reason": " "}},
            items=[{"title": "议题", "category": "other", "statements": []}],
        )
    assert not Meeting.objects.exists()


def test_bad_amount_refused(committee):
    with pytest.raises(ActionError):
        actions.record_meeting(
            actor=committee["officer"],
            body=committee["body"],
            held_on=dt.date(2026, 11, 3),
            title="会议",
            items=[{"title": "议题", "category": "major_project", "amount": "NaN", "statements": []}],
        )
    assert not Meeting.objects.exists()


def test_only_the_office_records(committee):
    member = make_user(role=Role.COMMITTEE_MEMBER, cadre=committee["leaders"][3])
    with pytest.raises(Exception):  # noqa: B017  (NotVisible, a 404)
        actions.record_meeting(actor=member, body=committee["body"], held_on=dt.date(2026, 11, 3), title="会议", items=[])
    leader = make_user(role=Role.UNIT_LEADER, unit=committee["other"])
    with pytest.raises(Exception):  # noqa: B017
        actions.create_body(actor=leader, unit=committee["root"], name="x", kind="party_group", members=committee["leaders"][:2])
    assert Body.objects.count() == 1


def test_committee_member_sees_only_the_meetings_of_its_bodies(committee):
    meeting = _record(committee)
    member = make_user(role=Role.COMMITTEE_MEMBER, cadre=committee["leaders"][3])
    outsider = make_user(role=Role.COMMITTEE_MEMBER, cadre=make_cadre(unit=committee["other"]))
    unlinked = make_user(role=Role.COMMITTEE_MEMBER)
    url = reverse("decisions:meeting", args=[meeting.pk])
    assert log_in(Client(), member).get(url).status_code == 200
    assert log_in(Client(), outsider).get(url).status_code == 404
    assert log_in(Client(), unlinked).get(url).status_code == 404
    index = log_in(Client(), member).get(reverse("decisions:index"))
    assert meeting.title in index.content.decode()
    assert meeting.title not in log_in(Client(), outsider).get(reverse("decisions:index")).content.decode()


def test_pages_need_a_login_and_a_decisions_role(committee):
    meeting = _record(committee)
    assert Client().get(reverse("decisions:index")).status_code == 302
    nobody = make_user()
    assert log_in(Client(), nobody).get(reverse("decisions:index")).status_code == 404
    assert log_in(Client(), nobody).get(reverse("decisions:meeting", args=[meeting.pk])).status_code == 404


def test_api_lists_and_explains(committee):
    meeting = _record(committee, absent=4)
    member = make_user(role=Role.COMMITTEE_MEMBER, cadre=committee["leaders"][2])
    listed = api_client(member).get("/api/v1/decisions/meetings").json()
    assert [m["id"] for m in listed["items"]] == [meeting.pk]
    detail = api_client(member).get(f"/api/v1/decisions/meetings/{meeting.pk}").json()
    item = detail["items"][0]
    assert (detail["members"], detail["present"]) == (9, 5)
    assert (item["outcome"], item["quorum_needed"], item["majority_needed"]) == ("void", 6, 5)
    assert item["explanation"]
    outsider = make_user(role=Role.COMMITTEE_MEMBER, cadre=make_cadre(unit=committee["other"]))
    assert api_client(outsider).get(f"/api/v1/decisions/meetings/{meeting.pk}").status_code == 404
    assert api_client(outsider).get("/api/v1/decisions/meetings").json()["count"] == 0
    assert api_client(make_user()).get("/api/v1/decisions/meetings").status_code == 404
    assert Client().get("/api/v1/decisions/meetings").status_code == 401


def _payload(c, *, absent=4, principal_last=True):
    leaders = c["leaders"]
    present = leaders[: 9 - absent]
    order = [m for m in present[1:]] + [leaders[0]] if principal_last else present
    return {
        "body_id": c["body"].pk,
        "held_on": "2026-11-03",
        "title": "区委常委会第10次会议",
        "absences": [{"member_id": m.pk, "reason": "出差", "opinions": [{"item": 1, "stance": "agree"}]} for m in leaders[9 - absent :]],
        "items": [
            {
                "title": "研究干部任免事项",
                "category": "appointment",
                "proposer_id": leaders[1].pk,
                "statements": [{"member_id": m.pk, "stance": "agree", "reason": ""} for m in order],
            },
            {"title": "新校区建设", "category": "major_project", "amount": "20000000", "statements": [{"member_id": m.pk, "stance": "agree"} for m in order]},
        ],
    }


def test_api_records_a_meeting_and_computes_each_verdict(committee):
    answer = api_client(committee["officer"]).post("/api/v1/decisions/meetings", _payload(committee), content_type="application/json")
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert [i["outcome"] for i in body["items"]] == ["void", "passed"]
    assert body["items"][0]["written_opinions"] == 4 and body["items"][0]["agree"] == 5
    assert JournalEntry.objects.filter(action="decisions.meeting.recorded").count() == 1


def test_api_refusals_store_nothing(committee):
    officer = api_client(committee["officer"])
    refused = officer.post("/api/v1/decisions/meetings", _payload(committee, principal_last=False), content_type="application/json")
    assert refused.status_code == 400
    assert "最后表态" in refused.json()["message"]
    stranger = _payload(committee)
    stranger["items"][0]["statements"][0]["member_id"] = make_cadre(unit=committee["other"]).pk
    assert officer.post("/api/v1/decisions/meetings", stranger, content_type="application/json").status_code == 400
    assert not Meeting.objects.exists()
    # Only the office records: a member of the body, an officer of another unit, anonymous.
    member = make_user(role=Role.COMMITTEE_MEMBER, cadre=committee["leaders"][3])
    assert api_client(member).post("/api/v1/decisions/meetings", _payload(committee), content_type="application/json").status_code == 404
    elsewhere = make_user(role=Role.UNIT_LEADER, unit=committee["other"])
    assert api_client(elsewhere).post("/api/v1/decisions/meetings", _payload(committee), content_type="application/json").status_code == 404
    assert Client().post("/api/v1/decisions/meetings", _payload(committee), content_type="application/json").status_code == 401
    assert not Meeting.objects.exists()


def _form(c, *, absent=4, reason="出差"):
    data = {"title": "区委常委会第11次会议", "held_on": "2026-11-04", "item_title": "研究干部任免事项", "category": "appointment", "amount": ""}
    for n, m in enumerate(c["leaders"]):
        away = n >= 9 - absent
        data[f"stance_{m.pk}"] = "absent" if away else "agree"
        data[f"reason_{m.pk}"] = reason if away else ""
    return data


def test_page_records_a_void_appointment_meeting(committee):
    client = log_in(Client(), committee["officer"])
    url = reverse("decisions:record_meeting", args=[committee["body"].pk])
    form = client.get(url)
    assert form.status_code == 200
    assert url in client.get(reverse("decisions:index")).content.decode()
    answer = client.post(url, _form(committee))
    meeting = Meeting.objects.get()
    assert answer.status_code == 302 and answer.url == reverse("decisions:meeting", args=[meeting.pk])
    item = meeting.items.get()
    assert item.outcome == rules.VOID
    assert item.statements.order_by("order").last().cadre_id == committee["leaders"][0].pk


def test_page_refuses_an_absence_without_reason_and_stores_nothing(committee):
    client = log_in(Client(), committee["officer"])
    answer = client.post(reverse("decisions:record_meeting", args=[committee["body"].pk]), _form(committee, reason=""))
    assert answer.status_code == 200
    assert "缺席的原因" in answer.content.decode()
    assert not Meeting.objects.exists()


def test_page_record_is_the_offices_only(committee):
    url = reverse("decisions:record_meeting", args=[committee["body"].pk])
    member = make_user(role=Role.COMMITTEE_MEMBER, cadre=committee["leaders"][3])
    elsewhere = make_user(role=Role.UNIT_LEADER, unit=committee["other"])
    for user in (member, elsewhere, make_user()):
        assert log_in(Client(), user).get(url).status_code == 404
        assert log_in(Client(), user).post(url, _form(committee)).status_code == 404
    assert Client().get(url).status_code == 302
    assert not Meeting.objects.exists()


def test_minutes_pdf_is_journaled_and_scoped(committee):
    meeting = _record(committee, absent=4, opinions={1: (rules.AGREE, "")})
    member = make_user(role=Role.COMMITTEE_MEMBER, cadre=committee["leaders"][3])
    url = reverse("decisions:meeting_minutes", args=[meeting.pk])
    answer = log_in(Client(), member).get(url)
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    assert answer.content.startswith(b"%PDF")
    import io

    import pypdf

    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(answer.content)).pages).replace("\n", "").replace(" ", "").replace("\x00", "")
    assert "应到9人，实到5人" in text and "无效" in text and "不计票" in text
    assert JournalEntry.objects.filter(action="decisions.minutes.printed", actor_id=member.pk).count() == 1
    outsider = make_user(role=Role.COMMITTEE_MEMBER, cadre=make_cadre(unit=committee["other"]))
    assert log_in(Client(), outsider).get(url).status_code == 404
    assert Client().get(url).status_code == 302
    assert JournalEntry.objects.filter(action="decisions.minutes.printed").count() == 1
