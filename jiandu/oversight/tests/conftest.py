"""Personas and a small district for the oversight tests."""

import datetime as dt
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jiandu.accounts.models import Role
from jiandu.registry.models import Unit
from jiandu.testing import grant_role, make_cadre, make_position, make_tenure, make_unit, make_user


class District:
    """A district party committee with an organisation department, an audit bureau, a
    discipline commission and two ordinary units (a and b), each with a cadre. The district-wide
    org officer, the auditor and the discipline officer are the clue officers of their departments."""

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
        # No daily-supervision role at all (a committee member reads oversight; see test_views.py).
        self.outsider = make_user(role=None, username="outsider")
        self.self_a = make_user(role=Role.CADRE, unit=None, cadre=self.cadre_a, username="self_a")
        # Clue officers (an assignment on the department's own unit, issue #8.2).
        grant_role(self.officer, Role.CLUE_OFFICER, self.org)
        grant_role(self.auditor, Role.CLUE_OFFICER, self.audit)
        grant_role(self.discipline_officer, Role.CLUE_OFFICER, self.discipline)


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


# --- the annual appraisal and its yellow cards (through the appraisals and ballots actions) -------


def appraise(d, *, year: int, overall):
    """An annual appraisal of unit a organised by the district, through the appraisals and ballots
    actions: the staff group votes once per entry of `overall`, the overall grade they give
    王局长 (the unit's principal); every other answer is the first option. Returns the closed
    cycle (a yellow-card proposal exists when 不称职 reaches one third)."""
    from jiandu.appraisals import actions as appraisal_actions
    from jiandu.appraisals.actions.evaluation import voter_groups
    from jiandu.ballots import actions as ballot_actions
    from jiandu.ballots import queries as ballot_queries
    from jiandu.testing import answer_all

    cycle = appraisal_actions.create_cycle(actor=d.officer, unit=d.root, year=year, uses_target_scores=False)
    assessed = appraisal_actions.add_unit(actor=d.officer, cycle=cycle, unit=d.a)
    appraisal_actions.open_evaluation(actor=d.officer, cycle=cycle, headcounts={assessed.pk: {g["code"]: 10 for g in voter_groups()}})
    assessed.refresh_from_db()
    ballot = ballot_queries.get_ballot_for(d.officer, assessed.ballot_id)
    staff = next(g for g in ballot.groups.all() if g.code == "staff")
    _batch, codes = ballot_actions.generate_codes(actor=d.officer, ballot=ballot, group=staff, count=len(overall))
    for code, grade in zip(codes, overall, strict=True):

        def choose(subject, question, options, grade=grade):
            if subject.label == d.principal_a.name and question.is_overall:
                return next(o for o in options if o.code == grade)
            return options[0]

        ballot_actions.submit_ballot(code=code, answers=answer_all(ballot, code, choose))
    return appraisal_actions.close_evaluation(actor=d.officer, cycle=cycle)


def make_yellow_card(d, *, year: int = 2025):
    """A pending yellow card for 王局长: 不称职 1 of 3 valid votes, exactly the threshold of 1/3."""
    from jiandu.oversight import queries

    appraise(d, year=year, overall=["incompetent", "competent", "excellent"])
    return queries.yellow_cards_visible_to(d.head).get(cadre=d.principal_a, cycle__year=year)
