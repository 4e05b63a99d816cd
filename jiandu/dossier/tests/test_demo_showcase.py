"""Issue #16 "done when": in the loaded demo, one cadre has a yellow card, an overdue inquiry, an
audit finding and a vetting reply, all four on one page with the alerts they raised; the unit
leader sees the same page without the clue (registry.demo.showcase_cadre)."""

import pytest
from django.urls import reverse

from jiandu.accounts.models import User
from jiandu.testing import log_in


@pytest.fixture
def showcase(small_demo_once, db, settings):
    settings.DEMO_MODE = True
    from jiandu.appraisals.models import AdmonishmentProposal  # noqa: F401  (the pillars' models, read to find the cadre)
    from jiandu.oversight.models import Clue, Disposition

    yellow = Disposition.objects.filter(source_type="manual").select_related("cadre__unit").get()
    clue = Clue.objects.get(cadre=yellow.cadre)
    return yellow.cadre, clue


def _page(client, username, cadre):
    log_in(client, User.objects.get(username=username))  # as a new user of the demo (DEMO_MODE: no forced password change)
    response = client.get(reverse("dossier:cadre", args=[cadre.pk]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("username", ["demo_org_officer", "demo_org_head"])
def test_the_showcase_cadre_has_all_four_and_the_alerts_on_one_page(showcase, client, username):
    from jiandu.audits.models import RectificationItem
    from jiandu.dossier.models import Alert
    from jiandu.oversight.models import Inquiry
    from jiandu.selection.models import VettingRequest

    cadre, clue = showcase
    assert cadre.unit.name.endswith("教育局")
    inquiry = Inquiry.objects.get(cadre=cadre)
    assert inquiry.status == Inquiry.Status.DELIVERED and inquiry.reply_due_on < __import__("datetime").date.today()  # overdue
    item = RectificationItem.objects.select_related("finding__audit").get(owner_cadre=cadre)
    replies = VettingRequest.objects.filter(candidate__cadre=cadre).exclude(result="")
    assert replies.exists()
    rules = set(Alert.objects.filter(cadre=cadre, closed_at__isnull=True).values_list("rule", flat=True))
    assert "oversight.inquiry_reply_overdue" in rules

    page = _page(client, username, cadre)
    assert "<td>亮黄牌" in page and "诫勉" in page  # the yellow card (亮黄牌 → 诫勉) and its talk
    assert inquiry.subject in page and "应于" in page
    assert item.measure[:60] in page  # the audit finding the cadre is to rectify
    assert reverse("selection:vetting", args=[replies.first().pk]) in page  # the vetting reply
    alerts = page.split('id="alerts"')[1].split("</dd>")[0]
    assert "函询" in alerts  # the alert they raised, in the header
    assert reverse("oversight:clue_detail", args=[clue.pk]) in page if username == "demo_org_head" else True


def test_the_unit_leader_sees_the_page_without_the_clue(showcase, client):
    cadre, clue = showcase
    page = _page(client, "demo_unit_leader", cadre)
    assert reverse("oversight:clue_detail", args=[clue.pk]) not in page and clue.summary not in page
    assert cadre.name in page
