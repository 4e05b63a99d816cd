import datetime as dt

import pytest
from django.urls import reverse

from jiandu.core import timeline
from jiandu.core.models import JournalEntry
from jiandu.dossier.models import LastLook
from jiandu.oversight.models import Clue, Talk
from jiandu.testing import api_client, log_in

CANARIES = ["CANARY-TALK-NOTES", "CANARY-INQUIRY", "CANARY-CLUE", "CANARY-APPRAISAL", "CANARY-YELLOW-CARD", "CANARY-AUDIT", "CANARY-VOTE", "CANARY-TRAINING"]

# What each role may see of the cadre's file (the owning apps' rules; see each timeline.py).
SHARES = {
    "officer": {"CANARY-TALK-NOTES", "CANARY-INQUIRY", "CANARY-APPRAISAL", "CANARY-YELLOW-CARD", "CANARY-AUDIT", "CANARY-TRAINING", "CANARY-VOTE"},
    "head": set(CANARIES),
    "discipline": {"CANARY-TALK-NOTES", "CANARY-INQUIRY", "CANARY-AUDIT", "CANARY-TRAINING"},
    "clue_officer": {"CANARY-TALK-NOTES", "CANARY-INQUIRY", "CANARY-AUDIT", "CANARY-TRAINING", "CANARY-CLUE"},
    "auditor": {"CANARY-AUDIT", "CANARY-TRAINING"},
    "vetting": set(),
    "committee": {"CANARY-TALK-NOTES", "CANARY-INQUIRY", "CANARY-APPRAISAL", "CANARY-YELLOW-CARD"},
    "leader": {"CANARY-TALK-NOTES", "CANARY-INQUIRY", "CANARY-APPRAISAL", "CANARY-AUDIT", "CANARY-TRAINING"},
    # self service: own inquiry, confirmed grade, own audit and own stance; no talk notes, no
    # yellow-card proposal, no clue
    "cadre": {"CANARY-INQUIRY", "CANARY-APPRAISAL", "CANARY-AUDIT", "CANARY-TRAINING", "CANARY-VOTE"},
}


def _page(client, cadre, query=""):
    return client.get(reverse("dossier:cadre", args=[cadre.pk]) + query)


@pytest.mark.parametrize("reader", sorted(SHARES))
def test_each_role_sees_exactly_its_share_of_the_canaries(world, client, reader):
    user = getattr(world.readers, reader)
    log_in(client, user)
    response = _page(client, world.zhang)
    assert response.status_code == 200
    page = response.content.decode()
    seen = {c for c in CANARIES if c in page}
    assert seen == SHARES[reader]
    assert "CANARY-DRAFT" not in page  # a draft inquiry is nobody's fact yet
    assert "副局长" in page  # posts: every reader of the file
    # the API gives the same share
    body = api_client(user).get(f"/api/v1/dossier/cadres/{world.zhang.pk}").content.decode()
    assert {c for c in CANARIES if c in body} == SHARES[reader]


@pytest.mark.parametrize("reader", ["other_leader", "other_cadre"])
def test_a_cadre_outside_the_readers_scope_is_404(world, client, reader):
    log_in(client, getattr(world.readers, reader))
    for name in ("dossier:cadre", "dossier:cadre_pdf", "dossier:cadre_xlsx"):
        assert client.get(reverse(name, args=[world.zhang.pk])).status_code == 404
    assert api_client(getattr(world.readers, reader)).get(f"/api/v1/dossier/cadres/{world.zhang.pk}").status_code == 404
    assert not JournalEntry.objects.filter(action="dossier.cadre.viewed").exists()


def test_anonymous_is_sent_to_log_in(world, client):
    response = _page(client, world.zhang)
    assert response.status_code == 302 and "login" in response["Location"]


def test_every_view_is_journaled_and_clue_reads_too(world, client):
    log_in(client, world.readers.clue_officer)
    _page(client, world.zhang)
    viewed = JournalEntry.objects.filter(action="dossier.cadre.viewed", cadre_id=world.zhang.pk, actor_id=world.readers.clue_officer.pk)
    assert viewed.count() == 1 and viewed.get().data == {"via": "page"}
    clue_reads = JournalEntry.objects.filter(action="oversight.clue.viewed", target_id=str(world.facts.clue.pk))
    assert clue_reads.count() == 1 and clue_reads.get().data == {"via": "dossier"}
    # a reader who may not see the clue leaves no clue read behind
    log_in(client, world.readers.leader)
    _page(client, world.zhang)
    assert clue_reads.count() == 1


def test_header_shows_post_and_running_influence_period_with_bar_and_end(world, client):
    log_in(client, world.readers.officer)
    page = _page(client, world.zhang).content.decode()
    header = page.split('id="header"')[1].split("</dl>")[0]
    assert "财政局 局长" in header
    from django.utils import translation

    d = world.facts.disposition
    with translation.override("zh-hans"):
        bar, measure = str(d.get_bar_display()), str(d.get_measure_display())
    influence = header.split('id="influence"')[1]
    assert d.influence_ends_on.isoformat() in influence and bar in influence and measure in influence
    # the ID number is masked for a reader without registry.view_sensitive on the unit
    log_in(client, world.readers.committee)
    page = _page(client, world.zhang).content.decode()
    assert world.zhang.id_number not in page and world.zhang.id_number[-2:] in page
    log_in(client, world.readers.officer)
    assert world.zhang.id_number in _page(client, world.zhang).content.decode()


def test_influence_period_over_yesterday_is_not_in_the_header(world, client):
    d = world.facts.disposition
    d.influence_ends_on = dt.date.today() - dt.timedelta(days=1)
    d.save()
    log_in(client, world.readers.officer)
    header = _page(client, world.zhang).content.decode().split('id="influence"')[1].split("</dd>")[0]
    assert d.get_measure_display() not in header
    d.influence_ends_on = dt.date.today()  # its last day: still running
    d.save()
    header = _page(client, world.zhang).content.decode().split('id="influence"')[1].split("</dd>")[0]
    assert "CANARY" not in header and dt.date.today().isoformat() in header


def test_newest_first_and_filters_by_pillar_and_year(world, client):
    log_in(client, world.readers.head)
    page = _page(client, world.zhang).content.decode()
    dates = [d for d in __import__("re").findall(r"<tr(?: class=\"new\")?><td>(\d{4}-\d\d-\d\d)</td>", page)]
    assert dates == sorted(dates, reverse=True) and len(dates) >= 10
    only = _page(client, world.zhang, "?pillar=audits").content.decode()
    assert "CANARY-AUDIT" in only and "CANARY-TALK-NOTES" not in only and "CANARY-VOTE" not in only
    year = _page(client, world.zhang, "?year=2018").content.decode()
    assert "副局长" in year and "CANARY-TALK-NOTES" not in year and "CANARY-AUDIT" not in year
    # a filter that is not understood shows everything, with a message, never a server error
    bad = _page(client, world.zhang, "?year=abc&pillar=%00x")
    assert bad.status_code == 200 and "CANARY-AUDIT" in bad.content.decode()


def test_a_failing_pillar_shows_unavailable_and_the_page_renders(world, client, monkeypatch):
    def broken(viewer, cadre):
        raise RuntimeError("boom")

    pillar = timeline._pillars["audits"]
    monkeypatch.setitem(timeline._pillars, "audits", timeline.Pillar("audits", pillar.label, pillar.order, broken))
    log_in(client, world.readers.officer)
    response = _page(client, world.zhang)
    page = response.content.decode()
    assert response.status_code == 200
    assert "暂不可用" in page and "CANARY-AUDIT" not in page
    assert "CANARY-TALK-NOTES" in page  # the other pillars still show


def test_a_source_whose_query_fails_makes_only_its_pillar_unavailable(world, client, monkeypatch):
    """The combined query fails; every source is then read on its own and only the broken one's
    pillar is unavailable (also on PostgreSQL, where a failed statement would end the transaction)."""
    import dataclasses

    pillar = timeline._pillars["audits"]

    def broken_sql(viewer, cadre):
        found = pillar.sources(viewer, cadre)
        return [dataclasses.replace(found[0], queryset=found[0].queryset.extra(where=["no_such_column = 1"]))] + found[1:]

    monkeypatch.setitem(timeline._pillars, "audits", timeline.Pillar("audits", pillar.label, pillar.order, broken_sql))
    log_in(client, world.readers.head)
    response = _page(client, world.zhang)
    page = response.content.decode()
    assert response.status_code == 200
    assert "暂不可用" in page and "CANARY-AUDIT" not in page and "CANARY-TRAINING" not in page
    assert "CANARY-TALK-NOTES" in page and "CANARY-CLUE" in page and "CANARY-VOTE" in page


def test_what_changed_since_my_last_look(world, client):
    log_in(client, world.readers.officer)
    first = _page(client, world.zhang).content.decode()
    assert 'class="new"' not in first
    look = LastLook.objects.get(user=world.readers.officer, cadre=world.zhang)
    Talk.objects.create(
        cadre=world.zhang, unit=world.finance, kind=Talk.Kind.ROUTINE, talked_on=dt.date.today(), summary="CANARY-LATER", created_by=world.readers.officer
    )
    changed = _page(client, world.zhang, "?changed=on").content.decode()
    assert changed.count('class="new"') == 1 and "CANARY-LATER" in changed and "CANARY-TALK-NOTES" not in changed
    # every look moves the reader's last look: the next one shows nothing new
    again = _page(client, world.zhang).content.decode()
    assert 'class="new"' not in again and "CANARY-LATER" in again
    assert LastLook.objects.get(pk=look.pk).seen_at > look.seen_at
    # each reader has their own last look
    log_in(client, world.readers.head)
    assert 'class="new"' not in _page(client, world.zhang).content.decode()


def test_the_registry_cadre_page_links_the_file(world, client):
    log_in(client, world.readers.leader)
    page = client.get(reverse("registry:cadre_detail", args=[world.zhang.pk])).content.decode()
    assert reverse("dossier:cadre", args=[world.zhang.pk]) in page


def test_self_service_opens_own_file_and_nothing_else(world, client):
    log_in(client, world.readers.cadre)
    response = client.get(reverse("dossier:index"))
    assert response.status_code == 302 and response["Location"] == reverse("dossier:cadre", args=[world.zhang.pk])
    assert _page(client, world.other).status_code == 404
    page = _page(client, world.zhang).content.decode()
    # linked only where the page leads nowhere closed to the cadre: the inquiry, not the talk or report
    assert reverse("oversight:inquiry_detail", args=[world.facts.inquiry.pk]) in page
    assert reverse("oversight:talk_detail", args=[world.facts.talk.pk]) not in page
    assert reverse("oversight:duty_report_detail", args=[world.facts.duty.pk]) not in page
    log_in(client, world.readers.officer)
    assert client.get(reverse("dossier:index")).status_code == 404  # no linked cadre


def test_pdf_and_xlsx_are_journaled_masked_and_leave_clues_out(world, client):
    from python_calamine import CalamineWorkbook

    log_in(client, world.readers.head)
    response = client.get(reverse("dossier:cadre_xlsx", args=[world.zhang.pk]))
    assert response.status_code == 200
    import io

    rows = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()
    text = "\n".join(str(c) for row in rows for c in row)
    assert world.zhang.id_number in text  # the head may see it in clear
    assert "CANARY-AUDIT" in text and "CANARY-CLUE" not in text
    log_in(client, world.readers.committee)
    rows = (
        CalamineWorkbook.from_filelike(io.BytesIO(client.get(reverse("dossier:cadre_xlsx", args=[world.zhang.pk])).content)).get_sheet_by_index(0).to_python()
    )
    text = "\n".join(str(c) for row in rows for c in row)
    assert world.zhang.id_number not in text and "CANARY-YELLOW-CARD" in text
    pdf = client.get(reverse("dossier:cadre_pdf", args=[world.zhang.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    exported = JournalEntry.objects.filter(action="dossier.cadre.exported", cadre_id=world.zhang.pk)
    assert sorted(e.data["format"] for e in exported) == ["pdf", "xlsx", "xlsx"]


@pytest.mark.parametrize("reader", ["officer", "head", "clue_officer", "cadre"])
def test_queries_are_bounded_whatever_the_history_length(world, client, reader, transactional_db):
    """At most 15 queries for the page (issue #16), the same with 3 or 300 facts of history —
    counted as in production: no test transaction around the request, so no savepoints."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user = getattr(world.readers, reader)
    log_in(client, user)
    _page(client, world.zhang)  # the first look creates the last look

    with CaptureQueriesContext(connection) as short:
        assert _page(client, world.zhang).status_code == 200
    Talk.objects.bulk_create(
        Talk(
            cadre=world.zhang,
            unit=world.finance,
            kind=Talk.Kind.ROUTINE,
            status=Talk.Status.HELD,
            talked_on=dt.date(2020, 1, 1) + dt.timedelta(days=n),
            summary=f"t{n}",
            created_by=world.readers.officer,
        )
        for n in range(240)
    )
    Clue.objects.bulk_create(
        Clue(
            cadre=world.zhang,
            cadre_unit=world.finance,
            from_unit=world.discipline,
            to_unit=world.root,
            source="petition",
            summary=f"c{n}",
            created_by=world.readers.officer,
        )
        for n in range(60)
    )
    with CaptureQueriesContext(connection) as long:
        page = _page(client, world.zhang).content.decode()
    assert len(long.captured_queries) == len(short.captured_queries) <= 15, "\n".join(q["sql"][:120] for q in long.captured_queries)
    assert len(page.split("<tr")) - 2 == timeline.PAGE_SIZE  # a page, not the whole history
    assert 'rel="next"' in page  # the older entries are a click away
    if reader in ("head", "clue_officer"):  # the 60 clues are the newest facts: 50 on the page, each read journaled
        reads = JournalEntry.objects.filter(action="oversight.clue.viewed", actor_id=user.pk, data={"via": "dossier"})
        assert page.count("c5") >= 1 and reads.filter(target_id__in=[str(c.pk) for c in Clue.objects.filter(summary__regex=r"^c\d+$")]).count() == 50
    elif reader == "officer":
        assert "t239" in page and ">t0<" not in page


def test_older_entries_continue_where_the_page_ended(world, client):
    log_in(client, world.readers.officer)
    Talk.objects.bulk_create(
        Talk(
            cadre=world.zhang,
            unit=world.finance,
            kind=Talk.Kind.ROUTINE,
            status=Talk.Status.HELD,
            talked_on=dt.date(2019, 1, 1) + dt.timedelta(days=n),
            summary=f"old{n:03d}",
            created_by=world.readers.officer,
        )
        for n in range(120)
    )
    import re

    seen, url, pages = [], reverse("dossier:cadre", args=[world.zhang.pk]), 0
    while url:
        page = client.get(url).content.decode()
        seen += re.findall(r"old\d{3}", page)
        more = re.search(r'href="(\?[^"]*before=[^"]*)#timeline" rel="next"', page)
        url = reverse("dossier:cadre", args=[world.zhang.pk]) + more.group(1).replace("&amp;", "&") if more else ""
        pages += 1
    assert pages == 3  # 120 talks and the other facts: three pages of 50
    assert seen == [f"old{n:03d}" for n in range(119, -1, -1)]  # newest first, none twice, none missing
    assert client.get(reverse("dossier:cadre", args=[world.zhang.pk]) + "?before=garbage").status_code == 200
    # the API pages the same way: `next` continues as `before`
    api, keys, before = api_client(world.readers.officer), [], ""
    for _ in range(5):
        body = api.get(f"/api/v1/dossier/cadres/{world.zhang.pk}", {"limit": 60, "before": before}).json()
        keys += [e["title"] + e["summary"] for e in body["entries"]]
        before = body["next"]
        if not before:
            break
    assert body["total"] == len(keys) and len(set(keys)) == len(keys) and sum("old" in k for k in keys) == 120


def test_photo_from_the_registry_for_those_who_may_open_the_file(world, client):
    import io

    from PIL import Image

    from jiandu.registry.models import CadreRecord

    url = reverse("dossier:cadre_photo", args=[world.zhang.pk])
    log_in(client, world.readers.leader)
    assert client.get(url).status_code == 404  # no photo on file
    assert 'id="photo"' not in _page(client, world.zhang).content.decode()
    buffer = io.BytesIO()
    Image.new("RGB", (30, 40), (200, 30, 30)).save(buffer, "PNG")
    CadreRecord.objects.create(cadre=world.zhang, photo_data=buffer.getvalue())
    assert 'id="photo"' in _page(client, world.zhang).content.decode()
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png" and response.content == buffer.getvalue()
    log_in(client, world.readers.other_leader)
    assert client.get(url).status_code == 404
