"""Hostile workbooks at the target import (security issue #8): refused with a clear message,
nothing stored, the process goes on."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from jiandu.appraisals import actions
from jiandu.appraisals.models import TargetIndicator
from jiandu.core.models import JournalEntry
from jiandu.testing import log_in, raw_xlsx

from .conftest import make_team

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle(district, officer):
    cycle = actions.create_cycle(actor=officer, unit=district, year=2025)
    unit, _ = make_team(district, "区财政局", titles=("局长",))
    actions.add_unit(actor=officer, cycle=cycle, unit=unit)
    return cycle


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (raw_xlsx({"A1": "单位", "XFD1048576": "x"}), "XFD1048576"),
        (raw_xlsx({"A1": "单位", "B2": "x", "E9000": "x"}, dimension="A1:B2"), "E9000"),
        (raw_xlsx({"A1": "单位"}, members={"xl/media/image1.bin": b"\0" * (20 * 1024 * 1024)}), "压缩比例异常"),  # the page is in Chinese
    ],
    ids=["far-cell", "dimension-lie", "zip-bomb"],
)
def test_hostile_target_workbooks_are_refused_and_nothing_is_stored(cycle, officer, data, expected):
    client = log_in(Client(), officer)
    before = JournalEntry.objects.count()
    response = client.post(reverse("appraisals:targets", args=[cycle.pk]), {"file": SimpleUploadedFile("targets.xlsx", data)})
    assert response.status_code == 200
    assert expected in " ".join(response.context["form"].errors["file"])
    assert TargetIndicator.objects.count() == 0 and JournalEntry.objects.count() == before
    assert client.get(reverse("appraisals:targets", args=[cycle.pk])).status_code == 200


def test_a_workbook_is_only_read_for_someone_who_may_import(cycle, outsider):
    """Access and stage are checked before the (slow) read, which runs outside the transaction."""
    from jiandu.accounts.access import NotVisible

    with pytest.raises(NotVisible):
        actions.import_targets(actor=outsider, cycle=cycle, file=SimpleUploadedFile("t.xlsx", raw_xlsx({"A1": "单位", "XFD1048576": "x"})))
