"""The officer's main journey on a 360 × 740 phone: no page scrolls sideways, the folded menu
opens and offers every entry, "退出登录" is reachable, long unit names on charts are shortened.

Uses the demo server and browser of test_smoke (a separate demo district for this module)."""

import re

import pytest
from playwright.sync_api import expect

from .test_smoke import _log_in, _shot, browser, demo_server  # noqa: F401 - pytest fixtures

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}

# The organisation-department officer's everyday pages; details are reached by their first link.
JOURNEY = [
    ("/", None),
    ("/oversight/", None),
    ("/oversight/statistics/", None),
    ("/oversight/inquiries/", r"/oversight/inquiries/\d+/$"),
    ("/oversight/dispositions/", r"/oversight/dispositions/\d+/$"),
    ("/oversight/talks/", r"/oversight/talks/\d+/$"),
    ("/registry/cadres/", r"/registry/cadres/\d+/$"),
    ("/registry/units/", None),
    ("/ballots/", r"/ballots/\d+/$"),
]


@pytest.fixture
def phone(browser, demo_server):  # noqa: F811 - fixtures imported above
    context = browser.new_context(base_url=demo_server, viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("response", lambda response: problems.append(f"{response.status} {response.url}") if response.status >= 400 else None)
    page.problems = problems
    yield page
    context.close()


def overflow(page) -> int:
    """How many pixels the page is wider than the 360 px screen (0: no sideways scrolling). Against
    the fixed width: a mobile browser widens its layout viewport to fit content that overflows."""
    return page.evaluate("(width) => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth) - width", PHONE["width"])


def test_officer_journey_fits_a_360_px_phone(phone):
    _log_in(phone, "demo_org_officer")
    visited = []
    for path, detail in JOURNEY:
        phone.goto(path)
        assert overflow(phone) <= 0, f"{path} scrolls sideways by {overflow(phone)} px on a 360 px screen"
        visited.append(path)
        if detail:
            links = [a.get_attribute("href") for a in phone.locator("main a").all()]
            target = next((href for href in links if href and re.search(detail, href)), None)
            assert target, f"{path} lists no record to open"
            phone.goto(target)
            assert overflow(phone) <= 0, f"{target} scrolls sideways by {overflow(phone)} px on a 360 px screen"
            visited.append(target)
    _shot(phone, "phone-01-last-page")
    assert len(visited) >= 13
    assert phone.problems == [], phone.problems


def test_folded_menu_opens_with_every_entry_and_log_out_in_view(phone):
    _log_in(phone, "demo_org_officer")
    phone.goto("/oversight/")
    toggle = phone.get_by_role("button", name=re.compile("菜单"))
    expect(toggle).to_be_visible()
    expect(phone.locator(".topnav")).to_be_hidden()
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(phone.locator(".topnav").get_by_role("link", name="日常监督")).to_be_visible()
    expect(phone.locator(".sidenav").get_by_role("link", name="测评")).to_be_visible()
    logout = phone.get_by_role("button", name="退出登录")
    expect(logout).to_be_visible()
    box = logout.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    assert overflow(phone) <= 0
    _shot(phone, "phone-02-menu-open")
    # Counters: a zero is never in alarm red; a non-zero overdue count is.
    colours = phone.evaluate(
        """() => Array.from(document.querySelectorAll('.stat .number')).map(n => [n.textContent.trim(), getComputedStyle(n).color,
                                                                               n.closest('.stat').classList.contains('attention')])"""
    )

    def red(colour: str) -> bool:
        r, g, b = (int(v) for v in re.findall(r"\d+", colour)[:3])
        return r > 150 and g < 90 and b < 90

    assert colours and all(not red(colour) for number, colour, _a in colours if number.startswith("0")), colours
    assert all(red(colour) for number, colour, attention in colours if attention), colours


def test_chart_labels_are_shortened_with_the_full_name_on_hover(phone):
    _log_in(phone, "demo_org_officer")
    phone.goto("/oversight/statistics/")
    charts = phone.locator("[data-chart] canvas")
    expect(charts.first).to_be_visible()
    # ECharts keeps its options: every category label is at most two short lines.
    labels = phone.evaluate(
        """() => Array.from(document.querySelectorAll('[data-chart]')).filter(el => window.echarts.getInstanceByDom(el))
              .flatMap(el => { const chart = window.echarts.getInstanceByDom(el); const axis = chart.getOption().xAxis[0];
                               return axis.data.map(name => [name, axis.axisLabel.formatter(name)]); })"""
    )
    assert labels
    for name, shown in labels:
        assert all(len(line) <= 6 for line in shown.split("\n")), (name, shown)
        assert name.startswith(shown.replace("\n", "").rstrip("…"))
    longest = max((name for name, _shown in labels), key=len)
    # Hovering an axis label puts the full name in the chart's title (the browser shows it).
    title = phone.evaluate(
        """(name) => { const el = Array.from(document.querySelectorAll('[data-chart]')).find(e => window.echarts.getInstanceByDom(e));
                       window.echarts.getInstanceByDom(el).trigger('mouseover', {componentType: 'xAxis', value: name});
                       return el.getAttribute('title'); }""",
        longest,
    )
    assert title == longest
    assert overflow(phone) <= 0


def test_login_page_fits_and_keeps_the_language_switch(phone):
    phone.goto("/accounts/login/")
    assert overflow(phone) <= 0
    expect(phone.get_by_role("button", name="English")).to_be_visible()
    expect(phone.get_by_role("button", name=re.compile("菜单"))).to_have_count(0)
