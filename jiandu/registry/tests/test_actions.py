import datetime as dt

import pytest

from jiandu.accounts.access import NotVisible
from jiandu.accounts.models import Role
from jiandu.core.errors import ActionError
from jiandu.core.events import unhandled
from jiandu.core.models import JournalEntry
from jiandu.registry import actions, queries
from jiandu.registry.models import Tenure
from jiandu.registry.validators import id_check_digit, id_number_problem, make_id_number
from jiandu.testing import make_cadre, make_position, make_tenure, make_unit, make_user, registrar

pytestmark = pytest.mark.django_db


def test_unit_paths_make_subtrees():
    root = make_unit(name="示范区委", kind="party_committee")
    child = make_unit(name="组织部", parent=root)
    grandchild = make_unit(name="干部监督科", parent=child)
    assert grandchild.path.startswith(child.path) and child.path.startswith(root.path)
    assert grandchild.depth == 2
    officer = make_user(role=Role.ORG_OFFICER, unit=child)
    assert set(queries.units_visible_to(officer)) == {child, grandchild}


def test_duplicate_unit_name_in_same_parent_is_refused():
    root = make_unit()
    make_unit(name="财政局", parent=root)
    with pytest.raises(ActionError) as exc:
        make_unit(name="财政局", parent=root)
    assert exc.value.field == "name"


def test_create_cadre_validates_id_number_and_journals():
    unit = make_unit()
    bad = "64020219800517001" + ("0" if id_check_digit("64020219800517001") != "0" else "1")
    with pytest.raises(ActionError) as exc:
        actions.create_cadre(actor=registrar(), unit=unit, name="张伟明", gender="male", birth_on=dt.date(1980, 5, 17), id_number=bad)
    assert exc.value.field == "id_number"
    cadre = make_cadre(unit=unit, name="张伟明")
    assert cadre.name_initials == "zwm"
    assert JournalEntry.objects.filter(action="registry.cadre.created", cadre_id=cadre.pk).exists()
    with pytest.raises(ActionError):
        actions.create_cadre(actor=registrar(), unit=unit, name="重复", gender="male", birth_on=dt.date(1980, 5, 17), id_number=cadre.id_number)


def test_id_number_validator():
    valid = make_id_number("110101", dt.date(1990, 3, 7), 123)
    assert id_number_problem(valid) is None
    assert id_number_problem(valid[:-1]) is not None
    assert id_number_problem("11010119901307123X") is not None  # month 13


def test_officer_of_another_unit_cannot_create_there():
    a, b = make_unit(), make_unit()
    officer = make_user(role=Role.ORG_OFFICER, unit=a)
    with pytest.raises(NotVisible):
        actions.create_cadre(
            actor=officer, unit=b, name="某某", gender="male", birth_on=dt.date(1980, 1, 1), id_number=make_id_number("110101", dt.date(1980, 1, 1), 11)
        )


def test_appoint_respects_headcount_and_end_records_departure():
    position = make_position(title="局长", is_principal=True)
    tenure = make_tenure(position=position)
    other = make_cadre(unit=position.unit)
    with pytest.raises(ActionError) as exc:
        actions.appoint(actor=registrar(), cadre=other, position=position, started_on=dt.date(2023, 1, 1))
    assert exc.value.field == "position"
    assert list(queries.leadership_team(position.unit)) == [tenure]
    with pytest.raises(ActionError):
        actions.end_tenure(actor=registrar(), tenure=tenure, ended_on=dt.date(2020, 1, 1), end_reason="transfer")
    actions.end_tenure(actor=registrar(), tenure=tenure, ended_on=dt.date(2026, 6, 30), end_reason="transfer")
    assert list(queries.leadership_team(position.unit)) == []
    departures = list(unhandled("registry.departure"))
    assert len(departures) == 1 and departures[0].cadre_id == tenure.cadre_id
    with pytest.raises(ActionError):
        actions.end_tenure(actor=registrar(), tenure=Tenure.objects.get(pk=tenure.pk), ended_on=dt.date(2026, 7, 1), end_reason="transfer")


def test_ending_an_ordinary_tenure_is_not_a_departure():
    tenure = make_tenure(position=make_position(title="科员", kind="non_leading"))
    actions.end_tenure(actor=registrar(), tenure=tenure, ended_on=dt.date(2026, 6, 30), end_reason="retirement")
    assert not unhandled("registry.departure").exists()


def test_search_by_the_last_characters_of_an_id_number_with_check_character_x():
    """GB 11643's check character can be X: "123X" (or "123x") finds the cadre like "1234" does."""
    import datetime as dt

    from jiandu.registry.models import Cadre
    from jiandu.registry.queries import search_cadres
    from jiandu.registry.validators import make_id_number
    from jiandu.testing import make_cadre, registrar

    user = registrar()  # may see ID numbers in clear: searching by their digits is open to them
    born = dt.date(1979, 3, 8)
    with_x = next(n for n in (make_id_number("640202", born, s) for s in range(1, 999, 2)) if n.endswith("X"))
    with_digit = next(n for n in (make_id_number("640202", born, s) for s in range(1, 999, 2)) if n[-1].isdigit())
    x_cadre, digit_cadre = make_cadre(born=born, id_number=with_x), make_cadre(born=born, id_number=with_digit)
    for text in (with_x[-4:], with_x[-4:].lower(), with_x[-6:]):
        assert list(search_cadres(Cadre.objects.all(), text, user=user)) == [x_cadre]
    assert list(search_cadres(Cadre.objects.all(), with_digit[-4:], user=user)) == [digit_cadre]
    assert not search_cadres(Cadre.objects.all(), "12x4", user=user).exists()  # X only as the last character
