# ruff: noqa: F811  (the `world` fixture is imported from test_cases)
"""A vetting officer's 待办: the requests addressed to their department wait in the inbox until
replied, linked to the request's page; another department's officer does not see them."""

import datetime as dt

from django.test import Client
from django.urls import reverse

from jiandu.core import todo
from jiandu.selection import actions
from jiandu.selection.models import VettingRequest

from .test_cases import D, _to_candidates, english, world  # noqa: F401  (the fixtures)


def _keys(user):
    return [i.key for i in todo.items_for(user, D).items if i.area == "selection"]


def test_vetting_requests_wait_in_the_departments_inbox_until_replied(world):
    case, candidate = _to_candidates(world)
    assert _keys(world["vet_audit"]) == []
    actions.send_vetting(actor=world["officer"], case=case, sent_on=D + dt.timedelta(days=3))
    audit = VettingRequest.objects.get(candidate=candidate, department=world["audit"])
    discipline = VettingRequest.objects.get(candidate=candidate, department=world["discipline"])
    assert _keys(world["vet_audit"]) == [f"selection.vetting:{audit.pk}"]
    assert _keys(world["vet_discipline"]) == [f"selection.vetting:{discipline.pk}"]
    assert _keys(world["officer"]) == []  # the organisation department sends, it does not reply
    item = todo.items_for(world["vet_audit"], D).items[0]
    assert item.due_on == audit.due_on and candidate.cadre.name in item.subject and world["audit"].name in item.subject
    client = Client()
    client.force_login(world["vet_audit"])
    opened = client.get(reverse("core:todo_open"), {"key": item.key})
    assert opened.status_code == 302 and client.get(opened["Location"]).status_code == 200
    actions.reply_vetting(actor=world["vet_audit"], request=audit, result="no_problem", replied_on=D + dt.timedelta(days=4))
    assert _keys(world["vet_audit"]) == []
    assert _keys(world["vet_discipline"]) == [f"selection.vetting:{discipline.pk}"]
