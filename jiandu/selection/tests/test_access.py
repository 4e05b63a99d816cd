"""Wrong role: a unit leader of another unit, and a vetting officer of a department, get 404 on
every selection page and API read of a case they may not see; an API write is refused (404, or
422 when its body is already invalid) and nothing of selection is journaled."""

import datetime as dt

from django.test import Client
from django.urls import reverse

from jiandu.accounts.models import Role
from jiandu.core.models import JournalEntry
from jiandu.selection import actions
from jiandu.selection.models import VettingRequest
from jiandu.testing import api_client, log_in, make_unit, make_user

from .test_cases import _notice, _passed, world  # noqa: F401  (the fixture)


def _routes(case, candidate, vetting_pk, objection_pk):
    c, k = case.pk, candidate.pk
    pages = [
        ("case", [c]),
        ("record_stage", [c, "inspection"]),
        ("add_candidate", [c]),
        ("record_canvassing", [c]),
        ("prior_approval", [c]),
        ("send_vetting", [c]),
        ("override_vetting", [c, k]),
        ("record_decision", [c]),
        ("start_notice", [c]),
        ("record_objection", [c]),
        ("resolve_objection", [c, objection_pk]),
        ("appoint", [c, k]),
        ("review_probation", [c, k]),
        ("sheet_pdf", [c, k]),
        ("sheet_xlsx", [c, k]),
        ("appform_pdf", [c, k]),
        ("appform_lrmx", [c, k]),
        ("trace", [c, k]),
        ("file_review", [c, k]),
        ("recommendation", [c]),
        ("vetting", [vetting_pk]),
    ]
    api_get = [f"/api/v1/selection/cases/{c}", f"/api/v1/selection/vetting/{vetting_pk}"]
    api_post = [
        f"/api/v1/selection/cases/{c}/stages",
        f"/api/v1/selection/cases/{c}/canvassing",
        f"/api/v1/selection/cases/{c}/candidates",
        f"/api/v1/selection/cases/{c}/approval",
        f"/api/v1/selection/cases/{c}/vetting",
        f"/api/v1/selection/candidates/{k}/override",
        f"/api/v1/selection/vetting/{vetting_pk}/reply",
        f"/api/v1/selection/vetting/{vetting_pk}/resolve",
        f"/api/v1/selection/cases/{c}/decision",
        f"/api/v1/selection/cases/{c}/notice",
        f"/api/v1/selection/cases/{c}/objections",
        f"/api/v1/selection/objections/{objection_pk}/resolve",
        f"/api/v1/selection/candidates/{k}/appoint",
        f"/api/v1/selection/candidates/{k}/probation",
        f"/api/v1/selection/candidates/{k}/file-review",
    ]
    return pages, api_get, api_post


def test_wrong_role_and_wrong_department_get_404_everywhere(world):  # noqa: F811
    case, candidate = _passed(world)
    _notice(world, case, dt.date(2026, 10, 16))
    objection = actions.record_objection(actor=world["officer"], candidate=candidate, received_on=dt.date(2026, 9, 30), content="反映问题")
    vetting = VettingRequest.objects.filter(candidate=candidate).first()
    assert vetting is not None
    other = make_unit(name="示范区卫健局")
    outsiders = [
        make_user(role=Role.UNIT_LEADER, unit=other),
        make_user(role=Role.VETTING_OFFICER, unit=other, include_descendants=False),
    ]
    pages, api_get, api_post = _routes(case, candidate, vetting.pk, objection.pk)
    before = JournalEntry.objects.count()
    for user in outsiders:
        client = Client()
        log_in(client, user)
        for name, args in pages:
            url = reverse(f"selection:{name}", args=args)
            assert client.get(url).status_code in (403, 404), (user.username, url)
            assert client.post(url, {"result": "x"}).status_code in (403, 404), (user.username, url)
        api = api_client(user)
        for url in api_get:
            assert api.get(url).status_code in (403, 404), (user.username, url)
        for url in api_post:
            assert api.post(url, {}, content_type="application/json").status_code in (400, 403, 404, 422), (user.username, url)
    assert not JournalEntry.objects.filter(seq__gt=before, action__startswith="selection.").exists()
