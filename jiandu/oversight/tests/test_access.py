"""Every oversight page against the people who must not use it (SECURITY.md "Access"; the route
walker in tests/test_routes.py reads access_map.py, which points here).

For each route: a persona who may use it opens it (200, so the refusals below are not an
accident of a wrong URL); every refused persona — another unit's officer, a role without the
right, another cadre in self service — gets 404 on GET and on POST, each refusal is journaled
as a security event (core.access.denied) and nothing is changed.
"""

import datetime as dt
from dataclasses import dataclass, field

import pytest
from django.test import Client
from django.urls import reverse

from jiandu.accounts.models import Role
from jiandu.core.models import JournalEntry
from jiandu.core.rectification import evidence
from jiandu.oversight import queries
from jiandu.oversight import urls as oversight_urls
from jiandu.oversight.actions import clues, dispositions, duty, inquiries, talks, tours
from jiandu.oversight.models import Attachment, Disposition, DutyReport, Measure, RectificationItem, RectificationUpdate
from jiandu.testing import grant_role, make_position, make_tenure, make_user

from .conftest import make_yellow_card, pdf_upload

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


@dataclass(frozen=True)
class Record:
    """A record of the `world` fixture named in a URL after the first one."""

    name: str


@dataclass(frozen=True)
class Case:
    allowed: str  # a persona who may open the page
    refused: tuple[str, ...]  # personas who get 404
    obj: str = ""  # the record in the URL (an attribute of the `world` fixture); "" for none
    extra: tuple = ()  # more URL arguments after the record's pk (text, or a Record)
    post: dict = field(default_factory=dict)  # a POST body the allowed persona could send


LIST_REFUSED = ("outsider", "auditor", "self_a")
CREATE_REFUSED = ("leader_a", "discipline_officer", "outsider")

CASES = {
    "oversight:index": Case("leader_a", ("outsider",)),
    "oversight:download": Case("officer_a", ("officer_b", "outsider", "self_b"), obj="attachment"),
    "oversight:statistics": Case("leader_a", LIST_REFUSED),
    "oversight:cadre": Case("leader_a", ("officer_b", "outsider", "auditor"), obj="cadre_a"),
    # dispositions and yellow cards
    "oversight:disposition_list": Case("leader_a", LIST_REFUSED),
    "oversight:disposition_create": Case("officer_a", CREATE_REFUSED, post={"measure": "admin_warning", "deciding_body": "区监委", "grounds": "违规"}),
    "oversight:admonishment_create": Case(
        "head", ("officer", "officer_a", "leader_a", "outsider"), post={"grounds": "测评", "source_type": "x", "source_id": "1"}
    ),
    "oversight:disposition_detail": Case("leader_a", ("officer_b", "outsider", "self_a"), obj="disposition"),
    "oversight:disposition_correct": Case("head", ("officer_a", "officer_b", "leader_a"), obj="disposition", post={"reason": "更正"}),
    "oversight:disposition_revoke": Case("head", ("officer_a", "officer_b", "leader_a"), obj="disposition", post={"reason": "撤销"}),
    "oversight:disposition_lift": Case("head", ("officer_a", "officer_b", "leader_a"), obj="disposition", post={"reason": "审查结束"}),
    "oversight:disposition_document": Case("officer_a", ("officer_b", "leader_a", "self_a"), obj="disposition"),
    # yellow cards: scoped on the appraisal's organising unit (the district); deciding needs oversight.confirm
    "oversight:yellow_card_list": Case("leader_a", LIST_REFUSED),
    "oversight:yellow_card_detail": Case("officer", ("officer_a", "officer_b", "leader_a", "outsider"), obj="yellow_card"),
    "oversight:yellow_card_confirm": Case(
        "head", ("head_b", "officer", "officer_a", "leader_a"), obj="yellow_card", post={"decided_on": TODAY, "deciding_body": "区委组织部", "grounds": "x"}
    ),
    "oversight:yellow_card_dismiss": Case("head", ("head_b", "officer", "officer_a", "leader_a"), obj="yellow_card", post={"reason": "x"}),
    # talks
    "oversight:talk_list": Case("leader_a", LIST_REFUSED),
    "oversight:talk_create": Case("officer_a", CREATE_REFUSED, post={"kind": "routine", "talkers": "部长", "reason": "x", "summary": "y"}),
    "oversight:talk_detail": Case("self_a", ("officer_b", "self_b", "outsider"), obj="talk"),
    "oversight:talk_hold": Case("officer_a", ("officer_b", "leader_a", "self_a"), obj="talk", post={"talkers": "部长", "summary": "y"}),
    "oversight:talk_follow_up": Case("officer_a", ("officer_b", "leader_a", "self_a"), obj="talk", post={"result": "done"}),
    "oversight:talk_explanation": Case("self_a", ("officer_b", "leader_a", "self_b"), obj="talk"),
    "oversight:talk_sign_off": Case("officer_a", ("officer_b", "leader_a", "self_a"), obj="talk"),
    "oversight:talk_cancel": Case("officer_a", ("officer_b", "leader_a", "self_a"), obj="talk", post={"reason": "x"}),
    # written inquiries
    "oversight:inquiry_list": Case("leader_a", LIST_REFUSED),
    "oversight:my_inquiries": Case("self_a", ("officer_a", "outsider")),
    "oversight:inquiry_create": Case("officer_a", CREATE_REFUSED, post={"source": "complaint", "subject": "x", "questions": "y"}),
    "oversight:inquiry_detail": Case("self_a", ("officer_b", "self_b", "auditor"), obj="delivered"),
    "oversight:inquiry_letter": Case("officer_a", ("officer_b", "leader_a", "self_a"), obj="draft"),
    "oversight:inquiry_edit": Case("officer_a", ("officer_b", "leader_a"), obj="draft", post={"subject": "改", "questions": "改"}),
    "oversight:inquiry_issue": Case("officer_a", ("officer_b", "leader_a"), obj="draft"),
    "oversight:inquiry_deliver": Case("officer_a", ("officer_b", "leader_a", "self_a"), obj="delivered"),
    "oversight:inquiry_reply": Case("self_a", ("officer_b", "leader_a", "self_b"), obj="delivered", post={"reply_text": "说明"}),
    "oversight:inquiry_sign_off": Case("officer_a", ("officer_b", "leader_a", "self_a"), obj="delivered"),
    "oversight:inquiry_assess": Case("officer_a", ("officer_b", "leader_a", "self_a"), obj="delivered", post={"assessment": "clear", "follow_up": "close"}),
    "oversight:inquiry_withdraw": Case("officer_a", ("officer_b", "leader_a"), obj="draft", post={"reason": "x"}),
    # clues and the joint meeting
    "oversight:clue_list": Case("auditor", ("leader_a", "outsider", "self_a")),
    "oversight:clue_create": Case("auditor", ("leader_a", "outsider", "self_a"), post={"source": "petition", "summary": "x"}),
    "oversight:clue_detail": Case("auditor", ("officer_b", "officer_a", "discipline_officer", "leader_a"), obj="clue"),
    "oversight:clue_transfer": Case("org_clerk", ("auditor", "discipline_officer", "officer_b"), obj="registered_clue"),
    "oversight:clue_receive": Case("auditor", ("org_clerk", "discipline_officer", "officer_b"), obj="clue"),
    "oversight:clue_feedback": Case("auditor", ("org_clerk", "discipline_officer", "officer_b"), obj="clue", post={"handling": "x", "result": "partly"}),
    "oversight:clue_close": Case("org_clerk", ("auditor", "discipline_officer", "officer_b"), obj="clue", post={"confirm": "on"}),
    "oversight:joint": Case("auditor", ("outsider", "self_a")),
    "oversight:member_add": Case("officer", ("leader_a", "auditor", "outsider")),
    "oversight:member_remove": Case("officer", ("officer_a", "auditor", "leader_a"), obj="member", post={"reason": "x"}),
    "oversight:meeting_create": Case("officer", ("leader_a", "auditor", "outsider"), post={"title": "x"}),
    "oversight:meeting_detail": Case("auditor", ("officer_b", "leader_a", "outsider"), obj="meeting"),
    # inspection tours
    "oversight:tour_list": Case("leader_a", LIST_REFUSED),
    "oversight:tour_create": Case("officer", CREATE_REFUSED, post={"name": "x", "kind": "patrol", "year": TODAY.year}),
    "oversight:rectification_list": Case("leader_a", LIST_REFUSED),
    "oversight:tour_detail": Case("leader_a", ("officer_b", "outsider", "auditor"), obj="tour"),
    "oversight:rectification_evidence": Case("leader_a", ("officer_b", "outsider", "auditor"), obj="tour_evidence"),
    "oversight:tour_step": Case("officer", ("officer_a", "officer_b", "leader_a"), obj="tour", extra=("member",), post={"name": "周组长", "role": "member"}),
    "oversight:tour_step_child": Case("officer", ("officer_a", "officer_b", "leader_a"), obj="tour", extra=("declare", Record("tour_member"))),
    # duty and integrity reports
    "oversight:duty_report_list": Case("leader_a", LIST_REFUSED),
    "oversight:duty_plan": Case("officer_a", CREATE_REFUSED, post={"year": TODAY.year}),
    "oversight:duty_session_create": Case("officer_a", CREATE_REFUSED, post={"year": TODAY.year, "mode": "public"}),
    "oversight:duty_session_list": Case("leader_a", LIST_REFUSED),
    "oversight:duty_session_detail": Case("leader_a", ("officer_b", "outsider", "auditor", "self_a"), obj="session"),
    "oversight:duty_session_ballot": Case(
        "officer_a", ("officer_b", "leader_a", "self_a"), obj="session", post={"group_1_name": "干部职工", "group_1_headcount": 30}
    ),
    "oversight:duty_session_import": Case("officer_a", ("officer_b", "leader_a", "self_a"), obj="session", post={"confirm": "on"}),
    "oversight:duty_report_detail": Case("self_a", ("officer_b", "self_b", "outsider"), obj="report"),
    "oversight:duty_submit": Case("self_a", ("officer_b", "leader_a", "self_b"), obj="report", post={"text": "述职"}),
    "oversight:duty_evaluate": Case("officer_a", ("officer_b", "leader_a", "self_a"), obj="report"),
    "oversight:duty_opinion": Case("officer_a", ("officer_b", "leader_a", "self_a"), obj="report", post={"opinion": "好"}),
}


@pytest.fixture
def world(d):
    """One record of each kind about cadre_a (unit a), and the extra personas."""
    d.self_b = make_user(role=Role.CADRE, unit=None, cadre=d.cadre_b, username="self_b")
    d.org_clerk = grant_role(make_user(role=Role.ORG_OFFICER, unit=d.org, username="org_clerk"), Role.CLUE_OFFICER, d.org)
    for unit in (d.org, d.audit, d.discipline):
        clues.add_member(actor=d.officer, unit=unit)
    d.member = queries.members().get(unit=d.audit)
    d.disposition = dispositions.record_disposition(
        actor=d.officer, cadre=d.cadre_a, measure=Measure.PARTY_WARNING, decided_on=TODAY, deciding_body="区纪委", grounds="违纪", document=pdf_upload()
    )
    d.attachment = Attachment.objects.get(owner_type="disposition")
    d.talk = talks.record_talk(
        actor=d.officer, cadre=d.cadre_a, kind="reminder", talked_on=TODAY, talkers="赵部长", reason="反映", summary="提醒", explanation_required=True
    )
    d.draft = inquiries.draft_inquiry(actor=d.officer, cadre=d.cadre_a, source="complaint", subject="兼职问题", questions="是否兼职？")
    issued = inquiries.issue_inquiry(
        actor=d.officer, inquiry=inquiries.draft_inquiry(actor=d.officer, cadre=d.cadre_a, source="complaint", subject="s", questions="q")
    )
    d.delivered = inquiries.record_delivery(actor=d.officer, inquiry=issued, delivered_on=TODAY)
    d.registered_clue = clues.register_clue(actor=d.org_clerk, cadre=d.cadre_a, from_unit=d.org, source="petition", summary="线索甲")
    d.clue = clues.transfer_clue(
        actor=d.org_clerk, clue=clues.register_clue(actor=d.org_clerk, cadre=d.cadre_a, from_unit=d.org, source="petition", summary="线索乙"), to_unit=d.audit
    )
    d.meeting = clues.record_meeting(actor=d.officer, organiser=d.org, held_on=TODAY, title="联席会议", attending_units=[d.org, d.audit])
    d.tour = tours.plan_tour(actor=d.officer, organiser=d.org, name="第一轮巡察", year=TODAY.year, planned_start=TODAY, planned_end=TODAY, targets=[d.a])
    d.tour_member = tours.add_team_member(actor=d.officer, tour=d.tour, name="周组长", role="leader")
    # A progress update with an evidence file (written directly: the tour is still being prepared).
    item = RectificationItem.objects.create(tour=d.tour, unit=d.a, measure="退回津贴", owner="王局长", due_on=TODAY)
    d.tour_evidence = RectificationUpdate(item=item, on=TODAY, progress="已退回", created_by=d.officer)
    evidence.attach(d.tour_evidence, evidence.check(pdf_upload("凭证.pdf")))
    d.tour_evidence.save()
    make_tenure(position=make_position(unit=d.a, title="副局长"), cadre=d.cadre_a)
    duty.plan_duty_reports(actor=d.officer, year=TODAY.year, due_on=TODAY + dt.timedelta(days=5), unit=d.a)
    d.report = DutyReport.objects.get(cadre=d.cadre_a)
    d.head_b = make_user(role=Role.ORG_HEAD, unit=d.b, username="head_b")
    return d


def _session(world):
    """Unit a's session where the principal's report was heard (the cadre_a report stays pending)."""
    report = DutyReport.objects.get(cadre=world.principal_a)
    duty.submit_duty_report(actor=world.officer, report=report, text="述责述廉报告")
    return duty.record_duty_session(actor=world.officer, unit=world.a, year=TODAY.year, held_on=TODAY, mode="public", reports=[report])


# Records that only some routes need, built on first use (an appraisal takes a moment).
LAZY_RECORDS = {"yellow_card": make_yellow_card, "session": _session}


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    session = client.session
    session["jiandu_epoch"] = user.session_epoch  # as the login view does (session policy)
    session.save()
    return client


def url_of(world, name: str, case: Case) -> str:
    if case.obj in LAZY_RECORDS and not hasattr(world, case.obj):
        setattr(world, case.obj, LAZY_RECORDS[case.obj](world))
    args = [getattr(world, case.obj).pk] if case.obj else []
    args += [getattr(world, a.name).pk if isinstance(a, Record) else a for a in case.extra]
    return reverse(name, args=args)


def business_state() -> tuple:
    """What a refused request must not change: business journal entries and the records."""
    entries = JournalEntry.objects.exclude(action__in=["core.access.denied", "oversight.clue.viewed"]).count()
    return entries, Disposition.objects.count(), tuple(Disposition.objects.values_list("status", flat=True))


def test_every_oversight_route_has_a_case():
    names = {f"oversight:{p.name}" for p in oversight_urls.urlpatterns}
    assert names == set(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_wrong_unit_and_wrong_role_get_404(world, name):
    case = CASES[name]
    url = url_of(world, name, case)
    allowed = browser(getattr(world, case.allowed)).get(url)
    assert allowed.status_code == 200, f"{case.allowed} should open {url}"
    before = business_state()
    for persona in case.refused:
        client = browser(getattr(world, persona))
        denied = JournalEntry.objects.filter(action="core.access.denied", actor_id=getattr(world, persona).pk).count()
        assert client.get(url).status_code == 404, f"GET {url} as {persona}"
        assert client.post(url, case.post).status_code == 404, f"POST {url} as {persona}"
        refusals = JournalEntry.objects.filter(action="core.access.denied", actor_id=getattr(world, persona).pk)
        assert refusals.count() == denied + 2 and refusals.latest("pk").data == {"method": "POST", "path": url}
    assert business_state() == before


@pytest.mark.parametrize(
    ("name", "body"),
    [
        ("oversight:disposition_create", {"measure": "admin_warning", "decided_on": TODAY, "deciding_body": "区监委", "grounds": "违规"}),
        ("oversight:talk_create", {"kind": "routine", "talked_on": TODAY, "talkers": "部长", "reason": "x", "summary": "y"}),
        ("oversight:inquiry_create", {"source": "complaint", "subject": "x", "questions": "y"}),
    ],
)
def test_create_pages_do_not_offer_or_accept_another_units_cadre(world, name, body):
    """An officer of unit b may open the form, but a cadre of unit a is not a valid choice."""
    client = browser(world.officer_b)
    form = client.get(reverse(name)).content.decode()
    assert world.cadre_b.name in form and world.cadre_a.name not in form
    before = business_state()
    response = client.post(reverse(name), {**body, "cadre": world.cadre_a.pk})
    assert response.status_code == 400
    assert business_state() == before
    assert client.post(reverse(name), {**body, "cadre": world.cadre_b.pk}).status_code == 302
