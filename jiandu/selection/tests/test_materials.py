# ruff: noqa: F811  (the `world` fixture is imported from test_cases)
"""Materials of a selection case (issue #15 §1, §3): files on stage records and on vetting replies,
checked before anything is stored, read back through an access-checked, journaled download."""

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from jiandu.accounts.models import Role
from jiandu.core.errors import ActionError
from jiandu.core.models import JournalEntry, LocalSetting
from jiandu.selection import actions
from jiandu.selection.models import Material, Stage, VettingRequest
from jiandu.testing import api_client, log_in, make_unit, make_user

from .test_cases import D, _stage, _to_candidates, english, world  # noqa: F401 - fixtures

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _stored():
    root = Path(settings.MEDIA_ROOT) / "selection"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def _upload(name="推荐结果.pdf", body=PDF):
    return SimpleUploadedFile(name, body)


def test_a_stage_record_takes_files_read_by_who_sees_the_case(world):
    case, _candidate = _to_candidates(world)
    record = case.stages.get(stage=Stage.RECOMMENDATION)
    client = Client()
    log_in(client, world["officer"])
    answer = client.post(reverse("selection:attach_stage_material", args=[case.pk, record.pk]), {"file": _upload()})
    assert answer.status_code == 302
    material = Material.objects.get()
    assert material.stage_record == record and material.name == "推荐结果.pdf" and material.size == len(PDF)
    assert len(_stored()) == 1 and _stored()[0].read_bytes() == PDF
    assert str(settings.MEDIA_ROOT) in str(_stored()[0]) and "selection" in _stored()[0].parts
    entry = JournalEntry.objects.get(action="selection.material.attached")
    assert entry.data["stage"] == "recommendation" and entry.data["file"] == "推荐结果.pdf"
    page = client.get(reverse("selection:case", args=[case.pk])).content.decode()
    url = reverse("selection:material", args=[material.pk])
    assert url in page and "推荐结果.pdf" in page
    download = client.get(url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert "attachment" in download["Content-Disposition"] and download["X-Content-Type-Options"] == "nosniff"
    assert JournalEntry.objects.filter(action="selection.material.downloaded").count() == 1
    # A viewer of the case may read it; a vetting officer, or someone of another unit, gets 404.
    head = Client()
    log_in(head, world["head"])
    assert head.get(url).status_code == 200
    for outsider in (world["vet_audit"], make_user(role=Role.ORG_OFFICER, unit=make_unit(name="别区委"))):
        other = Client()
        log_in(other, outsider)
        assert other.get(url).status_code == 404
        assert other.post(reverse("selection:attach_stage_material", args=[case.pk, record.pk]), {"file": _upload()}).status_code == 404
    assert JournalEntry.objects.filter(action="selection.material.downloaded").count() == 2
    assert Material.objects.count() == 1


def test_hostile_files_are_refused_with_nothing_stored(world):
    LocalSetting.objects.create(key="rectification.evidence_max_mb", value=1)
    case, _candidate = _to_candidates(world)
    record = case.stages.get(stage=Stage.CANDIDATES)
    attacks = [
        ("大文件.pdf", PDF + b"0" * (1024 * 1024)),  # one MB and more
        ("程序.pdf", b"MZ\x90\x00" + b"\x00" * 200),  # a renamed executable
        ("程序.exe", b"MZ\x90\x00" + b"\x00" * 200),
        ("脚本.pdf", b"<script>alert(1)</script>"),
        ("空.pdf", b""),
        ("假图片.jpg", PDF),  # a PDF named as an image: wrong extension
        ("报告.txt", PDF),
    ]
    messages = []
    for name, body in attacks:
        with pytest.raises(ActionError) as info:
            actions.attach_stage_material(actor=world["officer"], record=record, upload=_upload(name, body))
        messages.append(info.value.message)
    assert "1 MB" in messages[0] and ".jpg" in messages[5]
    client = Client()
    log_in(client, world["officer"])
    answer = client.post(reverse("selection:attach_stage_material", args=[case.pk, record.pk]), {"file": _upload("程序.pdf", b"MZ\x90\x00")}, follow=True)
    assert answer.status_code == 200 and "程序.pdf" not in answer.content.decode()
    assert not Material.objects.exists() and _stored() == []
    assert not JournalEntry.objects.filter(action="selection.material.attached").exists()
    # a stage record of another case is not reachable through this case's address
    other_case, _ = _to_candidates(world, cadre=__import__("jiandu.testing", fromlist=["make_cadre"]).make_cadre(unit=world["bureau"], name="李另案"))
    foreign = other_case.stages.get(stage=Stage.RECOMMENDATION)
    assert client.post(reverse("selection:attach_stage_material", args=[case.pk, foreign.pk]), {"file": _upload()}).status_code == 404


def test_a_vetting_reply_carries_files_of_its_own_department_only(world):
    case, candidate = _to_candidates(world)
    actions.send_vetting(actor=world["officer"], case=case, sent_on=D + dt.timedelta(days=3))
    audit = VettingRequest.objects.get(candidate=candidate, department=world["audit"])
    discipline = VettingRequest.objects.get(candidate=candidate, department=world["discipline"])
    client = Client()
    log_in(client, world["vet_audit"])
    assert 'type="file"' in client.get(reverse("selection:vetting", args=[audit.pk])).content.decode()
    client.post(reverse("selection:attach_vetting_material", args=[audit.pk]), {"file": _upload("审计意见.pdf")})
    material = Material.objects.get()
    assert material.vetting == audit
    # the other department cannot attach to, nor read, this request's files
    assert client.post(reverse("selection:attach_vetting_material", args=[discipline.pk]), {"file": _upload()}).status_code == 404
    with pytest.raises(Exception):
        actions.attach_vetting_material(actor=world["vet_audit"], request=discipline, upload=_upload())
    other = Client()
    log_in(other, world["vet_discipline"])
    url = reverse("selection:material", args=[material.pk])
    assert other.get(url).status_code == 404
    # the organisation department sees it, on the case page and as a download; it cannot attach
    officer = Client()
    log_in(officer, world["officer"])
    assert url in officer.get(reverse("selection:case", args=[case.pk])).content.decode()
    assert officer.get(url).status_code == 200
    assert officer.post(reverse("selection:attach_vetting_material", args=[audit.pk]), {"file": _upload()}).status_code == 404
    assert client.get(url).status_code == 200
    assert JournalEntry.objects.filter(action="selection.material.downloaded").count() == 2
    # once the vetting stage is closed, no more files
    for request in VettingRequest.objects.filter(candidate__case=case):
        officer_of = world["vet_discipline"] if request.department == world["discipline"] else world["vet_audit"]
        actions.reply_vetting(actor=officer_of, request=request, result="no_problem", replied_on=D + dt.timedelta(days=4))
    _stage(world, case, Stage.VETTING, 5)
    with pytest.raises(ActionError):
        actions.attach_vetting_material(actor=world["vet_audit"], request=audit, upload=_upload())
    assert Material.objects.count() == 1 and len(_stored()) == 1


def test_files_through_the_api(world):
    case, candidate = _to_candidates(world)
    api = api_client(world["officer"])
    stages = api.get(f"/api/v1/selection/cases/{case.pk}").json()["stages"]
    record_id = next(s["id"] for s in stages if s["stage"] == "recommendation")
    answer = api.post(f"/api/v1/selection/cases/{case.pk}/stages/{record_id}/materials", {"file": _upload()})
    assert answer.status_code == 201, answer.content
    assert answer.json()["name"] == "推荐结果.pdf" and answer.json()["url"] == reverse("selection:material", args=[answer.json()["id"]])
    refused = api.post(f"/api/v1/selection/cases/{case.pk}/stages/{record_id}/materials", {"file": _upload("程序.pdf", b"MZ\x90\x00")})
    assert refused.status_code == 400
    outsider = api_client(world["vet_audit"])
    assert outsider.post(f"/api/v1/selection/cases/{case.pk}/stages/{record_id}/materials", {"file": _upload()}).status_code == 404
    actions.send_vetting(actor=world["officer"], case=case, sent_on=D + dt.timedelta(days=3))
    audit = VettingRequest.objects.get(candidate=candidate, department=world["audit"])
    discipline = VettingRequest.objects.get(candidate=candidate, department=world["discipline"])
    vet = api_client(world["vet_audit"])
    assert vet.post(f"/api/v1/selection/vetting/{audit.pk}/materials", {"file": _upload("审计意见.pdf")}).status_code == 201
    assert vet.post(f"/api/v1/selection/vetting/{discipline.pk}/materials", {"file": _upload()}).status_code == 404
    assert api.post(f"/api/v1/selection/vetting/{audit.pk}/materials", {"file": _upload()}).status_code == 404
    assert Material.objects.count() == 2 and len(_stored()) == 2
