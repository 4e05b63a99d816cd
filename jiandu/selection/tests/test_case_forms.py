# ruff: noqa: F811  (the `world` fixture is imported from test_cases)
"""干部任免审批表 from the case (issue #15 §6): the candidate's row links to the registry's form of
the cadre, as PDF and .lrmx, only for a viewer who may open them (registry.view_sensitive on the
cadre's unit); each link shown opens for that viewer."""

from django.test import Client
from django.urls import reverse

from jiandu.accounts.models import Role
from jiandu.core.models import JournalEntry
from jiandu.testing import make_user

from .test_cases import _to_candidates, english, world  # noqa: F401  (the fixtures and builders)


def _page(user, case):
    client = Client()
    client.force_login(user)
    answer = client.get(reverse("selection:case", args=[case.pk]))
    assert answer.status_code == 200
    return client, answer.content.decode()


def test_the_officer_gets_both_forms_from_the_candidates_row(world):
    case, candidate = _to_candidates(world)
    client, page = _page(world["officer"], case)
    pdf_url = reverse("registry:cadre_form_pdf", args=[candidate.cadre.pk])
    lrmx_url = reverse("registry:cadre_lrmx", args=[candidate.cadre.pk])
    assert pdf_url in page and lrmx_url in page
    pdf = client.get(pdf_url)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    lrmx = client.get(lrmx_url)
    assert lrmx.status_code == 200 and lrmx["Content-Type"].startswith("application/xml") and candidate.cadre.name in lrmx.content.decode()
    assert JournalEntry.objects.filter(action="registry.cadre.form_printed").count() == 1
    assert JournalEntry.objects.filter(action="registry.cadre.lrmx_exported").count() == 1


def test_a_committee_member_sees_the_case_but_not_the_forms(world):
    """A standing-committee member reads the case (selection.view) but may not print the form,
    which shows the birth date, ID number and family: no link is shown to him."""
    case, candidate = _to_candidates(world)
    member = make_user(role=Role.COMMITTEE_MEMBER)
    client, page = _page(member, case)
    assert reverse("registry:cadre_form_pdf", args=[candidate.cadre.pk]) not in page
    assert reverse("registry:cadre_lrmx", args=[candidate.cadre.pk]) not in page
    assert client.get(reverse("registry:cadre_form_pdf", args=[candidate.cadre.pk])).status_code != 200
    assert not JournalEntry.objects.filter(action="registry.cadre.form_printed").exists()
