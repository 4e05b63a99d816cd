"""How the audits app's journal entries read: what the actor did."""

from django.utils.translation import gettext_lazy as _

from jiandu.core.journal_text import describe

describe(
    {
        "audits.departure_audit.opened": _("opened a departure audit"),
        "audits.handover.opened": _("opened a departure handover"),
        "audits.departure.left_to_plan": _("left a departure to the audit plan (every-departure rule off)"),
        "audits.handover.parties_set": _("named the parties to a departure handover"),
        "audits.handover.item_recorded": _("recorded an item of a departure handover"),
        "audits.handover.signed": _("confirmed a departure handover"),
        "audits.handover.printed": _("downloaded the list of a departure handover (PDF)"),
        "audits.finding.clue_transferred": _("transferred an audit finding to the discipline inspection department as a clue"),
        "audits.audit.notice_served": _("served an audit notice"),
        "audits.departure.exempted": _("exempted a departure from the departure audit and handover"),
        "audits.departure.exemption_requested": _("asked for a departure to be exempted from the departure audit and handover"),
        "audits.departure.exemption_rejected": _("rejected the exemption of a departure"),
        "audits.in_term_audit.started": _("started an in-term audit"),
        "audits.plan.drafted": _("drafted a yearly audit plan"),
        "audits.plan.entry_added": _("put a subject into the yearly audit plan"),
        "audits.plan.entry_removed": _("took a subject out of the yearly audit plan"),
        "audits.plan.approved": _("approved the yearly audit plan"),
        "audits.audit.fieldwork_started": _("started the fieldwork of an audit"),
        "audits.audit.draft_sent": _("sent the draft audit report to the audited cadre"),
        "audits.audit.comments_recorded": _("recorded the audited cadre's comments on the draft report"),
        "audits.audit.report_issued": _("issued the final audit report"),
        "audits.audit.closed": _("closed an audit"),
        "audits.finding.recorded": _("recorded an audit finding"),
        "audits.findings.exported": _("exported the audit findings and their rectification"),
        "audits.rectification.reported": _("recorded a rectification progress report"),
        "audits.rectification.accepted": _("verified and closed a rectification item"),
        "audits.rectification.returned": _("returned a rectification for more work"),
        "audits.rectification.item_added": _("added a rectification item to an audit finding"),
        "audits.rectification.visited": _("recorded a follow-up visit on a rectification item"),
        "audits.rectification.overdue": _("reminded that a rectification item is overdue"),
        "audits.rectification.escalated": _("escalated an overdue rectification item"),
        "audits.rectification.evidence_downloaded": _("downloaded the evidence of a rectification progress report"),
        "audits.training.session_created": _("recorded a training session"),
        "audits.training.session_updated": _("changed a training session"),
        "audits.training.participant_added": _("added a participant to a training session"),
        "audits.training.participant_removed": _("took a participant off a training session"),
        "audits.training.participants_imported": _("imported the participants of a training session from a workbook"),
        "audits.training.attendance_recorded": _("recorded the attendance at a training session"),
        "audits.training.hours_exported": _("exported the training hours per cadre"),
        "audits.training.missed_exported": _("exported the absences from required training sessions"),
        "audits.appeal.applied": _("recorded an application for review or reconsideration of an audit"),
        "audits.appeal.decided": _("recorded the decision on an appeal against an audit"),
        "audits.document.downloaded": _("downloaded an official document of an audit (PDF)"),
        "audits.training.session_deleted": _("deleted a training session"),
    }
)
