"""Each existing finding's owner, deadline and status, and its rectification reports, become one
rectification item with its progress reports: an accepted report becomes the item's verification
(closed, 销号), a returned one a "returned for more work" entry; a finding reported and awaiting
verification becomes a reported item, and the finding itself stays open until its items close."""

from django.db import migrations


def forward(apps, schema_editor):
    Finding = apps.get_model("audits", "Finding")
    Report = apps.get_model("audits", "RectificationReport")
    Item = apps.get_model("audits", "RectificationItem")
    Update = apps.get_model("audits", "RectificationUpdate")
    for finding in Finding.objects.select_related("owner").order_by("pk").iterator():
        item = Item.objects.create(
            finding=finding,
            measure=finding.description,
            owner=finding.owner.name[:100],
            owner_cadre=finding.owner,
            due_on=finding.due_on,
            status={"verified": "closed", "reported": "reported"}.get(finding.status, "open"),
            created_at=finding.created_at,
        )
        accepted = None
        for report in Report.objects.filter(finding=finding).order_by("recorded_at", "pk"):
            if report.kind == "accepted":
                accepted = report
                continue
            Update.objects.create(
                item=item,
                kind="returned" if report.kind == "returned" else "progress",
                on=report.on,
                progress=report.text or "—",
                created_by_id=report.recorded_by_id,
                created_at=report.recorded_at,
            )
        if item.status == "closed":
            item.closed_on = finding.verified_on or (accepted.on if accepted else finding.due_on)
            item.verification_note = accepted.text if accepted else ""
            item.verified_by_id = accepted.recorded_by_id if accepted else None
            item.save(update_fields=["closed_on", "verification_note", "verified_by"])
    Finding.objects.filter(status="reported").update(status="open")


def backward(apps, schema_editor):
    apps.get_model("audits", "RectificationItem").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("audits", "0006_rectification_items")]

    operations = [migrations.RunPython(forward, backward)]
