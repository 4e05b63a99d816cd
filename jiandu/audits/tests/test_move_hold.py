"""The personnel move held until the departure handover is signed (setting
audits.hold_move_until_handover, off by default): the registry asks through registry.hooks; the
form's action, the API and the tenures import all refuse the leaver's next post meanwhile."""

import datetime as dt

import pytest

from jiandu.accounts.models import Role
from jiandu.audits import actions
from jiandu.audits.models import Handover
from jiandu.core import events
from jiandu.core.errors import ActionError, RowErrors
from jiandu.core.models import JournalEntry, LocalSetting
from jiandu.registry import actions as registry_actions
from jiandu.registry import imports
from jiandu.registry.models import Tenure
from jiandu.testing import api_client, make_cadre, make_position, make_user, make_xlsx

TENURE_HEADER = ["身份证号", "姓名", "所在单位", "职务", "任职时间", "任职方式", "代理/主持", "免职时间", "免职原因", "备注"]


@pytest.fixture
def h(district):
    tenure = registry_actions.appoint(actor=district.registrar, cadre=district.zhang, position=district.director, started_on=dt.date(2020, 1, 1))
    registry_actions.end_tenure(actor=district.registrar, tenure=tenure, ended_on=dt.date(2026, 11, 30), end_reason="transfer")
    events.process_pending()
    district.handover = Handover.objects.get()
    district.new_post = make_position(unit=district.education, title="党组书记")
    district.successor = make_cadre(unit=district.finance, name="赵接任")
    district.leaver_user = make_user(role=Role.CADRE, cadre=district.zhang)
    district.successor_user = make_user(role=Role.CADRE, cadre=district.successor)
    district.supervisor = make_user(role=Role.ORG_OFFICER, full_name="钱监交")
    return district


def _hold_on():
    LocalSetting.objects.create(key="audits.hold_move_until_handover", value=True)


def _appoint(d):
    return registry_actions.appoint(actor=d.registrar, cadre=d.zhang, position=d.new_post, started_on=dt.date(2026, 12, 1))


def test_off_by_default_the_move_is_recorded(h):
    assert _appoint(h).position == h.new_post


def test_on_the_move_waits_for_all_three_confirmations(h):
    _hold_on()
    with pytest.raises(ActionError) as refused:
        _appoint(h)
    message = str(refused.value.message)
    assert refused.value.code == "move_held"
    assert "张伟明" in message and "财政局" in message and "2026-11-30" in message
    assert not Tenure.objects.filter(position=h.new_post).exists()
    assert JournalEntry.objects.filter(action="registry.tenure.started", cadre_id=h.zhang.pk).count() == 1  # the first post only
    actions.set_handover_parties(actor=h.auditor, handover=h.handover, successor=h.successor, supervisor=h.supervisor)
    actions.sign_handover(actor=h.leaver_user, handover=h.handover, party="leaver")
    actions.sign_handover(actor=h.successor_user, handover=h.handover, party="successor")
    with pytest.raises(ActionError) as refused:  # two of three: still held, naming the one missing
        _appoint(h)
    assert "监交人" in str(refused.value.message) or "supervisor" in str(refused.value.message)
    actions.sign_handover(actor=h.supervisor, handover=h.handover, party="supervisor")
    assert _appoint(h).position == h.new_post


def test_on_other_cadres_are_not_held(h):
    _hold_on()
    assert registry_actions.appoint(actor=h.registrar, cadre=h.wang, position=h.new_post, started_on=dt.date(2026, 12, 1)).cadre == h.wang


def test_on_the_api_refuses_with_the_message(h):
    _hold_on()
    response = api_client(h.registrar).post(
        "/api/v1/registry/tenures", {"cadre_id": h.zhang.pk, "position_id": h.new_post.pk, "started_on": "2026-12-01"}, content_type="application/json"
    )
    assert response.status_code == 400 and "张伟明" in str(response.json())
    assert not Tenure.objects.filter(position=h.new_post).exists()


def test_on_the_tenures_import_gives_a_row_error_and_stores_nothing(h, tmp_path):
    _hold_on()
    rows = [
        [h.wang.id_number, "王建国", "教育局", "党组书记", dt.date(2026, 12, 1), "", "", None, "", ""],
        [h.zhang.id_number, "张伟明", "教育局", "党组书记", dt.date(2026, 12, 1), "", "", None, "", ""],
    ]
    h.new_post.headcount = 2
    h.new_post.save(update_fields=["headcount"])
    path = make_xlsx(tmp_path / "tenures.xlsx", rows, header=TENURE_HEADER)
    importer = imports.IMPORTERS["tenures"]
    preview = imports.prepare(importer, actor=h.registrar, path=path, mask_sensitive=False)
    assert [e["row"] for e in preview.errors] == [3] and "张伟明" in preview.errors[0]["message"]
    with pytest.raises(RowErrors) as refused:
        imports.commit(importer, actor=h.registrar, path=path, source="tenures.xlsx")
    assert [e["row"] for e in refused.value.errors] == [3]
    assert not Tenure.objects.filter(position=h.new_post).exists()  # not even the good row
    assert not JournalEntry.objects.filter(action="registry.tenures.imported").exists()
