"""The public portal: published only (logs, profiles, feedback after moderation), every page
rendered with sensitive canary values planted and none found, search and feeds, the feedback
form's challenge and flood limit (no server errors), cached pages renewed on publication."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from jiandu.accounts.models import Role
from jiandu.core.models import JournalEntry
from jiandu.decisions import log_actions
from jiandu.decisions.models import PublicFeedback, WeeklyLog
from jiandu.portal import fragments, views
from jiandu.registry.models import LeadershipLevel
from jiandu.testing import make_cadre, make_position, make_relative, make_tenure, make_unit, make_user

TZ = ZoneInfo("Asia/Shanghai")
WEEK = dt.date(2026, 11, 16)
CANARIES = [
    "未公开整改摘要",
    "巡察报告秘密",
    "13912345678",
    "金秘密",
    "未公开周志内容",
    "退回的周志内容",
    "线索秘密摘要",
    "待审核反馈内容",
    "13700000000",
    "未审核举报",
]


@pytest.fixture
def site(db, django_capture_on_commit_callbacks):
    root = make_unit(name="示范区委", kind="party_committee")
    dept = make_unit(name="教育局", parent=root)
    leader = make_cadre(unit=root, name="李区长", phone="13912345678", native_place="某县某村")
    make_tenure(cadre=leader, position=make_position(unit=root, title="副区长", level=LeadershipLevel.COUNTY_DEPUTY, portfolio="分管教育、卫生"))
    other = make_cadre(unit=root, name="王书记", phone="13912345678"[:-1] + "0")
    make_tenure(cadre=other, position=make_position(unit=root, title="区委书记", level=LeadershipLevel.COUNTY_CHIEF))
    head = make_cadre(unit=dept, name="张局长")
    make_tenure(cadre=head, position=make_position(unit=dept, title="局长", level=LeadershipLevel.SECTION_CHIEF))
    make_relative(cadre=leader, name="金秘密")
    office = make_user(role=Role.ORG_OFFICER)
    with django_capture_on_commit_callbacks(execute=True):
        log_actions.save_leader_profile(
            actor=office, cadre=leader, portfolio="", office_phone="0951-6011111", office_address="行政中心1号楼", mailbox="li@example.cn"
        )
    with log_actions.clock_at(dt.datetime(2026, 11, 20, 17, 0, tzinfo=TZ)):
        published = log_actions.submit_log(actor=office, cadre=leader, week_start=WEEK, this_week="调研第二中学新校区", next_week="督导安全生产")
        pending = log_actions.submit_log(actor=office, cadre=other, week_start=WEEK, this_week="未公开周志内容", next_week="未公开周志内容")
        returned = log_actions.submit_log(
            actor=office, cadre=leader, week_start=WEEK - dt.timedelta(days=7), this_week="退回的周志内容", next_week="退回的周志内容"
        )
        log_actions.return_log(actor=office, log=returned, comment="请修改")
        with django_capture_on_commit_callbacks(execute=True):
            log_actions.publish_log(actor=office, log=published)
    hidden = log_actions.submit_feedback(kind="report", subject="未审核举报", body="待审核反馈内容", contact="13700000000", leader=leader)
    return {
        "leader": leader,
        "other": other,
        "head": head,
        "office": office,
        "published": published,
        "pending": pending,
        "returned": returned,
        "hidden": hidden,
    }


def _plant_clue(site):
    from jiandu.oversight.models import Clue

    Clue.objects.create(
        cadre=site["leader"],
        cadre_unit=site["leader"].unit,
        from_unit=site["leader"].unit,
        source="petition",
        summary="线索秘密摘要",
        created_by=site["office"],
    )


def _plant_tours(site):
    """A tour whose summary is published, and one whose summary is not (its report is secret)."""
    from jiandu.oversight.models import InspectionTour, TourTarget

    made = []
    for name, summary, publishable, stage in (
        ("2026年第一轮巡察", "已整改问题12个，建立制度5项。", True, InspectionTour.Stage.CLOSED),
        ("2026年第二轮巡察", "未公开整改摘要", False, InspectionTour.Stage.RECTIFICATION),
        ("2026年第三轮巡察", "整改尚在进行", True, InspectionTour.Stage.REPORT),  # not yet at rectification
    ):
        tour = InspectionTour.objects.create(
            name=name,
            year=2026,
            organiser=site["leader"].unit,
            planned_start=dt.date(2026, 3, 1),
            planned_end=dt.date(2026, 5, 1),
            stage=stage,
            report_text="巡察报告秘密",
            public_summary=summary,
            is_publishable=publishable,
            created_by=site["office"],
        )
        TourTarget.objects.create(tour=tour, unit=site["head"].unit)
        made.append(tour)
    return made


def _links(html: str) -> set[str]:
    return {href.replace("&amp;", "&") for href in re.findall(r'href="(/portal/[^"]*)"', html)}


def test_every_portal_page_shows_no_canary(site):
    _plant_clue(site)
    _plant_tours(site)
    client = Client()
    seen, todo = set(), ["/portal/", "/portal/search/?q=周志", "/portal/search/?q=13912345678", "/portal/search/?q=李", "/portal/feedback/"]
    todo += [f"/portal/leaders/{site[k].pk}/" for k in ("leader", "other", "head")]
    todo += [f"/portal/logs/{site[k].pk}/" for k in ("published", "pending", "returned")]
    pages = 0
    while todo:
        url = todo.pop()
        if url in seen:
            continue
        seen.add(url)
        for language in ("zh-hans", "en"):
            client.cookies["django_language"] = language
            response = client.get(url)
            assert response.status_code in (200, 404), url
            html = response.content.decode()
            for canary in CANARIES:
                if "q=" in url and canary in url:
                    html = html.replace(canary, "", 2)  # the search box repeats the query (value and URL)
                assert canary not in html, (url, canary)
            pages += 1
            if response.status_code == 200 and "/portal/language/" not in url:
                todo += [link for link in _links(html) if "/language/" not in link]
    assert pages >= 20
    assert {f"/portal/leaders/{site['leader'].pk}/", f"/portal/logs/{site['published'].pk}/", "/portal/feed/rss/", "/portal/feed/atom/"} <= seen
    assert {f"/portal/leaders/{site['leader'].pk}/feed/rss/", f"/portal/leaders/{site['leader'].pk}/feed/atom/"} <= seen
    assert "/portal/rectification/" in seen


def test_only_published_logs_are_public(site):
    client = Client()
    assert client.get(f"/portal/logs/{site['published'].pk}/").status_code == 200
    assert client.get(f"/portal/logs/{site['pending'].pk}/").status_code == 404
    assert client.get(f"/portal/logs/{site['returned'].pk}/").status_code == 404
    page = client.get(f"/portal/leaders/{site['leader'].pk}/").content.decode()
    assert "调研第二中学新校区" in page and "0951-6011111" in page and "行政中心1号楼" in page and "分管教育、卫生" in page
    assert client.get(f"/portal/leaders/{site['head'].pk}/").status_code == 404  # not a district leader
    week = client.get(reverse("portal:week", args=[2026, 11, 16])).content.decode()
    assert "李区长" in week and "王书记" not in week
    assert client.get(reverse("portal:week", args=[2026, 11, 9])).status_code == 404
    assert client.get(reverse("portal:week", args=[2026, 2, 30])).status_code == 404


def test_search_and_feeds(site):
    client = Client()
    found = client.get("/portal/search/", {"q": "第二中学"}).content.decode()
    assert f"/portal/logs/{site['published'].pk}/" in found
    assert f"/portal/logs/{site['pending'].pk}/" not in client.get("/portal/search/", {"q": "未公开"}).content.decode()
    assert client.get("/portal/search/", {"q": "x\x00" + "y" * 500}).status_code == 200
    both = client.get("/portal/search/", {"q": "第二中学  安全生产"}).content.decode()  # every word, in either text
    assert f"/portal/logs/{site['published'].pk}/" in both
    assert f"/portal/logs/{site['published'].pk}/" not in client.get("/portal/search/", {"q": "第二中学 不存在的词"}).content.decode()
    rss = client.get("/portal/feed/rss/")
    assert rss.status_code == 200 and rss["Content-Type"].startswith("application/rss+xml")
    assert "调研第二中学新校区" in rss.content.decode() and "未公开周志内容" not in rss.content.decode()
    atom = client.get("/portal/feed/atom/")
    assert atom["Content-Type"].startswith("application/atom+xml") and "<entry>" in atom.content.decode()


def test_cached_page_is_renewed_on_publication(site, django_capture_on_commit_callbacks):
    client = Client()
    url = f"/portal/leaders/{site['other'].pk}/"
    first = client.get(url)
    assert "public" in first["Cache-Control"]
    assert "未公开周志内容" not in first.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        log_actions.publish_log(actor=site["office"], log=site["pending"])
    assert "未公开周志内容" in client.get(url).content.decode()


def test_cached_page_served_without_queries(site, django_assert_max_num_queries):
    client = Client()
    client.get("/portal/")
    with django_assert_max_num_queries(1):  # the session-less page is the cache's (the version read is cached too)
        assert client.get("/portal/").status_code == 200


def _challenge(client):
    page = client.get("/portal/feedback/").content.decode()
    a, b = (int(x) for x in re.search(r"(\d) \+ (\d) = \?", page).groups())
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    return a + b, token


def test_feedback_appears_only_after_moderation(site, django_capture_on_commit_callbacks):
    client = Client()
    answer, token = _challenge(client)
    response = client.post(
        "/portal/feedback/", {"kind": "opinion", "subject": "建议增加公交", "body": "夜间公交班次太少", "contact": "", "answer": str(answer), "token": token}
    )
    assert response.status_code == 200
    feedback = PublicFeedback.objects.get(subject="建议增加公交")
    assert feedback.status == "pending" and feedback.contact == ""
    assert "夜间公交班次太少" not in client.get("/portal/feedback/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        log_actions.moderate_feedback(actor=site["office"], feedback=feedback, publish=True, reply="已转交交通局")
    page = client.get("/portal/feedback/").content.decode()
    assert "夜间公交班次太少" in page and "已转交交通局" in page
    # The same challenge cannot be used twice.
    again = client.post("/portal/feedback/", {"kind": "opinion", "subject": "再来", "body": "重复", "answer": str(answer), "token": token})
    assert again.status_code == 400 and not PublicFeedback.objects.filter(subject="再来").exists()
    assert JournalEntry.objects.filter(action="decisions.feedback.received").count() == 2  # the fixture's and this one
    assert "13700000000" not in str(list(JournalEntry.objects.values_list("data", flat=True)))


def test_bad_challenge_refused(site):
    client = Client()
    answer, token = _challenge(client)
    base = {"kind": "report", "subject": "举报", "body": "内容"}
    assert client.post("/portal/feedback/", {**base, "answer": str(answer + 1), "token": token}).status_code == 400
    assert client.post("/portal/feedback/", {**base, "answer": str(answer), "token": token + "x"}).status_code == 400
    assert client.post("/portal/feedback/", {**base, "answer": "", "token": ""}).status_code == 400
    forged = views.signing.dumps({"a": 1, "b": 1, "n": "x"}, salt="another salt")
    assert client.post("/portal/feedback/", {**base, "answer": "2", "token": forged}).status_code == 400
    assert client.post("/portal/feedback/", {**base, "subject": "a\x00b", "answer": str(answer), "token": token}).status_code == 400
    assert client.post("/portal/feedback/", {**base, "body": "x" * 5001, "answer": str(answer), "token": token}).status_code == 400
    assert not PublicFeedback.objects.filter(subject="举报").exists()


def test_feedback_flood_is_rate_limited_without_server_errors(site):
    client = Client(REMOTE_ADDR="203.0.113.9")
    statuses = []
    for n in range(15):
        answer, token = _challenge(client)
        statuses.append(
            client.post("/portal/feedback/", {"kind": "opinion", "subject": f"刷屏{n}", "body": "刷屏", "answer": str(answer), "token": token}).status_code
        )
    assert statuses[:10] == [200] * 10 and statuses[10:] == [429] * 5
    assert PublicFeedback.objects.filter(subject__startswith="刷屏").count() == 10
    other = Client(REMOTE_ADDR="203.0.113.10")
    answer, token = _challenge(other)
    assert other.post("/portal/feedback/", {"kind": "opinion", "subject": "另一地址", "body": "正常", "answer": str(answer), "token": token}).status_code == 200
    cache.clear()


def test_language_switch_stays_on_the_portal(db):
    client = Client()
    response = client.get("/portal/language/", {"to": "en", "next": "/portal/weeks/"})
    assert response.status_code == 302 and response["Location"] == "/portal/weeks/"
    assert response.cookies["django_language"].value == "en"
    assert "Weekly logs by week" in client.get("/portal/weeks/").content.decode()
    assert client.get("/portal/language/", {"to": "en", "next": "https://evil.example/portal/"})["Location"] == "/portal/"
    assert client.get("/portal/language/", {"to": "en", "next": "/accounts/"})["Location"] == "/portal/"
    assert "django_language" not in client.get("/portal/language/", {"to": "xx"}).cookies


def test_not_published_logs_stay_with_the_office(site):
    assert WeeklyLog.objects.filter(status=WeeklyLog.Status.PUBLISHED).count() == 1


# --- the leader page's reads, fragments and per-leader feeds ----------------------------------


def _publish_weeks(site, cadre, count, first=WEEK - dt.timedelta(days=7 * 20)):
    logs = []
    for n in range(count):
        week = first + dt.timedelta(days=7 * n)
        with log_actions.clock_at(dt.datetime.combine(week + dt.timedelta(days=4), dt.time(17), tzinfo=TZ)):
            log = log_actions.submit_log(actor=site["office"], cadre=cadre, week_start=week, this_week=f"第{n}周工作", next_week="下周计划")
            logs.append(log_actions.publish_log(actor=site["office"], log=log))
    return logs


def _leader_queries(client, url, max_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    assert len(queries) <= max_queries, [q["sql"] for q in queries]
    return len(queries)


def test_leader_page_queries_do_not_grow_with_its_logs(site, monkeypatch):
    from jiandu.decisions import log_queries

    counter = iter(range(10**6))
    monkeypatch.setattr(log_queries, "public_version", lambda: f"test-{next(counter)}")  # every request misses the page cache
    client = Client()
    url = f"/portal/leaders/{site['leader'].pk}/"
    # Cold: the leader with their posts and profile, the page's log ids, then the texts of the
    # cards not cached yet (one query for all). Warm: the first two only.
    assert _leader_queries(client, url, 3) == 3
    assert _leader_queries(client, url, 2) == 2
    _publish_weeks(site, site["leader"], 15)
    assert _leader_queries(client, url, 3) == 3
    page = client.get(url).content.decode()
    assert "第14周工作" in page and "第0周工作" in page  # 16 logs: one page of 20
    assert _leader_queries(client, url, 2) == 2
    fragments.clear()  # a new process: the cards are read again, in one query
    assert _leader_queries(client, url + "?page=1", 3) == 3


def test_leader_page_reads_agree_with_the_public_leader(site):
    from jiandu.decisions import log_queries

    for key in ("leader", "other"):
        fast = log_queries.leader_page(site[key].pk)
        assert fast.leader == log_queries.public_leader(site[key].pk)
        assert [log_id for log_id, _at in fast.logs] == list(log_queries.published_logs().filter(cadre_id=site[key].pk).values_list("id", flat=True))
    assert log_queries.leader_page(site["head"].pk) is None  # not a district leader
    assert log_queries.leader_page(10**9) is None
    # A former leader with a published log keeps a page (name only), like public_leader().
    from jiandu.registry.models import Tenure

    Tenure.objects.filter(cadre=site["leader"]).update(ended_on=dt.date(2026, 1, 1))
    former = log_queries.leader_page(site["leader"].pk)
    assert former.leader == log_queries.public_leader(site["leader"].pk) and former.leader.posts == []
    assert [log_id for log_id, _at in former.logs] == [site["published"].pk]


def test_leader_page_header_follows_a_profile_change(site, django_capture_on_commit_callbacks):
    client = Client()
    url = f"/portal/leaders/{site['leader'].pk}/"
    assert "0951-6011111" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        log_actions.save_leader_profile(
            actor=site["office"], cadre=site["leader"], portfolio="分管文旅", office_phone="0951-6022222", office_address="", mailbox=""
        )
    page = client.get(url).content.decode()
    assert "0951-6022222" in page and "0951-6011111" not in page and "分管文旅" in page


def test_per_leader_feeds_hold_only_that_leaders_published_logs(site, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _publish_weeks(site, site["other"], 1)
    client = Client()
    page = client.get(f"/portal/leaders/{site['leader'].pk}/").content.decode()
    rss_url = reverse("portal:leader_feed_rss", args=[site["leader"].pk])
    atom_url = reverse("portal:leader_feed_atom", args=[site["leader"].pk])
    alternates = re.findall(r'<link rel="alternate" [^>]*href="([^"]+)"', page)
    assert rss_url in alternates and atom_url in alternates  # discoverable by feed readers
    assert f'<a href="{rss_url}">RSS</a>' in page and f'<a href="{atom_url}">Atom</a>' in page  # and visible
    for url, kind in ((rss_url, "application/rss+xml"), (atom_url, "application/atom+xml")):
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"].startswith(kind)
        body = response.content.decode()
        assert "调研第二中学新校区" in body and "李区长" in body
        assert "第0周工作" not in body and "王书记" not in body  # the other leader's published log
        assert "退回的周志内容" not in body and "未公开周志内容" not in body
        for canary in CANARIES:
            assert canary not in body
    other = client.get(reverse("portal:leader_feed_rss", args=[site["other"].pk])).content.decode()
    assert "第0周工作" in other and "调研第二中学新校区" not in other
    assert client.get(reverse("portal:leader_feed_rss", args=[site["head"].pk])).status_code == 404  # not a district leader
    assert client.get(reverse("portal:leader_feed_atom", args=[10**9])).status_code == 404


def test_lists_and_feeds_read_no_column_per_log(site, monkeypatch):
    from jiandu.decisions import log_queries

    _publish_weeks(site, site["leader"], 12)
    counter = iter(range(10**6))
    monkeypatch.setattr(log_queries, "public_version", lambda: f"test-{next(counter)}")
    client = Client()
    for url, most in (
        ("/portal/", 5),
        ("/portal/feed/rss/", 2),
        (reverse("portal:leader_feed_atom", args=[site["leader"].pk]), 5),
        ("/portal/search/?q=工作", 3),
    ):
        _leader_queries(client, url, most)


def test_kept_fragments_are_bounded_and_keyed_by_what_they_vary_on(site, monkeypatch):
    monkeypatch.setattr(fragments, "LIMIT", 3)
    fragments.clear()
    assert fragments.kept(("a",), lambda: "A") == "A" and fragments.kept(("a",), lambda: "changed") == "A"
    fragments.put(("b",), "B")
    fragments.put(("c",), "C")
    fragments.put(("d",), "D")  # past the bound: the store starts again
    assert fragments.get(("a",)) is None and fragments.get(("d",)) == "D"
    # the navigation is kept per language and path: the language switch link names the path
    client = Client()
    weeks = client.get("/portal/weeks/").content.decode()
    index = client.get("/portal/").content.decode()
    assert "next=/portal/weeks/" in weeks and "next=/portal/weeks/" not in index


def test_only_published_rectification_summaries_are_public(site):
    client = Client()
    assert "尚未公布巡察整改情况" in client.get("/portal/rectification/").content.decode()  # the empty state
    _plant_tours(site)
    page = client.get("/portal/rectification/").content.decode()
    assert "2026年第一轮巡察" in page and "已整改问题12个" in page and "教育局" in page  # the inspected unit
    assert "2026年第二轮巡察" not in page and "未公开整改摘要" not in page  # not marked publishable
    assert "2026年第三轮巡察" not in page  # not at the rectification stage yet
    assert "巡察报告秘密" not in page
    assert "public" in client.get("/portal/rectification/")["Cache-Control"]
    assert "/portal/rectification/" in client.get("/portal/").content.decode()  # in the navigation
