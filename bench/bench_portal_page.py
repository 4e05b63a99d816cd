"""A published leader page of the public portal against a Django hello-world view, in the same
run, through the same middleware stack (django.test.Client, in process: no network).

Reported as throughput relative to hello-world (`ratio` = hello-world time / portal page time;
1.0 would be as fast as hello-world). Goals (issue #14): cached ≥ 0.7, uncached ≥ 0.3. "Uncached"
makes every request miss the page cache (a new published-content version per request), so the
page is rendered from the database each time.
"""

import datetime as dt
from zoneinfo import ZoneInfo

from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import path

from bench.measure import result, timed

REQUESTS = 100
LOGS = 12


def hello(request):
    return HttpResponse("Hello, world")


urlpatterns = []  # filled in run(): the project's URLs plus the hello-world view


def _leader():
    from jiandu.accounts.models import Role
    from jiandu.decisions import log_actions
    from jiandu.registry.models import LeadershipLevel
    from jiandu.testing import make_cadre, make_position, make_tenure, make_unit, make_user

    # Its own top unit: the benchmarks share one database, and others build a 示范区委 too.
    root = make_unit(name="示范区人民政府", kind="government")
    leader = make_cadre(unit=root, name="李区长")
    make_tenure(cadre=leader, position=make_position(unit=root, title="副区长", level=LeadershipLevel.COUNTY_DEPUTY), started_on=dt.date(2020, 1, 1))
    office = make_user(role=Role.ORG_OFFICER)
    log_actions.save_leader_profile(
        actor=office, cadre=leader, portfolio="分管教育、卫生健康", office_phone="0951-6011111", office_address="行政中心1号楼", mailbox="li@example.cn"
    )
    monday = log_actions.week_of(dt.date.today()) - dt.timedelta(days=7 * (LOGS + 1))
    for n in range(LOGS):
        week = monday + dt.timedelta(days=7 * n)
        with log_actions.clock_at(dt.datetime.combine(week + dt.timedelta(days=4), dt.time(17), tzinfo=ZoneInfo("Asia/Shanghai"))):
            log = log_actions.submit_log(actor=office, cadre=leader, week_start=week, this_week="调研教育工作；" * 20, next_week="督导安全生产；" * 10)
            log_actions.publish_log(actor=office, log=log)
    return leader


def run() -> list[dict]:
    import config.urls
    from jiandu.decisions import log_queries

    global urlpatterns
    urlpatterns = [path("bench-hello/", hello), *config.urls.urlpatterns]
    leader = _leader()
    url = f"/portal/leaders/{leader.pk}/"
    with override_settings(ROOT_URLCONF=__name__, ALLOWED_HOSTS=["testserver"], DEBUG=False):
        client = Client()
        assert client.get("/bench-hello/").status_code == 200
        page = client.get(url)
        assert page.status_code == 200 and "李区长" in page.content.decode(), page.status_code

        def batch(target):
            return lambda: [client.get(target) for _ in range(REQUESTS)]

        hello_samples = timed(batch("/bench-hello/"), repeat=5)
        cached = timed(batch(url), repeat=5)
        original = log_queries.public_version
        counter = iter(range(10**9))
        log_queries.public_version = lambda: f"bench-{next(counter)}"
        try:
            uncached = timed(batch(url), repeat=5)
        finally:
            log_queries.public_version = original
        hello_again = timed(batch("/bench-hello/"), repeat=5)
    baseline = hello_samples + hello_again
    extra = {"requests_per_sample": REQUESTS, "published_logs": LOGS}
    return [
        result("portal_page_cached", samples=baseline, baseline_samples=cached, goal_ratio=0.7, lower_is_better=False, **extra),
        result("portal_page_uncached", samples=baseline, baseline_samples=uncached, goal_ratio=0.3, lower_is_better=False, **extra),
    ]
