"""Security issue #8.2: a district-wide role acted as every department's clue officer.

Every demo role (built as load_demo builds it: the org, discipline, audit and vetting officers are
district-wide in their own pillars and the clue officers of 组织部, 纪委监委, 审计局 and 信访局)
against clues sent to and from its own and the other departments, for list, detail, transfer,
receipt, feedback and close, in the pages and in the API. Expected, per clue:

- read (list, detail): the clue officers of the sending and the receiving department, and the
  organisation-department head (convener of the joint meeting, read only);
- transfer and close: the sending department's clue officers;
- receipt and feedback: the receiving department's clue officers, never the sender;
- everyone else: 404 (as a missing clue), nothing changed, the refusal journaled.
"""

import datetime as dt
import itertools

import pytest
from django.test import Client
from django.urls import reverse

from jiandu.accounts.models import ADMIN_ROLES, Role
from jiandu.core.models import JournalEntry
from jiandu.oversight import queries
from jiandu.oversight.actions import clues
from jiandu.oversight.models import Clue
from jiandu.testing import admin_persona, api_client, grant_role, make_cadre, make_unit, make_user

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()
API = "/api/v1/oversight"
DEPARTMENTS = ("org", "discipline", "audit", "petitions")

# persona → (role, on the whole district unless a unit attribute is named, clue department or None)
PERSONAS = {
    "org_officer": (Role.ORG_OFFICER, None, "org"),
    "org_head": (Role.ORG_HEAD, None, None),
    "discipline": (Role.DISCIPLINE_OFFICER, None, "discipline"),
    "audit": (Role.AUDIT_OFFICER, None, "audit"),
    "vetting": (Role.VETTING_OFFICER, None, "petitions"),
    "committee": (Role.COMMITTEE_MEMBER, None, None),
    "unit_leader": (Role.UNIT_LEADER, "a", None),
    "cadre": (Role.CADRE, None, None),
    "sysadmin": (Role.SYSTEM_ADMIN, None, None),
    "secadmin": (Role.SECURITY_ADMIN, None, None),
    "auditadmin": (Role.AUDIT_ADMIN, None, None),
}
READS_ALL = {"org_head"}


class World:
    """Four member departments; a transferred clue for every ordered pair of them (12), and per
    department one clue still registered and one whose handling was reported (ready to close)."""

    def __init__(self):
        self.root = make_unit(name="示范区委")
        self.org = make_unit(name="组织部", parent=self.root)
        self.discipline = make_unit(name="纪委监委", parent=self.root)
        self.audit = make_unit(name="审计局", parent=self.root)
        self.petitions = make_unit(name="信访局", parent=self.root)
        self.a = make_unit(name="财政局", parent=self.root)
        self.cadre = make_cadre(unit=self.a, name="张伟明")
        self.users = {}
        for name, (role, unit, department) in PERSONAS.items():
            if role in ADMIN_ROLES:  # the installation's administrators, two-factor login set up
                self.users[name] = admin_persona(role)
                continue
            user = make_user(
                role=role,
                unit=getattr(self, unit) if unit else None,
                username=f"m_{name}",
                cadre=self.cadre if role == Role.CADRE else None,
            )
            if department:
                grant_role(user, Role.CLUE_OFFICER, getattr(self, department))
            self.users[name] = user
        self.officer_of = {PERSONAS[n][2]: u for n, u in self.users.items() if PERSONAS[n][2]}
        for department in DEPARTMENTS:
            clues.add_member(actor=self.users["org_officer"], unit=getattr(self, department))
        self.clues = {}  # (from, to, state) → clue
        for sender, receiver in itertools.permutations(DEPARTMENTS, 2):
            self.clues[(sender, receiver, "transferred")] = self._transferred(sender, receiver, f"{sender}→{receiver}")
        for i, sender in enumerate(DEPARTMENTS):
            registered = clues.register_clue(
                actor=self.officer_of[sender], cadre=self.cadre, from_unit=getattr(self, sender), source="petition", summary=f"{sender} 未转"
            )
            self.clues[(sender, None, "registered")] = registered
            receiver = DEPARTMENTS[(i + 1) % len(DEPARTMENTS)]
            clue = self._transferred(sender, receiver, f"{sender}→{receiver} 已反馈")
            clues.confirm_receipt(actor=self.officer_of[receiver], clue=clue)
            self.clues[(sender, receiver, "fed_back")] = clues.report_handling(actor=self.officer_of[receiver], clue=clue, handling="已核查", result="partly")

    def _transferred(self, sender, receiver, summary):
        clue = clues.register_clue(actor=self.officer_of[sender], cadre=self.cadre, from_unit=getattr(self, sender), source="petition", summary=summary)
        return clues.transfer_clue(actor=self.officer_of[sender], clue=clue, to_unit=getattr(self, receiver))


@pytest.fixture
def world(db):
    return World()


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    session = client.session
    session["jiandu_epoch"] = user.session_epoch  # as the login view does (session policy)
    session.save()
    return client


def state() -> tuple:
    """What a refused request must not change: the clues and the business journal."""
    rows = tuple(Clue.objects.order_by("pk").values_list("pk", "status", "to_unit_id", "received_on", "received_by_id", "result", "handling", "closed_on"))
    entries = JournalEntry.objects.exclude(action__in=["core.access.denied", "oversight.clue.viewed"]).count()
    return rows, entries


def denied(user) -> int:
    return JournalEntry.objects.filter(action="core.access.denied", actor_id=user.pk, outcome="denied").count()


def may(persona: str, op: str, key) -> bool:
    sender, receiver, _state = key
    mine = PERSONAS[persona][2]
    if op == "read":
        return persona in READS_ALL or (mine is not None and mine in (sender, receiver))
    if op in ("transfer", "close"):
        return mine is not None and mine == sender
    return mine is not None and mine == receiver and mine != sender  # receipt, feedback


PAGE_BODIES = {
    "transfer": lambda w: {"to_unit": w.audit.pk, "transferred_on": TODAY.isoformat()},
    "receipt": lambda w: {"received_on": TODAY.isoformat()},
    "feedback": lambda w: {"handling": "查无实据", "result": "unsubstantiated", "fed_back_on": TODAY.isoformat()},
    "close": lambda w: {"confirm": "on"},
}
API_BODIES = {
    "transfer": lambda w: {"to_unit_id": w.audit.pk},
    "receipt": lambda w: {},
    "feedback": lambda w: {"handling": "查无实据", "result": "unsubstantiated"},
    "close": lambda w: {},
}
PAGE_ROUTES = {
    "transfer": "oversight:clue_transfer",
    "receipt": "oversight:clue_receive",
    "feedback": "oversight:clue_feedback",
    "close": "oversight:clue_close",
}


@pytest.mark.parametrize("persona", sorted(PERSONAS))
def test_each_demo_role_against_clues_of_its_own_and_other_departments(world, persona):
    w = world
    user = w.users[persona]
    page, api = browser(user), browser(user)  # the API answers a signed-in session like a token
    expected = {c.pk for key, c in w.clues.items() if may(persona, "read", key)}
    assert {c.pk for c in queries.clues_visible_to(user)} == expected

    # Lists: the page (with its export) and the API show exactly the readable clues.
    may_list = bool(expected) or PERSONAS[persona][2] is not None
    listed = page.get(reverse("oversight:clue_list"), {"size": 50})
    api_listed = api.get(API + "/clues", {"limit": 100})
    if may_list:
        assert listed.status_code == 200 and api_listed.status_code == 200
        body = listed.content.decode()
        assert {c.pk for c in w.clues.values() if c.number in body} == expected
        assert {item["id"] for item in api_listed.json()["items"]} == expected
    else:
        assert listed.status_code == 404 and api_listed.status_code == 404

    # Details, then every write this persona may not do: 404 in the page and the API, nothing
    # changed, each refusal journaled.
    before, refusals_before = state(), denied(user)
    refused = 0
    for key, clue in w.clues.items():
        readable = may(persona, "read", key)
        assert page.get(reverse("oversight:clue_detail", args=[clue.pk])).status_code == (200 if readable else 404), (persona, key)
        assert api.get(f"{API}/clues/{clue.pk}").status_code == (200 if readable else 404), (persona, key)
        refused += 0 if readable else 2
        for op in PAGE_ROUTES:
            if may(persona, op, key):
                continue
            url = reverse(PAGE_ROUTES[op], args=[clue.pk])
            assert page.get(url).status_code == 404, (persona, op, key)
            assert page.post(url, PAGE_BODIES[op](w)).status_code == 404, (persona, op, key)
            answer = api.post(f"{API}/clues/{clue.pk}/{op}", API_BODIES[op](w), content_type="application/json")
            assert answer.status_code == 404 and answer.json()["code"] == "not_found", (persona, op, key)
            refused += 3
    assert state() == before
    assert denied(user) == refusals_before + refused

    # What the persona may do, it can: in the page and through the API.
    mine = PERSONAS[persona][2]
    if mine is None:
        return
    incoming = [c for (s, r, st), c in w.clues.items() if r == mine and st == "transferred"]
    by_page, by_api = incoming[0], incoming[1]
    assert page.post(reverse("oversight:clue_receive", args=[by_page.pk]), PAGE_BODIES["receipt"](w)).status_code == 302
    assert api.post(f"{API}/clues/{by_api.pk}/receipt", {}, content_type="application/json").json()["status"] == "received"
    assert page.post(reverse("oversight:clue_feedback", args=[by_page.pk]), PAGE_BODIES["feedback"](w)).status_code == 302
    assert api.post(f"{API}/clues/{by_api.pk}/feedback", API_BODIES["feedback"](w), content_type="application/json").json()["status"] == "fed_back"
    registered = w.clues[(mine, None, "registered")]
    to = next(d for d in DEPARTMENTS if d != mine)
    moved = api.post(f"{API}/clues/{registered.pk}/transfer", {"to_unit_id": getattr(w, to).pk}, content_type="application/json")
    assert moved.status_code == 200 and moved.json()["status"] == "transferred", moved.content
    ready = next(c for (s, r, st), c in w.clues.items() if s == mine and st == "fed_back")
    assert page.post(reverse("oversight:clue_close", args=[ready.pk]), {"confirm": "on"}).status_code == 302
    statuses = dict(Clue.objects.filter(pk__in=[by_page.pk, by_api.pk, registered.pk, ready.pk]).values_list("pk", "status"))
    assert statuses == {by_page.pk: "fed_back", by_api.pk: "fed_back", registered.pk: "transferred", ready.pk: "closed"}
    assert Clue.objects.get(pk=by_page.pk).received_by_id == user.pk


def test_the_reported_attack_vetting_officer_on_a_clue_to_the_discipline_commission(world):
    """The vetting officer read a sensitive clue addressed to 纪委, signed its receipt and reported
    it "unsubstantiated" through the API (both 200). Now: 404 each time, nothing changed, journaled."""
    w = world
    clue = w.clues[("org", "discipline", "transferred")]
    attacker = api_client(w.users["vetting"])  # a real API token, as in the report
    before, refusals = state(), denied(w.users["vetting"])
    read = attacker.get(f"{API}/clues/{clue.pk}")
    signed = attacker.post(f"{API}/clues/{clue.pk}/receipt", {}, content_type="application/json")
    closed = attacker.post(f"{API}/clues/{clue.pk}/feedback", {"handling": "查无实据", "result": "unsubstantiated"}, content_type="application/json")
    shut = attacker.post(f"{API}/clues/{clue.pk}/close", {}, content_type="application/json")
    for answer in (read, signed, closed, shut):
        assert answer.status_code == 404 and answer.json()["code"] == "not_found"
    listed = attacker.get(f"{API}/clues", {"limit": 100}).json()
    assert clue.pk not in {item["id"] for item in listed["items"]}
    # The same answer as a clue that does not exist: no existence leak.
    missing = attacker.get(f"{API}/clues/{Clue.objects.order_by('-pk').first().pk + 1000}")
    assert missing.status_code == 404 and missing.json() == read.json() == signed.json() == closed.json() == shut.json()
    assert state() == before
    clue.refresh_from_db()
    assert clue.status == Clue.Status.TRANSFERRED and clue.received_by_id is None and clue.result == ""
    entries = JournalEntry.objects.filter(action="core.access.denied", actor_id=w.users["vetting"].pk).order_by("pk")
    assert entries.count() == refusals + 5
    assert [(e.data["method"], e.data["path"]) for e in entries][-5:-1] == [
        ("GET", f"{API}/clues/{clue.pk}"),
        ("POST", f"{API}/clues/{clue.pk}/receipt"),
        ("POST", f"{API}/clues/{clue.pk}/feedback"),
        ("POST", f"{API}/clues/{clue.pk}/close"),
    ]
    assert not JournalEntry.objects.filter(action="oversight.clue.viewed", actor_id=w.users["vetting"].pk, target_id=str(clue.pk)).exists()
    # The discipline commission's own clue officer does receive it.
    assert api_client(w.users["discipline"]).post(f"{API}/clues/{clue.pk}/receipt", {}, content_type="application/json").status_code == 200


def test_the_sender_cannot_sign_its_own_receipt(world):
    """Even a user who is the clue officer of both departments, or who registered the clue and is
    later appointed on the receiving side: the sending side never receives nor feeds back."""
    w = world
    both = grant_role(make_user(role=Role.CLUE_OFFICER, unit=w.org, username="both_sides"), Role.CLUE_OFFICER, w.audit)
    clue = clues.transfer_clue(
        actor=both, clue=clues.register_clue(actor=both, cadre=w.cadre, from_unit=w.org, source="petition", summary="自收"), to_unit=w.audit
    )
    later = w.clues[("discipline", "audit", "transferred")]
    creator = w.officer_of["discipline"]
    grant_role(creator, Role.CLUE_OFFICER, w.audit)
    tokens = {both.pk: api_client(both), creator.pk: api_client(creator)}  # creating a token is journaled
    before = state()
    for user, target in ((both, clue), (creator, later)):
        assert queries.may_read_clue(user, target) and not queries.is_clue_receiver(user, target)
        with pytest.raises(queries.access.NotVisible):
            clues.confirm_receipt(actor=user, clue=target)
        with pytest.raises(queries.access.NotVisible):
            clues.report_handling(actor=user, clue=target, handling="x", result="partly")
        assert tokens[user.pk].post(f"{API}/clues/{target.pk}/receipt", {}, content_type="application/json").status_code == 404
        assert browser(user).post(reverse("oversight:clue_receive", args=[target.pk]), {"received_on": TODAY.isoformat()}).status_code == 404
        assert "clue_receive" not in browser(user).get(reverse("oversight:clue_detail", args=[target.pk])).content.decode()
    assert state() == before
    # Another clue officer of the receiving department signs it.
    other = make_user(role=Role.CLUE_OFFICER, unit=w.audit, username="audit_clerk")
    assert clues.confirm_receipt(actor=other, clue=clue).status == Clue.Status.RECEIVED


def test_the_counters_dashboard_and_statistics_use_the_same_scope(world):
    w = world
    from jiandu.oversight import jobs, statistics

    for persona, user in w.users.items():
        visible = queries.clues_visible_to(user)
        counts = queries.attention_counts(user)
        mine = PERSONAS[persona][2]
        if mine is None and persona not in READS_ALL:
            assert "clues_to_receive" not in counts and jobs.clue_card(user) is None
            assert sum(n for _label, n in statistics.yearly(user, TODAY.year)["clues"]["rows"]) == 0
            continue
        # Awaiting receipt: what the persona's department must sign (three senders each), never the head's.
        assert counts["clues_to_receive"] == (3 if mine else 0), persona
        assert jobs.clue_card(user)["number"] == visible.filter(status__in=["transferred", "received"]).count()
        assert sum(n for _label, n in statistics.yearly(user, TODAY.year)["clues"]["rows"]) == visible.count()
    assert queries.clues_visible_to(w.users["org_head"]).count() == len(w.clues)
    assert queries.clues_visible_to(w.users["vetting"]).count() == 3 + 3 + 1 + 2  # sent, received, registered, fed back both ways


def test_a_clue_officer_is_appointed_on_one_department_only(world):
    from jiandu.accounts import access
    from jiandu.accounts import actions as account_actions
    from jiandu.accounts.models import RoleAssignment
    from jiandu.core.errors import ActionError
    from jiandu.testing import security_admin

    w = world
    user = make_user(username="candidate")
    with pytest.raises(ActionError) as exc:
        account_actions.assign_role(actor=security_admin(), user=user, role=Role.CLUE_OFFICER, unit=None)
    assert exc.value.field == "unit"
    assert not RoleAssignment.objects.filter(user=user).exists()
    # On the district committee's unit it covers that unit only, not the departments below it.
    assignment = account_actions.assign_role(actor=security_admin(), user=user, role=Role.CLUE_OFFICER, unit=w.root, include_descendants=True)
    assert assignment.include_descendants is False
    access.forget(user)
    assert access.can(user, "oversight.clues", w.root) and not access.can(user, "oversight.clues", w.discipline)
    assert not queries.clues_visible_to(user).exists()
    # A hand-made district-wide row (an old database) covers nothing either.
    RoleAssignment.objects.filter(pk=assignment.pk).update(unit_path="", unit_id=None, include_descendants=True)
    access.forget(user)
    assert not access.can(user, "oversight.clues", w.discipline) and not access.is_unrestricted(user, "oversight.clues")
    assert not queries.clues_visible_to(user).exists()


def test_meeting_and_tour_pages_list_only_the_clues_the_user_may_read(world):
    """The joint meeting's page and an inspection tour's page name clues (number and cadre) only
    for those who may read them; the other member departments' clue officers see none of them."""
    from jiandu.oversight.actions import tours

    w = world
    officer = w.users["org_officer"]
    meeting = clues.record_meeting(actor=officer, organiser=w.org, held_on=TODAY, title="联席会议", attending_units=[w.org, w.audit, w.discipline])
    passed = clues.transfer_clue(
        actor=officer,
        clue=clues.register_clue(actor=officer, cadre=w.cadre, from_unit=w.org, source="meeting", summary="会上通报", meeting=meeting),
        to_unit=w.audit,
    )
    tour = tours.plan_tour(actor=officer, organiser=w.org, name="第一轮巡察", year=TODAY.year, planned_start=TODAY, planned_end=TODAY, targets=[w.a])
    Clue.objects.filter(pk=passed.pk).update(source_tour=tour)
    meeting_url = reverse("oversight:meeting_detail", args=[meeting.pk])
    tour_url = reverse("oversight:tour_detail", args=[tour.pk])
    for persona, sees in (("org_officer", True), ("audit", True), ("org_head", True), ("discipline", False), ("vetting", False)):
        client = browser(w.users[persona])
        page = client.get(meeting_url)
        assert page.status_code == 200, persona
        assert (passed.number in page.content.decode()) is sees, persona
        tour_page = client.get(tour_url)
        if tour_page.status_code == 200:  # the tour itself is for oversight.view over the organiser
            assert (passed.number in tour_page.content.decode()) is sees, persona
