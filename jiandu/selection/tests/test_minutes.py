# ruff: noqa: F811  (the `world` fixture is imported from test_cases)
"""The minutes PDF of the selection decision (issue #15 §4): official layout in Chinese, members
present and absent, the quorum arithmetic, statements in speaking order with the principal last,
the verdict computed from the stored rows; a journaled download linked from the case page."""

import datetime as dt
import io
import re

import pypdf
from django.test import Client
from django.urls import reverse

from jiandu.accounts.models import Role
from jiandu.core.models import JournalEntry
from jiandu.testing import make_unit, make_user

from .test_cases import _decide, _deputy_since, _to_decision, english, world  # noqa: F401  (the fixtures and builders)


def _text(content: bytes) -> str:
    return "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages).replace("\n", "").replace(" ", "").replace("\x00", "")


def _minutes(world, **decide):
    case, candidate = _to_decision(world)
    _decide(world, case, candidate, **decide)
    client = Client()
    client.force_login(world["officer"])
    url = reverse("selection:decision_minutes", args=[case.pk])
    assert url in client.get(reverse("selection:case", args=[case.pk])).content.decode()
    answer = client.get(url)
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf" and "attachment" in answer["Content-Disposition"]
    return case, url, _text(answer.content)


def test_minutes_of_six_of_nine_present_five_agreeing(world):
    """6 of 9 present is exactly two thirds (valid); 5 yes of 9 members passes."""
    case, url, text = _minutes(world, present=6, yes=5)
    members = world["members"]
    assert "区委常委会" in text and "应到9人，实到6人" in text
    assert "缺席：" + "、".join(m.name for m in members[6:]) in text
    # speaking order: the other members first, the principal (常委0) last
    order = [m.name for m in members[1:6]] + [members[0].name]
    positions = [text.index(f"{n}.{name}") for n, name in enumerate(order, 1)]
    assert positions == sorted(positions) and f"6.{members[0].name}（主要负责人）" in text
    assert "即至少6人" in text and "同意5人" in text and "即至少5人同意" in text
    assert "通过" in text and "未通过" not in text
    assert "2026年9月15日" in text  # the meeting's date (D + 14 days)
    entry = JournalEntry.objects.get(action="selection.minutes.printed")
    assert entry.target_id == str(case.pk) and entry.unit_id == case.unit_id


def test_minutes_of_a_void_meeting_say_so(world):
    """5 of 9 present: below two thirds, the item is void whatever the votes."""
    _case, _url, text = _minutes(world, present=5, yes=5)
    assert "应到9人，实到5人" in text and "无效" in text


def test_minutes_of_a_failed_vote(world):
    _case, _url, text = _minutes(world, present=9, yes=4)
    assert "同意4人" in text and "未通过" in text


def test_minutes_of_an_exceptional_promotion_without_approval_say_void_in_chinese(world):
    """破格 without the higher department's prior approval: the vote passes, the decision is void."""
    case, candidate = _to_decision(world, _deputy_since(world, dt.date(2025, 9, 4)))
    _decide(world, case, candidate)  # recorded in English (the fixture): the minutes are Chinese still
    client = Client()
    client.force_login(world["officer"])
    text = _text(client.get(reverse("selection:decision_minutes", args=[case.pk])).content)
    assert "破格" in text and "结论：无效" in text
    assert not re.search(r"[A-Za-z]{3,}", text), text  # no English inside the Chinese document


def test_minutes_only_for_who_sees_the_case_and_only_after_the_decision(world):
    case, candidate = _to_decision(world)
    client = Client()
    client.force_login(world["officer"])
    url = reverse("selection:decision_minutes", args=[case.pk])
    assert client.get(url).status_code == 404  # no decision yet
    assert url not in client.get(reverse("selection:case", args=[case.pk])).content.decode()
    _decide(world, case, candidate)
    assert client.get(url).status_code == 200
    for outsider in (world["vet_audit"], make_user(role=Role.ORG_OFFICER, unit=make_unit(name="别区委"))):
        other = Client()
        other.force_login(outsider)
        assert other.get(url).status_code == 404
    assert JournalEntry.objects.filter(action="selection.minutes.printed").count() == 1
