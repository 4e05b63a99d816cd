import datetime as dt
from types import SimpleNamespace

import pytest
from django.test import Client

from jiandu.accounts.models import Role
from jiandu.testing import log_in, make_cadre, make_position, make_unit, make_user, registrar


@pytest.fixture
def district(db):
    """A small district: two bureaus under the committee, a section below the finance bureau,
    and the people who work on it (DOMAIN.md personas)."""
    root = make_unit(name="示范区委", kind="party_committee")
    finance = make_unit(name="财政局", parent=root, short_name="财政")
    section = make_unit(name="预算科", parent=finance)
    education = make_unit(name="教育局", parent=root)
    zhang = make_cadre(unit=finance, name="张伟明", phone="13812345678")
    li = make_cadre(unit=education, name="李秀英", gender="female", born=dt.date(1985, 3, 2))
    director = make_position(unit=finance, title="局长", is_principal=True, has_financial_authority=True)
    return SimpleNamespace(
        root=root,
        finance=finance,
        section=section,
        education=education,
        zhang=zhang,
        li=li,
        director=director,
        head=registrar(),
        officer=make_user(role=Role.ORG_OFFICER, unit=finance),  # finance bureau and below
        outsider=make_user(role=Role.ORG_OFFICER, unit=education),  # another unit
        leader=make_user(role=Role.UNIT_LEADER, unit=finance),  # may read, not manage, no sensitive data
    )


@pytest.fixture
def client_for():
    def make(user):
        return log_in(Client(), user)

    return make
