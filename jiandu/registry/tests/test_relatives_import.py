"""Family members in bulk (issue #15 part 2: the emigration block of selection needs the relatives'
data): the xlsx import kind "relatives" (template column, row checks, all or nothing, importable
again) and the API (add a family member; record or clear the emigration day)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from jiandu.core.errors import RowErrors
from jiandu.core.models import JournalEntry
from jiandu.registry import imports
from jiandu.registry.models import Relative
from jiandu.testing import api_client, make_relative, make_xlsx

from .test_imports import importer, prepare, upload

pytestmark = pytest.mark.django_db

HEADER = [column.key for column in imports.IMPORTERS["relatives"].columns]


def row(cadre, **values):
    data = dict.fromkeys(HEADER)
    data.update(id_number=cadre.id_number, cadre_name=cadre.name, relation="配偶", name="王芳")
    data.update(values)
    return [data[key] for key in HEADER]


def test_the_template_has_the_emigration_column(district, client_for):
    with translation.override("zh-hans"):
        response = client_for(district.officer).get(reverse("registry:import_template", args=["relatives"]))
    assert response.status_code == 200
    assert "emigrated_on" in HEADER and "relation" in HEADER


def test_rows_add_family_members_then_a_second_file_records_the_emigration(district, tmp_path):
    zhang = district.zhang
    first = make_xlsx(tmp_path / "a.xlsx", [row(zhang), row(zhang, relation="儿子", name="张小明", birth_on=dt.date(2010, 3, 1))], header=HEADER)
    preview = prepare("relatives", district.officer, first)
    assert preview.rows == 2 and preview.errors == []
    assert not Relative.objects.exists()  # the preview stores nothing
    summary = imports.commit(importer("relatives"), actor=district.officer, path=first, source="a.xlsx")
    assert summary == {"created": 2, "added": 2, "updated": 0, "unchanged": 0}
    assert sorted(Relative.objects.values_list("relation", "name", "emigrated_on")) == [("son", "张小明", None), ("spouse", "王芳", None)]
    # The yearly update: the spouse emigrated; the son's row repeats.
    second = make_xlsx(
        tmp_path / "b.xlsx",
        [row(zhang, emigrated_on=dt.date(2024, 6, 1)), row(zhang, relation="儿子", name="张小明", birth_on=dt.date(2010, 3, 1))],
        header=HEADER,
    )
    summary = imports.commit(importer("relatives"), actor=district.officer, path=second, source="b.xlsx")
    assert summary == {"created": 0, "added": 0, "updated": 1, "unchanged": 1}
    assert Relative.objects.get(name="王芳").emigrated_on == dt.date(2024, 6, 1)
    entry = JournalEntry.objects.get(action="registry.relative.emigration_recorded")
    assert entry.cadre_id == zhang.pk and entry.data["to"] == "2024-06-01" and entry.data["from"] is None
    assert JournalEntry.objects.filter(action="registry.relatives.imported").count() == 2
    # The same file again changes nothing; a file with the cell emptied clears the day.
    assert imports.commit(importer("relatives"), actor=district.officer, path=second, source="b.xlsx")["unchanged"] == 2
    imports.commit(importer("relatives"), actor=district.officer, path=first, source="a.xlsx")
    assert Relative.objects.get(name="王芳").emigrated_on is None


def test_bad_rows_are_named_and_nothing_is_stored(district, tmp_path):
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    rows = [
        row(district.zhang),  # good
        row(district.zhang, name="赵某", emigrated_on=tomorrow),  # the future
        row(district.zhang, cadre_name="别人"),  # the ID number is someone else's
        row(district.li),  # a cadre of another unit: out of the officer's reach
        row(district.zhang, relation="表哥"),  # not a relation the registry knows
        row(district.zhang, name="钱某", birth_on=dt.date(2000, 1, 2), emigrated_on=dt.date(2000, 1, 1)),  # before the birth
    ]
    path = make_xlsx(tmp_path / "bad.xlsx", rows, header=HEADER)
    preview = prepare("relatives", district.officer, path)
    assert sorted(e["row"] for e in preview.errors) == [3, 4, 5, 6, 7]  # the header is row 1
    with translation.override("zh-hans"):
        columns = {e["row"]: e["column"] for e in preview.errors}
    assert columns[3] == str(importer("relatives").column_label("emigrated_on"))
    with pytest.raises(RowErrors):
        imports.commit(importer("relatives"), actor=district.officer, path=path, source="bad.xlsx")
    assert not Relative.objects.exists()


def test_a_reader_without_registry_manage_cannot_import_family_records(district, tmp_path):
    path = make_xlsx(tmp_path / "a.xlsx", [row(district.zhang)], header=HEADER)
    preview = prepare("relatives", district.leader, path)
    assert [e["row"] for e in preview.errors] == [2]
    assert not Relative.objects.exists()


def test_the_web_flow_imports_relatives(district, client_for, tmp_path):
    client = client_for(district.officer)
    response = upload(client, make_xlsx(tmp_path / "a.xlsx", [row(district.zhang, emigrated_on=dt.date(2023, 1, 5))], header=HEADER), kind="relatives")
    assert response.status_code == 302
    token = response["Location"].rstrip("/").split("/")[-1]
    done = client.post(reverse("registry:import_commit", args=[token]))
    assert done.status_code == 302 and done["Location"] == reverse("registry:cadre_list")
    assert Relative.objects.get().emigrated_on == dt.date(2023, 1, 5)


# --- the API -----------------------------------------------------------------------------------------


def test_api_adds_a_family_member_and_records_the_emigration(district):
    api = api_client(district.officer)
    url = f"/api/v1/registry/cadres/{district.zhang.pk}/relatives"
    created = api.post(url, {"relation": "spouse", "name": "王芳", "emigrated_on": "2022-02-02"}, content_type="application/json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["emigrated_on"] == "2022-02-02" and body["relation"] == "spouse" and body["cadre_id"] == district.zhang.pk
    patch = f"/api/v1/registry/relatives/{body['id']}/emigration"
    future = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    refused = api.patch(patch, {"emigrated_on": future}, content_type="application/json")
    assert refused.status_code in (400, 422) and Relative.objects.get().emigrated_on == dt.date(2022, 2, 2)
    cleared = api.patch(patch, {"emigrated_on": None}, content_type="application/json")
    assert cleared.status_code == 200 and cleared.json()["emigrated_on"] is None
    assert JournalEntry.objects.filter(action="registry.relative.emigration_recorded").count() == 1


def test_api_family_records_out_of_reach_are_404(district):
    spouse = make_relative(cadre=district.zhang, relation="spouse")
    for user in (district.outsider, district.leader):
        api = api_client(user)
        added = api.post(f"/api/v1/registry/cadres/{district.zhang.pk}/relatives", {"relation": "son", "name": "某"}, content_type="application/json")
        assert added.status_code == 404, user
        patched = api.patch(f"/api/v1/registry/relatives/{spouse.pk}/emigration", {"emigrated_on": "2020-01-01"}, content_type="application/json")
        assert patched.status_code == 404, user
    assert Relative.objects.count() == 1 and Relative.objects.get().emigrated_on is None
