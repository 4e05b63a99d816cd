"""Attachments (security issue #8): every oversight upload goes through check_upload, which
refuses zip bombs inside DOCX/XLSX packages and images with absurd dimensions."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from jiandu.core.errors import ActionError
from jiandu.oversight import uploads


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in the English source (the Chinese ones: registry/tests/test_imports.py)."""
    with translation.override("en"):
        yield


pytestmark = pytest.mark.django_db


def docx(extra: bytes = b"") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", "<w:document/>")
        if extra:
            package.writestr("word/media/image1.bin", extra)
    return buffer.getvalue()


def test_a_docx_zip_bomb_is_refused():
    data = docx(b"\0" * (20 * 1024 * 1024))
    assert len(data) < 100_000
    with pytest.raises(ActionError) as refused:
        uploads.check_upload(SimpleUploadedFile("说明.docx", data))
    assert refused.value.field == "file" and "compressed abnormally" in refused.value.message


def test_a_normal_docx_is_accepted():
    assert uploads.check_upload(SimpleUploadedFile("说明.docx", docx(b"text" * 100)))[0] == "docx"


def test_a_png_with_absurd_dimensions_is_refused():
    data = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + (60000).to_bytes(4, "big") + (60000).to_bytes(4, "big") + b"\0" * 20
    with pytest.raises(ActionError) as refused:
        uploads.check_upload(SimpleUploadedFile("scan.png", data))
    assert "too large" in refused.value.message


def test_a_zip_bomb_reply_through_the_api_is_refused_and_nothing_is_stored(d):
    from jiandu.core.models import JournalEntry
    from jiandu.oversight.models import Attachment, Inquiry
    from jiandu.testing import api_client

    from .test_api import BASE, assert_error, post

    officer, cadre = api_client(d.officer_a), api_client(d.self_a)
    pk = post(officer, "/inquiries", {"cadre_id": d.cadre_a.pk, "source": "complaint", "subject": "兼职", "questions": "是否兼职"}).json()["id"]
    post(officer, f"/inquiries/{pk}/issue", {"issued_on": "2026-09-25"})
    post(officer, f"/inquiries/{pk}/delivery", {"delivered_on": "2026-09-28"})
    before = (Attachment.objects.count(), JournalEntry.objects.count())
    bomb = SimpleUploadedFile("说明.docx", docx(b"\0" * (20 * 1024 * 1024)))
    refused = cadre.post(BASE + f"/inquiries/{pk}/reply", {"reply_text": "说明", "replied_on": "2026-10-09", "file": bomb})
    assert_error(refused, 400, "invalid", "file")
    assert (Attachment.objects.count(), JournalEntry.objects.count()) == before
    assert Inquiry.objects.get(pk=pk).status != "replied"
