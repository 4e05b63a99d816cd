"""Recommendation sections (推荐: "name up to N people for this post"): voting up to N, more than
N refused online and invalid on paper, write-ins counted together, shares of the valid ballots,
paper counts, secrecy of the stored rows, results, export and API."""

import io
from fractions import Fraction

import pytest
from django.db import models
from openpyxl import load_workbook

from jiandu.accounts.models import Role
from jiandu.ballots import actions, exports, results, spec, structure, tally
from jiandu.ballots.models import Answer, Ballot, CastBallot, PaperEntry, PostTally, WriteInCount
from jiandu.core.errors import ActionError
from jiandu.testing import make_ballot, make_unit, make_user

pytestmark = pytest.mark.django_db

CANDIDATES = ("李华", "王强", "赵敏")


def rec_spec(*, max_choices=2, write_ins=2, groups=(("全体干部", 30),), candidates=CANDIDATES, places=2):
    return {
        "title": "区教育局局长民主推荐",
        "rate_places": places,
        "rate_rounding": "half_up",
        "sections": [
            {
                "title": "区教育局局长",
                "kind": "recommendation",
                "post": "区教育局局长",
                "max_choices": max_choices,
                "write_ins": write_ins,
                "subjects": [{"key": f"c{i}", "kind": "cadre", "label": label} for i, label in enumerate(candidates)],
            }
        ],
        "groups": [{"code": f"g{i}", "name": name, "headcount": n} for i, (name, n) in enumerate(groups)],
    }


@pytest.fixture
def unit():
    return make_unit(name="区委组织部")


@pytest.fixture
def officer(unit):
    return make_user(role=Role.ORG_OFFICER, unit=unit)


def open_ballot(unit, officer, codes=10, **kwargs):
    ballot = make_ballot(unit=unit, actor=officer, spec=rec_spec(**kwargs), open=True)
    group = ballot.groups.first()
    _batch, plain = actions.generate_codes(actor=officer, ballot=ballot, group=group, count=codes)
    return ballot, group, plain


def marks(ballot, *names) -> dict:
    """Answers marking the candidates called `names`."""
    shape = structure.load(ballot)
    post = next(iter(shape.posts.values()))
    return {(post.candidates[n], post.question_id): post.option_id for n in names}


def section_id(ballot) -> int:
    return ballot.sections.get().pk


def test_spec_builds_one_question_with_one_option_and_checks_n(unit, officer):
    ballot = make_ballot(unit=unit, actor=officer, spec=rec_spec())
    section = ballot.sections.get()
    assert (section.kind, section.post, section.max_choices, section.write_in_lines) == ("recommendation", "区教育局局长", 2, 2)
    question = section.questions.get()
    assert question.code == spec.RECOMMEND_QUESTION and [o.code for o in question.options.all()] == [spec.RECOMMEND_OPTION]
    for bad in (0, "x", True):
        with pytest.raises(ActionError) as exc:
            spec.parse(rec_spec(max_choices=bad))
        assert exc.value.field == "sections[0].max_choices"
    with pytest.raises(ActionError) as exc:  # 3 candidates + 2 lines cannot hold 6 names
        spec.parse(rec_spec(max_choices=6))
    assert "6" in exc.value.message
    spec.parse(rec_spec(max_choices=5))  # the boundary: exactly candidates + lines
    with pytest.raises(ActionError):
        spec.parse(rec_spec(candidates=("李华", "李华")))


def test_up_to_n_accepted_n_plus_one_refused_and_nothing_stored(unit, officer):
    ballot, _group, plain = open_ballot(unit, officer, max_choices=2)
    assert actions.submit_ballot(code=plain[0], answers=marks(ballot, "李华", "王强"))
    assert actions.submit_ballot(code=plain[1], answers={})  # nobody named: a valid abstention
    with pytest.raises(ActionError) as exc:
        actions.submit_ballot(code=plain[2], answers=marks(ballot, "李华", "王强", "赵敏"))
    assert exc.value.code == "too_many"
    with pytest.raises(ActionError) as exc:  # two marks and one written name are three names too
        actions.submit_ballot(code=plain[2], answers=marks(ballot, "李华", "王强"), written={section_id(ballot): ["孙丽"]})
    assert exc.value.code == "too_many"
    with pytest.raises(ActionError) as exc:  # three lines where two are printed
        actions.submit_ballot(code=plain[2], answers={}, written={section_id(ballot): ["甲", "乙", "丙"]})
    assert exc.value.code == "write_ins"
    # the refused code is still usable: nothing was stored
    assert actions.submit_ballot(code=plain[2], answers=marks(ballot, "赵敏"))
    assert ballot.sealed.count() == 3


def test_write_ins_normalised_and_counted_together_and_shares_of_valid_ballots(unit, officer):
    ballot, group, plain = open_ballot(unit, officer, max_choices=2, codes=8)
    sid = section_id(ballot)
    actions.submit_ballot(code=plain[0], answers=marks(ballot, "李华"), written={sid: ["孙丽"]})
    actions.submit_ballot(code=plain[1], answers=marks(ballot, "李华"), written={sid: ["　孙　丽 "]})  # full-width spaces
    actions.submit_ballot(code=plain[2], answers={}, written={sid: ["孙丽", "王强"]})  # a candidate's name counts as the mark
    actions.submit_ballot(code=plain[3], answers=marks(ballot, "王强"), written={sid: ["王 强"]})  # once, not twice
    actions.submit_ballot(code=plain[4], answers={})
    # paper: two sheets, one naming three people (invalid for the post), one valid
    actions.issue_paper_ballots(actor=officer, ballot=ballot, group=group, count=2)
    Ballot.objects.filter(pk=ballot.pk).update(double_entry=Ballot.DoubleEntry.OFF)
    ballot.refresh_from_db()
    entry = actions.enter_paper_sheet(actor=officer, ballot=ballot, group=group, sheet_no=1, answers=marks(ballot, "李华", "赵敏"), written={sid: ["孙丽"]})
    assert entry.status == PaperEntry.Status.CONFIRMED
    actions.enter_paper_sheet(actor=officer, ballot=ballot, group=group, sheet_no=2, answers=marks(ballot, "李华"))
    actions.close_ballot(actor=officer, ballot=ballot)

    assert list(WriteInCount.objects.filter(ballot=ballot).values_list("name", "count")) == [("孙丽", 3)]
    assert PostTally.objects.get(ballot=ballot).invalid == 1
    built = results.build(Ballot.objects.get(pk=ballot.pk))
    rec = built.sections[0].recommendation
    assert (rec.ballots, rec.invalid, rec.valid) == (7, 1, 6)
    assert [(p.name, p.votes, p.written_in) for p in rec.people] == [("李华", 3, False), ("王强", 2, False), ("赵敏", 0, False), ("孙丽", 3, True)]
    assert rec.person("李华").share == Fraction(3, 6)
    assert results.format_share(rec.person("王强").share, built.sections[0].display) == "33.33%"
    # the invalid sheet's marks were dropped: 赵敏 has none, and the recount agrees with the tally
    assert tally.recount(Ballot.objects.get(pk=ballot.pk)).ok


def test_three_of_seven_valid_is_42_86_percent(unit, officer):
    ballot, _group, plain = open_ballot(unit, officer, max_choices=1, write_ins=0, codes=7)
    for i, code in enumerate(plain):
        actions.submit_ballot(code=code, answers=marks(ballot, "李华" if i < 3 else "王强"))
    actions.close_ballot(actor=officer, ballot=ballot)
    built = results.build(Ballot.objects.get(pk=ballot.pk))
    rec = built.sections[0].recommendation
    assert rec.valid == 7 and rec.person("李华").votes == 3
    assert rec.person("李华").share == Fraction(3, 7)
    assert results.format_share(rec.person("李华").share, built.sections[0].display) == "42.86%"
    assert results.format_share(rec.person("王强").share, built.sections[0].display) == "57.14%"


def test_paper_counts_per_person_with_double_entry(unit, officer):
    ballot, group, _plain = open_ballot(unit, officer, max_choices=2, codes=1)
    second = make_user(role=Role.ORG_OFFICER, unit=unit)
    actions.issue_paper_ballots(actor=officer, ballot=ballot, group=group, count=10)
    shape = structure.load(ballot)
    post = next(iter(shape.posts.values()))
    section = ballot.sections.get()
    counts = {post.candidates["李华"]: 6, post.candidates["王强"]: 5}
    # checks: one person cannot have more votes than valid ballots; totals ≤ valid × N
    with pytest.raises(ActionError):
        actions.enter_paper_post_counts(actor=officer, ballot=ballot, group=group, section=section, ballots=10, counts={post.candidates["李华"]: 9}, invalid=2)
    with pytest.raises(ActionError):
        actions.enter_paper_post_counts(
            actor=officer,
            ballot=ballot,
            group=group,
            section=section,
            ballots=4,
            counts={post.candidates["李华"]: 4, post.candidates["王强"]: 4},
            written={"孙丽": 1},
        )
    first = actions.enter_paper_post_counts(
        actor=officer, ballot=ballot, group=group, section=section, ballots=10, counts=counts, written={"孙 丽": 2}, invalid=2
    )
    assert first.status == PaperEntry.Status.AWAITING_SECOND
    again = actions.enter_paper_post_counts(
        actor=second, ballot=ballot, group=group, section=section, ballots=10, counts=counts, written={"孙丽": 2}, invalid=2
    )
    assert again.status == PaperEntry.Status.CONFIRMED and again.differences == 0
    actions.close_ballot(actor=officer, ballot=ballot)
    rec = results.build(Ballot.objects.get(pk=ballot.pk)).sections[0].recommendation
    assert (rec.ballots, rec.invalid, rec.valid) == (10, 2, 8)
    assert [(p.name, p.votes) for p in rec.people] == [("李华", 6), ("王强", 5), ("赵敏", 0), ("孙丽", 2)]
    assert rec.person("李华").share == Fraction(6, 8)
    assert tally.recount(Ballot.objects.get(pk=ballot.pk)).ok


def test_paper_counts_that_disagree_block_the_close(unit, officer):
    ballot, group, _plain = open_ballot(unit, officer, codes=1)
    actions.issue_paper_ballots(actor=officer, ballot=ballot, group=group, count=5)
    post = next(iter(structure.load(ballot).posts.values()))
    section = ballot.sections.get()
    actions.enter_paper_post_counts(actor=officer, ballot=ballot, group=group, section=section, ballots=5, counts={post.candidates["李华"]: 3})
    entry = actions.enter_paper_post_counts(
        actor=officer, ballot=ballot, group=group, section=section, ballots=5, counts={post.candidates["李华"]: 3}, invalid=1
    )
    assert entry.status == PaperEntry.Status.DISAGREED and entry.differences == 1
    with pytest.raises(ActionError):
        actions.close_ballot(actor=officer, ballot=ballot)
    actions.resolve_paper_entry(actor=officer, entry=entry, ballots=5, counts={post.candidates["李华"]: 3}, invalid=1)
    actions.close_ballot(actor=officer, ballot=ballot)
    rec = results.build(Ballot.objects.get(pk=ballot.pk)).sections[0].recommendation
    assert (rec.valid, rec.person("李华").votes) == (4, 3)


def test_small_group_breakdown_hidden(unit, officer):
    ballot = make_ballot(unit=unit, actor=officer, spec=rec_spec(groups=(("区领导", 5), ("机关干部", 40))), open=True)
    small, large = ballot.groups.order_by("order")
    _b, small_codes = actions.generate_codes(actor=officer, ballot=ballot, group=small, count=3)
    _b, large_codes = actions.generate_codes(actor=officer, ballot=ballot, group=large, count=12)
    for code in small_codes:
        actions.submit_ballot(code=code, answers=marks(ballot, "赵敏"))
    for code in large_codes:
        actions.submit_ballot(code=code, answers=marks(ballot, "李华"), written={section_id(ballot): ["孙丽"]})
    actions.close_ballot(actor=officer, ballot=ballot)
    rec = results.build(Ballot.objects.get(pk=ballot.pk)).sections[0].recommendation
    # 3 < 5: the small group is hidden, and with it the next smallest (complementary suppression)
    assert all(row.hidden for row in rec.groups) and all(row.invalid is None for row in rec.groups)
    assert rec.person("赵敏").votes == 3 and rec.person("赵敏").by_group == {}
    assert rec.person("李华").votes == 12 and rec.person("孙丽").votes == 12


def test_no_column_links_a_mark_or_a_written_name_to_a_voter_code_time_or_order():
    for model in (Answer, CastBallot):
        names = {f.name for f in model._meta.get_fields() if f.concrete}
        assert not names & {"code", "voter", "created_at", "cast_at", "order", "sequence", "receipt"}
        assert not any(isinstance(f, models.DateTimeField | models.DateField | models.AutoField) for f in model._meta.concrete_fields if not f.primary_key)
    # a written-in name is not even tied to its cast ballot: it is an aggregated count per post and group
    fields = {f.name for f in WriteInCount._meta.concrete_fields}
    assert fields == {"id", "ballot", "section", "group", "name", "count"}
    related = {f.related_model for f in WriteInCount._meta.concrete_fields if f.is_relation}
    assert CastBallot not in related


def test_results_in_xlsx_export(unit, officer):
    ballot, _group, plain = open_ballot(unit, officer, max_choices=1, write_ins=1, codes=7)
    for i, code in enumerate(plain):
        actions.submit_ballot(code=code, answers=marks(ballot, "李华") if i < 3 else {}, written={} if i < 3 else {section_id(ballot): ["孙丽"]})
    actions.close_ballot(actor=officer, ballot=ballot)
    data = exports.results_xlsx(results.build(Ballot.objects.get(pk=ballot.pk)))
    book = load_workbook(io.BytesIO(data))
    text = "\n".join(" ".join(str(c) for c in row if c is not None) for ws in book.worksheets for row in ws.iter_rows(values_only=True))
    assert "区教育局局长" in text and "李华" in text and "孙丽" in text
    assert "42.86%" in text and "57.14%" in text
    assert exports.results_pdf(results.build(Ballot.objects.get(pk=ballot.pk))).startswith(b"%PDF")


def test_api_creates_a_recommendation_ballot_and_shows_its_results(unit, officer):
    from jiandu.testing import api_client

    client = api_client(officer)
    response = client.post("/api/v1/ballots/", {"unit_id": unit.pk, "spec": rec_spec(max_choices=1, write_ins=1)}, content_type="application/json")
    assert response.status_code == 201, response.json()
    section = response.json()["sections"][0]
    assert (section["kind"], section["post"], section["max_choices"], section["write_in_lines"]) == ("recommendation", "区教育局局长", 1, 1)
    bad = client.post("/api/v1/ballots/", {"unit_id": unit.pk, "spec": rec_spec(max_choices=0)}, content_type="application/json")
    assert bad.status_code == 400 and bad.json()["field"] == "sections[0].max_choices"
    ballot = actions.open_ballot(actor=officer, ballot=Ballot.objects.get(pk=response.json()["id"]))
    _b, plain = actions.generate_codes(actor=officer, ballot=ballot, group=ballot.groups.get(), count=7)
    for i, code in enumerate(plain):
        actions.submit_ballot(code=code, answers=marks(ballot, "李华") if i < 3 else {}, written={} if i < 3 else {section_id(ballot): ["孙丽"]})
    actions.close_ballot(actor=officer, ballot=ballot)
    data = client.get(f"/api/v1/ballots/{ballot.pk}/results").json()
    rec = data["sections"][0]["recommendation"]
    assert data["sections"][0]["kind"] == "recommendation" and data["sections"][0]["subjects"] == []
    assert (rec["ballots"], rec["invalid"], rec["valid"]) == (7, 0, 7)
    # candidates first (by votes), then the names written in
    assert rec["people"][-1] == {"name": "孙丽", "subject": None, "votes": 4, "share": "4/7", "share_display": "57.14%"}
    assert rec["people"][0]["name"] == "李华" and rec["people"][0]["share"] == "3/7" and rec["people"][0]["share_display"] == "42.86%"
    assert rec["groups"][0]["hidden"] is False and rec["groups"][0]["votes"] == {"孙丽": 4, "李华": 3}


# --- pages ------------------------------------------------------------------------------------


def mixed_spec():
    """A rating section on either side of a recommendation section."""
    spec_ = rec_spec(max_choices=2, write_ins=2)
    spec_["sections"].insert(0, {"title": "班子成员", "questions": "overall", "subjects": [{"key": "m1", "kind": "cadre", "label": "张伟明"}]})
    spec_["sections"].append({"title": "领导班子", "questions": "overall", "subjects": [{"key": "t1", "kind": "team", "label": "区教育局领导班子"}]})
    return spec_


def test_voting_page_ticks_writes_reviews_and_submits(unit, officer):
    import re

    from django.test import Client

    ballot = make_ballot(unit=unit, actor=officer, spec=mixed_spec(), open=True)
    code = actions.generate_codes(actor=officer, ballot=ballot, group=ballot.groups.get(), count=2)[1][0]
    client = Client(enforce_csrf_checks=True)
    client.get("/vote/")
    token = client.cookies["csrftoken"].value
    html = client.get("/vote/", {"c": code}).content.decode()
    boxes = dict((label, (name, value)) for name, value, label in re.findall(r'type="checkbox" name="(a-\d+-\d+)" value="(\d+)" ><span>([^<\s]+)', html))
    assert set(boxes) == set(CANDIDATES)
    rec_field = f"w-{ballot.sections.get(kind='recommendation').pk}"
    assert html.count(f'name="{rec_field}"') == 2  # two write-in lines
    assert "最多推荐 2 人" in html
    rating = {}
    for name, value in re.findall(r'type="radio" name="(a-\d+-\d+)" value="(\d+)"', html):
        rating.setdefault(name, value)
    assert len(rating) == 2
    base = {"csrfmiddlewaretoken": token, "code": code, **rating}
    too_many = client.post(
        "/vote/ballot/", {**base, "step": "review", boxes["李华"][0]: boxes["李华"][1], boxes["王强"][0]: boxes["王强"][1], rec_field: ["孙丽", ""]}
    )
    assert too_many.status_code == 400
    page = too_many.content.decode()
    assert "区教育局局长" in page and "3" in page and 'value="孙丽"' in page  # the voter's entries are kept
    review = client.post("/vote/ballot/", {**base, "step": "review", boxes["李华"][0]: boxes["李华"][1], rec_field: ["　孙丽", ""]})
    assert review.status_code == 200
    text = review.content.decode()
    assert "李华、孙丽" in text
    hidden = dict(re.findall(r'<input type="hidden" name="((?:a|w)-\d+(?:-\d+)?)" value="([^"]*)"', text))
    assert hidden[boxes["李华"][0]] == boxes["李华"][1] and hidden[rec_field] == "　孙丽"
    assert not ballot.sealed.exists()
    done = client.post("/vote/ballot/", {"csrfmiddlewaretoken": token, "code": code, "step": "submit", **hidden})
    assert done.status_code == 200 and ballot.sealed.count() == 1
    actions.close_ballot(actor=officer, ballot=ballot)
    assert list(WriteInCount.objects.filter(ballot=ballot).values_list("name", "count")) == [("孙丽", 1)]

    from jiandu.testing import log_in

    officer_client = Client()
    log_in(officer_client, officer)
    assert officer_client.get(f"/ballots/{ballot.pk}/").status_code == 200
    results_page = officer_client.get(f"/ballots/{ballot.pk}/results/")
    assert results_page.status_code == 200
    body = results_page.content.decode()
    assert "区教育局局长" in body and "孙丽" in body and "100.00%" in body


def test_paper_pages_key_a_sheet_and_enter_post_counts(unit, officer):
    from django.test import Client

    from jiandu.testing import log_in

    ballot = make_ballot(unit=unit, actor=officer, spec=rec_spec(max_choices=1, write_ins=1, groups=(("甲组", 20), ("乙组", 20))), open=True)
    first, second = ballot.groups.order_by("order")
    for group in (first, second):
        actions.issue_paper_ballots(actor=officer, ballot=ballot, group=group, count=10)
    client = Client()
    log_in(client, officer)
    section = ballot.sections.get()
    post = next(iter(structure.load(ballot).posts.values()))
    sheet_page = client.get(f"/ballots/{ballot.pk}/paper/sheet/", {"group": first.pk})
    assert sheet_page.status_code == 200 and f'name="w-{section.pk}"' in sheet_page.content.decode()
    li = post.candidates["李华"]
    response = client.post(
        f"/ballots/{ballot.pk}/paper/sheet/", {"group": first.pk, "sheet_no": "1", f"a-{li}-{post.question_id}": str(post.option_id), f"w-{section.pk}": "孙丽"}
    )
    assert response.status_code == 302  # two names where one is allowed: kept as invalid for the post
    counts_redirect = client.get(f"/ballots/{ballot.pk}/paper/counts/", {"group": second.pk})
    assert counts_redirect.status_code == 302 and "/paper/post/" in counts_redirect["Location"]
    page = client.get(f"/ballots/{ballot.pk}/paper/post/", {"group": second.pk, "section": section.pk})
    assert page.status_code == 200 and "李华" in page.content.decode()
    bad = client.post(f"/ballots/{ballot.pk}/paper/post/", {"group": second.pk, "section": section.pk, "ballots": "5", f"p-{li}": "6"})
    assert bad.status_code == 400
    form = {"group": second.pk, "section": section.pk, "ballots": "5", "invalid": "1", f"p-{li}": "3", "wn-0": "孙丽", "wc-0": "1"}
    assert client.post(f"/ballots/{ballot.pk}/paper/post/", form).status_code == 302
    assert client.post(f"/ballots/{ballot.pk}/paper/post/", form).status_code == 302  # second pass agrees
    assert PaperEntry.objects.get(ballot=ballot, kind=PaperEntry.Kind.POST).status == PaperEntry.Status.CONFIRMED
    listing = client.get(f"/ballots/{ballot.pk}/paper/")
    assert listing.status_code == 200 and "区教育局局长" in listing.content.decode()
    assert client.get(f"/ballots/{ballot.pk}/paper/form.pdf", {"group": first.pk}).status_code == 200
    assert ballot.double_entry == Ballot.DoubleEntry.TWO_PASSES
    client.post(
        f"/ballots/{ballot.pk}/paper/sheet/", {"group": first.pk, "sheet_no": "1", f"a-{li}-{post.question_id}": str(post.option_id), f"w-{section.pk}": "孙丽"}
    )
    actions.close_ballot(actor=officer, ballot=ballot)
    rec = results.build(Ballot.objects.get(pk=ballot.pk)).sections[0].recommendation
    assert (rec.ballots, rec.invalid, rec.valid) == (6, 2, 4)
    assert rec.person("李华").votes == 3 and rec.person("孙丽").votes == 1


def test_the_ballot_lane_keeps_the_written_names(unit, officer, monkeypatch):
    """The fast path of the final submit (lane.py) casts with the write-ins, not without them."""
    from config.wsgi import application
    from jiandu.ballots.tests.test_lane import WSGIClient

    ballot, _group, plain = open_ballot(unit, officer, max_choices=2, codes=5)
    seen = []
    inner = application.application

    def counting(environ, start_response):
        seen.append(environ["PATH_INFO"])
        return inner(environ, start_response)

    monkeypatch.setattr(application, "application", counting)
    client = WSGIClient()
    fields = client.voting_page(plain[0])
    li = marks(ballot, "李华")
    (subject_id, question_id), option_id = next(iter(li.items()))
    fields.update({f"a-{subject_id}-{question_id}": option_id, f"w-{section_id(ballot)}": "孙丽"})
    status, _headers, _html = client.post("/vote/ballot/", fields)
    assert status == 200 and seen == ["/vote/"]  # answered by the lane
    # too many names: the lane leaves it to Django, which refuses with the form again
    fields = client.voting_page(plain[1])
    fields.update({**{f"a-{s}-{q}": o for (s, q), o in marks(ballot, "李华", "王强").items()}, f"w-{section_id(ballot)}": "孙丽"})
    status, _headers, html = client.post("/vote/ballot/", fields)
    assert status == 400 and "区教育局局长" in html and ballot.sealed.count() == 1
    actions.close_ballot(actor=officer, ballot=ballot)
    assert list(WriteInCount.objects.filter(ballot=ballot).values_list("name", "count")) == [("孙丽", 1)]


def test_the_create_page_builds_a_recommendation_section(unit, officer):
    from django.test import Client

    from jiandu.testing import log_in

    client = Client()
    log_in(client, officer)
    data = {
        "title": "区教育局局长民主推荐",
        "unit": unit.pk,
        "double_entry": "two_passes",
        "section_1_title": "区教育局局长",
        "section_1_kind": "cadre",
        "section_1_questions": "recommend",
        "section_1_subjects": "李华 | 区教育局副局长\n王强",
        "section_1_max_choices": "1",
        "section_1_write_ins": "2",
        "section_2_kind": "item",
        "section_2_questions": "overall",
        "section_3_kind": "item",
        "section_3_questions": "overall",
        "groups": "全体干部 | 1 | 40",
    }
    assert "recommend" in client.get("/ballots/new/").content.decode()
    response = client.post("/ballots/new/", data)
    ballot = Ballot.objects.get()
    assert response.status_code == 302
    section = ballot.sections.get()
    assert (section.kind, section.post, section.max_choices, section.write_in_lines) == ("recommendation", "区教育局局长", 1, 2)
    assert list(ballot.subjects.values_list("label", "note")) == [("李华", "区教育局副局长"), ("王强", "")]
