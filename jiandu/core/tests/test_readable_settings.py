"""The settings page shows only human text: no raw keys, raw choice values, internal notes or
English words in the Chinese page (issue #9 part 5)."""

import re

import pytest
from django.urls import reverse

from jiandu.accounts.models import Role
from jiandu.core import actions
from jiandu.core.practice import definitions
from jiandu.testing import admin_persona, log_in, make_user


def _settings_page(client, user, language):
    log_in(client, user)
    client.cookies["django_language"] = language
    response = client.get(reverse("core:settings"))
    assert response.status_code == 200, response.get("Location")
    return response.content.decode()


def _visible_text(html):
    main = html.split("<main", 1)[1].split(">", 1)[1].split("</main>", 1)[0]
    main = re.sub(r"<(script|style)\b.*?</\1>", " ", main, flags=re.S)
    main = re.sub(r"<option[^>]*>", " ", main)
    # The edit box of a list setting holds the stored lines, codes included (see CODED_LIST_WORDS).
    main = re.sub(r"<textarea\b.*?</textarea>", " ", main, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", main)
    return re.sub(r"&[a-z#0-9]+;", " ", text)


# Shortcut, to remove when list settings get a structured editor: two list settings are typed as
# coded lines, so their help must name the codes to type (their value is shown by names).
CODED_LIST_WORDS = {"no_grade", "incompetent", "period", "year", "excellent", "competent", "basically_competent"}


def _users():
    return [make_user(role=Role.ORG_HEAD), admin_persona(Role.SECURITY_ADMIN)]


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_settings_page_shows_no_raw_keys_values_or_notes(client, language):
    shown = ""
    for user in _users():
        shown += _visible_text(_settings_page(client, user, language))
    assert "DOMAIN" not in shown and "[R" not in shown and "R?" not in shown
    for key, definition in definitions().items():
        assert key not in shown, key
        if definition.kind == "choice":
            for value, _label in definition.choices:
                # In English "cycle" or "year" are also words; a value with "_" never is.
                if re.fullmatch(r"[a-z_]+", value) and (language != "en" or "_" in value):
                    assert not re.search(rf"(?<![A-Za-z_]){value}(?![A-Za-z_])", shown), (key, value)


@pytest.mark.django_db
def test_chinese_settings_page_has_no_english_words(client):
    shown = ""
    for user in _users():
        shown += _visible_text(_settings_page(client, user, "zh-hans"))
    # Numbers, units and the names of standards (GB/T) are allowed; words are not.
    words = {w for w in re.findall(r"[A-Za-z][A-Za-z_]+", shown)} - {"GB", "ASVS", "MB"} - CODED_LIST_WORDS
    assert not words, "\n".join(sorted(words) + [line.strip() for line in shown.splitlines() if re.search(r"[A-Za-z]{2}", line)])


@pytest.mark.django_db
def test_settings_page_shows_the_change_history_and_values_by_name(client):
    head = make_user(role=Role.ORG_HEAD)
    actions.change_setting(actor=head, key="appraisals.excellent_quota_rounding", value="half_up")
    html = _settings_page(client, head, "zh-hans")
    row = html.split('id="setting-appraisals.excellent_quota_rounding"', 1)[1].split("</tr>", 1)[0]
    assert "四舍五入" in row and "舍去" in row  # new value and default, by name
    assert head.username in row  # who changed it


@pytest.mark.django_db
def test_a_list_of_codes_is_edited_by_ticking_names_and_refuses_other_codes(client):
    from jiandu.core.actions import ActionError
    from jiandu.core.practice import get_setting

    head = make_user(role=Role.ORG_HEAD)
    html = _settings_page(client, head, "zh-hans")
    row = html.split('id="setting-decisions.matter_kinds"', 1)[1].split("</tr>", 1)[0]
    assert 'type="checkbox" name="value" value="procurement"' in row and "<textarea" not in row
    # Ticked in any order, stored in the declared order; shown by names.
    actions.change_setting(actor=head, key="decisions.matter_kinds", value=["payment", "project"])
    assert get_setting("decisions.matter_kinds") == ["project", "payment"]
    with pytest.raises(ActionError):
        actions.change_setting(actor=head, key="decisions.matter_kinds", value=["project", "bribes"])
    assert get_setting("decisions.matter_kinds") == ["project", "payment"]
    row = _settings_page(client, head, "zh-hans").split('id="setting-decisions.matter_kinds"', 1)[1].split("</tr>", 1)[0]
    now = row.split("setting-current", 1)[1]
    assert "project" not in now and "payment" not in now
