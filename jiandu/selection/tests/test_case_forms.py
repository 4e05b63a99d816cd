# ruff: noqa: F811  (the `world` fixture is imported from test_cases)
"""干部任免审批表 from the case (issue #15 §6): the candidate's row links to the registry's form of
the cadre filled from the case (拟任/拟免职务, 任免理由), as PDF and .lrmx, only for a viewer who may
open them (registry.view_sensitive on the cadre's unit); each link shown opens for that viewer."""

from xml.etree import ElementTree as ET

import pytest
from django.test import Client
from django.urls import reverse

from jiandu.accounts.models import Role
from jiandu.core.models import JournalEntry
from jiandu.registry import lrmx as registry_lrmx
from jiandu.testing import make_position, make_tenure, make_user

from .test_cases import _to_candidates, english, world  # noqa: F401  (the fixtures and builders)


def _page(user, case):
    client = Client()
    client.force_login(user)
    answer = client.get(reverse("selection:case", args=[case.pk]))
    assert answer.status_code == 200
    return client, answer.content.decode()


def test_the_officer_gets_both_forms_from_the_candidates_row(world):
    # The candidate holds a leading post (to be removed) and a rank post (kept).
    make_tenure(cadre=world["cadre"], position=make_position(unit=world["bureau"], title="基础教育科科长", order=7))
    make_tenure(cadre=world["cadre"], position=make_position(unit=world["bureau"], title="一级主任科员", kind="non_leading", order=8))
    case, candidate = _to_candidates(world)
    client, page = _page(world["officer"], case)
    pdf_url = reverse("selection:appform_pdf", args=[case.pk, candidate.pk])
    lrmx_url = reverse("selection:appform_lrmx", args=[case.pk, candidate.pk])
    assert pdf_url in page and lrmx_url in page
    pdf = client.get(pdf_url)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    lrmx = client.get(lrmx_url)
    assert lrmx.status_code == 200 and lrmx["Content-Type"].startswith("application/xml")
    root = ET.fromstring(lrmx.content)
    assert root.findtext("XingMing") == candidate.cadre.name
    assert root.findtext("NiRenZhiWu") == "示范区教育局副局长"
    assert root.findtext("NiMianZhiWu") == "示范区教育局基础教育科科长"  # the leading post only; the rank post stays
    assert root.findtext("RenMianLiYou") == "职位空缺。"  # the motion's reasons; no decision yet
    assert "一级主任科员" in root.findtext("XianRenZhiWu")
    assert JournalEntry.objects.filter(action="registry.cadre.form_printed").count() == 1
    assert JournalEntry.objects.filter(action="registry.cadre.lrmx_exported").count() == 1
    assert JournalEntry.objects.filter(action="selection.appform.printed", target_id=case.pk).count() == 2
    # The registry's own form of the cadre keeps its record's (empty) proposal fields.
    plain = ET.fromstring(registry_lrmx.build(candidate.cadre))
    assert plain.findtext("NiRenZhiWu") == "" and plain.findtext("RenMianLiYou") == ""


def test_the_form_of_another_case_is_not_reachable_under_this_one(world):
    case, candidate = _to_candidates(world)
    client = Client()
    client.force_login(world["officer"])
    assert client.get(reverse("selection:appform_pdf", args=[case.pk + 1, candidate.pk])).status_code == 404


def test_the_registry_refuses_a_field_that_is_not_a_proposal(world):
    with pytest.raises(ValueError):
        registry_lrmx.build(world["cadre"], proposal={"name": "别人"})


def test_a_committee_member_sees_the_case_but_not_the_forms(world):
    """A standing-committee member reads the case (selection.view) but may not print the form,
    which shows the birth date, ID number and family: no link is shown to him."""
    case, candidate = _to_candidates(world)
    member = make_user(role=Role.COMMITTEE_MEMBER)
    client, page = _page(member, case)
    assert reverse("selection:appform_pdf", args=[case.pk, candidate.pk]) not in page
    assert reverse("selection:appform_lrmx", args=[case.pk, candidate.pk]) not in page
    assert client.get(reverse("selection:appform_pdf", args=[case.pk, candidate.pk])).status_code != 200
    assert client.get(reverse("selection:appform_lrmx", args=[case.pk, candidate.pk])).status_code != 200
    assert not JournalEntry.objects.filter(action="registry.cadre.form_printed").exists()
