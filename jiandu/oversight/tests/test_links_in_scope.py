"""Issue #9.6, the oversight pages' dead links: the duty session's links to its evaluation ballot
are those the reader may open (the voting codes are a form on the ballot's page, not a page of
their own), and a written inquiry's breadcrumb leads to the list this reader may open."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from jiandu.accounts.models import Role
from jiandu.oversight.actions import duty, inquiries
from jiandu.testing import make_position, make_tenure, make_user

from .test_access import browser

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def links(client, url) -> list[str]:
    return re.findall(r'href="([^"#]*)(?:#[^"]*)?"', client.get(url).content.decode())


def test_the_sessions_ballot_links_open_for_whoever_is_shown_them(d):
    make_tenure(position=make_position(unit=d.a, title="副局长"), cadre=d.cadre_a)
    reports = duty.plan_duty_reports(actor=d.officer_a, year=TODAY.year, due_on=TODAY + dt.timedelta(days=10), unit=d.a)
    for report in reports:
        duty.submit_duty_report(actor=d.officer_a, report=report, text="述责述廉报告")
    session = duty.record_duty_session(actor=d.officer_a, unit=d.a, year=TODAY.year, held_on=TODAY, mode="public", reports=reports)
    session = duty.create_evaluation_ballot(actor=d.officer_a, session=session, groups=[{"name": "干部职工", "headcount": 6}])
    url = reverse("oversight:duty_session_detail", args=[session.pk])
    committee = browser(make_user(role=Role.COMMITTEE_MEMBER, unit=None, username="committee"))
    codes = reverse("ballots:codes", args=[session.ballot_id])  # POST only: generates and downloads
    paper = reverse("ballots:paper", args=[session.ballot_id])
    for client, expect_paper in ((browser(d.officer_a), True), (committee, False)):
        shown = [link for link in links(client, url) if link.startswith("/ballots/")]
        assert shown and codes not in shown
        assert (paper in shown) is expect_paper
        for link in shown:
            assert client.get(link).status_code == 200, link
    page = browser(d.officer_a).get(url).content.decode()
    assert f'href="{reverse("ballots:detail", args=[session.ballot_id])}#codes"' in page
    assert "#codes" not in committee.get(url).content.decode()  # the codes are the managers'
    assert reverse("ballots:results", args=[session.ballot_id]) not in page  # no results before it is closed


def test_an_inquirys_breadcrumb_leads_to_a_list_the_reader_opens(d):
    inquiry = inquiries.record_delivery(
        actor=d.officer,
        inquiry=inquiries.issue_inquiry(
            actor=d.officer, inquiry=inquiries.draft_inquiry(actor=d.officer, cadre=d.cadre_a, source="complaint", subject="兼职", questions="是否兼职")
        ),
        delivered_on=TODAY,
    )
    url = reverse("oversight:inquiry_detail", args=[inquiry.pk])
    readers = {
        "reads, does not manage": (browser(d.leader_a), reverse("oversight:inquiry_list")),
        "manages": (browser(d.officer), reverse("oversight:inquiry_list")),
        "the cadre": (browser(d.self_a), reverse("oversight:my_inquiries")),
    }
    for who, (client, expected) in readers.items():
        shown = links(client, url)
        assert expected in shown, who
        assert {reverse("oversight:inquiry_list"), reverse("oversight:my_inquiries")} - {expected} & set(shown) == set(), who
        assert client.get(expected).status_code == 200, who
