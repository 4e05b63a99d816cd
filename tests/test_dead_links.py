"""Issue #9.6: no dead links. Every demo role, logged in on the small demo district, follows the
links it is shown, breadth-first from the home page: same-origin GET links only (<a href>), the
logout and language switches left alone, downloads and exports only checked for their status. A
link that does not open for the role that was shown it (status >= 400) fails the test, listed as
page → link → status.

Bounded: at most PAGES_PER_ROLE pages are opened (and read for further links) per role, and at most
SAME_SHAPE of the links that differ only in their numbers (/cadres/12/ and /cadres/13/) or query
values are opened as pages; every other link of an opened page is still requested once for its
status, so a single dead link among many alike is found.
"""

import io
import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.test import Client

from jiandu.accounts.models import User
from jiandu.registry.demo import ACCOUNTS

pytestmark = [pytest.mark.django_db, pytest.mark.slow, pytest.mark.crawl_links]

PAGES_PER_ROLE = 150
SAME_SHAPE = 2
LINKS_PER_ROLE = 1500  # requests for status only, past the opened pages
# Where the walk starts: the home page, and pages reached from another pillar's page that a role may
# open without being shown the way there (the joint meeting's page for a unit leader).
START = ("/", "/oversight/joint/")
# Links that end the session or change the language rather than show a page.
NOT_FOLLOWED = re.compile(r"^/(accounts/logout/|i18n/|static/|media/)")


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            attrs = dict(attrs)
            if attrs.get("href") and "download" not in attrs:
                self.hrefs.append(attrs["href"])


def _links(base: str, html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    found = []
    for href in parser.hrefs:
        href = href.strip()
        if href.startswith(("mailto:", "tel:", "javascript:", "#")):
            continue
        url, _fragment = urldefrag(urljoin(base, href))
        parts = urlsplit(url)
        if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
            continue  # another site
        local = parts.path + (f"?{parts.query}" if parts.query else "")
        if not NOT_FOLLOWED.match(local):
            found.append(local)
    return found


def _shape(url: str) -> str:
    parts = urlsplit(url)
    keys = sorted(pair.split("=", 1)[0] for pair in parts.query.split("&") if pair)
    return re.sub(r"\d+", "N", parts.path) + "?" + "&".join(keys)


def _is_page(response) -> bool:
    return response.status_code == 200 and response.get("Content-Type", "").startswith("text/html") and not response.get("Content-Disposition")


def crawl(client: Client) -> tuple[list[str], int, int]:
    """Dead links as "page → link → status", the number of pages opened and of requests."""
    dead = []
    seen = set(START)
    queue = deque(("(start)", url) for url in START)
    shapes: dict[str, int] = {}
    opened = requested = 0
    while queue:
        source, url = queue.popleft()
        if source == "(start)" and url != "/" and client.get(url).status_code >= 400:
            continue  # an entry page this role is not shown
        shape = _shape(url)
        expand = opened < PAGES_PER_ROLE and shapes.get(shape, 0) < SAME_SHAPE
        if not expand and requested >= LINKS_PER_ROLE:
            continue
        requested += 1
        response = client.get(url)
        if response.status_code in (301, 302):
            target = response["Location"]
            if urlsplit(target).path.startswith("/accounts/login"):
                dead.append(f"{source} → {url} → login ({response.status_code})")
            parts = urlsplit(urljoin(url, target))
            local = parts.path + (f"?{parts.query}" if parts.query else "")
            if local not in seen:  # followed like a link of the page that redirected
                seen.add(local)
                queue.append((source, local))
            continue
        if response.status_code >= 400:
            dead.append(f"{source} → {url} → {response.status_code}")
            continue
        if not expand or not _is_page(response):
            continue
        opened += 1
        shapes[shape] = shapes.get(shape, 0) + 1
        for link in _links(url, response.content.decode()):
            if link not in seen:
                seen.add(link)
                queue.append((url, link))
    return dead, opened, requested


def test_every_link_a_demo_role_is_shown_opens_for_it(settings):
    settings.DEMO_MODE = True  # as `make run`: the demo accounts skip the forced password change
    call_command("load_demo", "--small", stdout=io.StringIO())
    problems = []
    for username, *_ in ACCOUNTS:
        user = User.objects.get(username=username)
        client = Client()
        client.force_login(user)
        dead, opened, requested = crawl(client)
        print(f"{username}: {opened} pages opened, {requested} requests")
        assert opened >= 5, f"{username} opened only {opened} pages"
        problems += [f"{username}: {line}" for line in dead]
    assert not problems, "Dead links:\n" + "\n".join(problems)
