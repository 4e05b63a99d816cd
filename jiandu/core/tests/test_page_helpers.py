"""The shared list/export/form helpers: page size, whitelisted sort, action forms, blockers, the
one export rule (journaled once, ID numbers masked), report workbooks and the answer rule."""

import io

import openpyxl
import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.http import HttpResponse
from django.test import RequestFactory

from jiandu.accounts import access
from jiandu.accounts.models import Role
from jiandu.core import action_forms, exports, listing
from jiandu.core.blockers import Blocker, explain, refuse
from jiandu.core.errors import ActionError
from jiandu.core.masking import mask_id_number
from jiandu.core.models import JournalEntry
from jiandu.registry.models import Unit
from jiandu.testing import make_cadre, make_unit, make_user

rf = RequestFactory()


def _request(method="get", path="/", data=None, user=None):
    request = getattr(rf, method)(path, data or {})
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    if user is not None:
        request.user = user
    return request


# --- page size ---------------------------------------------------------------------------------


@pytest.mark.parametrize("size", ["20", "50", "100"])
def test_page_size_accepts_the_offered_sizes(size):
    assert listing.page_size(_request(data={"size": size})) == int(size)


@pytest.mark.parametrize("size", ["19", "21", "99", "101", "1000", "0", "-20", "abc", "", "20.0", "1e2"])
def test_page_size_refuses_anything_else(size):
    assert listing.page_size(_request(data={"size": size})) == 20
    assert listing.page_size(_request(data={"size": size}), 50) == 50


def test_page_size_default_when_absent():
    assert listing.page_size(_request()) == 20
    assert listing.page_size(_request(), 100) == 100


@pytest.mark.django_db
def test_paginate_shows_the_last_page_for_a_page_beyond_it():
    for _ in range(3):
        make_unit()
    page = listing.paginate(_request(data={"page": "999"}), Unit.objects.order_by("pk"))
    assert page.number == page.paginator.num_pages
    assert listing.paginate(_request(data={"page": "x"}), Unit.objects.order_by("pk")).number == 1


# --- sorting -----------------------------------------------------------------------------------

SORTS = {"name": "name", "kind": "kind"}


@pytest.mark.parametrize(
    ("asked", "used"),
    [
        ("name", "name"),
        ("-name", "-name"),
        ("kind", "kind"),
        ("password", "name"),
        ("-password", "name"),
        ("--name", "name"),
        ("name-", "name"),
        ("parent__name", "name"),
        ("", "name"),
        (None, "name"),
    ],
)
def test_sort_key_refuses_unknown_keys(asked, used):
    assert listing.sort_key(asked, SORTS, "name") == used


def test_order_by_sort_orders_by_the_whitelisted_field_then_id():
    qs = listing.order_by_sort(Unit.objects.all(), {"title": "name"}, "-title", "title")
    assert qs.query.order_by == ("-name", "id")
    refused = listing.order_by_sort(Unit.objects.all(), {"title": "name"}, "path; drop table", "title")
    assert refused.query.order_by == ("name", "id")


@pytest.mark.django_db
def test_list_page_sorts_and_pages():
    make_unit(name="乙")
    make_unit(name="甲")
    request = _request(data={"sort": "-name", "size": "20"})
    result = listing.list_page(request, Unit.objects.filter(name__in=["甲", "乙"]), sorts={"name": "name"}, default_sort="name")
    assert [u.name for u in result.rows] == sorted(["甲", "乙"], reverse=True)
    assert result.sort == "-name" and result.sort_links["name"] == {"param": "name", "arrow": "▼"}
    unknown = listing.list_page(_request(data={"sort": "secret"}), Unit.objects.all(), sorts={"name": "name"}, default_sort="name")
    assert unknown.sort == "name" and unknown.sort_links["name"]["arrow"] == ""


def test_sort_links_toggle_the_current_column():
    links = listing.sort_links(_request(data={"sort": "name"}), ["name", "kind"])
    assert links["name"] == {"param": "-name", "arrow": "▲"} and links["kind"] == {"param": "kind", "arrow": ""}


# --- action forms ------------------------------------------------------------------------------


class _Form(forms.Form):
    title = forms.CharField(max_length=10)


@pytest.fixture
def rendered(monkeypatch):
    """Capture what action_form renders (no template needed)."""
    seen = {}

    def fake_render(request, template, context, status=200):
        seen.update(context=context, status=status, template=template)
        return HttpResponse(status=status)

    monkeypatch.setattr(action_forms, "render", fake_render)
    return seen


def test_action_form_get_shows_the_form_and_calls_nothing(rendered):
    calls = []
    response = action_forms.action_form(_request(), form=_Form(None), call=calls.append, success="ok", back="/back/", template="t.html")
    assert response.status_code == 200 and calls == [] and rendered["context"]["back"] == "/back/"


def test_action_error_naming_a_field_goes_beside_that_field(rendered):
    def call(data):
        raise ActionError("标题已被使用。", field="title")

    form = _Form({"title": "重复"})
    response = action_forms.action_form(_request("post", data={"title": "重复"}), form=form, call=call, success="ok", back="/b/", template="t.html")
    assert response.status_code == 400
    assert form.errors["title"] == ["标题已被使用。"] and not form.non_field_errors()


def test_action_error_naming_no_form_field_goes_on_top(rendered):
    def call(data):
        raise ActionError("不允许。", field="not_in_form")

    form = _Form({"title": "x"})
    response = action_forms.action_form(_request("post", data={"title": "x"}), form=form, call=call, success="ok", back="/b/", template="t.html")
    assert response.status_code == 400 and form.non_field_errors() == ["不允许。"] and "title" not in form.errors


def test_invalid_form_never_calls_the_action(rendered):
    calls = []
    form = _Form({"title": "x" * 11})
    response = action_forms.action_form(_request("post"), form=form, call=calls.append, success="ok", back="/b/", template="t.html")
    assert response.status_code == 400 and calls == [] and "title" in form.errors


def test_action_form_success_redirects_with_the_message(rendered):
    request = _request("post", data={"title": "好"})
    response = action_forms.action_form(
        request, form=_Form({"title": "好"}), call=lambda data: data["title"], success=lambda result: f"已保存{result}", back="/b/", template="t.html"
    )
    assert response.status_code == 302 and response["Location"] == "/b/"
    assert [str(m) for m in get_messages(request)] == ["已保存好"]


def test_action_form_refuses_other_methods(rendered):
    response = action_forms.action_form(_request("put"), form=_Form(None), call=print, success="", back="/", template="t.html")
    assert response.status_code == 405


def test_try_action_reports_a_refusal_as_a_message():
    request = _request("post")

    def refused():
        raise ActionError("尚未开始。")

    assert action_forms.try_action(request, refused, "ok") is False
    assert action_forms.try_action(request, lambda: None, "完成") is True
    assert [str(m) for m in get_messages(request)] == ["尚未开始。", "完成"]
    assert action_forms.run_action(_request("post"), lambda: None, "ok", "/x/")["Location"] == "/x/"


# --- blockers ----------------------------------------------------------------------------------


def test_blockers_explain_and_refuse():
    found = [Blocker("no_subjects", "没有测评对象。"), Blocker("no_groups", "没有投票人群组。", basis="本地做法")]
    assert str(found[0]) == "没有测评对象。" and found[1].as_dict() == {"code": "no_groups", "message": "没有投票人群组。", "basis": "本地做法"}
    assert explain(found) == "没有测评对象。 没有投票人群组。"
    with pytest.raises(ActionError) as raised:
        refuse(found, code="not_ready")
    assert raised.value.code == "not_ready" and "没有投票人群组。" in raised.value.message
    refuse([])  # nothing blocks: no error


# --- exports -----------------------------------------------------------------------------------

COLUMNS = (
    exports.Column("name", "姓名"),
    exports.Column("id_number", "身份证号", mask=mask_id_number),
)
ID = "110101198005170035"


def _sheet(response):
    return list(openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True))


@pytest.mark.django_db
def test_export_list_journals_once_and_masks_id_numbers():
    user = make_user(role=Role.ORG_OFFICER)
    tally = exports.SensitiveTally()
    rows = [tally.row(COLUMNS, ["张三", ID], clear=False), tally.row(COLUMNS, ["李四", ID], clear=True)]
    before = JournalEntry.objects.count()
    response = exports.export_list(user, code="registry.cadres.exported", title="干部", columns=COLUMNS, rows=rows, data={"list": "cadres"}, tally=tally)
    cells = _sheet(response)
    assert cells[1] == ("张三", mask_id_number(ID)) and ID not in cells[1][1]
    assert cells[2] == ("李四", ID)
    entries = JournalEntry.objects.order_by("seq")[before:]
    assert [e.action for e in entries] == ["registry.cadres.exported"]
    assert entries[0].data["rows"] == 2 and entries[0].data["sensitive_in_clear"] == "some" and entries[0].actor_id == user.pk
    assert response["Content-Disposition"].startswith("attachment") and response["Cache-Control"] == "no-store"


def test_sensitive_tally_summary():
    tally = exports.SensitiveTally()
    assert tally.summary() == "none"
    tally.row(COLUMNS, ["a", ID], clear=True)
    assert tally.summary() == "all"
    assert tally.row(COLUMNS, ["b", ID], clear=False)[1] == mask_id_number(ID)
    assert tally.summary() == "some"


def test_object_columns_read_values_and_auto_cells_keep_types():
    import datetime as dt

    class Row:
        name = "王五"
        born = dt.date(1980, 5, 17)
        count = 3

    columns = [
        exports.Column("name", "姓名", kind=exports.AUTO),
        exports.Column("born", "出生", kind=exports.AUTO),
        exports.Column("", "数", kind=exports.AUTO, value=lambda r: r.count * 2),
    ]
    assert list(exports.object_rows(columns, [Row()])) == [["王五", dt.date(1980, 5, 17), 6]]
    buffer = io.BytesIO()
    exports.write_rows(buffer, columns=columns, rows=exports.object_rows(columns, [Row()]), sheet_title="s")
    row = list(openpyxl.load_workbook(io.BytesIO(buffer.getvalue())).active.iter_rows(values_only=True))[1]
    assert row[0] == "王五" and row[1] == dt.datetime(1980, 5, 17) and row[2] == 6


def test_report_book_writes_text_never_formulas():
    book = exports.Book()
    sheet = book.sheet("结果[1]")
    sheet.title("标题")
    sheet.header(["名称", "数"])
    sheet.values(['=HYPERLINK("http://x")', 5])
    loaded = openpyxl.load_workbook(io.BytesIO(book.close()))
    ws = loaded.worksheets[0]
    assert ws.title == "结果1"
    assert ws["A3"].value == '=HYPERLINK("http://x")' and ws["A3"].data_type == "s"
    assert ws["B3"].value == 5 and ws["A2"].value == "名称"


# --- the answer rule ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_may_answer_the_cadre_in_person_or_an_officer_over_the_unit():
    unit, other_unit = make_unit(), make_unit()
    cadre, someone_else = make_cadre(unit=unit), make_cadre(unit=unit)
    own = make_user(role=Role.CADRE, cadre=cadre)
    officer = make_user(role=Role.ORG_OFFICER, unit=unit)
    officer_elsewhere = make_user(role=Role.ORG_OFFICER, unit=other_unit)
    linked_without_role = make_user(cadre=someone_else)
    assert access.may_answer(own, cadre.pk, unit, "oversight.manage") and access.answers_self(own, cadre)
    assert not access.may_answer(own, someone_else.pk, unit, "oversight.manage")
    assert access.may_answer(officer, cadre.pk, unit, "oversight.manage") and not access.answers_self(officer, cadre)
    assert not access.may_answer(officer_elsewhere, cadre.pk, unit, "oversight.manage")
    assert not access.may_answer(linked_without_role, someone_else.pk, unit, "oversight.manage")
