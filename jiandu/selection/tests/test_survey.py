"""一报告两评议 (issue #15 §7): the seed's figures, rounding at the boundary, anonymity, the low-rated
appointees, the report upload refused with nothing stored, NUL refused, access."""

import datetime as dt
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from jiandu.accounts.models import Role
from jiandu.ballots import actions as ballot_actions
from jiandu.ballots.models import Ballot
from jiandu.core.errors import ActionError
from jiandu.core.models import JournalEntry
from jiandu.registry import actions as registry_actions
from jiandu.selection import survey_actions, survey_queries
from jiandu.selection.survey_models import SelectionSurvey, SurveyAppointee
from jiandu.testing import answer_all, api_client, log_in, make_cadre, make_position, make_tenure, make_unit, make_user, registrar

pytestmark = pytest.mark.django_db
YEAR = 2025
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def pdf(name="报告.pdf", data=PDF):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


@pytest.fixture
def world():
    root = make_unit(name="示范区委", kind="party_committee")
    bureau = make_unit(name="示范区教育局", parent=root)
    officer = make_user(role=Role.ORG_OFFICER)
    cadre = make_cadre(unit=bureau, name="王新提")
    old = make_tenure(cadre=cadre, position=make_position(unit=bureau, title="科长"), started_on=dt.date(2020, 1, 1))
    registry_actions.end_tenure(actor=registrar(), tenure=old, ended_on=dt.date(YEAR, 3, 31), end_reason="promotion")
    make_tenure(cadre=cadre, position=make_position(unit=bureau, title="副局长"), started_on=dt.date(YEAR, 4, 1))
    return {"root": root, "bureau": bureau, "officer": officer, "cadre": cadre}


def open_survey(w, counts=None, **extra):
    return survey_actions.create_survey(
        actor=w["officer"], unit=w["root"], year=YEAR, headcounts=counts or {"committee": 40, "heads": 60, "others": 33}, report=pdf(), **extra
    )


def vote(survey, picks):
    """picks(i, subject) → option index (0 满意/认同, 1 基本…, 2 不…, 3 不了解) for voter i."""
    ballot = Ballot.objects.get(pk=survey.ballot_id)
    officer = survey.created_by
    i = 0
    for group in ballot.groups.order_by("order"):
        _batch, codes = ballot_actions.generate_codes(actor=officer, ballot=ballot, group=group, count=group.headcount)
        for code in codes:
            ballot_actions.submit_ballot(code=code, answers=answer_all(ballot, code, lambda s, q, o, i=i: o[picks(i, s)]))
            i += 1
    return codes


def test_the_seeds_figures_in_one_report(world, client):
    survey = open_survey(world)
    assert survey.participants == 133
    assert [a.cadre for a in survey.appointees.all()] == [world["cadre"]]
    # 131 of 133 satisfied with the selection work (2 not), 132 of 133 agree with the new cadre.
    vote(survey, lambda i, s: (0 if i < 131 else 2) if s.kind == "team" else (1 if i < 132 else 2))
    survey_actions.close_survey(actor=world["officer"], survey=survey)
    results = survey_queries.survey_results(survey)
    work = results.work[0]
    assert (work.positive, work.valid, work.rate_text) == (131, 133, "98.49%（131/133）")
    new = results.appointees[0].figure
    assert (new.positive, new.valid, new.rate_text) == (132, 133, "99.2%（132/133）")
    assert not results.low_rated
    log_in(client, world["officer"])
    page = client.get(reverse("selection:survey", args=[survey.pk])).content.decode()
    assert "98.49%（131/133）" in page and "99.2%（132/133）" in page
    for code, count in (("committee", 40), ("heads", 60), ("others", 33)):
        assert str(count) in page
    export = client.get(reverse("selection:survey_xlsx", args=[survey.pk]))
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_unknown_is_not_a_valid_vote_and_rounding_stops_at_the_boundary(world):
    survey = open_survey(world, counts={"committee": 3, "heads": 0, "others": 0})
    # work: 满意, 基本满意, 不了解 → 2/2 = 100%; appointee: 认同, 不认同, 不认同 → 1/3 = 33.3%.
    vote(survey, lambda i, s: [0, 1, 3][i] if s.kind == "team" else [0, 2, 2][i])
    survey_actions.close_survey(actor=world["officer"], survey=survey)
    results = survey_queries.survey_results(survey)
    assert results.work[0].rate_text == "100.00%（2/2）"
    row = results.appointees[0]
    # 2/3 不认同 = 66.666…: one place, rounded down → 66.6, never 66.7.
    assert row.figure.negative_text == "66.6%（2/3）" and row.figure.rate_text == "33.3%（1/3）"
    assert row.low


@pytest.mark.parametrize(("disagree", "low"), [(1, True), (0, False)])
def test_low_rating_at_exactly_one_third(world, disagree, low):
    survey = open_survey(world, counts={"committee": 3, "heads": 0, "others": 0})
    vote(survey, lambda i, s: 0 if s.kind == "team" or i >= disagree else 2)
    survey_actions.close_survey(actor=world["officer"], survey=survey)
    row = survey_queries.survey_results(survey).appointees[0]
    assert row.low is low
    if low:
        survey_actions.record_appointee_note(actor=world["officer"], appointee=row.appointee, explanation="群众对其了解不够", measures="谈话提醒，跟踪考察")
        entry = JournalEntry.objects.filter(action="selection.survey.appointee_noted").get()
        assert entry.cadre_id == world["cadre"].pk
    else:
        with pytest.raises(ActionError):
            survey_actions.record_appointee_note(actor=world["officer"], appointee=row.appointee, explanation="x", measures="y")


def test_anonymity_no_code_or_vote_is_linked_to_a_person(world, client):
    survey = open_survey(world, counts={"committee": 2, "heads": 0, "others": 0})
    codes = vote(survey, lambda i, s: i)
    survey_actions.close_survey(actor=world["officer"], survey=survey)
    # The survey's own tables hold counts and names of the evaluated, nothing of the voters.
    fields = {f.name for model in (SelectionSurvey, SurveyAppointee) for f in model._meta.get_fields()}
    assert not fields & {"code", "codes", "voter", "answers", "receipt"}
    log_in(client, world["officer"])
    page = client.get(reverse("selection:survey", args=[survey.pk])).content.decode()
    texts = [page] + [str(e.data) for e in JournalEntry.objects.filter(action__startswith="selection.survey")]
    for code in codes:
        assert all(code not in text for text in texts)


def test_bad_uploads_are_refused_with_nothing_stored(world, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as package:
        package.writestr("[Content_Types].xml", "<x/>")
    cases = [
        pdf("报告.exe", b"MZ\x90\x00"),
        pdf("报告.docx", PDF),  # name does not match the content
        SimpleUploadedFile("报告.docx", b"PK\x03\x04broken"),
        SimpleUploadedFile("报告.docx", zipped.getvalue()[:-10]),
        None,
    ]
    for upload in cases:
        with pytest.raises(ActionError):
            survey_actions.create_survey(actor=world["officer"], unit=world["root"], year=YEAR, headcounts={"committee": 3}, report=upload)
    assert not SelectionSurvey.objects.exists() and not Ballot.objects.exists()
    assert not any(tmp_path.rglob("*.*"))
    big = pdf(data=PDF + b"0" * (survey_actions.REPORT_LIMIT_MB * 1024 * 1024))
    with pytest.raises(ActionError, match="larger"):
        survey_actions.create_survey(actor=world["officer"], unit=world["root"], year=YEAR, headcounts={"committee": 3}, report=big)


def test_nul_and_bad_counts_are_refused(world, client):
    with pytest.raises(ActionError, match="NUL"):
        open_survey(world, title="调查\x00")
    with pytest.raises(ActionError):
        open_survey(world, counts={"committee": 0, "heads": 0, "others": 0})
    with pytest.raises(ActionError):
        open_survey(world, counts={"committee": -1})
    log_in(client, world["officer"])
    response = client.post(reverse("selection:new_survey"), {"unit": world["root"].pk, "year": YEAR, "title": "a\x00b", "count_committee": 3, "report": pdf()})
    assert response.status_code == 400
    assert not SelectionSurvey.objects.exists()
    survey = open_survey(world, counts={"committee": 3})
    vote(survey, lambda i, s: 2)
    survey_actions.close_survey(actor=world["officer"], survey=survey)
    row = survey.appointees.get()
    with translation.override("en"), pytest.raises(ActionError, match="NUL"):
        survey_actions.record_appointee_note(actor=world["officer"], appointee=row, explanation="说明\x00", measures="措施")
    url = reverse("selection:survey_note", args=[survey.pk, row.pk])
    assert client.post(url, {"explanation": "说明\x00", "measures": "措施"}).status_code == 400
    assert not SurveyAppointee.objects.exclude(explanation="").exists()
    # One survey per year and unit.
    with pytest.raises(ActionError) as refused:
        open_survey(world)
    assert refused.value.field == "year"


def test_pages_and_api_open_for_the_officer(world, client):
    survey = open_survey(world)
    log_in(client, world["officer"])
    for name, args in (("surveys", []), ("new_survey", []), ("survey", [survey.pk]), ("survey_report", [survey.pk])):
        assert client.get(reverse(f"selection:{name}", args=args)).status_code == 200, name
    assert reverse("selection:surveys") in client.get(reverse("selection:index")).content.decode()
    response = client.post(
        reverse("selection:new_survey"),
        {"unit": world["root"].pk, "year": YEAR - 1, "count_committee": 5, "count_heads": "", "count_others": 2, "report": pdf()},
    )
    assert response.status_code == 302
    assert SelectionSurvey.objects.get(year=YEAR - 1).participants == 7
    api = api_client(world["officer"])
    listed = api.get("/api/v1/selection/surveys").json()
    assert {row["year"] for row in listed["items"]} == {YEAR, YEAR - 1}
    assert client.post(reverse("selection:close_survey", args=[survey.pk])).status_code == 302
    detail = api.get(f"/api/v1/selection/surveys/{survey.pk}").json()
    assert detail["participants"] == 133 and detail["closed"] is True
    assert detail["appointees"][0]["cadre_name"] == "王新提"
    created = api.post("/api/v1/selection/surveys", {"year": YEAR - 2, "count_heads": 4, "report": pdf()})
    assert created.status_code == 201 and created.json()["participants"] == 4
    refused = api.post("/api/v1/selection/surveys", {"year": YEAR - 3, "count_heads": 4, "report": pdf("x.pdf", b"not a pdf")})
    assert refused.status_code == 400 and not SelectionSurvey.objects.filter(year=YEAR - 3).exists()


def test_wrong_role_and_wrong_unit_get_404(world):
    survey = open_survey(world)
    vote(survey, lambda i, s: 2)
    survey_actions.close_survey(actor=world["officer"], survey=survey)
    row = survey.appointees.get()
    other = make_unit(name="示范区卫健局")
    outsiders = [make_user(role=Role.UNIT_LEADER, unit=other), make_user(role=Role.VETTING_OFFICER, unit=other, include_descendants=False)]
    pages = [
        ("survey", [survey.pk]),
        ("survey_xlsx", [survey.pk]),
        ("survey_report", [survey.pk]),
        ("close_survey", [survey.pk]),
        ("survey_note", [survey.pk, row.pk]),
    ]
    before = JournalEntry.objects.count()
    for user in outsiders:
        client = Client()
        log_in(client, user)
        for name, args in pages:
            url = reverse(f"selection:{name}", args=args)
            assert client.get(url).status_code == 404, (user.username, url)
            assert client.post(url, {"explanation": "x", "measures": "y"}).status_code == 404, (user.username, url)
        assert client.get(reverse("selection:surveys")).status_code == 404
        assert client.get(reverse("selection:new_survey")).status_code == 404
        api = api_client(user)
        assert api.get(f"/api/v1/selection/surveys/{survey.pk}").status_code == 404
        listed = api.get("/api/v1/selection/surveys")
        assert listed.status_code == 404 or listed.json()["items"] == []
        assert api.post(f"/api/v1/selection/surveys/{survey.pk}/close").status_code == 404
        note = api.post(
            f"/api/v1/selection/surveys/{survey.pk}/appointees/{row.pk}/note", {"explanation": "x", "measures": "y"}, content_type="application/json"
        )
        assert note.status_code == 404
        assert api.post("/api/v1/selection/surveys", {"year": YEAR - 1, "count_committee": 3, "report": pdf()}).status_code == 404
    assert not JournalEntry.objects.filter(seq__gt=before, action__startswith="selection.").exists()


def test_places_and_rounding_come_from_the_settings(world):
    from jiandu.core.models import LocalSetting

    # Half up at two places for both figures: 131/133 = 98.496… → 98.50, 132/133 = 99.248… → 99.25.
    LocalSetting.objects.create(key="rates.rounding_mode", value="half_up")
    LocalSetting.objects.create(key="selection.survey_appointee_places", value=2)
    LocalSetting.objects.create(key="selection.survey_low_share", value="1/200")
    survey = open_survey(world)
    vote(survey, lambda i, s: (0 if i < 131 else 2) if s.kind == "team" else (1 if i < 132 else 2))
    survey_actions.close_survey(actor=world["officer"], survey=survey)
    results = survey_queries.survey_results(survey)
    assert results.work[0].rate_text == "98.50%（131/133）"
    row = results.appointees[0]
    assert row.figure.rate_text == "99.25%（132/133）"
    assert row.low  # 1/133 ≥ 1/200
