"""How the registry app's journal entries read (issue #9 part 4): what the actor did."""

from django.utils.translation import gettext_lazy as _

from jiandu.core.journal_text import describe

describe(
    {
        "registry.cadre.created": _("created a cadre record"),
        "registry.cadre.moved": _("moved a cadre to another unit"),
        "registry.cadre.updated": _("changed a cadre record"),
        "registry.cadre.record_updated": _("changed a cadre's appointment-form record (任免审批表)"),
        "registry.cadre.lrmx_exported": _("exported a cadre's appointment form as an lrmx file"),
        "registry.cadre.lrmx_imported": _("imported a cadre's appointment form from an lrmx file"),
        "registry.cadre.form_printed": _("printed a cadre's appointment form (任免审批表)"),
        "registry.cadre.viewed_sensitive": _("viewed a cadre's ID number and birth date"),
        "registry.cadres.viewed_sensitive": _("viewed cadres' ID numbers and birth dates"),
        "registry.position.created": _("created a position"),
        "registry.position.updated": _("changed a position"),
        "registry.relative.added": _("added a family member"),
        "registry.relative.removed": _("removed a family member"),
        "registry.relative.emigration_recorded": _("recorded a family member's emigration (移居国（境）外)"),
        "registry.tenure.ended": _("ended a tenure"),
        "registry.tenure.recorded": _("recorded a past tenure"),
        "registry.tenure.started": _("appointed a cadre to a position"),
        "registry.unit.created": _("created a unit"),
        "registry.unit.updated": _("changed a unit"),
        "registry.units.exported": _("exported units"),
        "registry.cadres.exported": _("exported cadres"),
        "registry.positions.exported": _("exported positions"),
        "registry.tenures.exported": _("exported tenures"),
        "registry.units.imported": _("imported units"),
        "registry.cadres.imported": _("imported cadres"),
        "registry.positions.imported": _("imported positions"),
        "registry.tenures.imported": _("imported tenures"),
        "registry.relatives.imported": _("imported family members"),
        "registry.units.import_refused": _("an import of units was refused"),
        "registry.cadres.import_refused": _("an import of cadres was refused"),
        "registry.positions.import_refused": _("an import of positions was refused"),
        "registry.tenures.import_refused": _("an import of tenures was refused"),
    }
)
