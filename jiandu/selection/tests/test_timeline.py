# ruff: noqa: F811  (the `world` fixture is imported from test_cases)
"""Selection's share of the dossier (core.timeline provider): the case that listed the cadre,
the vetting replies (result and department, never the details), a committee member's own
statements, each only for the roles that may read them in selection itself."""

import datetime as dt

from django.test import Client
from django.urls import reverse

from jiandu.accounts.models import Role
from jiandu.core import timeline
from jiandu.selection import actions
from jiandu.selection.models import VettingRequest
from jiandu.testing import make_user

from .test_cases import D, _passed, english, world  # noqa: F401  (the fixtures)


def _entries(viewer, cadre):
    return [e for e in timeline.collect(viewer, cadre, only="selection").entries]


def test_the_candidate_sees_case_and_vetting_entries_for_the_organisation_department(world):
    case, candidate = _passed(world)
    discipline = VettingRequest.objects.get(candidate=candidate, department=world["discipline"])
    VettingRequest.objects.filter(pk=discipline.pk).update(result="problem", details="CANARY-VETTING-DETAILS", resolution="")
    entries = _entries(world["officer"], candidate.cadre)
    kinds = sorted(e.kind for e in entries)
    assert kinds == ["Inspection subject", "Vetting reply", "Vetting reply"]
    listed = next(e for e in entries if e.kind == "Inspection subject")
    assert listed.title == case.title and "passed" in listed.summary.lower() and listed.url == reverse("selection:case", args=[case.pk])
    replies = {e.summary for e in entries if e.kind == "Vetting reply"}
    assert any("problem found" in s and "not yet resolved" in s for s in replies)
    assert all("CANARY-VETTING-DETAILS" not in f"{e.title}{e.summary}" for e in entries)
    assert all(e.sensitivity == timeline.SENSITIVE for e in entries if e.kind == "Vetting reply")
    # Every link opens for the viewer.
    client = Client()
    client.force_login(world["officer"])
    for entry in entries:
        assert client.get(entry.url).status_code == 200, entry.url


def test_a_vetting_officer_sees_only_its_departments_reply_and_the_cadre_nothing(world):
    _case, candidate = _passed(world)
    entries = _entries(world["vet_audit"], candidate.cadre)
    assert [e.kind for e in entries] == ["Vetting reply"]
    assert world["audit"].name in entries[0].summary and world["discipline"].name not in entries[0].summary
    client = Client()
    client.force_login(world["vet_audit"])
    assert client.get(entries[0].url).status_code == 200
    # The cadre's own account sees no selection entries.
    own = make_user(role=Role.CADRE, unit=candidate.cadre.unit, cadre=candidate.cadre)
    assert _entries(own, candidate.cadre) == []


def test_a_committee_members_statements_are_in_the_members_dossier(world):
    _case, candidate = _passed(world)
    principal = world["members"][0]
    entries = _entries(world["officer"], principal)
    statement = [e for e in entries if e.kind == "Statement in a selection decision"]
    assert len(statement) == 1
    assert candidate.cadre.name in statement[0].summary and "speaking order 9" in statement[0].summary
    assert statement[0].date == D + dt.timedelta(days=14)


def test_no_reply_yet_shows_the_due_day(world):
    case, candidate = _passed(world)
    request = VettingRequest.objects.filter(candidate=candidate).first()
    VettingRequest.objects.filter(pk=request.pk).update(result="", replied_on=None, details="")
    pending = [e for e in _entries(world["officer"], candidate.cadre) if e.kind == "Vetting request"]
    assert len(pending) == 1 and request.due_on.isoformat() in pending[0].summary
    assert actions  # the module under test is the provider; actions built the case
