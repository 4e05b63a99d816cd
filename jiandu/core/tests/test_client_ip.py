"""client_ip (security issue #8 part 5): forwarding headers are believed only from the reverse
proxies listed in settings.TRUSTED_PROXIES (JIANDU_TRUSTED_PROXIES), else REMOTE_ADDR."""

import os
import subprocess
import sys

import pytest
from django.test import RequestFactory

from jiandu.core import journal
from jiandu.core.middleware import client_ip


def _ip(remote="203.0.113.7", **headers):
    return client_ip(RequestFactory().get("/", REMOTE_ADDR=remote, **headers))


def test_without_trusted_proxies_the_headers_are_ignored(settings):
    settings.TRUSTED_PROXIES = []
    assert _ip(HTTP_X_REAL_IP="10.0.0.1") == "203.0.113.7"
    assert _ip(HTTP_X_FORWARDED_FOR="10.0.0.1, 10.0.0.2") == "203.0.113.7"


def test_a_header_from_an_address_that_is_not_a_trusted_proxy_is_ignored(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24", "2001:db8::1"]
    assert _ip(remote="10.0.1.1", HTTP_X_REAL_IP="198.51.100.1") == "10.0.1.1"  # just outside the range
    assert _ip(remote="2001:db8::2", HTTP_X_REAL_IP="198.51.100.1") == "2001:db8::2"


def test_from_a_trusted_proxy_x_real_ip_then_x_forwarded_for_is_used(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24", "2001:db8::1"]
    assert _ip(remote="10.0.0.255", HTTP_X_REAL_IP="198.51.100.1") == "198.51.100.1"
    assert _ip(remote="2001:db8::1", HTTP_X_REAL_IP="2001:db8:ffff::5") == "2001:db8:ffff::5"
    # X-Forwarded-For read from the right, skipping trusted proxies: what the client wrote on the left is not believed
    assert _ip(remote="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.2, 10.0.0.3") == "198.51.100.2"
    # a malformed header is not an address: the proxy's own address is recorded
    assert _ip(remote="10.0.0.2", HTTP_X_REAL_IP="<script>") == "10.0.0.2"
    assert _ip(remote="10.0.0.2", HTTP_X_FORWARDED_FOR="garbage") == "10.0.0.2"
    assert _ip(remote="10.0.0.2") == "10.0.0.2"
    assert _ip(remote="::ffff:10.0.0.9", HTTP_X_REAL_IP="198.51.100.3") == "198.51.100.3"  # IPv4 seen through IPv6


def test_the_setting_comes_from_the_environment_and_a_bad_entry_is_refused():
    code = "from django.conf import settings; import django; django.setup(); print(settings.TRUSTED_PROXIES)"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "JIANDU_TRUSTED_PROXIES": " 10.0.0.1, 192.168.0.0/16 ,"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "['10.0.0.1', '192.168.0.0/16']"
    env["JIANDU_TRUSTED_PROXIES"] = "10.0.0.1,proxy.internal"
    bad = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert bad.returncode != 0 and "JIANDU_TRUSTED_PROXIES" in bad.stderr
    env.pop("JIANDU_TRUSTED_PROXIES")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"  # empty by default


@pytest.mark.parametrize("count, written", [(1, True), (2, False), (9, False), (10, True), (11, False), (99, False), (100, True), (300, False), (1000, True)])
def test_aggregated_journal_milestones(count, written):
    assert journal._milestone(count) is written
