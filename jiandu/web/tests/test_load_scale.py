"""manage.py load_scale (issue 17 §1): a tiny province through the bulk paths. The rows are what the
actions would store, the journal is one valid chain, the pages open on the data for the
organisation officer, a second run without --force is refused, and (§2) the main list and detail
pages issue as many queries at twice the data as at once the data."""

import io
import re
from collections import Counter

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Count, Max
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jiandu import testing
from jiandu.accounts.models import Role, User
from jiandu.appraisals.models import AppraisalCycle, AssessedCadre, AssessedUnit
from jiandu.ballots import tally
from jiandu.ballots.models import Answer, Ballot, CastBallot, GroupTally, Receipt, SealedBallot, TallyCount, VotingCode
from jiandu.core import journal
from jiandu.core.models import JournalEntry
from jiandu.oversight.models import Clue, Disposition, Inquiry, Talk
from jiandu.registry.actions.cadres import pinyin_of
from jiandu.registry.models import Cadre, Position, Relative, ResumeLine, Tenure, Unit
from jiandu.registry.validators import id_number_problem
from jiandu.web.scale import Plan
from jiandu.web.scale.generator import OFFICER

SCALE = "0.001"
TINY = "0.0001"  # 20 cadres, 20 oversight records: every list fits on one page
PAGES = ["registry:cadre_list", "registry:unit_tree", "oversight:talk_list", "oversight:disposition_list", "oversight:inquiry_list"]


def load(*args, scale=SCALE) -> str:
    out = io.StringIO()
    call_command("load_scale", "--scale", scale, "--seed", "5", *args, stdout=out)
    return out.getvalue()


def officer_client(client):
    return testing.log_in(client, testing.make_user(role=Role.ORG_OFFICER, unit=None))


@pytest.mark.django_db
@pytest.mark.slow
def test_load_scale_builds_what_the_actions_would_and_a_valid_journal(client):
    output = load()
    plan = Plan.at(float(SCALE))

    # The tree: four levels, paths as create_unit builds them.
    assert Unit.objects.count() == plan.units == 5
    assert Unit.objects.aggregate(Max("depth"))["depth__max"] == 3
    for unit in Unit.objects.select_related("parent"):
        assert unit.path == (unit.parent.path if unit.parent else "") + f"{unit.pk:06d}/"
        assert unit.depth == (unit.parent.depth + 1 if unit.parent else 0)

    # Cadres: valid ID numbers, the registry's pinyin, one current tenure each in their own unit.
    assert Cadre.objects.count() == plan.cadres == 100
    for cadre in Cadre.objects.all():
        assert id_number_problem(cadre.id_number) is None
        assert (cadre.name_pinyin, cadre.name_initials) == pinyin_of(cadre.name)
    current = Tenure.objects.filter(ended_on__isnull=True)
    assert current.count() == plan.cadres
    assert not current.exclude(position__unit_id=models_f("cadre__unit_id")).exists()
    assert plan.cadres < Tenure.objects.count() <= plan.tenures
    # Each unit: one principal and a deputy with financial authority (departures of both lead to audits).
    assert Position.objects.filter(is_principal=True, has_financial_authority=True).count() == plan.units
    assert Position.objects.filter(is_principal=False, has_financial_authority=True, portfolio="分管财务").count() == plan.units
    # No post has two current principals; no cadre's tenures overlap.
    assert not Position.objects.filter(is_principal=True, tenures__ended_on__isnull=True).annotate(n=Count("tenures")).filter(n__gt=1).exists()
    for cadre_id in Cadre.objects.values_list("pk", flat=True)[:20]:
        spans = list(Tenure.objects.filter(cadre_id=cadre_id).order_by("started_on").values_list("started_on", "ended_on"))
        assert all(earlier[1] is not None and earlier[1] < later[0] for earlier, later in zip(spans, spans[1:], strict=False))
    assert Relative.objects.count() > 50 and ResumeLine.objects.count() >= Tenure.objects.count()
    # Oversight: 200 records in the proportions.
    assert (Talk.objects.count(), Disposition.objects.count(), Inquiry.objects.count(), Clue.objects.count()) == (80, 50, 40, 30)
    assert sorted(Clue.objects.values_list("number", flat=True))[0].endswith("-0001")

    # Appraisal cycles (one at this size) with their democratic evaluations voted and closed: the
    # ballot engine's rows after close, a tally that a recount from the raw answers agrees with.
    assert AppraisalCycle.objects.count() == plan.cycles == 1
    cycle = AppraisalCycle.objects.get()
    assert cycle.status == AppraisalCycle.Status.GRADES_PROPOSED and cycle.unit.depth == 1
    assert AssessedUnit.objects.count() == 3 and not AssessedUnit.objects.filter(ballot_id__isnull=True).exists()
    assert AssessedCadre.objects.filter(proposed_grade="").count() == 0 and AssessedCadre.objects.count() == 6
    assert not SealedBallot.objects.exists() and not Ballot.objects.exclude(status=Ballot.Status.CLOSED).exists()
    assert not Ballot.objects.exclude(sealing_key=b"").exists()
    cast = CastBallot.objects.count()
    assert 0.75 * plan.ballots <= cast <= 1.25 * plan.ballots and Receipt.objects.count() == cast
    assert VotingCode.objects.filter(is_used=True).count() == cast
    for ballot in Ballot.objects.all():
        # Each counted ballot answers every question about every subject its group rates.
        items = {g.pk: g.subjects.count() for g in ballot.groups.all()}
        per_group = Counter(CastBallot.objects.filter(ballot=ballot).values_list("group_id", flat=True))
        assert Answer.objects.filter(ballot=ballot).count() == sum(per_group[g] * (1 + 6 * (n - 1)) for g, n in items.items())
        assert sum(t.online for t in GroupTally.objects.filter(ballot=ballot)) == sum(per_group.values())
        assert TallyCount.objects.filter(ballot=ballot).exists()
        result = tally.recount(ballot)
        assert result.ok and result.ballots == sum(per_group.values()), result.differences
    scored = AssessedCadre.objects.exclude(score=None)
    assert scored.count() == 6 and all(row.valid_votes and row.ballots_counted for row in scored)

    # The journal: one entry per row as the action writes it, padded to the size, one valid chain.
    actions = Counter(JournalEntry.objects.values_list("action", flat=True))
    assert actions["registry.cadre.created"] == 100 and actions["registry.unit.created"] == 5
    assert actions["registry.tenure.started"] == Tenure.objects.count()
    assert actions["oversight.talk.recorded"] == 80 and actions["oversight.clue.registered"] == 30
    assert actions["ballots.ballot.closed"] == 3 and actions["ballots.codes.generated"] == 6
    assert actions["appraisals.evaluation.closed"] == 1 and actions["appraisals.grades.proposed"] == 1
    assert JournalEntry.objects.count() >= plan.journal == 10_000
    assert journal.verify().ok
    assert "journal verifies" in output and "registry_cadre" in output and "rows/s" in output

    # The planner knows the tables' sizes at once (ANALYZE after the load, not autovacuum later).
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [Tenure._meta.db_table])
            assert cursor.fetchone()[0] == Tenure.objects.count()

    # Pages open on the generated data for an organisation officer.
    client = officer_client(client)
    for name in PAGES:
        assert client.get(reverse(name)).status_code == 200, name
    cadre = Cadre.objects.order_by("pk").last()
    assert client.get(reverse("registry:cadre_detail", args=[cadre.pk])).status_code == 200
    for name in ["appraisals:cycle_detail", "appraisals:grades", "appraisals:results", "appraisals:results_export"]:
        assert client.get(reverse(name, args=[cycle.pk])).status_code == 200, name
    ballot = Ballot.objects.order_by("pk").first()
    page = client.get(reverse("ballots:results", args=[ballot.pk]))
    assert page.status_code == 200 and AssessedCadre.objects.order_by("pk").first().cadre_name in page.content.decode()
    assert User.objects.get(username=OFFICER).must_change_password
    # The accounts' initial passwords (printed once) meet the password policy.
    issued = re.findall(r"Account (\S+) created; initial password \(must be changed at first login\): (\S+)", output)
    assert {username for username, _password in issued} >= {OFFICER}
    for username, password in issued:
        validate_password(password, User.objects.get(username=username))
    # Clues are read by the sending department's clue officer (the org officer does not see them).
    member = Clue.objects.order_by("pk").first().from_unit
    clue_officer = testing.grant_role(testing.make_user(), Role.CLUE_OFFICER, member)
    page = testing.log_in(client, clue_officer).get(reverse("oversight:clue_list"))
    newest = Clue.objects.filter(from_unit=member).order_by("-pk").first()
    assert page.status_code == 200 and newest.number in page.content.decode()

    # A second run without --force is refused and writes nothing.
    count = JournalEntry.objects.count()
    with pytest.raises(CommandError, match="already has units"):
        load()
    assert (Cadre.objects.count(), JournalEntry.objects.count()) == (100, count)


def models_f(name):
    from django.db.models import F

    return F(name)


def _queries(client, url) -> int:
    """Queries of one rendering, the least of two: the session middleware now and then saves the
    session (last activity), which is not the page's cost."""
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200, url
        counts.append(len(captured))
    return min(counts)


@pytest.mark.django_db
@pytest.mark.slow
def test_query_counts_do_not_grow_with_the_data(client):
    """Issue 17 §2: each main list and detail page, rendered on data of size s and again on 2s
    (a second province added with --force), issues the same number of queries. The size is small
    enough that every list shows all its rows on one page, so a query per row would show."""
    load(scale=TINY)
    client = officer_client(client)
    cadre = Cadre.objects.filter(relatives__isnull=False).order_by("pk").first()
    details = [
        ("registry:cadre_detail", cadre),
        ("registry:unit_detail", Unit.objects.get(parent=None)),
        ("oversight:talk_detail", Talk.objects.order_by("pk").first()),
        ("oversight:disposition_detail", Disposition.objects.order_by("pk").first()),
        ("oversight:inquiry_detail", Inquiry.objects.order_by("pk").first()),
    ]
    cycle = AppraisalCycle.objects.get()
    details += [(name, cycle) for name in ("appraisals:cycle_detail", "appraisals:grades", "appraisals:results")]
    details += [("dossier:cadre", cadre)]
    more = ["appraisals:index", "registry:position_list", "registry:tenure_list", "core:home", "core:todo", "dossier:alerts", "dossier:statistics"]
    urls = [reverse(name) for name in [*PAGES, *more]] + [reverse(name, args=[obj.pk]) for name, obj in details]
    for url in urls:
        _queries(client, url)  # warm the per-process caches (settings, translations)
    before = {url: _queries(client, url) for url in urls}
    shown = {name: client.get(reverse(name)).context["page"].paginator.count for name in PAGES[2:]}
    load("--force", scale=TINY)
    assert Unit.objects.filter(parent=None).count() == 2 and Cadre.objects.count() == 40
    for name, rows in shown.items():
        page = client.get(reverse(name)).context["page"]
        assert page.paginator.count == 2 * rows and len(page.object_list) == 2 * rows, name
    after = {url: _queries(client, url) for url in urls}
    assert after == before
