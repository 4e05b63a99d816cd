"""Entry forms render a bounded number of cadre and unit options (issue 17, province scale):
at most PICKER_LIMIT plus the current choice, with a search box fetching others from the
registry's pickers in the scope of the form's permission. Validation still accepts any row in
scope and refuses the others."""

import datetime as dt
import re

import pytest
from django.forms import ModelChoiceField
from django.test import Client
from django.urls import reverse
from django.utils import translation

from jiandu.accounts.models import Role
from jiandu.oversight.forms import TalkForm
from jiandu.oversight.models import InspectionTour, Talk
from jiandu.registry.forms import PICKER_LIMIT
from jiandu.registry.models import Cadre, Unit
from jiandu.selection.forms import CandidateForm
from jiandu.testing import log_in, make_cadre, make_unit, make_user

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()
MANY = PICKER_LIMIT + 5


class Province:
    """A committee with more units and cadres than a picker renders, a neighbour outside the
    officers' scope, and people with and without the forms' permissions."""

    def __init__(self):
        self.root = make_unit(name="示范市委", kind=Unit.Kind.PARTY_COMMITTEE)
        self.units = [make_unit(name=f"示范单位{i:02d}", parent=self.root) for i in range(MANY)]
        self.cadres = [make_cadre(unit=unit) for unit in self.units]
        self.neighbour = make_unit(name="邻市委", kind=Unit.Kind.PARTY_COMMITTEE)
        self.stranger = make_cadre(unit=self.neighbour, name="欧阳外")
        self.officer = make_user(role=Role.ORG_OFFICER, unit=self.root, username="officer")
        self.auditor = make_user(role=Role.AUDIT_OFFICER, unit=self.root, username="auditor")
        self.leader = make_user(role=Role.UNIT_LEADER, unit=self.root, username="leader")

    def client(self, user):
        return log_in(Client(), user)


@pytest.fixture
def p(db):
    return Province()


def options(html: str, name: str) -> list[str]:
    """The values of the non-empty options of the select named `name`."""
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, f"no select {name}"
    return re.findall(r'<option value="(\d+)"', select.group(1))


def selected(html: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    return re.findall(r'<option value="(\d+)"[^>]*selected', select.group(1))


PAGES = [
    ("officer", "oversight:talk_create", "cadre", "oversight.manage"),
    ("officer", "oversight:disposition_create", "cadre", "oversight.manage"),
    ("officer", "oversight:inquiry_create", "cadre", "oversight.manage"),
    ("officer", "oversight:tour_create", "organiser", "oversight.manage"),
    ("officer", "oversight:tour_create", "targets", "oversight.manage"),
    ("officer", "oversight:duty_plan", "unit", "oversight.manage"),
    ("officer", "oversight:duty_session_create", "unit", "oversight.manage"),
    ("officer", "oversight:meeting_create", "organiser", "oversight.manage"),
    ("officer", "appraisals:cycle_create", "unit", "appraisals.manage"),
    ("officer", "registry:lrmx_import", "unit", "registry.manage"),
    ("auditor", "audits:training_create", "organiser", "audits.manage"),
]


@pytest.mark.parametrize(("who", "route", "field", "perm"), PAGES)
def test_form_renders_a_bounded_picker_with_a_search_box(p, who, route, field, perm):
    html = p.client(getattr(p, who)).get(reverse(route)).content.decode()
    shown = options(html, field)
    assert 0 < len(shown) <= PICKER_LIMIT + 1
    assert f'name="{field}_q"' in html and f"perm={perm}" in html


def _talk(cadre_pk):
    return {"cadre": cadre_pk, "kind": Talk.Kind.REMINDER, "talked_on": TODAY.isoformat(), "talkers": "赵部长", "reason": "群众反映", "summary": "提醒"}


def test_talk_accepts_an_in_scope_cadre_not_rendered_and_refuses_an_outsider(p):
    c = p.client(p.officer)
    shown = set(options(c.get(reverse("oversight:talk_create")).content.decode(), "cadre"))
    hidden = next(cadre for cadre in p.cadres if str(cadre.pk) not in shown)
    assert c.post(reverse("oversight:talk_create"), _talk(hidden.pk)).status_code == 302
    assert Talk.objects.get().cadre == hidden
    refused = c.post(reverse("oversight:talk_create"), _talk(p.stranger.pk))
    with translation.override("zh-hans"):
        message = str(ModelChoiceField.default_error_messages["invalid_choice"])
    assert refused.status_code == 400 and message in refused.content.decode()
    assert Talk.objects.count() == 1


def test_a_preselected_cadre_is_rendered_and_selected(p):
    last = Cadre.objects.filter(unit__in=p.units).order_by("-unit__path").first()
    form = TalkForm(user=p.officer, initial={"cadre": last.pk})
    html = str(form["cadre"])
    assert str(last.pk) in selected(html, "cadre") and len(options(html, "cadre")) <= PICKER_LIMIT + 1
    # An out-of-scope one is not shown, even when asked for.
    assert str(p.stranger.pk) not in options(str(TalkForm(user=p.officer, initial={"cadre": p.stranger.pk})["cadre"]), "cadre")


def test_tour_targets_keep_chosen_units_not_rendered_and_refuse_outsiders(p):
    c = p.client(p.officer)
    url = reverse("oversight:tour_create")
    shown = set(options(c.get(url).content.decode(), "targets"))
    hidden = [unit for unit in p.units if str(unit.pk) not in shown]
    assert hidden
    values = {
        "kind": InspectionTour.Kind.choices[0][0],
        "year": TODAY.year,
        "organiser": p.root.pk,
        "planned_start": TODAY.isoformat(),
        "planned_end": TODAY.isoformat(),
    }
    # A form with an error shows the chosen units again, selected.
    again = c.post(url, {**values, "targets": [hidden[-1].pk]}).content.decode()
    assert str(hidden[-1].pk) in selected(again, "targets") and len(options(again, "targets")) <= PICKER_LIMIT + 1
    assert c.post(url, {**values, "name": "巡察", "targets": [hidden[-1].pk, p.neighbour.pk]}).status_code == 400
    assert c.post(url, {**values, "name": "巡察", "targets": [hidden[-1].pk]}).status_code == 302
    assert list(InspectionTour.objects.get().targets.values_list("unit_id", flat=True)) == [hidden[-1].pk]


def test_selection_candidate_form_is_bounded_and_validates_the_whole_scope(p):
    cadres = Cadre.objects.filter(unit__path__startswith=p.root.path, status=Cadre.Status.SERVING).order_by("sort_pinyin", "id")
    form = CandidateForm(cadres=cadres, positions=p.root.positions.all())
    assert len(options(str(form["cadre"]), "cadre")) <= PICKER_LIMIT + 1
    last = cadres.last()
    bound = CandidateForm({"cadre": last.pk}, cadres=cadres, positions=p.root.positions.all())
    bound.is_valid()
    assert "cadre" not in bound.errors
    outsider = CandidateForm({"cadre": p.stranger.pk}, cadres=cadres, positions=p.root.positions.all())
    outsider.is_valid()
    assert "cadre" in outsider.errors


@pytest.mark.parametrize("perm", ["registry.view", "registry.manage", "oversight.manage", "appraisals.manage", "selection.manage"])
def test_pickers_offer_only_the_permission_scope(p, perm):
    c = p.client(p.officer)
    mine = p.cadres[-1]
    found = c.get(reverse("registry:pick_cadres"), {"perm": perm, "cadre_q": mine.name}).content.decode()
    assert f'value="{mine.pk}"' in found
    assert "欧阳外" not in c.get(reverse("registry:pick_cadres"), {"perm": perm, "cadre_q": "欧阳"}).content.decode()
    units = c.get(reverse("registry:pick_units"), {"perm": perm, "unit_q": "市委"}).content.decode()
    assert "示范市委" in units and "邻市委" not in units


def test_picker_keeps_the_current_choices_in_scope(p):
    c = p.client(p.officer)
    chosen = p.units[-1]
    html = c.get(reverse("registry:pick_units"), {"perm": "oversight.manage", "targets_q": "邻", "targets": [chosen.pk, p.neighbour.pk]}).content.decode()
    assert re.search(rf'value="{chosen.pk}"[^>]*selected', html)
    assert f'value="{p.neighbour.pk}"' not in html


def test_pickers_refuse_other_permissions_and_users_without_one(p):
    officer = p.client(p.officer)
    for perm in ("settings.manage", "registry.view_sensitive", "nonsense", "audits.manage"):
        assert officer.get(reverse("registry:pick_cadres"), {"perm": perm}).status_code == 404, perm
        assert officer.get(reverse("registry:pick_units"), {"perm": perm}).status_code == 404, perm
    # The auditor picks units for audits.manage, not for oversight.manage.
    auditor = p.client(p.auditor)
    assert "示范单位00" in auditor.get(reverse("registry:pick_units"), {"perm": "audits.manage", "organiser_q": "示范"}).content.decode()
    assert auditor.get(reverse("registry:pick_units"), {"perm": "oversight.manage"}).status_code == 404
    assert p.client(p.leader).get(reverse("registry:pick_cadres"), {"perm": "oversight.manage"}).status_code == 404
