"""Security issue #8, part 7: the masked ID number could be reversed (docs/decisions/0007).

The attack, re-run here through every channel a reader without `registry.view_sensitive` has
(the cadre pages, the API, the xlsx exports): take what is shown of a cadre's ID number and birth
date, enumerate every ID number that fits it and passes the GB 11643 check character, and count.
The attacker is given more than the screen shows: the cadre's true six-digit region code (most
cadres of a district are born in it) and gender. The rule holds when every demo cadre keeps at
least MIN_CANDIDATES candidates. The same enumeration finds the old mask (first and last four
characters beside the full birth date) down to a handful, so the test can fail.
"""

import calendar
import datetime as dt
import io
import re
from dataclasses import dataclass

import pytest
import python_calamine
from django.test import Client
from django.urls import reverse

from jiandu.accounts.models import User
from jiandu.registry.models import Cadre
from jiandu.registry.validators import id_check_digit
from jiandu.testing import api_client, log_in

pytestmark = pytest.mark.django_db

MIN_CANDIDATES = 1000
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)  # GB 11643
_CHECK = "10X98765432"  # by the weighted sum mod 11


@dataclass
class Seen:
    """What a reader was shown of one cadre."""

    id_number: str  # with "*" for hidden characters
    birth: str  # "1975-03-12", "1975-03" or "1975"
    male: bool


def _dates(birth: str) -> list[dt.date]:
    """Every birth date consistent with the birth text shown."""
    if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", birth):
        return [dt.date(int(m[1]), int(m[2]), int(m[3]))]
    if m := re.fullmatch(r"(\d{4})-(\d{2})", birth):
        year, month = int(m[1]), int(m[2])
        return [dt.date(year, month, day) for day in range(1, calendar.monthrange(year, month)[1] + 1)]
    if m := re.fullmatch(r"(\d{4})", birth):
        start = dt.date(int(m[1]), 1, 1)
        return [start + dt.timedelta(days=n) for n in range(366 if calendar.isleap(start.year) else 365)]
    raise AssertionError(f"unexpected birth text {birth!r}")


def _fits(shown: str, digits: str, offset: int) -> bool:
    return all(s in ("*", d) for s, d in zip(shown[offset : offset + len(digits)], digits, strict=True))


def _weighted(digits: str, offset: int) -> int:
    return sum(int(c) * _WEIGHTS[offset + i] for i, c in enumerate(digits))


def candidates(seen: Seen, region: str) -> int:
    """How many valid ID numbers fit what was seen, for an attacker who knows the region code."""
    shown = seen.id_number
    assert len(shown) == 18 and _fits(shown, region, 0), shown
    region_sum = _weighted(region, 0)
    # Group birth dates and sequence numbers by their share of the check sum (mod 11): the check
    # character then decides which pairs fit, without enumerating every pair.
    by_date = [0] * 11
    for day in _dates(seen.birth):
        digits = f"{day:%Y%m%d}"
        if _fits(shown, digits, 6):
            by_date[_weighted(digits, 6) % 11] += 1
    by_serial = [0] * 11
    for serial in range(1000):
        digits = f"{serial:03d}"
        if serial % 2 == (1 if seen.male else 0) and _fits(shown, digits, 14):
            by_serial[_weighted(digits, 14) % 11] += 1
    total = 0
    for a in range(11):
        for b in range(11):
            if shown[17] in ("*", _CHECK[(region_sum + a + b) % 11]):
                total += by_date[a] * by_serial[b]
    return total


def _real_region(cadre: Cadre) -> str:
    return cadre.id_number[:6]


def test_the_enumeration_is_right_and_breaks_the_old_mask():
    """The attacker's arithmetic against the validator's, and against the mask this replaces."""
    number = "640202197503120315"
    number = number[:17] + id_check_digit(number[:17])
    old = Seen(number[:4] + "*" * 10 + number[-4:], "1975-03-12", male=True)
    assert candidates(old, "640202") == 1  # the region known: the old mask gave the number away
    # Knowing only "6402" (shown), the 100 region endings leave nine (the "9 candidates").
    assert sum(candidates(old, "6402" + f"{n:02d}") for n in range(100)) == 9
    # The new mask on the same number: the year of birth and "64…15", region and gender known.
    new = Seen(number[:2] + "*" * 14 + number[-2:], "1975", male=True)
    assert 3000 <= candidates(new, "640202") <= 3400  # 365 days x 100 sequence prefixes / 11
    # The arithmetic agrees with brute force on a small case: the day hidden, everything else shown.
    seen = Seen(number[:12] + "**" + number[14:], "1975-03", male=True)
    brute = sum(1 for day in range(1, 32) if id_check_digit(number[:12] + f"{day:02d}" + number[14:17]) == number[17])
    assert candidates(seen, "640202") == brute >= 1


@pytest.fixture
def demo(small_demo_once, db):
    """The small district, built once for this module (conftest.small_demo_once)."""
    User.objects.filter(username__startswith="demo_").update(must_change_password=False)  # as JIANDU_DEMO=1 does
    return {user.username: user for user in User.objects.filter(username__startswith="demo_")}


def _page_seen(client, cadre: Cadre) -> Seen:
    html = client.get(reverse("registry:cadre_detail", args=[cadre.pk])).content.decode()
    facts = dict(re.findall(r"<dt>([^<]*)</dt><dd>([^<]*)</dd>", html))
    birth = facts.get("出生年份") or facts["出生日期"]
    return Seen(facts["身份证号"], birth, cadre.gender == Cadre.Gender.MALE)


def _read_xlsx(response) -> list[dict]:
    assert response.status_code == 200
    workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))
    header, *rows = workbook.get_sheet_by_index(0).to_python()
    return [dict(zip(header, row, strict=True)) for row in rows]


def _cell_birth(value) -> str:
    return value.isoformat()[:10] if isinstance(value, dt.date) else str(value)


def _assert_ambiguous(observations: dict[int, Seen], cadres: dict[int, Cadre], channel: str) -> None:
    assert set(observations) == set(cadres), channel  # every cadre was seen through the channel
    counts = {}
    for pk, seen in observations.items():
        cadre = cadres[pk]
        # The real number fits what was shown (the enumeration does not miss it)...
        assert _fits(seen.id_number, cadre.id_number, 0) and cadre.birth_on in _dates(seen.birth), channel
        # ...among at least MIN_CANDIDATES.
        counts[cadre.name] = candidates(seen, _real_region(cadre))
    worst = min(counts, key=counts.get)
    assert counts[worst] >= MIN_CANDIDATES, f"{channel}: {worst} has only {counts[worst]} candidates"


def test_the_attack_through_pages_api_and_exports_leaves_thousands_of_candidates(demo):
    reader = demo["demo_committee"]  # the whole district, registry.view, no view_sensitive
    cadres = {c.pk: c for c in Cadre.objects.select_related("unit")}
    assert len(cadres) >= 30
    client = log_in(Client(), reader)

    # Pages: the cadre's record.
    _assert_ambiguous({pk: _page_seen(client, c) for pk, c in cadres.items()}, cadres, "page")
    # Pages: the list shows no full birth date either.
    listed = "".join(client.get(reverse("registry:cadre_list"), {"size": 100, "page": n}).content.decode() for n in range(1, len(cadres) // 100 + 2))
    assert all(c.name in listed for c in cadres.values())
    assert not [c.name for c in cadres.values() if c.birth_on.isoformat() in listed]

    # API: the list (every page) and one record.
    api = api_client(reader)
    items, offset = [], 0
    while True:
        body = api.get("/api/v1/registry/cadres", {"limit": 100, "offset": offset}).json()
        items += body["items"]
        offset += 100
        if offset >= body["count"]:
            break
    seen = {i["id"]: Seen(i["id_number"], i["birth_on"] or str(i["birth_year"]), i["gender"] == "male") for i in items}
    _assert_ambiguous(seen, cadres, "api list")
    one = next(iter(cadres.values()))
    detail = api.get(f"/api/v1/registry/cadres/{one.pk}").json()
    assert (
        detail["birth_on"] is None
        and candidates(Seen(detail["id_number"], str(detail["birth_year"]), one.gender == "male"), _real_region(one)) >= MIN_CANDIDATES
    )

    # Exports: the cadre list and the tenure list (which names the cadre's ID number and birth).
    rows = _read_xlsx(client.get(reverse("registry:cadres_export")))
    by_name = {c.name: c for c in cadres.values()}
    seen = {by_name[r["姓名"]].pk: Seen(r["身份证号"], _cell_birth(r["出生日期"]), r["性别"] == "男") for r in rows}
    _assert_ambiguous(seen, cadres, "cadre export")
    rows = _read_xlsx(client.get(reverse("registry:tenures_export")))
    assert rows
    for r in rows:
        cadre = by_name[r["姓名"]]
        count = candidates(Seen(r["身份证号"], _cell_birth(r["出生日期"]), cadre.gender == "male"), _real_region(cadre))
        assert count >= MIN_CANDIDATES, (cadre.name, count)


def test_a_reader_with_view_sensitive_sees_the_full_values(demo):
    officer = demo["demo_org_officer"]
    cadre = Cadre.objects.select_related("unit").first()
    html = log_in(Client(), officer).get(reverse("registry:cadre_detail", args=[cadre.pk])).content.decode()
    assert cadre.id_number in html and cadre.birth_on.isoformat() in html
    body = api_client(officer).get(f"/api/v1/registry/cadres/{cadre.pk}").json()
    assert (body["id_number"], body["birth_on"], body["sensitive_visible"]) == (cadre.id_number, cadre.birth_on.isoformat(), True)


def test_searching_by_id_digits_is_no_oracle_for_a_reader(demo):
    """The search by the last 4–6 characters would confirm the hidden digits one guess at a time:
    it only searches the ID numbers the searcher may see in clear."""
    cadre = Cadre.objects.select_related("unit").order_by("pk").first()
    for username, found in (("demo_committee", False), ("demo_org_officer", True)):
        user = demo[username]
        client = log_in(Client(), user)
        for text in (cadre.id_number[-4:], cadre.id_number[-6:]):
            page = client.get(reverse("registry:cadre_list"), {"q": text}).content.decode()
            assert (reverse("registry:cadre_detail", args=[cadre.pk]) in page) is found, (username, text)
            ids = [i["id"] for i in api_client(user).get("/api/v1/registry/cadres", {"q": text}).json()["items"]]
            assert (cadre.pk in ids) is found, (username, text)


def test_sorting_by_birth_does_not_order_a_reader_by_the_hidden_day(district):
    """Sorted by birth date, a reader's list would rank cadres born in one year by their hidden
    birth days. Masked cadres sort by year, then by name; the officer still gets the true order."""
    from jiandu.testing import make_cadre

    late = make_cadre(unit=district.finance, name="阿大", born=dt.date(1990, 12, 30))  # first by name
    early = make_cadre(unit=district.finance, name="赵小", born=dt.date(1990, 1, 2))
    older = district.zhang  # born in 1980
    for user, ascending in ((district.leader, [older, late, early]), (district.officer, [older, early, late])):
        for sort, expected in (("birth", ascending), ("-birth", ascending[::-1] if user == district.officer else [late, early, older])):
            html = log_in(Client(), user).get(reverse("registry:cadre_list"), {"sort": sort}).content.decode()
            assert sorted(expected, key=lambda c: html.index(c.name)) == expected, (user.username, sort)
            items = api_client(user).get("/api/v1/registry/cadres", {"sort": sort, "unit": district.finance.pk}).json()["items"]
            assert [i["id"] for i in items if i["id"] in {c.pk for c in expected}] == [c.pk for c in expected], (user.username, sort)
