"""Every journal code reads as a sentence in both languages, and the journal tables show no codes
or Python reprs (issue #9 part 4)."""

import ast
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from jiandu.core import journal, journal_text
from jiandu.core.models import JournalEntry
from jiandu.core.practice import definitions
from jiandu.testing import log_in, make_unit, make_user, registrar

ROOT = Path(__file__).resolve().parents[3]
APPS = ROOT / "jiandu"
CODE = re.compile(r"^[a-z_]+\.[a-z_-]+\.[a-z_]+$")

# Calls that record a code held in a variable (not a literal): each is checked by hand and its
# possible values are literals elsewhere (found by the constant scan) or in COMPUTED_CODES.
VARIABLE_SITES = {
    ("jiandu/core/journal.py", "action"),  # record_repeated passes its caller's literal code on
    ("jiandu/core/events.py", "action"),  # journal_as_consumer passes its caller's literal code on
    ("jiandu/core/exports.py", "code"),  # export_list records its callers' codes (scanned at the call sites)
    ("jiandu/oversight/actions/tours.py", "code"),  # _record(code, …): literals at the call sites
    # core.rectification.flow records the calling app's codes (its `Codes`, literals in the app)
    *(("jiandu/core/rectification/flow.py", f"codes.{name}") for name in ("progress", "returned", "closed", "visited", "overdue", "escalated")),
    ("jiandu/registry/actions/sensitive.py", "SENSITIVE_VIEW_ACTION"),
    ("jiandu/registry/actions/sensitive.py", "SENSITIVE_LIST_ACTION"),
}


def _source_files():
    for path in APPS.rglob("*.py"):
        if "tests" not in path.parts and "migrations" not in path.parts:
            yield path, ast.parse(path.read_text())


def recorded_codes() -> set[str]:
    """Every code the code base can record: literal codes anywhere in the source (first arguments of
    journal.record and its wrappers, and constants holding codes), plus the computed ones."""
    setting_keys = set(definitions())
    codes = set(journal_text.COMPUTED_CODES)
    for path, tree in _source_files():
        relative = str(path.relative_to(ROOT))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and CODE.match(node.value):
                if node.value.split(".", 1)[0] in {"accounts", "appraisals", "ballots", "core", "oversight", "registry"} and node.value not in setting_keys:
                    codes.add(node.value)
            first = None
            if isinstance(node, ast.Call) and ast.unparse(node.func) in ("journal.record", "journal.record_repeated", "record") and node.args:
                first = node.args[0]
            elif isinstance(node, ast.Call) and ast.unparse(node.func) in ("exports.export_list", "export_list"):
                # every list export is journaled by core.exports.export_list under the caller's `code`
                first = next((k.value for k in node.keywords if k.arg == "code"), None)
            if first is not None:
                if isinstance(first, ast.JoinedStr):
                    pattern = "".join(part.value if isinstance(part, ast.Constant) else "(.+)" for part in first.values)
                    assert any(re.fullmatch(pattern, code) for code in journal_text.COMPUTED_CODES), (
                        f"{relative}:{node.lineno} records computed codes {pattern}: list them in journal_text.COMPUTED_CODES"
                    )
                elif not isinstance(first, ast.Constant):
                    assert (relative, ast.unparse(first)) in VARIABLE_SITES, f"{relative}:{node.lineno}: a code from a variable; add it to VARIABLE_SITES"
    return codes


def test_the_scan_finds_the_codes_of_every_kind_of_call_site():
    codes = recorded_codes()
    # a literal, a wrapper's literal, a constant, an f-string's values
    assert {"oversight.inquiry.issued", "oversight.tour.planned", "registry.cadre.viewed_sensitive", "registry.cadres.exported"} <= codes
    assert len(codes) > 150


def test_every_recorded_code_has_a_description_in_english_and_chinese():
    described = journal_text.descriptions()
    missing = sorted(recorded_codes() - set(described))
    assert not missing, f"journal codes without a description: {missing}"
    for code in recorded_codes():
        with translation.override("en"):
            english = str(described[code])
        with translation.override("zh-hans"):
            chinese = str(described[code])
        assert english and "." not in english and "_" not in english, code
        assert chinese != english and not re.search(r"[A-Za-z]", chinese), (code, chinese)


def test_values_are_formatted_for_people():
    with translation.override("zh-hans"):
        assert journal_text.format_value("3/20") == "3/20（15%）"
        assert journal_text.format_value(True) == "是"
        assert journal_text.format_value({"excellent": 3, "competent": 17}) == "优秀 3；称职 17"
        assert journal_text.format_value("2026-03-01T08:05:00+00:00") == "2026-03-01 08:05"
        assert journal_text.format_value("1/0") == "1/0"  # not a fraction: shown as written
        assert journal_text.format_value(["a"] * 21).endswith("…")


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_object_history_shows_sentences_not_codes(client, language):
    unit = make_unit()
    actor = registrar()
    for n in range(12):
        journal.record(
            "registry.unit.updated", actor=actor, target=unit, unit=unit, data={"changed": ["name"], "reason": f"调整{n}", "proposed": {"excellent": 3}}
        )
    viewer = make_user(role="org_officer")
    log_in(client, viewer)
    client.cookies["django_language"] = language
    html = client.get(reverse("registry:unit_detail", args=[unit.pk])).content.decode()
    history = html.split('id="history"', 1)[1].split("</section>", 1)[0]
    assert "registry.unit" not in history and "{'" not in history and "excellent" not in history
    if language == "zh-hans":
        assert "修改了单位" in history and "原因：调整11" in history and "建议等次：优秀 3" in history
        assert "更多" in history  # 13 entries: ten shown, the rest behind "more"
        assert f"<td>{actor.full_name}</td>" in history  # the person, not the account name
    else:
        assert "changed a unit" in history and "more recorded actions" in history
    assert history.count("<tr>") == JournalEntry.objects.filter(target_id=str(unit.pk), target_type__contains="unit").count() + 1


# Codes no test asserts yet (found by test_codes_no_test_asserts_are_listed). Shrink this list by
# adding tests that record and assert them; the test fails when a listed code gets asserted (so the
# list shrinks) and when a new code is never asserted.
NEVER_ASSERTED = {
    # inspection tours: the middle of the workflow (members, findings, rectification) is exercised
    # only through the demo loader and the browser test, which assert pages, not journal codes
    "oversight.tour.finding_recorded",
    "oversight.tour.finding_transferred",
    "oversight.tour.public_summary_set",
    "oversight.tour.rectification_item_added",
    "oversight.tour.rectification_report_overdue",
    "oversight.tour.rectification_reported",
    "oversight.tour.rectification_started",
    "oversight.tour.report_recorded",
    # other oversight steps asserted only by their effect on the models
    "oversight.joint_member.added",
    "oversight.talk.explanation_submitted",
    # registry: imports and updates asserted by their rows, not their journal entries
    "registry.position.updated",
    "registry.positions.import_refused",
    "registry.positions.imported",
    "registry.tenures.import_refused",
    "registry.units.import_refused",
}
OVERSIGHT_LISTS = {
    "disposition_list": "dispositions",
    "yellow_card_list": "yellow-cards",
    "talk_list": "talks",
    "inquiry_list": "inquiries",
    "clue_list": "clues",
    "tour_list": "inspection-tours",
    "rectification_list": "rectification-items",
    "duty_report_list": "duty-reports",
    "duty_session_list": "duty-sessions",
    "joint": "joint-meetings",
}


def _test_sources() -> str:
    paths = [*APPS.rglob("tests/*.py"), *(ROOT / "tests").rglob("*.py")]
    return "".join(path.read_text() for path in paths if path.name != "test_journal_text.py") + "".join(
        f'"oversight.{name}.exported"'
        for name in OVERSIGHT_LISTS.values()  # asserted below
    )


def test_codes_no_test_asserts_are_listed():
    tests = _test_sources()
    never = {code for code in recorded_codes() if code not in tests}
    assert never == NEVER_ASSERTED, (sorted(never - NEVER_ASSERTED), sorted(NEVER_ASSERTED - never))


@pytest.mark.django_db
def test_every_oversight_list_export_is_journaled_under_its_code(client):
    from jiandu.accounts.models import Role
    from jiandu.testing import grant_role, make_unit

    viewer = make_user(role="discipline_officer")
    grant_role(viewer, Role.CLUE_OFFICER, make_unit(), include_descendants=False)  # clues: a department's clue officer only
    log_in(client, viewer)
    for url_name, export_name in OVERSIGHT_LISTS.items():
        response = client.get(reverse(f"oversight:{url_name}"), {"format": "xlsx"})
        assert response.status_code == 200, url_name
        entry = JournalEntry.objects.filter(actor_id=viewer.pk).latest("seq")
        assert entry.action == f"oversight.{export_name}.exported", url_name
        assert journal_text.description(entry.action) != journal_text.description("no.such.code")


@pytest.mark.django_db
def test_audit_administrator_filters_the_journal_by_kind_named_for_people(client):
    from jiandu.accounts.models import Role
    from jiandu.testing import admin_persona

    officer = make_user(username="kindsearch")
    unit = make_unit()
    journal.record("registry.unit.updated", actor=officer, target=unit, unit=unit)
    journal.record("registry.unit.created", actor=officer, target=unit, unit=unit)
    log_in(client, admin_persona(Role.AUDIT_ADMIN))
    client.cookies["django_language"] = "zh-hans"
    response = client.get(reverse("core:journal_search"), {"kind": "registry.unit.updated", "actor": "kindsearch"})
    assert [e.action for e in response.context["page"]] == ["registry.unit.updated"]
    html = response.content.decode()
    assert '<option value="registry.unit.updated" selected>修改了单位</option>' in html
    assert '<td title="registry.unit.updated">修改了单位</td>' in html
    response = client.get(reverse("core:journal_search"), {"kind": "no.such.kind"})
    assert response.context["form"].errors and list(response.context["page"]) == []


@pytest.mark.django_db
def test_the_entry_page_names_the_action_beside_its_recorded_code(client):
    from jiandu.accounts.models import Role
    from jiandu.testing import admin_persona

    unit = make_unit()
    journal.record("registry.unit.updated", actor=registrar(), target=unit, unit=unit)
    entry = JournalEntry.objects.latest("seq")
    log_in(client, admin_persona(Role.AUDIT_ADMIN))
    client.cookies["django_language"] = "zh-hans"
    html = client.get(reverse("core:journal_entry", args=[entry.seq])).content.decode()
    assert "修改了单位 <code>registry.unit.updated</code>" in html


@pytest.mark.django_db
def test_the_entry_page_shows_a_data_key_named_items(client):
    # A key named "items" once shadowed the dict's method in the template: a server error.
    from jiandu.accounts.models import Role
    from jiandu.testing import admin_persona

    unit = make_unit()
    journal.record("registry.unit.updated", actor=registrar(), target=unit, unit=unit, data={"items": 3, "fields": ["name"]})
    entry = JournalEntry.objects.latest("seq")
    log_in(client, admin_persona(Role.AUDIT_ADMIN))
    response = client.get(reverse("core:journal_entry", args=[entry.seq]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<code>items</code>: 3" in html and "<code>fields</code>" in html
