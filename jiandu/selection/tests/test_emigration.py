# ruff: noqa: F811  (the `world` fixture is imported from test_cases)
"""2019 条例 art. 24 (5): a cadre whose spouse has emigrated, or without a spouse all of whose children
have, is not listed as an inspection subject; the family records come from the registry."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from jiandu.core.errors import ActionError
from jiandu.registry.models import Relative
from jiandu.selection import actions, rules
from jiandu.selection.models import Candidate, Stage
from jiandu.selection.tests.test_cases import D, _open, _stage, english, world  # noqa: F401  (fixtures)
from jiandu.testing import log_in, make_relative

LISTED = D + dt.timedelta(days=2)


def _list(world):
    case = _open(world)
    _stage(world, case, Stage.RECOMMENDATION, 1)
    return lambda: actions.add_candidate(actor=world["officer"], case=case, cadre=world["cadre"], position=world["post"], listed_on=LISTED)


def test_spouse_emigrated_blocks_naming_the_rule(world):
    make_relative(cadre=world["cadre"], relation="spouse", emigrated_on=dt.date(2020, 5, 1))
    make_relative(cadre=world["cadre"], relation="son")
    with pytest.raises(ActionError) as info:
        _list(world)()
    assert "spouse has emigrated" in info.value.message and "art. 24" in info.value.message and "(5)" in info.value.message
    assert not Candidate.objects.exists()


def test_spouse_emigrating_the_day_after_listing_does_not_block(world):
    make_relative(cadre=world["cadre"], relation="spouse", emigrated_on=LISTED + dt.timedelta(days=1))
    assert rules.emigration_block(world["cadre"], LISTED) == ""
    assert rules.emigration_block(world["cadre"], LISTED + dt.timedelta(days=1)) != ""  # the day of emigration counts


def test_unmarried_with_one_of_two_children_emigrated_is_listed(world):
    make_relative(cadre=world["cadre"], relation="son", emigrated_on=dt.date(2021, 1, 1))
    make_relative(cadre=world["cadre"], relation="daughter")
    candidate = _list(world)()
    assert candidate.cadre == world["cadre"]


def test_unmarried_with_all_children_emigrated_is_blocked(world):
    make_relative(cadre=world["cadre"], relation="son", emigrated_on=dt.date(2021, 1, 1))
    make_relative(cadre=world["cadre"], relation="daughter", emigrated_on=dt.date(2022, 1, 1))
    with pytest.raises(ActionError) as info:
        _list(world)()
    assert "all children have emigrated" in info.value.message and "art. 24" in info.value.message


def test_married_with_all_children_emigrated_but_spouse_at_home_is_listed(world):
    make_relative(cadre=world["cadre"], relation="spouse")
    make_relative(cadre=world["cadre"], relation="son", emigrated_on=dt.date(2021, 1, 1))
    assert _list(world)().pk


def test_removed_spouse_record_is_ignored(world):
    from jiandu.registry import actions as registry_actions
    from jiandu.testing import registrar

    spouse = make_relative(cadre=world["cadre"], relation="spouse", emigrated_on=dt.date(2020, 5, 1))
    registry_actions.remove_relative(actor=registrar(), relative=spouse, reason="离婚")
    assert rules.emigration_block(world["cadre"], LISTED) == ""


def test_no_family_records_do_not_block(world):
    assert rules.emigration_block(world["cadre"], LISTED) == ""


def test_emigration_day_in_the_future_is_refused(world):
    with pytest.raises(ActionError) as info:
        make_relative(cadre=world["cadre"], relation="spouse", emigrated_on=dt.date.today() + dt.timedelta(days=1))
    assert info.value.field == "emigrated_on"
    with pytest.raises(ActionError) as info:
        make_relative(cadre=world["cadre"], relation="son", birth_on=dt.date(2000, 1, 2), emigrated_on=dt.date(2000, 1, 1))
    assert info.value.field == "emigrated_on"
    make_relative(cadre=world["cadre"], relation="son", birth_on=dt.date(2000, 1, 2), emigrated_on=dt.date(2000, 1, 2))  # the day of birth
    assert Relative.objects.count() == 1


def test_relative_form_records_the_emigration_day(world):
    from jiandu.accounts.models import Role
    from jiandu.testing import make_user

    user = make_user(role=Role.ORG_OFFICER)
    client = Client()
    log_in(client, user)
    url = reverse("registry:relative_add", args=[world["cadre"].pk])
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    refused = client.post(url, {"relation": "spouse", "name": "配偶甲", "emigrated_on": tomorrow})
    assert refused.status_code == 200 and not Relative.objects.exists()
    assert "不能晚于今天" in refused.content.decode()
    response = client.post(url, {"relation": "spouse", "name": "配偶甲", "emigrated_on": "2020-05-01"})
    assert response.status_code in (200, 302)
    assert Relative.objects.get(cadre=world["cadre"]).emigrated_on == dt.date(2020, 5, 1)
    page = client.get(reverse("registry:cadre_detail", args=[world["cadre"].pk]))
    assert "2020-05-01" in page.content.decode()


# --- the exception (art. 24 (5) set aside where an approval allows it) --------------------------------


def _list_as(world, actor, **exception):
    case = _open(world)
    _stage(world, case, Stage.RECOMMENDATION, 1)
    return actions.add_candidate(actor=actor, case=case, cadre=world["cadre"], position=world["post"], listed_on=LISTED, **exception)


def test_the_head_sets_the_emigration_block_aside_with_reason_and_approval(world):
    from jiandu.core.models import JournalEntry
    from jiandu.selection import sheet

    make_relative(cadre=world["cadre"], relation="spouse", emigrated_on=dt.date(2020, 5, 1))
    candidate = _list_as(world, world["head"], emigration_exception="涉密岗位以外的专业技术岗位，经批准不适用", emigration_approval_ref="示组函〔2026〕12号")
    assert candidate.emigration_exception.startswith("涉密") and candidate.emigration_approval_ref == "示组函〔2026〕12号"
    entry = JournalEntry.objects.get(action="selection.emigration.excepted")
    assert entry.data == {"reason": candidate.emigration_exception, "approval": "示组函〔2026〕12号"} and entry.cadre_id == world["cadre"].pk
    assert ("Emigration block set aside (art. 24 (5))", "涉密岗位以外的专业技术岗位，经批准不适用; approval: 示组函〔2026〕12号") in sheet.rows(candidate)
    from jiandu.selection import accountability_report

    traced = [r for r in accountability_report.rows(candidate) if "示组函〔2026〕12号" in str(r)]
    assert len(traced) == 1  # the trace-back report names the exception too


@pytest.mark.parametrize(
    ("exception", "field"),
    [({"emigration_exception": "理由"}, "emigration_approval_ref"), ({"emigration_approval_ref": "示组函〔2026〕12号"}, "emigration_exception")],
)
def test_the_exception_needs_both_the_reason_and_the_approval(world, exception, field):
    make_relative(cadre=world["cadre"], relation="spouse", emigrated_on=dt.date(2020, 5, 1))
    with pytest.raises(ActionError) as info:
        _list_as(world, world["head"], **exception)
    assert info.value.field == field and "art. 24" in info.value.message
    assert not Candidate.objects.exists()


def test_the_officer_may_not_set_the_block_aside(world):
    make_relative(cadre=world["cadre"], relation="spouse", emigrated_on=dt.date(2020, 5, 1))
    with pytest.raises(ActionError) as info:
        _list_as(world, world["officer"], emigration_exception="理由", emigration_approval_ref="示组函〔2026〕12号")
    assert "head" in info.value.message and not Candidate.objects.exists()


def test_no_exception_without_an_emigration_block(world):
    with pytest.raises(ActionError) as info:
        _list_as(world, world["head"], emigration_exception="理由", emigration_approval_ref="示组函〔2026〕12号")
    assert "does not apply" in info.value.message and not Candidate.objects.exists()


def test_the_exception_leaves_the_other_blocks_standing(world):
    make_relative(cadre=world["cadre"], relation="spouse", emigrated_on=dt.date(2020, 5, 1))
    case = _open(world)
    _stage(world, case, Stage.RECOMMENDATION, 1)
    actions.record_canvassing(actor=world["officer"], case=case, cadre=world["cadre"], found_on=D, details="拉票")
    with pytest.raises(ActionError) as info:
        actions.add_candidate(
            actor=world["head"],
            case=case,
            cadre=world["cadre"],
            position=world["post"],
            listed_on=LISTED,
            emigration_exception="理由",
            emigration_approval_ref="示组函〔2026〕12号",
        )
    assert "Canvassing" in info.value.message and "(4)" in info.value.message and "emigrated" not in info.value.message


def test_the_form_takes_the_exception(world):
    make_relative(cadre=world["cadre"], relation="spouse", emigrated_on=dt.date(2020, 5, 1))
    case = _open(world)
    _stage(world, case, Stage.RECOMMENDATION, 1)
    client = log_in(Client(), world["head"])
    url = reverse("selection:add_candidate", args=[case.pk])
    data = {"cadre": world["cadre"].pk, "position": world["post"].pk, "listed_on": LISTED.isoformat()}
    refused = client.post(url, data)
    assert refused.status_code == 200 and "配偶已移居国（境）外，《党政领导干部选拔任用工作条例》（2019）第二十四条第（五）项" in refused.content.decode()
    answer = client.post(url, {**data, "emigration_exception": "经批准不适用", "emigration_approval_ref": "示组函〔2026〕12号"})
    assert answer.status_code == 302
    assert Candidate.objects.get(case=case).emigration_approval_ref == "示组函〔2026〕12号"


def test_the_api_takes_the_exception(world):
    from jiandu.testing import api_client

    make_relative(cadre=world["cadre"], relation="spouse", emigrated_on=dt.date(2020, 5, 1))
    case = _open(world)
    _stage(world, case, Stage.RECOMMENDATION, 1)
    url = f"/api/v1/selection/cases/{case.pk}/candidates"
    data = {"cadre_id": world["cadre"].pk, "position_id": world["post"].pk, "listed_on": LISTED.isoformat()}
    api = api_client(world["head"])
    assert api.post(url, {**data, "emigration_exception": "经批准不适用"}, content_type="application/json").status_code in (400, 422)
    answer = api.post(url, {**data, "emigration_exception": "经批准不适用", "emigration_approval_ref": "示组函〔2026〕12号"}, content_type="application/json")
    assert answer.status_code == 200, answer.content
    assert Candidate.objects.get(case=case).emigration_exception == "经批准不适用"
