"""Field-by-field comparison of a report with the departments' replies (查核). Pure reads."""

from dataclasses import dataclass

from . import items as item_specs
from .models import Check, ReplyItem, ReportItem


@dataclass
class Comparison:
    reply_item: ReplyItem
    report_item: ReportItem | None
    status: str  # same | differs | not_reported
    fields: list  # [(label, reported, recorded)] of every field, differing ones flagged
    finding: object = None

    @property
    def suggested(self) -> str:
        return "consistent" if self.status == "same" else "omission"


def compare(check: Check) -> list[Comparison]:
    reported = {}
    if check.report is not None:
        for item in check.report.items.all():
            spec = item.kind_spec
            reported.setdefault(item_specs.key_of(spec, item.holder_name, item.values), item)
    result = []
    replies = ReplyItem.objects.filter(request__check_case=check).select_related("request").order_by("request_id", "position")
    findings = {f.reply_item_id: f for f in check.findings.all()}
    for reply in replies:
        spec = reply.kind_spec
        recorded = reply.values
        match = reported.get(item_specs.key_of(spec, reply.holder_name, recorded))
        own = match.values if match else {}
        differing = item_specs.differing_fields(spec, own, recorded) if match else []
        status = "not_reported" if match is None else ("differs" if differing else "same")
        fields = [(f.label, own.get(f.name, ""), recorded.get(f.name, ""), f.name in differing) for f in spec.fields]
        result.append(Comparison(reply, match, status, fields, findings.get(reply.pk)))
    return result
