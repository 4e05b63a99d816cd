"""The 三重一大 register as a workbook: the import template's columns, reading an upload into rows
for `register_actions.import_entries` (every problem names its Excel row; nothing is stored when
any row is refused), and the export."""

import tempfile

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiandu.core import exports
from jiandu.core.errors import ActionError

from . import actions, register_queries
from .models import MatterKind

MAX_ROWS = 2000

IMPORT_COLUMNS = [
    exports.Column("kind", gettext_lazy("Kind"), exports.CHOICE, required=True, choices=MatterKind.choices, width=18),
    exports.Column("title", gettext_lazy("Title"), required=True, max_length=200, width=30),
    exports.Column("amount", gettext_lazy("Amount (yuan)"), required=True, max_length=30, example="2000000"),
    exports.Column("executed_on", gettext_lazy("Executed on"), exports.DATE, required=True),
    exports.Column("meeting_date", gettext_lazy("Date of the approving meeting"), exports.DATE),
    exports.Column("decision_title", gettext_lazy("Approving agenda item"), max_length=200, width=30),
    exports.Column("responsible", gettext_lazy("Responsible leader"), max_length=50),
    exports.Column("note", gettext_lazy("Note"), max_length=500, width=30),
]

IMPORT_NOTES = (
    gettext_lazy("One row per project, procurement or large payment of the unit chosen on the import page."),
    gettext_lazy("To link the approving decision, give the meeting date and the agenda item's title exactly as recorded."),
    gettext_lazy("If any row is refused, nothing is imported: the message names the row."),
)


def template_response():
    return exports.template_response(
        _("三重一大 register import template") + ".xlsx", columns=IMPORT_COLUMNS, sheet_title=_("Register"), notes=[str(n) for n in IMPORT_NOTES]
    )


def save_upload(upload) -> tempfile.NamedTemporaryFile:
    if upload.size > exports.MAX_UPLOAD_BYTES:
        raise exports.WorkbookError(_("The file is too large."))
    handle = tempfile.NamedTemporaryFile(suffix=".xlsx")  # noqa: SIM115 - closed by the caller
    for chunk in upload.chunks():
        handle.write(chunk)
    handle.flush()
    return handle


def read_rows(user, unit, path) -> list[tuple[int, dict]]:
    """The workbook's rows as values for `import_entries`. Raises ActionError naming the first
    refused row (and how many rows have problems), WorkbookError for an unusable file."""
    result = exports.read_xlsx(path, IMPORT_COLUMNS, max_rows=MAX_ROWS)
    if result.errors:
        first = result.errors[0]
        rows = len({e.row for e in result.errors})
        raise ActionError(
            _("Row %(row)s, %(column)s: %(message)s (%(n)d row(s) with problems.) Nothing was imported.")
            % {"row": first.row, "column": first.column or "—", "message": first.message, "n": rows},
            field="workbook",
        )
    decisions = list(register_queries.decisions_for_unit(user, unit))
    leaders = {c.name: c for c in actions.current_leaders(unit)}
    out = []
    for number, values in result.rows:
        decision = None
        if values.get("meeting_date") or values.get("decision_title"):
            matches = [d for d in decisions if d.meeting.held_on == values.get("meeting_date") and d.title == values.get("decision_title")]
            if len(matches) != 1:
                raise ActionError(
                    _("Row %(row)s: no single agenda item “%(title)s” at a meeting on %(date)s that you may see. Nothing was imported.")
                    % {"row": number, "title": values.get("decision_title") or "", "date": values.get("meeting_date") or ""},
                    field="workbook",
                )
            decision = matches[0]
        responsible = None
        if values.get("responsible"):
            responsible = leaders.get(values["responsible"])
            if responsible is None:
                raise ActionError(
                    _("Row %(row)s: %(name)s is not a current leader of %(unit)s. Nothing was imported.")
                    % {"row": number, "name": values["responsible"], "unit": unit.name},
                    field="workbook",
                )
        out.append(
            (
                number,
                {
                    "kind": values["kind"],
                    "title": values["title"],
                    "amount": values["amount"],
                    "executed_on": values["executed_on"],
                    "decision": decision,
                    "responsible": responsible,
                    "note": values.get("note") or "",
                },
            )
        )
    return out


EXPORT_COLUMNS = [
    exports.Column("unit", gettext_lazy("Unit"), width=20),
    exports.Column("kind", gettext_lazy("Kind"), exports.CHOICE, choices=MatterKind.choices, width=18),
    exports.Column("title", gettext_lazy("Title"), width=30),
    exports.Column("amount", gettext_lazy("Amount (yuan)")),
    exports.Column("executed_on", gettext_lazy("Executed on"), exports.DATE),
    exports.Column("meeting_date", gettext_lazy("Date of the approving meeting"), exports.DATE),
    exports.Column("decision_title", gettext_lazy("Approving agenda item"), width=30),
    exports.Column("responsible", gettext_lazy("Responsible leader")),
    exports.Column("violations", gettext_lazy("Violations"), width=40),
]


def export_rows(entries, found_by_entry):
    """The export's rows: each entry with its approving decision and its violations."""
    return (
        [
            e.unit.name,
            e.kind,
            e.title,
            f"{e.amount:.2f}",
            e.executed_on,
            e.decision.meeting.held_on if e.decision_id else None,
            e.decision.title if e.decision_id else "",
            e.responsible.name if e.responsible_id else "",
            "；".join(v.label for v in found_by_entry.get(e.pk, [])),
        ]
        for e in entries
    )
