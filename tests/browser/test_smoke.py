"""Browser smoke test: the demo district as `make run` serves it, driven through Debian's chromium.

A real `manage.py runserver` runs on a free port against a fresh SQLite database under a temporary
JIANDU_VAR_DIR (migrate, collectstatic, load_demo --small, JIANDU_DEMO=1), so this exercises the
same path a person trying the demo takes. Screenshots go to test-output/screenshots/.
"""

import importlib.util
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from jiandu.registry.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-output" / "screenshots"
CHROMIUM = os.environ.get("JIANDU_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_serving(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"runserver exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url + "/accounts/login/", timeout=2) as response:  # noqa: S310 - local test server
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)  # polling a starting server, not synchronising test steps
    raise RuntimeError(f"runserver did not answer at {url} within {seconds} s")


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    var = tmp_path_factory.mktemp("demo-var")
    env = {key: value for key, value in os.environ.items() if not key.startswith("JIANDU_")}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "JIANDU_VAR_DIR": str(var),
            "JIANDU_DATABASE_URL": f"sqlite:///{var / 'jiandu.sqlite3'}",
            "JIANDU_DEMO": "1",
            "PYTHONUNBUFFERED": "1",
        }
    )
    for command in (["migrate", "--no-input", "-v", "0"], ["collectstatic", "--no-input", "-v", "0"], ["load_demo", "--small"]):
        done = subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, f"manage.py {' '.join(command)} failed:\n{done.stdout}\n{done.stderr}"
    url = f"http://127.0.0.1:{_free_port()}"
    log = (var / "runserver.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", url.removeprefix("http://")], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    try:
        _wait_until_serving(url, server)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()


@pytest.fixture(scope="module")
def browser():
    assert Path(CHROMIUM).is_file(), f"{CHROMIUM} is missing: apt-get install chromium (or set JIANDU_CHROMIUM), or run pytest -m 'not browser'"
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield instance
        finally:
            instance.close()


@pytest.fixture
def page(browser, demo_server):
    context = browser.new_context(base_url=demo_server, viewport={"width": 1366, "height": 860}, locale="zh-CN")
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda message: problems.append(f"console {message.type}: {message.text}") if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("response", lambda response: problems.append(f"{response.status} {response.url}") if response.status >= 400 else None)
    page.problems = problems
    yield page
    context.close()


def _shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def _log_in(page, username: str) -> None:
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    _shot(page, "01-login")
    page.get_by_label(re.compile("用户名|Username")).fill(username)
    page.get_by_label(re.compile("密码|Password")).fill(DEMO_PASSWORD)
    page.get_by_role("button", name=re.compile("登录|Log in")).click()
    # JIANDU_DEMO=1: the demo account is not sent to the forced password change.
    expect(page).not_to_have_url(re.compile(r"/accounts/(login|password)/"))


def test_org_officer_walks_through_the_demo_district(page):
    _log_in(page, "demo_org_officer")
    expect(page.locator(".topbar .whoami")).to_have_text("组织部干部监督科（演示）")
    _shot(page, "02-dashboard")

    page.locator(".sidenav").get_by_role("link", name=re.compile(r"^(单位|Units)$")).click()
    expect(page).to_have_url(re.compile(r"/registry/units/$"))
    expect(page.get_by_role("link", name="示范区教育局", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="示范区第一中学", exact=True)).to_be_visible()
    _shot(page, "03-unit-tree")

    page.get_by_role("link", name="示范区教育局", exact=True).click()
    expect(page).to_have_url(re.compile(r"/registry/units/\d+/$"))
    expect(page.locator("h1")).to_contain_text("示范区教育局")
    expect(page.get_by_text("局长").first).to_be_visible()
    _shot(page, "04-unit-detail")

    cadre_links = [a for a in page.locator("main a").all() if re.search(r"/registry/cadres/\d+/$", a.get_attribute("href") or "")]
    assert cadre_links, "the bureau's leadership team links to its cadres"
    name = cadre_links[0].inner_text().strip()
    cadre_links[0].click()
    expect(page).to_have_url(re.compile(r"/registry/cadres/\d+/$"))
    expect(page.locator("h1")).to_contain_text(name)
    _shot(page, "05-cadre-detail")

    page.goto("/registry/cadres/")
    expect(page.locator("table")).to_be_visible()
    _shot(page, "06-cadre-list")

    # The API reference: the route must exist whenever the API module is part of the build.
    if importlib.util.find_spec("jiandu.web.api_urls") is not None:
        response = page.goto("/api/v1/docs")
        assert response is not None and response.status == 200
        expect(page.locator("body")).to_contain_text(re.compile("Jiandu|监督|API"))
        _shot(page, "07-api-docs")

    assert page.problems == [], page.problems
