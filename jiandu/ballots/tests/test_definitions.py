"""Defining a ballot: spec validation, presets, draft edits, self-reports, opening, codes."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jiandu.accounts.access import NotVisible
from jiandu.accounts.models import Role
from jiandu.ballots import actions, codes, scales, structure
from jiandu.ballots.models import Ballot, CodeBatch, Option, VotingCode
from jiandu.core import crypto
from jiandu.core.actions import change_setting
from jiandu.core.errors import ActionError
from jiandu.core.models import JournalEntry
from jiandu.testing import ballot_spec, make_ballot, make_unit, make_user, registrar

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit():
    return make_unit(name="区审计局")


@pytest.fixture
def officer(unit):
    return make_user(role=Role.ORG_OFFICER, unit=unit)


def full_spec():
    return {
        "title": "2026年度区审计局领导班子和领导干部民主测评",
        "description": "请独立、客观地评价。",
        "sections": [
            {"title": "领导班子", "questions": "team_overall", "subjects": [{"key": "team", "kind": "team", "label": "区审计局领导班子"}]},
            {
                "title": "班子成员",
                "questions": "five_dimensions",
                "subjects": [
                    {"key": "c1", "kind": "cadre", "label": "王强", "note": "局长", "ref": {"app": "registry", "model": "cadre", "pk": 41}},
                    {"key": "c2", "kind": "cadre", "label": "赵敏", "note": "副局长", "report_text": "一年来……"},
                ],
            },
            {"title": "选人用人工作", "questions": "satisfaction", "subjects": [{"kind": "item", "label": "本单位选人用人工作"}]},
        ],
        "groups": [
            {"code": "leaders", "name": "区领导", "weight": "0.3", "headcount": 6, "rates": ["team", "section:班子成员"]},
            {"code": "staff", "name": "本单位干部职工", "weight": 0.5, "headcount": 40},
            {"name": "服务对象代表", "weight": "0.2", "headcount": "15", "rates": ["team"]},
        ],
    }


def test_create_from_spec_with_presets(unit, officer):
    ballot = actions.create_ballot(actor=officer, unit=unit, spec=full_spec())
    assert ballot.is_draft and ballot.unit_path == unit.path and ballot.unit_name == unit.name
    sections = list(ballot.sections.all())
    assert [s.title for s in sections] == ["领导班子", "班子成员", "选人用人工作"]
    members = sections[1]
    assert [q.label for q in members.questions.all()] == ["德", "能", "勤", "绩", "廉", "总体评价"]
    overall = members.questions.get(code="overall")
    assert overall.is_overall and overall.scale == "grade"
    assert [(o.label, o.is_valid_vote, o.points) for o in overall.options.all()] == [
        ("优秀", True, 100),
        ("称职", True, 80),
        ("基本称职", True, 60),
        ("不称职", True, 40),
        ("不了解", False, None),
    ]
    assert [o.label for o in sections[0].questions.get().options.all()] == ["优秀", "良好", "一般", "较差", "不了解"]
    c1 = ballot.subjects.get(key="c1")
    assert (c1.ref_app, c1.ref_model, c1.ref_pk) == ("registry", "cadre", "41")
    assert ballot.subjects.get(key="s3.1").label == "本单位选人用人工作"
    leaders, staff, public = ballot.groups.all()
    assert set(leaders.subjects.values_list("key", flat=True)) == {"team", "c1", "c2"}
    assert staff.subjects.count() == 4 and public.code == "g3" and public.headcount == 15
    entry = JournalEntry.objects.get(action="ballots.ballot.created", target_id=str(ballot.pk))
    assert entry.unit_path == unit.path and entry.data["subjects"] == 4


def test_points_come_from_settings_at_creation(unit, officer):
    change_setting(actor=registrar(), key="ballots.points.grade", value="95\n85\n70\n50")
    ballot = make_ballot(unit=unit, actor=officer)
    points = list(Option.objects.filter(question__section__ballot=ballot, is_valid_vote=True).values_list("points", flat=True))
    assert points[:4] == [95, 85, 70, 50]
    change_setting(actor=registrar(), key="ballots.points.grade", value="1\n1\n1\n1")
    assert Option.objects.filter(question__section__ballot=ballot, points=95).exists()


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (lambda s: s.pop("title"), "title"),
        (lambda s: s.update(sections=[]), "sections"),
        (lambda s: s["sections"][0].update(questions="nonsense"), "sections[0].questions"),
        (
            lambda s: s["sections"][1].update(questions=[{"code": "x", "label": "X", "scale": {"options": [{"code": "a", "label": "A"}]}}]),
            "sections[1].questions[0].scale.options",
        ),
        (
            lambda s: s["sections"][1].update(
                questions=[
                    {
                        "code": "x",
                        "label": "X",
                        "scale": {"options": [{"code": "a", "label": "A", "valid": False}, {"code": "b", "label": "B", "valid": False}]},
                    }
                ]
            ),
            "sections[1].questions[0].scale",
        ),
        (lambda s: s["sections"][1].update(questions=[{"code": "X Y", "label": "X", "scale": "grade"}]), "sections[1].questions[0].code"),
        (lambda s: s["sections"][1]["subjects"][1].update(key="c1"), "sections[1].subjects[1].key"),
        (lambda s: s["sections"][1]["subjects"][1].update(kind="alien"), "sections[1].subjects[1].kind"),
        (lambda s: s["groups"][0].update(weight="0"), "groups[0].weight"),
        (lambda s: s["groups"][0].update(weight="abc"), "groups[0].weight"),
        (lambda s: s["groups"][0].update(headcount=0), "groups[0].headcount"),
        (lambda s: s["groups"][0].update(headcount=True), "groups[0].headcount"),
        (lambda s: s["groups"][0].update(rates=["nobody"]), "groups[0].rates[0]"),
        (lambda s: s["groups"][1].update(code="leaders"), "groups[1].code"),
        (lambda s: s.update(opens_at="2026-12-02T10:00", closes_at="2026-12-01T10:00"), "closes_at"),
        (lambda s: s.update(opens_at="soon"), "opens_at"),
        (lambda s: s.update(double_entry="triple"), "double_entry"),
        (lambda s: s.update(sections="all"), "sections"),
    ],
)
def test_bad_specs_are_refused_with_the_path_and_store_nothing(unit, officer, mutate, field):
    spec = full_spec()
    mutate(spec)
    with pytest.raises(ActionError) as exc:
        actions.create_ballot(actor=officer, unit=unit, spec=spec)
    assert exc.value.field == field
    assert not Ballot.objects.exists()


def test_create_needs_manage_permission_on_the_unit(unit):
    outsider = make_user(role=Role.ORG_OFFICER, unit=make_unit())
    with pytest.raises(NotVisible):
        actions.create_ballot(actor=outsider, unit=unit, spec=ballot_spec())
    member = make_user(role=Role.COMMITTEE_MEMBER, unit=unit)
    with pytest.raises(NotVisible):
        actions.create_ballot(actor=member, unit=unit, spec=ballot_spec())
    with pytest.raises(ActionError) as exc:
        actions.create_ballot(actor=member, unit=None, spec=ballot_spec())
    assert exc.value.field == "unit"


def test_draft_edits_and_freeze_after_open(unit, officer):
    ballot = actions.create_ballot(actor=officer, unit=unit, spec=full_spec())
    ballot = actions.update_ballot(actor=officer, ballot=ballot, title="新标题", double_entry="off")
    assert ballot.title == "新标题" and ballot.double_entry == "off"
    with pytest.raises(ActionError):
        actions.update_ballot(actor=officer, ballot=ballot, title="  ")
    staff = ballot.groups.get(code="staff")
    team, work = ballot.subjects.get(key="team"), ballot.subjects.get(key="s3.1")
    actions.set_eligibility(actor=officer, ballot=ballot, rates={staff.pk: [team.pk, work.pk]})
    assert list(staff.subjects.order_by("pk")) == [team, work]
    assert JournalEntry.objects.filter(action="ballots.ballot.eligibility_changed").exists()
    ballot = actions.open_ballot(actor=officer, ballot=ballot)
    with pytest.raises(ActionError) as exc:
        actions.set_eligibility(actor=officer, ballot=ballot, rates={staff.pk: []})
    assert exc.value.code == "not_draft"
    with pytest.raises(ActionError):
        actions.update_ballot(actor=officer, ballot=ballot, title="再改")
    with pytest.raises(ActionError):
        actions.open_ballot(actor=officer, ballot=ballot)


def test_open_preconditions(unit, officer):
    spec = full_spec()
    spec["groups"] = [{"name": "区领导", "headcount": 5, "rates": ["team"]}]
    ballot = actions.create_ballot(actor=officer, unit=unit, spec=spec)
    with pytest.raises(ActionError) as exc:
        actions.open_ballot(actor=officer, ballot=ballot)
    assert exc.value.code == "not_ready" and "王强" in exc.value.message
    ok = make_ballot(unit=unit, actor=officer)
    past = timezone.now() - dt.timedelta(minutes=1)
    actions.update_window(actor=officer, ballot=ok, opens_at=past - dt.timedelta(hours=1), closes_at=past)
    with pytest.raises(ActionError):
        actions.open_ballot(actor=officer, ballot=ok)
    actions.update_window(actor=officer, ballot=ok, opens_at=None, closes_at=None)
    opened = actions.open_ballot(actor=officer, ballot=ok)
    assert opened.is_open and len(bytes(opened.sealing_key)) > 32
    assert JournalEntry.objects.filter(action="ballots.ballot.opened", target_id=str(ok.pk)).exists()


def test_codes_within_headcount_exactly(unit, officer):
    ballot = make_ballot(unit=unit, actor=officer, spec=ballot_spec(groups=(("职工", "1", 10),)))
    group = ballot.groups.get()
    actions.issue_paper_ballots(actor=officer, ballot=ballot, group=group, count=3)
    batch, plain = actions.generate_codes(actor=officer, ballot=ballot, group=group, count=7)  # 7 + 3 = headcount
    assert len(plain) == len(set(plain)) == 7 and batch.number == 1
    with pytest.raises(ActionError) as exc:
        actions.generate_codes(actor=officer, ballot=ballot, group=group, count=1)
    assert exc.value.field == "count" and "最多还能生成 0 个测评码" in exc.value.message
    stored = set(VotingCode.objects.values_list("code_hash", flat=True))
    assert stored == {codes.code_hash(c) for c in plain}
    assert not any(codes.normalise(c) in h for c in plain for h in stored)
    entry = JournalEntry.objects.get(action="ballots.codes.generated")
    assert entry.data == {"group": "职工", "batch": 1, "count": 7}
    # Withdrawing the batch frees room for a new one.
    actions.void_code_batch(actor=officer, batch=batch)
    with pytest.raises(ActionError):
        actions.void_code_batch(actor=officer, batch=CodeBatch.objects.get(pk=batch.pk))
    _b2, again = actions.generate_codes(actor=officer, ballot=ballot, group=group, count=7)
    assert len(again) == 7


@pytest.mark.parametrize("count", [0, -1, 2001, "5", True])
def test_code_count_bounds(unit, officer, count):
    ballot = make_ballot(unit=unit, actor=officer)
    with pytest.raises(ActionError) as exc:
        actions.generate_codes(actor=officer, ballot=ballot, group=ballot.groups.get(), count=count)
    assert exc.value.field == "count"


def test_codes_refused_after_close_and_outside_unit(unit, officer):
    ballot = make_ballot(unit=unit, actor=officer, open=True)
    outsider = make_user(role=Role.ORG_OFFICER, unit=make_unit())
    with pytest.raises(NotVisible):
        actions.generate_codes(actor=outsider, ballot=ballot, group=ballot.groups.get(), count=1)
    ballot = actions.close_ballot(actor=officer, ballot=ballot)
    with pytest.raises(ActionError) as exc:
        actions.generate_codes(actor=officer, ballot=ballot, group=ballot.groups.get(), count=1)
    assert exc.value.code == "closed"


def test_code_format_entropy_and_checksum():
    code = codes.new_code()
    assert len(code) == 19 and code.count("-") == 3
    assert codes.CODE_RANDOM_SYMBOLS * 5 >= 64  # bits of entropy
    assert codes.problem(code) is None
    symbols = codes.normalise(code)
    caught = 0
    total = 0
    for i in range(len(symbols)):
        for replacement in codes.ALPHABET:
            if replacement == symbols[i]:
                continue
            total += 1
            caught += codes.problem(symbols[:i] + replacement + symbols[i + 1 :]) == "mistyped"
    assert caught == total  # every single-symbol error is detected
    assert len({codes.new_code() for _ in range(2000)}) == 2000
    assert codes.code_hash(code) == crypto.digest(("ballot-code:" + symbols).encode())


def test_self_report_text_and_pdf(unit, officer):
    ballot = make_ballot(unit=unit, actor=officer)
    subject = ballot.subjects.first()
    pdf = SimpleUploadedFile("述职报告.pdf", b"%PDF-1.4\n%test\n", content_type="application/pdf")
    subject = actions.set_subject_report(actor=officer, subject=subject, text="一年来的工作……", file=pdf)
    assert subject.report_text.startswith("一年来") and subject.report_file_name == "述职报告.pdf"
    assert subject.report_file.name.startswith("ballots/reports/") and "述职" not in subject.report_file.name
    with pytest.raises(ActionError) as exc:
        actions.set_subject_report(actor=officer, subject=subject, file=SimpleUploadedFile("x.pdf", b"<html>", content_type="application/pdf"))
    assert exc.value.field == "report_file"
    change_setting(actor=registrar(), key="ballots.report_max_mb", value="0")
    with pytest.raises(ActionError):
        actions.set_subject_report(actor=officer, subject=subject, file=SimpleUploadedFile("y.pdf", b"%PDF-1", content_type="application/pdf"))
    subject = actions.set_subject_report(actor=officer, subject=subject, remove_file=True)
    assert not subject.report_file
    assert JournalEntry.objects.filter(action="ballots.subject.report_changed").count() == 2


def test_structure_of_draft_is_fresh_and_positional_encoding_roundtrips(unit, officer):
    ballot = make_ballot(unit=unit, actor=officer, spec=ballot_spec(questions="five_dimensions"))
    shape = structure.load(ballot)
    group = ballot.groups.get()
    layout = shape.layouts[group.pk]
    assert len(layout.items) == 2 * 6
    chosen = [item.option_ids[i % len(item.option_ids)] for i, item in enumerate(layout.items)]
    chosen[3] = None
    text = structure.encode(shape, group.pk, chosen)
    assert len(text) == 12 and text[3] == "-"
    assert [c for _s, _q, c in structure.decode(shape, group.pk, text)] == chosen


def test_preset_scales_are_complete():
    for name, scale in scales.SCALES.items():
        options = scales.scale_options(name)
        assert [o["label"] for o in options] == [o.label for o in scale.options]
        assert all(o["points"] is not None for o in options if o["valid"])
    assert io  # keep import for file-like helpers


def test_discard_draft_only(unit, officer):
    ballot = make_ballot(unit=unit, actor=officer)
    actions.generate_codes(actor=officer, ballot=ballot, group=ballot.groups.get(), count=2)
    outsider = make_user(role=Role.ORG_OFFICER, unit=make_unit())
    with pytest.raises(NotVisible):
        actions.discard_draft(actor=outsider, ballot=ballot)
    actions.discard_draft(actor=officer, ballot=ballot)
    assert not Ballot.objects.filter(pk=ballot.pk).exists() and not VotingCode.objects.exists()
    entry = JournalEntry.objects.get(action="ballots.ballot.discarded")
    assert entry.data == {"title": ballot.title, "codes": 2}
    opened = make_ballot(unit=unit, actor=officer, open=True)
    with pytest.raises(ActionError) as exc:
        actions.discard_draft(actor=officer, ballot=opened)
    assert exc.value.code == "not_draft"
