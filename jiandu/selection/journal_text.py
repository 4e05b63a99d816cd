"""How the journal entries of selection cases read: what the actor did."""

from django.utils.translation import gettext_lazy as _

from jiandu.core.journal_text import describe

describe(
    {
        "selection.case.opened": _("opened a selection case with its motion"),
        "selection.stage.recorded": _("recorded a stage of a selection case"),
        "selection.recommendation.opened": _("opened the meeting recommendation ballot of a selection case"),
        "selection.canvassing.recorded": _("recorded canvassing in a selection case"),
        "selection.candidate.listed": _("listed an inspection subject"),
        "selection.file.reviewed": _("recorded the review of a candidate's personnel file (干部档案必审)"),
        "selection.approval.recorded": _("recorded the prior approval of an exceptional promotion"),
        "selection.vetting.sent": _("sent pre-appointment vetting requests"),
        "selection.vetting.replied": _("replied to a pre-appointment vetting request"),
        "selection.vetting.reminded": _("reminded a department that its vetting reply is due"),
        "selection.vetting.escalated": _("reported an overdue vetting reply to the organisation department"),
        "selection.vetting.resolved": _("recorded how a vetting problem was resolved"),
        "selection.vetting.overridden": _("let inspection start despite the vetting, with a reason"),
        "selection.decision.recorded": _("recorded the committee's decision on a selection case"),
        "selection.decision.reconsidered": _("recorded the committee's reconsideration (复议) of its decision on a candidate"),
        "selection.notice.started": _("recorded the public notice before appointment"),
        "selection.objection.recorded": _("recorded an objection during the public notice"),
        "selection.objection.resolved": _("recorded how an objection was verified and resolved"),
        "selection.candidate.appointed": _("appointed a candidate of a selection case"),
        "selection.probation.reviewed": _("reviewed a probation"),
        "selection.material.attached": _("attached a file to a selection case"),
        "selection.material.downloaded": _("downloaded a file of a selection case"),
        "selection.appform.printed": _("printed or exported a candidate's appointment and removal form (干部任免审批表) from a selection case"),
        "selection.emigration.excepted": _("set aside the emigration block for an inspection subject, with the reason and the approval"),
        "selection.minutes.printed": _("printed the minutes of the decision on a selection case"),
        "selection.sheet.printed": _("printed a full-process record sheet"),
        "selection.trace.viewed": _("viewed the trace-back report of an appointment"),
        "selection.trace.printed": _("printed the trace-back report of an appointment"),
        "selection.accountability.opened": _("recorded an accountability review of an appointment"),
        "selection.accountability.concluded": _("concluded an accountability review of an appointment"),
        "selection.survey.created": _("opened the yearly survey of selection work"),
        "selection.survey.closed": _("closed the yearly survey of selection work"),
        "selection.survey.appointee_noted": _("recorded the explanation and action on a low-rated newly appointed cadre"),
        "selection.survey.report_downloaded": _("downloaded the standing committee's yearly report on selection work"),
        "selection.survey.exported": _("exported the results of the yearly survey of selection work"),
    }
)
