import datetime as dt
from types import SimpleNamespace

import pytest

from jiandu.accounts.models import Role
from jiandu.testing import make_cadre, make_position, make_unit, make_user, registrar


@pytest.fixture
def district(db):
    """Two bureaus; the finance director's post is a principal's with financial authority."""
    root = make_unit(name="示范区委", kind="party_committee")
    finance = make_unit(name="财政局", parent=root)
    education = make_unit(name="教育局", parent=root)
    director = make_position(unit=finance, title="局长", is_principal=True, has_financial_authority=True)
    deputy = make_position(unit=finance, title="副局长")
    edu_director = make_position(unit=education, title="局长", is_principal=True)
    li = make_cadre(unit=finance, name="李秀英", gender="female", born=dt.date(1985, 3, 2))
    return SimpleNamespace(
        root=root,
        finance=finance,
        education=education,
        director=director,
        deputy=deputy,
        edu_director=edu_director,
        zhang=make_cadre(unit=finance, name="张伟明"),
        li=li,
        wang=make_cadre(unit=education, name="王建国"),
        registrar=registrar(),
        auditor=make_user(role=Role.AUDIT_OFFICER),
        finance_auditor=make_user(role=Role.AUDIT_OFFICER, unit=finance),
        org_officer=make_user(role=Role.ORG_OFFICER),
        head=make_user(role=Role.ORG_HEAD, full_name="部长"),
        education_head=make_user(role=Role.ORG_HEAD, unit=education),
        cadre_user=make_user(role=Role.CADRE, cadre=li),
    )
