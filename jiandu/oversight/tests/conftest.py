"""Personas and a small district for the oversight tests."""

import datetime as dt
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jiandu.accounts.models import Role
from jiandu.registry.models import Unit
from jiandu.testing import make_cadre, make_position, make_tenure, make_unit, make_user


class District:
    """A district party committee with an organisation department, an audit bureau, a
    discipline commission and two ordinary units (a and b), each with a cadre."""

    def __init__(self):
        self.root = make_unit(name="示范区委", kind=Unit.Kind.PARTY_COMMITTEE)
        self.org = make_unit(name="组织部", parent=self.root, kind=Unit.Kind.PARTY_DEPARTMENT)
        self.audit = make_unit(name="审计局", parent=self.root)
        self.discipline = make_unit(name="纪委监委", parent=self.root, kind=Unit.Kind.DISCIPLINE)
        self.a = make_unit(name="财政局", parent=self.root)
        self.b = make_unit(name="教育局", parent=self.root)
        self.cadre_a = make_cadre(unit=self.a, name="张伟明")
        self.cadre_b = make_cadre(unit=self.b, name="李芳")
        principal = make_position(unit=self.a, title="局长", is_principal=True)
        self.principal_a = make_tenure(position=principal, cadre=make_cadre(unit=self.a, name="王局长")).cadre
        # Personas.
        self.officer = make_user(role=Role.ORG_OFFICER, unit=None, username="org_officer")
        self.head = make_user(role=Role.ORG_HEAD, unit=None, username="org_head")
        self.officer_a = make_user(role=Role.ORG_OFFICER, unit=self.a, username="officer_a")
        self.officer_b = make_user(role=Role.ORG_OFFICER, unit=self.b, username="officer_b")
        self.auditor = make_user(role=Role.AUDIT_OFFICER, unit=self.audit, username="auditor")
        self.discipline_officer = make_user(role=Role.DISCIPLINE_OFFICER, unit=self.discipline, username="discipline")
        self.leader_a = make_user(role=Role.UNIT_LEADER, unit=self.a, username="leader_a")
        self.outsider = make_user(role=Role.COMMITTEE_MEMBER, unit=None, username="outsider")
        self.self_a = make_user(role=Role.CADRE, unit=None, cadre=self.cadre_a, username="self_a")


@pytest.fixture(autouse=True)
def _english():
    """Actions speak the active language; unit tests read the English source strings (pages are
    requested in the default zh-Hans and assert Chinese)."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def d(db):
    return District()


def pdf_upload(name="说明.pdf", size=None):
    body = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    if size:
        body = body + b"0" * (size - len(body))
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def docx_upload(name="说明.docx"):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", "<w:document/>")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/octet-stream")


def exe_upload(name="说明.pdf"):
    return SimpleUploadedFile(name, b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 100, content_type="application/pdf")


def days(n):
    return dt.timedelta(days=n)
