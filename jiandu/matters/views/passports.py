"""Personal-matters pages: custody of private passports, travel requests and loans."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from jiandu.accounts import access
from jiandu.core.errors import ActionError
from jiandu.core.exports import Book, workbook_response
from jiandu.core.practice import get_setting
from jiandu.registry.models import Cadre

from .. import actions, forms, queries
from ..models import Loan, TravelDocument, TravelRequest
from .common import _cadre_choices, _invalid, _run

# --- passports -----------------------------------------------------------------------------------


@login_required
def passports(request):
    holders = queries.holders_visible_to(request.user).prefetch_related("documents")
    form = forms.HolderForm(initial={"registered_on": dt.date.today()})
    form.fields["cadre"].widget.choices = _cadre_choices(request.user, queries.PASSPORTS)
    return render(
        request,
        "matters/passports.html",
        {
            "holders": holders,
            "overdue": queries.overdue_loans(request.user),
            "waiting": queries.travels_visible_to(request.user).filter(status=TravelRequest.Status.REQUESTED),
            "form": form,
            "return_days": get_setting("matters.passport_return_days"),
            "may_export": access.can(request.user, "matters.export_reports"),
        },
    )


@login_required
def passports_export(request):
    """The head's export of the register (actions.export_register, journaled) as a workbook in the
    columns the exit-entry authorities take."""
    rows = actions.export_register(actor=request.user)
    book = Book()
    sheet = book.sheet(_("Registered staff"))
    sheet.title(_("Register of registered staff (登记备案人员)"))
    sheet.header([pgettext("person", "Name"), _("Gender"), _("Birth date"), _("ID number"), _("Unit and post"), _("Rank"), _("Filing kind")])
    for row in rows:
        sheet.values(row)
    sheet.width(3, 4, 28)
    return workbook_response(book.close(), _("registered staff.xlsx"))


@login_required
@require_POST
def passports_register(request):
    queries.require_passports(request.user)
    form = forms.HolderForm(request.POST)
    if not form.is_valid():
        _invalid(request, form)
        return redirect("matters:passports")
    cadre = Cadre.objects.filter(access.scope_q(request.user, queries.PASSPORTS, "unit__path"), pk=form.cleaned_data["cadre"]).select_related("unit").first()
    if cadre is None:
        messages.error(request, _("Choose the cadre from the list."))
        return redirect("matters:passports")
    return _run(
        request,
        lambda: actions.register_holder(
            actor=request.user, cadre=cadre, registered_on=form.cleaned_data["registered_on"], filing_kind=form.cleaned_data["filing_kind"]
        ),
        _("The cadre is registered."),
        redirect("matters:passports"),
    )


@login_required
def holder_detail(request, pk):
    holder = queries.get_holder_for(request.user, pk)
    documents = list(holder.documents.all())
    travels = list(holder.travels.all())
    loans = list(Loan.objects.filter(document__holder=holder).select_related("document", "travel").order_by("-lent_on"))
    today = dt.date.today()
    for loan in loans:
        loan.overdue = loan.returned_on is None and loan.due_on < today
        loan.late = loan.returned_on is not None and loan.returned_on > loan.due_on
    lend = forms.LendForm(initial={"lent_on": today})
    lend.fields["document"].widget.choices = [(d.pk, f"{d.get_kind_display()} {d.number}") for d in documents if d.status == TravelDocument.Status.KEPT]
    lend.fields["travel"].widget.choices = [
        (t.pk, f"{t.destination} {t.departs_on:%Y-%m-%d}–{t.returns_on:%Y-%m-%d}") for t in travels if t.status == TravelRequest.Status.APPROVED
    ]
    return render(
        request,
        "matters/holder.html",
        {
            "holder": holder,
            "documents": documents,
            "travels": travels,
            "loans": loans,
            "document_form": forms.DocumentForm(initial={"received_on": today}),
            "travel_form": forms.TravelForm(),
            "lend_form": lend,
            "return_form": forms.ReturnForm(initial={"returned_on": today}),
            "decide_form": forms.DecideForm(),
            "can_decide": access.can(request.user, "matters.approve_travel", holder.cadre.unit) and getattr(request.user, "cadre_id", None) != holder.cadre_id,
        },
    )


def _holder_post(request, pk, form_class, work, done):
    holder = queries.get_holder_for(request.user, pk)
    form = form_class(request.POST)
    target = redirect("matters:holder", pk=holder.pk)
    if not form.is_valid():
        _invalid(request, form)
        return target
    return _run(request, lambda: work(holder, form.cleaned_data), done, target)


@login_required
@require_POST
def holder_document(request, pk):
    return _holder_post(
        request,
        pk,
        forms.DocumentForm,
        lambda h, d: actions.receive_document(
            actor=request.user, holder=h, kind=d["kind"], number=d["number"], received_on=d["received_on"], expires_on=d["expires_on"]
        ),
        _("The document is in custody."),
    )


@login_required
@require_POST
def holder_travel(request, pk):
    return _holder_post(
        request,
        pk,
        forms.TravelForm,
        lambda h, d: actions.request_travel(
            actor=request.user, holder=h, destination=d["destination"], purpose=d["purpose"], departs_on=d["departs_on"], returns_on=d["returns_on"]
        ),
        _("The travel request is recorded."),
    )


@login_required
@require_POST
def holder_lend(request, pk):
    def work(holder, d):
        document = holder.documents.filter(pk=d["document"]).first()
        travel = holder.travels.filter(pk=d["travel"]).first()
        if document is None or travel is None:
            raise ActionError(_("Choose the document and the approved travel from the lists."))
        actions.lend_document(actor=request.user, document=document, travel=travel, lent_on=d["lent_on"])

    return _holder_post(request, pk, forms.LendForm, work, _("The document is lent."))


@login_required
@require_POST
def travel_decide(request, pk):
    travel = queries.get_travel_for(request.user, pk)
    form = forms.DecideForm(request.POST)
    target = redirect("matters:holder", pk=travel.holder_id)
    if not form.is_valid():
        _invalid(request, form)
        return target
    return _run(
        request,
        lambda: actions.decide_travel(actor=request.user, travel=travel, approve=form.cleaned_data["approve"] == "1"),
        _("The decision is recorded."),
        target,
    )


@login_required
@require_POST
def loan_return(request, pk):
    loan = queries.loans_visible_to(request.user).filter(pk=pk).first()
    if loan is None:
        raise access.NotVisible()
    form = forms.ReturnForm(request.POST)
    target = redirect("matters:holder", pk=loan.document.holder_id)
    if not form.is_valid():
        _invalid(request, form)
        return target
    return _run(
        request,
        lambda: actions.return_document(actor=request.user, loan=loan, returned_on=form.cleaned_data["returned_on"]),
        _("The document is back in custody."),
        target,
    )
