"""The data migration 0007: each finding's owner, deadline, status and reports become one
rectification item with its progress reports (run backwards to 0006 and forwards again)."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("audits", "0006_rectification_items")]
AFTER = [("audits", "0008_finding_rectification_moved_to_items")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_findings_become_items_with_their_reports(district):
    from .test_course import _reported

    audit = _reported(district)
    try:
        old = _migrate(BEFORE)
        Finding = old.get_model("audits", "Finding")
        Report = old.get_model("audits", "RectificationReport")
        Cadre = old.get_model("registry", "Cadre")
        owner = Cadre.objects.get(pk=district.li.pk)
        due = dt.date(2026, 11, 1)
        common = {"audit_id": audit.pk, "category": "other", "responsibility": "direct", "owner": owner, "due_on": due}
        verified = Finding.objects.create(description="已整改的问题", status="verified", verified_on=dt.date(2026, 10, 5), **common)
        reported = Finding.objects.create(description="待核实的问题", status="reported", **common)
        untouched = Finding.objects.create(description="未整改的问题", status="open", **common)
        by = district.auditor.pk
        Report.objects.create(finding=verified, kind="progress", on=dt.date(2026, 10, 1), text="进展", recorded_by_id=by)
        Report.objects.create(finding=verified, kind="returned", on=dt.date(2026, 10, 2), text="不足", recorded_by_id=by)
        Report.objects.create(finding=verified, kind="progress", on=dt.date(2026, 10, 3), text="补齐", recorded_by_id=by)
        Report.objects.create(finding=verified, kind="accepted", on=dt.date(2026, 10, 5), text="同意", recorded_by_id=by)
        Report.objects.create(finding=reported, kind="progress", on=dt.date(2026, 10, 1), text="已报", recorded_by_id=by)
        new = _migrate(AFTER)
        Item = new.get_model("audits", "RectificationItem")
        done = Item.objects.get(finding_id=verified.pk)
        assert (done.status, done.closed_on, done.verification_note, done.verified_by_id) == ("closed", dt.date(2026, 10, 5), "同意", by)
        assert list(done.updates.order_by("created_at", "id").values_list("kind", "progress")) == [
            ("progress", "进展"),
            ("returned", "不足"),
            ("progress", "补齐"),
        ]
        waiting = Item.objects.get(finding_id=reported.pk)
        assert (waiting.status, waiting.owner, waiting.owner_cadre_id, waiting.due_on, waiting.measure) == (
            "reported",
            owner.name,
            owner.pk,
            due,
            "待核实的问题",
        )
        assert Item.objects.get(finding_id=untouched.pk).status == "open"
        statuses = dict(new.get_model("audits", "Finding").objects.values_list("pk", "status"))
        assert statuses == {verified.pk: "verified", reported.pk: "open", untouched.pk: "open"}
    finally:
        # Back to the latest state of every app (not only to AFTER: later migrations, of audits or
        # of apps depending on it, must be applied again for the tests that follow).
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        leaves = executor.loader.graph.leaf_nodes()
        executor.migrate(leaves)
        assert MigrationExecutor(connection).migration_plan(leaves) == []
