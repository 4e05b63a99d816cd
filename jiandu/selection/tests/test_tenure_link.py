# ruff: noqa: F811  (the `world` fixture is imported from test_cases)
"""The registry's cadre page links the tenure an appointment created to the appointment's trace-back
report (registry.hooks.tenure_links, filled by selection), only for viewers who may open it."""

from django.test import Client
from django.urls import reverse

from jiandu.accounts.models import Role
from jiandu.registry.models import Tenure
from jiandu.testing import log_in, make_position, make_tenure, make_user

from .test_accountability import _appointed
from .test_cases import english, world  # noqa: F401  (the fixtures)


def _page(user, cadre):
    client = Client()
    log_in(client, user)
    return client, client.get(reverse("registry:cadre_detail", args=[cadre.pk]))


def test_the_appointed_tenure_links_to_its_trace_back_report(world):
    case, candidate = _appointed(world)
    other = make_tenure(cadre=candidate.cadre, position=make_position(unit=world["bureau"], title="督学"))
    link = reverse("selection:trace_tenure", args=[candidate.tenure_id])
    client, page = _page(world["officer"], candidate.cadre)
    text = page.content.decode()
    assert page.status_code == 200 and text.count(link) == 1
    assert reverse("selection:trace_tenure", args=[other.pk]) not in text  # a tenure no case created: no link
    answer = client.get(link)
    assert answer.status_code == 302 and answer["Location"] == reverse("selection:trace", args=[case.pk, candidate.pk])
    assert client.get(answer["Location"]).status_code == 200
    assert Tenure.objects.filter(cadre=candidate.cadre).count() >= 2


def test_the_link_is_shown_only_to_who_may_open_the_report(world):
    _case, candidate = _appointed(world)
    link = reverse("selection:trace_tenure", args=[candidate.tenure_id])
    users = {
        "head": make_user(role=Role.ORG_HEAD),
        "committee": make_user(role=Role.COMMITTEE_MEMBER),
        "unit_leader": make_user(role=Role.UNIT_LEADER, unit=world["bureau"]),
        "vetting": world["vet_audit"],
    }
    seen = {}
    for name, user in users.items():
        client, page = _page(user, candidate.cadre)
        if page.status_code != 200:
            continue
        shown = link in page.content.decode()
        opens = client.get(link).status_code == 302
        assert shown == opens, name
        seen[name] = shown
    assert seen.get("head") is True
    assert False in seen.values(), seen  # someone reads the cadre's page without the report: no link
