import datetime as dt
from types import SimpleNamespace

import pytest

from jiandu.accounts.models import Role
from jiandu.testing import grant_role, make_cadre, make_unit, make_user


@pytest.fixture
def district(db):
    """A bureau with two county-level cadres who report, one section-level cadre who does not;
    the named officer and the head hold the matters role (the head also the org head's)."""
    root = make_unit(name="示范区委", kind="party_committee")
    finance = make_unit(name="财政局", parent=root)
    education = make_unit(name="教育局", parent=root)
    zhang = make_cadre(unit=finance, name="张伟明", leadership_level="county_deputy")
    li = make_cadre(unit=finance, name="李秀英", gender="female", born=dt.date(1985, 3, 2), leadership_level="county_chief")
    wang = make_cadre(unit=education, name="王建国", leadership_level="section_chief")
    zhao = make_cadre(unit=education, name="赵强", rank="researcher_3")
    officer = make_user(role=Role.MATTERS_OFFICER)
    head = make_user(role=Role.ORG_HEAD)
    grant_role(head, Role.MATTERS_OFFICER)
    return SimpleNamespace(
        root=root,
        finance=finance,
        education=education,
        zhang=zhang,
        li=li,
        wang=wang,
        zhao=zhao,
        officer=officer,
        head=head,
        org_officer=make_user(role=Role.ORG_OFFICER),
        org_head=make_user(role=Role.ORG_HEAD),
        li_user=make_user(role=Role.CADRE, cadre=li),
    )
