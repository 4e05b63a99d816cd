"""Officers' pages: every page works for an officer of the unit and is a 404 for anyone else."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from jiandu.accounts.models import Role
from jiandu.ballots import actions, codes
from jiandu.ballots.models import Ballot, PaperEntry, SealedBallot, VotingCode
from jiandu.core.models import JournalEntry
from jiandu.testing import PASSWORD, answer_all, ballot_spec, make_ballot, make_unit, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit():
    return make_unit(name="区交通局")


@pytest.fixture
def officer(unit):
    return make_user(role=Role.ORG_OFFICER, unit=unit)


def login(user) -> Client:
    """A client logged in as `user` (Django's login: the session carries the auth hash with the epoch)."""
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert client.login(username=user.username, password=PASSWORD)
    return client


def paper_ready(unit, officer, mode="off"):
    spec = ballot_spec(subjects=("甲", "乙"), groups=(("职工", "1", 20), ("区领导", "1", 5)))
    spec["double_entry"] = mode
    ballot = make_ballot(unit=unit, actor=officer, spec=spec, open=True)
    for group in ballot.groups.all():
        actions.issue_paper_ballots(actor=officer, ballot=ballot, group=group, count=3)
    return ballot


def test_index_lists_only_ballots_in_scope(unit, officer):
    mine = make_ballot(unit=unit, actor=officer, spec=ballot_spec(title="本单位测评"))
    other_unit = make_unit()
    make_ballot(unit=other_unit, spec=ballot_spec(title="外单位测评"))
    html = login(officer).get(reverse("ballots:index")).content.decode()
    assert mine.title in html and "外单位测评" not in html
    assert Client().get(reverse("ballots:index")).status_code == 302  # login required
    auditor = make_user(role=Role.AUDIT_OFFICER, unit=unit)
    assert login(auditor).get(reverse("ballots:index")).status_code == 404


def test_create_with_the_builder(unit, officer):
    client = login(officer)
    assert client.get(reverse("ballots:create")).status_code == 200
    data = {
        "title": "2026年度区交通局民主测评",
        "unit": unit.pk,
        "double_entry": "two_passes",
        "section_1_title": "领导班子",
        "section_1_kind": "team",
        "section_1_questions": "team_overall",
        "section_1_subjects": "区交通局领导班子",
        "section_2_title": "班子成员",
        "section_2_kind": "cadre",
        "section_2_questions": "five_dimensions",
        "section_2_subjects": "王强 | 局长\n赵敏 | 副局长",
        "section_3_kind": "item",
        "section_3_questions": "overall",
        "groups": "区领导 | 0.3 | 6\n本单位干部职工 | 0.7 | 40",
    }
    response = client.post(reverse("ballots:create"), data)
    ballot = Ballot.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("ballots:detail", args=[ballot.pk])
    assert ballot.subjects.count() == 3 and ballot.subjects.get(label="王强").note == "局长"
    assert ballot.groups.get(name="本单位干部职工").headcount == 40


def test_create_shows_errors_next_to_fields_and_keeps_input(unit, officer):
    client = login(officer)
    data = {
        "title": "测评",
        "unit": unit.pk,
        "double_entry": "off",
        "section_1_title": "班子成员",
        "section_1_kind": "cadre",
        "section_1_questions": "overall",
        "section_1_subjects": "王强",
        "groups": "区领导 | 0 | 6",
    }
    for n in (2, 3):
        data.update({f"section_{n}_kind": "cadre", f"section_{n}_questions": "overall"})
    response = client.post(reverse("ballots:create"), data)
    assert response.status_code == 200 and not Ballot.objects.exists()
    html = response.content.decode()
    assert "greater than zero" in html and "区领导 | 0 | 6" in html
    data["groups"] = "区领导, 6"
    assert "name | weight | headcount" in client.post(reverse("ballots:create"), data).content.decode()


def test_create_from_json_definition(unit, officer):
    spec = '{"title": "JSON 测评", "sections": [{"title": "A", "questions": "satisfaction", "subjects": [{"label": "选人用人工作"}]}], "groups": [{"name": "全委会", "headcount": 30}]}'
    data = {"unit": unit.pk, "double_entry": "off", "spec_json": spec}
    for n in (1, 2, 3):
        data.update({f"section_{n}_kind": "cadre", f"section_{n}_questions": "overall"})
    response = login(officer).post(reverse("ballots:create"), data)
    assert response.status_code == 302
    assert Ballot.objects.get().title == "JSON 测评"
    data["spec_json"] = "{broken"
    assert "not valid JSON" in login(officer).post(reverse("ballots:create"), data).content.decode()


def test_cannot_create_for_another_unit(unit, officer):
    other = make_unit()
    data = {"title": "x", "unit": other.pk, "double_entry": "off", "groups": "a | 1 | 5"}
    for n in (1, 2, 3):
        data.update({f"section_{n}_kind": "cadre", f"section_{n}_questions": "overall"})
    response = login(officer).post(reverse("ballots:create"), data)
    assert response.status_code == 200 and not Ballot.objects.exists()  # not a choice


def test_detail_edit_open_close_flow(unit, officer):
    ballot = make_ballot(unit=unit, actor=officer, spec=ballot_spec(groups=(("区领导", "0.4", 6), ("职工", "0.6", 20))))
    client = login(officer)
    html = client.get(reverse("ballots:detail", args=[ballot.pk])).content.decode()
    assert "Open for voting" in html and ballot.title in html
    assert client.post(reverse("ballots:update", args=[ballot.pk]), {"title": "新标题", "description": "说明", "double_entry": "off"}).status_code == 302
    assert Ballot.objects.get(pk=ballot.pk).title == "新标题"
    leaders = ballot.groups.get(code="g1")
    s1, s2 = ballot.subjects.order_by("order")
    post = {f"rate-{leaders.pk}-{s1.pk}": "on"}
    post.update({f"rate-{g.pk}-{s.pk}": "on" for g in ballot.groups.exclude(pk=leaders.pk) for s in (s1, s2)})
    client.post(reverse("ballots:eligibility", args=[ballot.pk]), post)
    assert list(leaders.subjects.all()) == [s1]
    response = client.post(reverse("ballots:window", args=[ballot.pk]), {"opens_at": "2026-01-01T09:00", "closes_at": "2025-01-01T09:00"})
    assert response.status_code == 302
    assert "must close after it opens" in client.get(reverse("ballots:detail", args=[ballot.pk])).content.decode()
    client.post(reverse("ballots:open", args=[ballot.pk]))
    assert Ballot.objects.get(pk=ballot.pk).is_open
    response = client.post(reverse("ballots:close", args=[ballot.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("ballots:results", args=[ballot.pk])
    assert Ballot.objects.get(pk=ballot.pk).is_closed


def test_discard_draft_page(unit, officer):
    ballot = make_ballot(unit=unit, actor=officer)
    response = login(officer).post(reverse("ballots:discard", args=[ballot.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("ballots:index")
    assert not Ballot.objects.exists()


def test_generate_codes_download_pdf_and_xlsx(unit, officer):
    ballot = make_ballot(unit=unit, actor=officer, spec=ballot_spec(groups=(("职工", "1", 20),)))
    group = ballot.groups.get()
    client = login(officer)
    response = client.post(reverse("ballots:codes", args=[ballot.pk]), {"group": group.pk, "count": 3, "format": "pdf"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment") and "no-store" in response["Cache-Control"]
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages).replace(" ", "")
    found = re.findall(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", text)
    assert found and all(VotingCode.objects.filter(code_hash=codes.code_hash(c)).exists() for c in found)
    response = client.post(reverse("ballots:codes", args=[ballot.pk]), {"group": group.pk, "count": 2, "format": "xlsx"})
    assert response.status_code == 200 and "spreadsheetml" in response["Content-Type"]
    assert VotingCode.objects.filter(ballot=ballot).count() == 5
    response = client.post(reverse("ballots:codes", args=[ballot.pk]), {"group": group.pk, "count": 50, "format": "pdf"})
    assert response.status_code == 302  # over the headcount: a message, no file
    assert VotingCode.objects.filter(ballot=ballot).count() == 5
    batch = ballot.code_batches.first()
    client.post(reverse("ballots:void_batch", args=[ballot.pk, batch.pk]))
    assert VotingCode.objects.filter(batch=batch, is_void=True).count() == 3


def test_self_report_page(unit, officer):
    ballot = make_ballot(unit=unit, actor=officer)
    subject = ballot.subjects.first()
    client = login(officer)
    url = reverse("ballots:report", args=[ballot.pk, subject.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"report_text": "一年来……", "report_file": SimpleUploadedFile("a.pdf", b"%PDF-1.4", content_type="application/pdf")})
    assert response.status_code == 302
    response = client.post(url, {"report_text": "x", "report_file": SimpleUploadedFile("a.exe", b"MZ...", content_type="application/pdf")})
    assert response.status_code == 200 and "Only PDF" in response.content.decode()


def test_paper_sheet_double_entry_pages(unit, officer):
    ballot = paper_ready(unit, officer, mode="two_passes")
    group = ballot.groups.get(code="g1")
    client = login(officer)
    assert client.get(reverse("ballots:paper", args=[ballot.pk])).status_code == 200
    url = reverse("ballots:paper_sheet", args=[ballot.pk])
    html = client.get(url, {"group": group.pk}).content.decode()
    fields = dict(re.findall(r'type="radio" name="(a-\d+-\d+)" value="(\d+)"', html))
    post = {"group": group.pk, "sheet_no": "1", **fields}
    assert client.post(url, post).status_code == 302
    changed = dict(post)
    first = sorted(fields)[0]
    changed[first] = ""
    assert client.post(url, changed).status_code == 302
    entry = PaperEntry.objects.get()
    assert entry.status == PaperEntry.Status.DISAGREED
    page = client.get(reverse("ballots:paper", args=[ballot.pk])).content.decode()
    assert "entries disagree" in page and "Resolve" in page
    resolve = reverse("ballots:paper_resolve", args=[ballot.pk, entry.pk])
    assert client.get(resolve).status_code == 200
    assert client.post(resolve, fields).status_code == 302
    assert PaperEntry.objects.get().status == PaperEntry.Status.CONFIRMED
    bad = client.post(url, {"group": group.pk, "sheet_no": "abc", **fields})
    assert bad.status_code == 400 and "sheet number" in bad.content.decode()
    assert client.get(reverse("ballots:paper_form_pdf", args=[ballot.pk]), {"group": group.pk}).status_code == 200


def test_paper_counts_pages(unit, officer):
    ballot = paper_ready(unit, officer)
    group = ballot.groups.get(code="g2")
    subject = ballot.subjects.order_by("order").first()
    question = subject.section.questions.get()
    options = list(question.options.all())
    client = login(officer)
    url = reverse("ballots:paper_counts", args=[ballot.pk])
    assert client.get(url, {"group": group.pk, "subject": subject.pk}).status_code == 200
    post = {"group": group.pk, "subject": subject.pk, "ballots": "3", f"c-{question.pk}-{options[0].pk}": "2", f"c-{question.pk}-{options[1].pk}": "1"}
    assert client.post(url, post).status_code == 302
    other = ballot.subjects.order_by("order").last()
    response = client.post(url, {**post, "subject": other.pk, f"c-{question.pk}-{options[0].pk}": "9"})
    assert response.status_code == 400 and "more than the 3 ballots" in response.content.decode()
    response = client.post(url, {**post, "subject": other.pk, f"c-{question.pk}-{options[0].pk}": "-1"})
    assert response.status_code == 400
    assert PaperEntry.objects.count() == 1
    entry = PaperEntry.objects.get()
    void = client.post(reverse("ballots:paper_void", args=[ballot.pk, entry.pk]), {"reason": "录错"})
    assert void.status_code == 302 and PaperEntry.objects.get().status == PaperEntry.Status.VOID
    client.post(reverse("ballots:paper_issue", args=[ballot.pk]), {"group": group.pk, "count": 4})
    assert ballot.groups.get(code="g2").paper_issued == 4


def test_results_page_and_exports(unit, officer):
    ballot = make_ballot(unit=unit, actor=officer, spec=ballot_spec(questions="five_dimensions", groups=(("职工", "1", 20), ("区领导", "1", 3))), open=True)
    for group in ballot.groups.all():
        for code in actions.generate_codes(actor=officer, ballot=ballot, group=group, count=3)[1]:
            actions.submit_ballot(code=code, answers=answer_all(ballot, code))
    client = login(officer)
    response = client.get(reverse("ballots:results", args=[ballot.pk]))
    assert response.status_code == 302  # not before close
    actions.close_ballot(actor=officer, ballot=ballot)
    html = client.get(reverse("ballots:results", args=[ballot.pk])).content.decode()
    assert 'id="ballot-chart-data" type="application/json"' in html and "results.js" in html
    assert "<script>" not in html.replace("<script src=", "")  # no inline scripts (CSP)
    assert "not shown separately" in html  # both groups have 3 < 5 ballots
    assert "radar-" in html
    assert not JournalEntry.objects.filter(action="ballots.results.downloaded").exists()
    xlsx = client.get(reverse("ballots:results_export", args=[ballot.pk, "xlsx"]))
    assert xlsx.status_code == 200 and xlsx["Content-Disposition"].startswith("attachment")
    pdf = client.get(reverse("ballots:results_export", args=[ballot.pk, "pdf"]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert client.get(f"/ballots/{ballot.pk}/results.exe").status_code == 404
    # Each download is journaled: who took which ballot's results away, in which format.
    downloads = JournalEntry.objects.filter(action="ballots.results.downloaded").order_by("seq")
    assert [(e.actor_id, e.target_id, e.data) for e in downloads] == [
        (officer.pk, str(ballot.pk), {"format": "xlsx"}),
        (officer.pk, str(ballot.pk), {"format": "pdf"}),
    ]
    viewer = make_user(role=Role.COMMITTEE_MEMBER, unit=unit)
    assert login(viewer).get(reverse("ballots:results", args=[ballot.pk])).status_code == 200
    assert login(viewer).post(reverse("ballots:close", args=[ballot.pk])).status_code == 404


def test_nothing_sealed_is_shown_to_officers(unit, officer):
    ballot = make_ballot(unit=unit, actor=officer, open=True)
    code = actions.generate_codes(actor=officer, ballot=ballot, group=ballot.groups.get(), count=1)[1][0]
    actions.submit_ballot(code=code, answers=answer_all(ballot, code))
    client = login(officer)
    html = client.get(reverse("ballots:detail", args=[ballot.pk])).content.decode()
    assert SealedBallot.objects.count() == 1 and reverse("ballots:results", args=[ballot.pk]) not in html
    assert client.get(reverse("ballots:results", args=[ballot.pk])).status_code == 302
    assert client.get(reverse("ballots:results_export", args=[ballot.pk, "xlsx"])).status_code == 302


VIEWS = [
    ("get", "ballots:detail", {}),
    ("post", "ballots:update", {"title": "x", "double_entry": "off"}),
    ("post", "ballots:window", {}),
    ("post", "ballots:rate_display", {"places": "1"}),
    ("post", "ballots:eligibility", {}),
    ("post", "ballots:open", {}),
    ("post", "ballots:close", {}),
    ("post", "ballots:discard", {}),
    ("post", "ballots:codes", {"group": "GROUP", "count": 1, "format": "pdf"}),
    ("post", "ballots:void_batch", {}),
    ("get", "ballots:report", {}),
    ("get", "ballots:paper", {}),
    ("post", "ballots:paper_issue", {"group": "GROUP", "count": 1}),
    ("get", "ballots:paper_form_pdf", {"group": "GROUP"}),
    ("get", "ballots:paper_sheet", {"group": "GROUP"}),
    ("get", "ballots:paper_counts", {"group": "GROUP"}),
    ("get", "ballots:paper_post_counts", {"group": "GROUP", "section": "1"}),
    ("get", "ballots:paper_resolve", {}),
    ("post", "ballots:paper_void", {"reason": "x"}),
    ("get", "ballots:results", {}),
    ("get", "ballots:results_export", {}),
]


def _every_page_setup(unit, officer, name):
    """An open ballot with a code batch and a paper entry; the url arguments of page `name`."""
    ballot = paper_ready(unit, officer, mode="two_passes")
    group = ballot.groups.first()
    batch, _plain = actions.generate_codes(actor=officer, ballot=ballot, group=group, count=1)
    subject = ballot.subjects.first()
    question = subject.section.questions.get()
    entry = actions.enter_paper_sheet(actor=officer, ballot=ballot, group=group, sheet_no=1, answers={(subject.pk, question.pk): None})
    args = {
        "ballots:void_batch": [ballot.pk, batch.pk],
        "ballots:report": [ballot.pk, subject.pk],
        "ballots:paper_resolve": [ballot.pk, entry.pk],
        "ballots:paper_void": [ballot.pk, entry.pk],
        "ballots:results_export": [ballot.pk, "pdf"],
    }.get(name, [ballot.pk])
    return ballot, group, args


def _refused(user, ballot, group, method, name, args, data):
    data = {k: (group.pk if v == "GROUP" else v) for k, v in data.items()}
    response = getattr(login(user), method)(reverse(name, args=args), data)
    assert response.status_code == 404
    assert not JournalEntry.objects.filter(actor_id=user.pk, action__startswith="ballots.").exists()
    assert Ballot.objects.get(pk=ballot.pk).is_open
    assert PaperEntry.objects.filter(ballot=ballot).count() == 1 and ballot.code_batches.get().voided_at is None


@pytest.mark.parametrize(("method", "name", "data"), VIEWS)
def test_every_page_is_404_for_another_units_officer(unit, officer, method, name, data):
    ballot, group, args = _every_page_setup(unit, officer, name)
    _refused(make_user(role=Role.ORG_HEAD, unit=make_unit()), ballot, group, method, name, args, data)


READER_MAY = {"ballots:detail", "ballots:results", "ballots:results_export"}


@pytest.mark.parametrize(("method", "name", "data"), [v for v in VIEWS if v[1] not in READER_MAY])
def test_every_management_page_is_404_for_a_results_reader_of_the_unit(unit, officer, method, name, data):
    """A committee member of the unit may read results (ballots.view_results), nothing else."""
    ballot, group, args = _every_page_setup(unit, officer, name)
    _refused(make_user(role=Role.COMMITTEE_MEMBER, unit=unit), ballot, group, method, name, args, data)


def test_index_and_create_need_a_ballot_role(unit, officer):
    auditor = login(make_user(role=Role.AUDIT_OFFICER, unit=unit))
    assert auditor.get(reverse("ballots:index")).status_code == 404
    assert auditor.get(reverse("ballots:create")).status_code == 404
    assert auditor.post(reverse("ballots:create"), {"title": "x"}).status_code == 404
    reader = login(make_user(role=Role.COMMITTEE_MEMBER, unit=unit))
    assert reader.get(reverse("ballots:index")).status_code == 200
    assert reader.get(reverse("ballots:create")).status_code == 404
    assert not Ballot.objects.exists()
