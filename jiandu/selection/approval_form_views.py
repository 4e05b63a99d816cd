"""The 干部任免审批表 of a candidate, filled from the case (approval_form.py), as PDF and .lrmx.
Whoever sees the case and may open the registry's form of the cadre (registry.view and
registry.view_sensitive on the cadre's unit: it shows the ID number, birth date and family);
the registry journals each print and export, and the case journals which case it was for."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect

from jiandu.accounts import access
from jiandu.core import journal
from jiandu.core.errors import ActionError
from jiandu.core.pdf import pdf_response
from jiandu.registry import lrmx

from . import approval_form, queries


def _candidate(request, pk, candidate_pk):
    candidate = queries.get_candidate_for(request.user, candidate_pk)
    if candidate.case_id != int(pk) or not access.can(request.user, "registry.view", candidate.cadre.unit):
        raise access.NotVisible()
    return candidate


def _journal(request, candidate, fmt):
    case = candidate.case
    journal.record("selection.appform.printed", actor=request.user, target=case, unit=case.unit, cadre=candidate.cadre, data={"format": fmt})


@login_required
def appform_pdf(request, pk, candidate_pk):
    candidate = _candidate(request, pk, candidate_pk)
    try:
        lrmx.require_print(request.user, candidate.cadre)
    except ActionError as exc:
        messages.error(request, exc.message)
        return redirect("selection:case", pk=candidate.case_id)
    _journal(request, candidate, "pdf")
    return pdf_response(approval_form.pdf(candidate), approval_form.filename(candidate, "pdf"))


@login_required
def appform_lrmx(request, pk, candidate_pk):
    candidate = _candidate(request, pk, candidate_pk)
    try:
        lrmx.require_export(request.user, [candidate.cadre])
    except ActionError as exc:
        messages.error(request, exc.message)
        return redirect("selection:case", pk=candidate.case_id)
    _journal(request, candidate, "lrmx")
    response = pdf_response(approval_form.lrmx_file(candidate), approval_form.filename(candidate, "lrmx"))  # the same safe Content-Disposition
    response["Content-Type"] = "application/xml; charset=utf-8"
    return response
