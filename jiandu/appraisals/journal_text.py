"""How the appraisals app's journal entries read (issue #9 part 4): what the actor did."""

from django.utils.translation import gettext_lazy as _

from jiandu.core.journal_text import describe

describe(
    {
        "appraisals.cadre.added": _("added a cadre to the appraisal"),
        "appraisals.cadre.removed": _("removed a cadre from the appraisal"),
        "appraisals.cadre_report.downloaded": _("downloaded a cadre's appraisal report"),
        "appraisals.cycle.completed": _("completed the appraisal"),
        "appraisals.cycle.created": _("created the appraisal"),
        "appraisals.cycle.updated": _("changed the appraisal"),
        "appraisals.disqualification.recorded": _("recorded an event barring 优秀"),
        "appraisals.disqualification.withdrawn": _("withdrew an event barring 优秀"),
        "appraisals.evaluation.closed": _("closed the democratic evaluation"),
        "appraisals.evaluation.opened": _("opened the democratic evaluation"),
        "appraisals.follow_up.created": _("created a follow-up task"),
        "appraisals.follow_up.done": _("completed a follow-up task"),
        "appraisals.grade.confirmed": _("confirmed a grade"),
        "appraisals.grades.confirmed": _("confirmed the grades"),
        "appraisals.grades.proposed": _("proposed the grades from the votes"),
        "appraisals.proposal.confirmed": _("confirmed a proposal"),
        "appraisals.proposal.created": _("made a proposal"),
        "appraisals.proposal.dismissed": _("dismissed a proposal"),
        "appraisals.proposal.taken_up": _("took up a proposal"),
        "appraisals.report.changed": _("changed a report"),
        "appraisals.result_use.recorded": _("recorded a use of the results"),
        "appraisals.results.exported": _("exported the results"),
        "appraisals.targets.imported": _("imported target scores"),
        "appraisals.targets.saved": _("saved target scores"),
        "appraisals.unit.added": _("added a unit to the appraisal"),
        "appraisals.unit.removed": _("removed a unit from the appraisal"),
    }
)
