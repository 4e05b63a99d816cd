"""Written inquiry, clue and joint-meeting pages."""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from jiandu.accounts import access
from jiandu.core.pdf import pdf_response
from jiandu.core.queries import history_for

from .. import deadlines, letters, queries, tables, uploads
from ..actions import clues as clue_actions
from ..actions import inquiries as inquiry_actions
from ..forms import (
    AssessForm,
    ClueForm,
    ConfirmForm,
    DeliveryForm,
    HandlingForm,
    InquiryDraftForm,
    InquiryForm,
    IssueForm,
    MeetingForm,
    MemberForm,
    ReasonForm,
    ReceiptForm,
    ReplyForm,
    SignOffForm,
    TransferForm,
)
from ..models import Clue, Inquiry, JointMember
from .common import action_page, filter_rows, form_data, list_page, require_answer


def _crumbs(label, url, title):
    return [(_("Daily supervision"), reverse("oversight:index")), (label, url), (title, None)]


# --- inquiries -------------------------------------------------------------------------------------


@login_required
def inquiry_list(request):
    access.require(request.user, "oversight.view")
    overdue = Q(status=Inquiry.Status.DELIVERED, reply_due_on__lt=dt.date.today())
    form, qs = filter_rows(
        request,
        queries.inquiries_visible_to(request.user),
        statuses=Inquiry.Status.choices,
        kinds=Inquiry.Source.choices,
        kind_field="source",
        date_field="created_at",
        overdue_q=overdue,
    )
    actions = [(_("Draft an inquiry"), reverse("oversight:inquiry_create"))] if access.can(request.user, "oversight.manage") else []
    return list_page(request, title=_("Written inquiries"), qs=qs, columns=tables.INQUIRIES, form=form, export_name="inquiries", actions=actions)


@login_required
def my_inquiries(request):
    """A cadre's own delivered inquiries (self service)."""
    access.require(request.user, "self.view")
    return render(
        request,
        "oversight/my_inquiries.html",
        {"inquiries": queries.my_inquiries(request.user), "breadcrumbs": _crumbs(_("Written inquiries"), None, _("My written inquiries"))},
    )


@login_required
def inquiry_create(request):
    access.require(request.user, "oversight.manage")
    form = InquiryForm(*form_data(request), user=request.user)
    created = {}

    def call(data):
        created["i"] = inquiry_actions.draft_inquiry(actor=request.user, **data)

    response = action_page(
        request, form=form, obj=None, title=_("Draft an inquiry"), call=call, success=_("Draft saved."), back=reverse("oversight:inquiry_list")
    )
    if created:
        response["Location"] = reverse("oversight:inquiry_detail", args=[created["i"].pk])
    return response


@login_required
def inquiry_detail(request, pk):
    inquiry = queries.get_inquiry_for(request.user, pk)
    manage = access.can(request.user, "oversight.manage", inquiry.unit)
    own = access.answers_self(request.user, inquiry.cadre_id)
    # The list this reader may open: the inquiries list for those who read oversight records, the
    # cadre's own inquiries for self service, none otherwise (never a dead breadcrumb).
    if access.can(request.user, "oversight.view"):
        back = reverse("oversight:inquiry_list")
    elif access.can(request.user, "self.view"):
        back = reverse("oversight:my_inquiries")
    else:
        back = None
    return render(
        request,
        "oversight/inquiry_detail.html",
        {
            "i": inquiry,
            "due_explanation": deadlines.explain(inquiry.reply_due_rule),
            "overdue": inquiry.is_overdue(dt.date.today()),
            "files": uploads.attachments_of(inquiry),
            "can_manage": manage,
            "can_answer": (manage or own) and inquiry.can_reply,
            "entries": history_for(request.user, inquiry),
            "breadcrumbs": _crumbs(_("Written inquiries"), back, str(inquiry)),
        },
    )


@login_required
def inquiry_letter(request, pk):
    inquiry = queries.get_inquiry_for(request.user, pk)
    if inquiry.status == Inquiry.Status.DRAFT:
        access.require(request.user, "oversight.manage", inquiry.unit)
    content = letters.inquiry_letter_pdf(inquiry)
    inquiry_actions.record_letter_download(actor=request.user, inquiry=inquiry)
    return pdf_response(content, letters.inquiry_letter_filename(inquiry))


def _inquiry_action(request, pk, *, form, title, call, success, perm="oversight.manage", confirm=""):
    inquiry = queries.get_inquiry_for(request.user, pk)
    if perm == "answer":
        require_answer(request.user, inquiry.cadre_id, inquiry.unit)
    elif perm:
        access.require(request.user, perm, inquiry.unit)
    form = form(*form_data(request)) if isinstance(form, type) else form(inquiry)
    return action_page(
        request,
        form=form,
        obj=inquiry,
        title=title,
        call=lambda data: call(inquiry, data),
        success=success,
        back=reverse("oversight:inquiry_detail", args=[inquiry.pk]),
        confirm=confirm,
    )


@login_required
def inquiry_edit(request, pk):
    return _inquiry_action(
        request,
        pk,
        form=lambda i: InquiryDraftForm(*form_data(request), initial={"subject": i.subject, "questions": i.questions, "source_note": i.source_note}),
        title=_("Change the draft"),
        call=lambda i, data: inquiry_actions.update_draft(actor=request.user, inquiry=i, **data),
        success=_("Draft saved."),
    )


@login_required
def inquiry_issue(request, pk):
    return _inquiry_action(
        request,
        pk,
        form=lambda i: IssueForm(*form_data(request), initial={"issued_on": dt.date.today()}),
        title=_("Issue the letter"),
        call=lambda i, data: inquiry_actions.issue_inquiry(actor=request.user, inquiry=i, **data),
        success=_("Letter issued; print it from the inquiry page."),
        confirm=_("Issue the letter? The draft can no longer be changed."),
    )


@login_required
def inquiry_deliver(request, pk):
    return _inquiry_action(
        request,
        pk,
        form=DeliveryForm,
        title=_("Record delivery"),
        call=lambda i, data: inquiry_actions.record_delivery(actor=request.user, inquiry=i, **data),
        success=_("Delivery recorded; the reply deadline is set."),
    )


@login_required
def inquiry_reply(request, pk):
    return _inquiry_action(
        request,
        pk,
        form=ReplyForm,
        title=_("Reply to the inquiry"),
        call=lambda i, data: inquiry_actions.record_reply(actor=request.user, inquiry=i, **data),
        success=_("Reply recorded."),
        perm="answer",
    )


@login_required
def inquiry_sign_off(request, pk):
    return _inquiry_action(
        request,
        pk,
        form=SignOffForm,
        title=_("Record the principal's sign-off"),
        call=lambda i, data: inquiry_actions.sign_off_reply(actor=request.user, inquiry=i, **data),
        success=_("Sign-off recorded."),
    )


@login_required
def inquiry_assess(request, pk):
    return _inquiry_action(
        request,
        pk,
        form=lambda i: AssessForm(*form_data(request), user=request.user),
        title=_("Assess the reply"),
        call=lambda i, data: inquiry_actions.assess_reply(actor=request.user, inquiry=i, **data),
        success=_("Assessment recorded."),
    )


@login_required
def inquiry_withdraw(request, pk):
    return _inquiry_action(
        request,
        pk,
        form=ReasonForm,
        title=_("Withdraw the inquiry"),
        call=lambda i, data: inquiry_actions.withdraw_inquiry(actor=request.user, inquiry=i, reason=data["reason"]),
        success=_("Inquiry withdrawn."),
        confirm=_("Withdraw this inquiry?"),
    )


# --- clues -----------------------------------------------------------------------------------------


@login_required
def clue_list(request):
    if not (access.can(request.user, "oversight.clues") or access.can(request.user, "oversight.view_clues_all")):
        raise access.NotVisible()
    today = dt.date.today()
    overdue = Q(status=Clue.Status.TRANSFERRED, receipt_due_on__lt=today) | Q(
        status__in=[Clue.Status.TRANSFERRED, Clue.Status.RECEIVED], feedback_due_on__lt=today
    )
    form, qs = filter_rows(
        request,
        queries.clues_visible_to(request.user),
        statuses=Clue.Status.choices,
        kinds=Clue.Source.choices,
        kind_field="source",
        date_field="created_at",
        unit_field="cadre_unit",
        overdue_q=overdue,
    )
    readable = set(queries.clues_with_full_access(request.user).values_list("pk", flat=True))
    columns = tables.clue_columns(lambda clue: clue.pk in readable)
    via = "export" if request.GET.get("format") == "xlsx" else "list"

    def journal_reads(rows):
        # The list shows the summary of every clue the user may read: each is journaled as read.
        for clue in rows:
            if clue.pk in readable:
                clue_actions.record_clue_view(actor=request.user, clue=clue, via=via)

    actions = [(_("Register a clue"), reverse("oversight:clue_create"))] if access.can(request.user, "oversight.clues") else []
    actions.append((_("Joint meeting"), reverse("oversight:joint")))
    return list_page(request, title=_("Clue registry"), qs=qs, columns=columns, form=form, export_name="clues", actions=actions, on_shown=journal_reads)


@login_required
def clue_create(request):
    access.require(request.user, "oversight.clues")
    form = ClueForm(*form_data(request), user=request.user)
    created = {}

    def call(data):
        files = [data.pop("file")] if data.get("file") else []
        data.pop("file", None)
        created["c"] = clue_actions.register_clue(actor=request.user, attachments=files, **data)

    response = action_page(
        request, form=form, obj=None, title=_("Register a clue"), call=call, success=_("Clue registered."), back=reverse("oversight:clue_list")
    )
    if created:
        response["Location"] = reverse("oversight:clue_detail", args=[created["c"].pk])
    return response


@login_required
def clue_detail(request, pk):
    clue = queries.get_clue_for(request.user, pk)
    clue_actions.record_clue_view(actor=request.user, clue=clue, via="page")
    return render(
        request,
        "oversight/clue_detail.html",
        {
            "c": clue,
            "receipt_explanation": deadlines.explain(clue.receipt_due_rule),
            "feedback_explanation": deadlines.explain(clue.feedback_due_rule),
            "today": dt.date.today(),
            "files": uploads.attachments_of(clue),
            "is_sender": queries.is_clue_sender(request.user, clue),
            "is_receiver": queries.is_clue_receiver(request.user, clue),
            "entries": history_for(request.user, clue),
            "breadcrumbs": _crumbs(_("Clue registry"), reverse("oversight:clue_list"), clue.number),
        },
    )


def _clue_action(request, pk, *, side, form, title, call, success, confirm=""):
    """An action of the sending or the receiving department (the other side gets 404, as the
    action would refuse it)."""
    clue = queries.get_clue_for(request.user, pk)
    if side == "sender" and not queries.is_clue_sender(request.user, clue):
        raise access.NotVisible()
    if side == "receiver" and not queries.is_clue_receiver(request.user, clue):
        raise access.NotVisible()
    return action_page(
        request,
        form=form(*form_data(request)),
        obj=clue,
        title=title,
        call=lambda data: call(clue, data),
        success=success,
        back=reverse("oversight:clue_detail", args=[clue.pk]),
        confirm=confirm,
    )


@login_required
def clue_transfer(request, pk):
    return _clue_action(
        request,
        pk,
        side="sender",
        form=TransferForm,
        title=_("Transfer the clue"),
        call=lambda c, data: clue_actions.transfer_clue(actor=request.user, clue=c, **data),
        success=_("Clue transferred."),
    )


@login_required
def clue_receive(request, pk):
    return _clue_action(
        request,
        pk,
        side="receiver",
        form=ReceiptForm,
        title=_("Confirm receipt"),
        call=lambda c, data: clue_actions.confirm_receipt(actor=request.user, clue=c, **data),
        success=_("Receipt confirmed."),
    )


@login_required
def clue_feedback(request, pk):
    return _clue_action(
        request,
        pk,
        side="receiver",
        form=HandlingForm,
        title=_("Report handling and result"),
        call=lambda c, data: clue_actions.report_handling(actor=request.user, clue=c, **data),
        success=_("Handling reported."),
    )


@login_required
def clue_close(request, pk):
    return _clue_action(
        request,
        pk,
        side="sender",
        form=ConfirmForm,
        title=_("Close the clue"),
        call=lambda c, data: clue_actions.close_clue(actor=request.user, clue=c),
        success=_("Clue closed."),
    )


# --- joint meeting -------------------------------------------------------------------------------


@login_required
def joint(request):
    meetings = queries.meetings_visible_to(request.user)
    if not (access.can(request.user, "oversight.view") or access.can(request.user, "oversight.clues")):
        raise access.NotVisible()
    form, qs = filter_rows(request, meetings, date_field="held_on", cadre_field=None, unit_field="organiser")
    return list_page(
        request,
        title=_("Joint meeting on cadre supervision"),
        qs=qs,
        columns=tables.MEETINGS,
        form=form,
        export_name="joint-meetings",
        actions=[(_("Record a meeting"), reverse("oversight:meeting_create")), (_("Add a member department"), reverse("oversight:member_add"))]
        if access.can(request.user, "oversight.manage")
        else [],
        template="oversight/joint.html",
        extra={
            "members": queries.members(),
            "can_manage": access.can(request.user, "oversight.manage"),
            # the clue registry opens for clue officers and the joint meeting's convener only
            "can_clues": access.can(request.user, "oversight.clues") or access.can(request.user, "oversight.view_clues_all"),
        },
    )


@login_required
def member_add(request):
    access.require(request.user, "oversight.manage")
    return action_page(
        request,
        form=MemberForm(*form_data(request), initial={"joined_on": dt.date.today()}),
        obj=None,
        title=_("Add a member department"),
        call=lambda data: clue_actions.add_member(actor=request.user, **data),
        success=_("Member department added."),
        back=reverse("oversight:joint"),
    )


@login_required
def member_remove(request, pk):
    member = JointMember.objects.filter(pk=pk, is_active=True).select_related("unit").first()
    if member is None or not access.can(request.user, "oversight.manage", member.unit):
        raise access.NotVisible()
    return action_page(
        request,
        form=ReasonForm(*form_data(request)),
        obj=member,
        title=_("Remove the member department"),
        call=lambda data: clue_actions.remove_member(actor=request.user, member=member, reason=data["reason"]),
        success=_("Member department removed."),
        back=reverse("oversight:joint"),
    )


@login_required
def meeting_create(request):
    access.require(request.user, "oversight.manage")
    return action_page(
        request,
        form=MeetingForm(*form_data(request), user=request.user),
        obj=None,
        title=_("Record a meeting"),
        call=lambda data: clue_actions.record_meeting(actor=request.user, **data),
        success=_("Meeting recorded."),
        back=reverse("oversight:joint"),
    )


@login_required
def meeting_detail(request, pk):
    meeting = queries.get_meeting_for(request.user, pk)
    # Only the clues the user may read (issue #8.2): that a clue about a cadre was passed on
    # between two other departments is not for the other members.
    return render(
        request,
        "oversight/meeting_detail.html",
        {
            "m": meeting,
            "clues": [(c, True) for c in queries.clues_with_full_access(request.user).filter(meeting=meeting)],
            "entries": history_for(request.user, meeting),
            "breadcrumbs": _crumbs(_("Joint meeting on cadre supervision"), reverse("oversight:joint"), str(meeting)),
        },
    )
