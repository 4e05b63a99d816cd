"""Written inquiries (函询).

    draft ─issue_inquiry─▶ issued ─record_delivery─▶ delivered ─record_reply─▶ replied ─assess_reply─▶ closed
      └────────────┴──withdraw_inquiry──▶ withdrawn

`issue_inquiry` numbers the letter (PDF from letters.py, copied to the unit's principal);
`record_delivery` sets the reply deadline: `oversight.inquiry_reply_working_days` (default 15)
working days after delivery. The worker reminds the cadre before the deadline
(`send_reply_reminders`) and escalates overdue replies to the head (`escalate_overdue_inquiries`).
The reply comes from the cadre (self.answer) or is recorded by an officer; the unit principal's
sign-off (`sign_off_reply`) is needed before the officer assesses it. Assessment follow-up:
close, a talk (a required reminder talk), or transfer for verification (a clue to a member
department). Every step is journaled with cadre=, so it is in the cadre's history.
"""

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from jiandu.accounts import access
from jiandu.core import journal, notifications
from jiandu.core.calendar import add_working_days, working_days_between
from jiandu.core.documents import next_document_number
from jiandu.core.errors import ActionError
from jiandu.core.practice import get_setting

from .. import deadlines, uploads
from ..models import Clue, Finding, Inquiry, Talk
from . import base
from . import clues as clue_actions
from .talks import principal_name


def _lock(inquiry) -> Inquiry:
    return Inquiry.objects.select_for_update().select_related("cadre", "unit").get(pk=inquiry.pk)


def _source(actor, source, source_clue, source_finding):
    base.choice(source, Inquiry.Source, "source")
    if source == Inquiry.Source.CLUE:
        if source_clue is None:
            raise ActionError(_("Choose the clue this inquiry comes from."), field="source_clue")
        from ..queries import may_read_clue

        if not may_read_clue(actor, source_clue):
            raise access.NotVisible()
    elif source_clue is not None:
        raise ActionError(_("A clue is given only when the source is a clue."), field="source_clue")
    if source == Inquiry.Source.FINDING and source_finding is None:
        raise ActionError(_("Choose the finding this inquiry comes from."), field="source_finding")
    if source != Inquiry.Source.FINDING and source_finding is not None:
        raise ActionError(_("A finding is given only when the source is a finding."), field="source_finding")
    if source_finding is not None and not isinstance(source_finding, Finding):
        raise ActionError(_("Unknown finding."), field="source_finding")


def draft_inquiry(
    *,
    actor,
    cadre,
    source: str,
    subject: str,
    questions: str,
    source_note: str = "",
    source_clue: Clue | None = None,
    source_finding: Finding | None = None,
) -> Inquiry:
    """Draft an inquiry to a cadre (oversight.manage on the cadre's unit)."""
    cadre = base.cadre(cadre)
    access.require(actor, "oversight.manage", cadre.unit)
    _source(actor, source, source_clue, source_finding)
    subject = base.text(subject, "subject", max_length=200)
    questions = base.text(questions, "questions")
    with transaction.atomic():
        inquiry = Inquiry.objects.create(
            cadre=cadre,
            unit=cadre.unit,
            source=source,
            source_clue=source_clue,
            source_finding=source_finding,
            source_note=source_note or "",
            subject=subject,
            questions=questions,
            created_by=actor,
        )
        journal.record("oversight.inquiry.drafted", actor=actor, target=inquiry, unit=cadre.unit, cadre=cadre, data={"source": source, "subject": subject})
    return inquiry


def update_draft(*, actor, inquiry: Inquiry, subject: str, questions: str, source_note: str = "") -> Inquiry:
    """Change the subject, questions or source note of a draft."""
    subject = base.text(subject, "subject", max_length=200)
    questions = base.text(questions, "questions")
    with transaction.atomic():
        inquiry = _lock(inquiry)
        access.require(actor, "oversight.manage", inquiry.unit)
        if not inquiry.can_edit:
            raise ActionError(_("Only a draft can be changed; this inquiry was issued."))
        inquiry.subject, inquiry.questions, inquiry.source_note = subject, questions, source_note or ""
        inquiry.save(update_fields=["subject", "questions", "source_note"])
        journal.record("oversight.inquiry.draft_updated", actor=actor, target=inquiry, unit=inquiry.unit, cadre=inquiry.cadre, data={"subject": subject})
    return inquiry


def issue_inquiry(*, actor, inquiry: Inquiry, issued_on: dt.date | None = None) -> Inquiry:
    """Issue the letter: it gets its number and is copied to the unit's principal."""
    issued_on = base.date(issued_on or base.today(), "issued_on", not_future=True)
    with transaction.atomic():
        inquiry = _lock(inquiry)
        access.require(actor, "oversight.manage", inquiry.unit)
        if not inquiry.can_issue:
            raise ActionError(_("Only a draft can be issued."))
        inquiry.number = next_document_number(str(get_setting("oversight.inquiry_number_prefix")), issued_on.year)
        inquiry.issued_on = issued_on
        inquiry.principal_name = principal_name(inquiry.unit)
        inquiry.status = Inquiry.Status.ISSUED
        inquiry.save(update_fields=["number", "issued_on", "principal_name", "status"])
        journal.record(
            "oversight.inquiry.issued",
            actor=actor,
            target=inquiry,
            unit=inquiry.unit,
            cadre=inquiry.cadre,
            data={"number": inquiry.number, "issued_on": issued_on, "copied_to": inquiry.principal_name},
        )
    return inquiry


def record_delivery(*, actor, inquiry: Inquiry, delivered_on: dt.date) -> Inquiry:
    """Record the delivery date; the reply is due N working days later (setting, default 15)."""
    with transaction.atomic():
        inquiry = _lock(inquiry)
        access.require(actor, "oversight.manage", inquiry.unit)
        if not inquiry.can_deliver:
            raise ActionError(_("Only an issued inquiry can be delivered."))
        delivered_on = base.date(delivered_on, "delivered_on", not_future=True, not_before=inquiry.issued_on, not_before_label=_("the issue date"))
        due = add_working_days(delivered_on, int(get_setting("oversight.inquiry_reply_working_days")), rule="oversight.inquiry_reply")
        inquiry.delivered_on = delivered_on
        inquiry.reply_due_on, inquiry.reply_due_rule = due.due, deadlines.code_of(due)
        inquiry.status = Inquiry.Status.DELIVERED
        inquiry.save(update_fields=["delivered_on", "reply_due_on", "reply_due_rule", "status"])
        journal.record(
            "oversight.inquiry.delivered",
            actor=actor,
            target=inquiry,
            unit=inquiry.unit,
            cadre=inquiry.cadre,
            data={"delivered_on": delivered_on, "reply_due": due.as_dict()},
        )
    return inquiry


def record_reply(
    *, actor, inquiry: Inquiry, reply_text: str, replied_on: dt.date, file, signed_off_by: str = "", signed_off_on: dt.date | None = None
) -> Inquiry:
    """Record the cadre's written reply with its signed upload. The cadre answers their own
    inquiry (self.answer); an officer (oversight.manage) may record a reply received on paper,
    with the principal's sign-off at once."""
    own = access.answers_self(actor, inquiry.cadre_id)
    if not access.may_answer(actor, inquiry.cadre_id, inquiry.unit, "oversight.manage"):
        raise access.NotVisible()
    reply_text = base.text(reply_text, "reply_text")
    checked = uploads.check_upload(file)
    with transaction.atomic():
        inquiry = _lock(inquiry)
        if not inquiry.can_reply:
            raise ActionError(_("This inquiry is not awaiting a reply (%(status)s).") % {"status": inquiry.get_status_display()})
        replied_on = base.date(replied_on, "replied_on", not_future=True, not_before=inquiry.delivered_on, not_before_label=_("the delivery of the letter"))
        inquiry.reply_text, inquiry.replied_on = reply_text, replied_on
        if signed_off_on and not own:
            inquiry.reply_signed_off_on = base.date(signed_off_on, "signed_off_on", not_future=True, not_before=replied_on, not_before_label=_("the reply"))
            inquiry.reply_signed_off_by = base.text(signed_off_by or principal_name(inquiry.unit), "signed_off_by", max_length=50)
        inquiry.status = Inquiry.Status.REPLIED
        inquiry.save()
        attachment = uploads.store(actor=actor, owner=inquiry, purpose="reply", upload=file, checked=checked)
        journal.record(
            "oversight.inquiry.replied",
            actor=actor,
            target=inquiry,
            unit=inquiry.unit,
            cadre=inquiry.cadre,
            data={"replied_on": replied_on, "late": replied_on > inquiry.reply_due_on, "by_cadre": own, "file": attachment.sha256},
        )
    return inquiry


def sign_off_reply(*, actor, inquiry: Inquiry, signed_off_on: dt.date, principal: str = "") -> Inquiry:
    """Record the unit principal's sign-off on the reply."""
    with transaction.atomic():
        inquiry = _lock(inquiry)
        access.require(actor, "oversight.manage", inquiry.unit)
        if inquiry.status != Inquiry.Status.REPLIED or inquiry.reply_signed_off_on:
            raise ActionError(_("There is no reply awaiting the principal's sign-off."))
        inquiry.reply_signed_off_on = base.date(signed_off_on, "signed_off_on", not_future=True, not_before=inquiry.replied_on, not_before_label=_("the reply"))
        inquiry.reply_signed_off_by = base.text(principal or principal_name(inquiry.unit), "principal", max_length=50)
        inquiry.save(update_fields=["reply_signed_off_on", "reply_signed_off_by"])
        journal.record(
            "oversight.inquiry.reply_signed_off",
            actor=actor,
            target=inquiry,
            unit=inquiry.unit,
            cadre=inquiry.cadre,
            data={"principal": inquiry.reply_signed_off_by, "signed_off_on": inquiry.reply_signed_off_on},
        )
    return inquiry


def assess_reply(
    *,
    actor,
    inquiry: Inquiry,
    assessment: str,
    follow_up: str,
    note: str = "",
    talk_due_on: dt.date | None = None,
    transfer_to=None,
    transfer_from=None,
) -> Inquiry:
    """Assess a signed-off reply and decide the follow-up. "Needs further verification" and
    "inconsistent with the facts" cannot simply be closed."""
    base.choice(assessment, Inquiry.Assessment, "assessment")
    base.choice(follow_up, Inquiry.FollowUp, "follow_up")
    if assessment in (Inquiry.Assessment.NEEDS_VERIFICATION, Inquiry.Assessment.INCONSISTENT) and follow_up == Inquiry.FollowUp.CLOSE:
        raise ActionError(_("A reply that needs verification or contradicts the facts cannot simply be closed: hold a talk or transfer it."), field="follow_up")
    if follow_up == Inquiry.FollowUp.TALK:
        talk_due_on = base.future_deadline(talk_due_on, "talk_due_on")
    if follow_up == Inquiry.FollowUp.TRANSFER and not transfer_to:
        raise ActionError(_("Choose the department that verifies the matter."), field="transfer_to")
    with transaction.atomic():
        inquiry = _lock(inquiry)
        access.require(actor, "oversight.manage", inquiry.unit)
        if not inquiry.can_assess:
            raise ActionError(_("Only a reply can be assessed."))
        if not inquiry.reply_signed_off_on:
            raise ActionError(_("The unit principal has not signed off the reply yet."))
        inquiry.assessment, inquiry.assessment_note, inquiry.follow_up = assessment, note or "", follow_up
        inquiry.assessed_on = base.today()
        inquiry.status = Inquiry.Status.CLOSED
        data = {"assessment": assessment, "follow_up": follow_up}
        if follow_up == Inquiry.FollowUp.TALK:
            talk = Talk.objects.create(
                cadre=inquiry.cadre,
                unit=inquiry.unit,
                kind=Talk.Kind.REMINDER,
                status=Talk.Status.REQUIRED,
                due_on=talk_due_on,
                reason=_("Follow-up of written inquiry %(number)s") % {"number": inquiry.number},
                created_by=actor,
            )
            inquiry.follow_up_talk = talk
            data["talk"] = talk.pk
        inquiry.save()
        if follow_up == Inquiry.FollowUp.TRANSFER:
            sending = transfer_from or _sending_unit(actor, inquiry)
            if not access.can(actor, "oversight.clues", sending):
                # The clue is registered in the sender's name: only its clue officer may do that.
                raise ActionError(
                    _("Only a clue officer of the sending department can transfer the matter as a clue; you are not the clue officer of %(unit)s.")
                    % {"unit": sending},
                    field="transfer_from",
                )
            clue = clue_actions.register_clue(
                actor=actor,
                cadre=inquiry.cadre,
                from_unit=sending,
                source=Clue.Source.INQUIRY,
                summary=_("Written inquiry %(number)s needs verification: %(subject)s") % {"number": inquiry.number, "subject": inquiry.subject},
            )
            clue = clue_actions.transfer_clue(actor=actor, clue=clue, to_unit=transfer_to)
            inquiry.follow_up_clue = clue
            inquiry.save(update_fields=["follow_up_clue"])
            data["clue"] = clue.pk
        journal.record("oversight.inquiry.assessed", actor=actor, target=inquiry, unit=inquiry.unit, cadre=inquiry.cadre, data=data)
    return inquiry


def _sending_unit(actor, inquiry):
    """The department sending a verification clue: the actor's own clue unit (their narrowest
    assignment holding oversight.clues), else the cadre's unit."""
    from jiandu.registry.models import Unit

    paths = [a.unit_path for a in access.assignments(actor) if a.unit_path and "oversight.clues" in access.ROLE_PERMISSIONS.get(a.role, ())]
    if paths:
        unit = Unit.objects.filter(path=max(paths, key=len)).first()
        if unit:
            return unit
    return inquiry.unit


def withdraw_inquiry(*, actor, inquiry: Inquiry, reason: str) -> Inquiry:
    """Withdraw a draft or an issued inquiry not yet delivered, with a reason."""
    reason = base.text(reason, "reason")
    with transaction.atomic():
        inquiry = _lock(inquiry)
        access.require(actor, "oversight.manage", inquiry.unit)
        if not inquiry.can_withdraw:
            raise ActionError(_("A delivered inquiry cannot be withdrawn."))
        inquiry.status, inquiry.withdrawn_reason = Inquiry.Status.WITHDRAWN, reason
        inquiry.save(update_fields=["status", "withdrawn_reason"])
        journal.record("oversight.inquiry.withdrawn", actor=actor, target=inquiry, unit=inquiry.unit, cadre=inquiry.cadre, data={"reason": reason})
    return inquiry


# --- background work (jobs.py) ---------------------------------------------------------------------


def send_reply_reminders(*, today: dt.date | None = None) -> int:
    """Remind cadres whose reply is due within the reminder window (once per inquiry)."""
    today = today or base.today()
    window = int(get_setting("oversight.inquiry_reminder_working_days"))
    sent = 0
    for pk in Inquiry.objects.filter(status=Inquiry.Status.DELIVERED, reminded_on__isnull=True, reply_due_on__gte=today).values_list("pk", flat=True):
        with transaction.atomic():
            inquiry = Inquiry.objects.select_for_update().select_related("unit").get(pk=pk)
            if inquiry.reminded_on or inquiry.status != Inquiry.Status.DELIVERED:
                continue
            left = working_days_between(today, inquiry.reply_due_on)
            if left > window:
                continue
            inquiry.reminded_on = today
            inquiry.save(update_fields=["reminded_on"])
            journal.record(
                "oversight.inquiry.reminded",
                target=inquiry,
                unit=inquiry.unit,
                cadre=inquiry.cadre_id,
                data={"reply_due_on": inquiry.reply_due_on, "working_days_left": left},
                role="system",
            )
            notifications.notify(
                [access.user_for_cadre(inquiry.cadre_id)],
                notifications.REMINDER,
                gettext_noop("Your reply to a written inquiry is due on %(day)s"),
                reverse("oversight:my_inquiries"),
                params={"day": inquiry.reply_due_on.isoformat()},
                cause=f"oversight.inquiry.reminded:{inquiry.pk}",
                sensitive=True,
                today=today,
            )
            sent += 1
    return sent


def escalate_overdue_inquiries(*, today: dt.date | None = None) -> int:
    """Escalate replies past their due date to the organisation department's head (once)."""
    today = today or base.today()
    escalated = 0
    for pk in Inquiry.objects.filter(status=Inquiry.Status.DELIVERED, escalated_on__isnull=True, reply_due_on__lt=today).values_list("pk", flat=True):
        with transaction.atomic():
            inquiry = Inquiry.objects.select_for_update().select_related("unit").get(pk=pk)
            if inquiry.escalated_on or not inquiry.is_overdue(today):
                continue
            inquiry.escalated_on = today
            inquiry.save(update_fields=["escalated_on"])
            journal.record(
                "oversight.inquiry.escalated",
                target=inquiry,
                unit=inquiry.unit,
                cadre=inquiry.cadre_id,
                data={"reply_due_on": inquiry.reply_due_on, "working_days_overdue": working_days_between(inquiry.reply_due_on, today)},
                role="system",
            )
            notifications.notify(
                access.holders("oversight.confirm", inquiry.unit),
                notifications.ESCALATION,
                gettext_noop("A written inquiry's reply is overdue since %(day)s"),
                reverse("oversight:inquiry_detail", args=[inquiry.pk]),
                params={"day": inquiry.reply_due_on.isoformat()},
                cause=f"oversight.inquiry.escalated:{inquiry.pk}",
                sensitive=True,
                today=today,
            )
            escalated += 1
    return escalated


def record_letter_download(*, actor, inquiry: Inquiry):
    """Journal `oversight.inquiry.letter_downloaded`: `actor` took the inquiry letter (函询函) away
    as a PDF. Preconditions: the actor may read the inquiry (oversight.queries.get_inquiry_for).
    Writes only the journal."""
    with transaction.atomic():
        return journal.record("oversight.inquiry.letter_downloaded", actor=actor, target=inquiry, unit=inquiry.unit, cadre=inquiry.cadre)
