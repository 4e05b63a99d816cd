"""Personal-matters pages: random and targeted checks, requests to departments, replies and their handling."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiandu.accounts import access
from jiandu.core.errors import ActionError
from jiandu.core.practice import get_setting
from jiandu.registry.models import Cadre

from .. import actions, compare, forms, queries
from .. import items as item_specs
from ..models import Check, CheckRequest
from .common import _cadre_choices, _invalid, _run

# --- checks --------------------------------------------------------------------------------------


@login_required
def checks(request):
    qs = queries.checks_visible_to(request.user).order_by("status", "-opened_at")
    form = forms.TargetedCheckForm()
    form.fields["cadre"].widget.choices = _cadre_choices(request.user, queries.VIEW)
    return render(request, "matters/checks.html", {"checks": qs[:500], "form": form})


@login_required
@require_POST
def check_targeted(request):
    queries.require_view(request.user)
    form = forms.TargetedCheckForm(request.POST)
    if not form.is_valid():
        _invalid(request, form)
        return redirect("matters:checks")
    cadre = Cadre.objects.filter(access.scope_q(request.user, queries.VIEW, "unit__path"), pk=form.cleaned_data["cadre"]).select_related("unit").first()
    if cadre is None:
        messages.error(request, _("Choose the cadre from the list."))
        return redirect("matters:checks")
    try:
        check = actions.request_targeted_check(cadre=cadre, reason=form.cleaned_data["reason"], actor=request.user)
    except ActionError as exc:
        messages.error(request, exc.message)
        return redirect("matters:checks")
    messages.success(request, _("The targeted check is open."))
    return redirect("matters:check", pk=check.pk)


@login_required
def check_detail(request, pk):
    check = queries.get_check_for(request.user, pk)
    actions.record_view(actor=request.user, check=check)
    asked = set(check.requests.values_list("department", flat=True))
    request_form = forms.RequestForm()
    request_form.fields["department"].widget.choices = [(d, d) for d in get_setting("matters.check_departments") or [] if d not in asked]
    kind = item_specs.KINDS.get(request.GET.get("kind", ""))
    return render(
        request,
        "matters/check.html",
        {
            "check": check,
            "requests": check.requests.all(),
            "comparisons": compare.compare(check),
            "report_items": check.report.items.all() if check.report else [],
            "open": check.status == Check.Status.OPEN,
            "request_form": request_form,
            "reply_form": forms.ReplyForm(),
            "kinds": list(item_specs.KINDS.values()),
            "kind": kind,
            "item_form": forms.item_form(kind) if kind else None,
            "classify_choices": forms.ClassifyForm.base_fields["classification"].choices,
            "conclude_form": forms.ConcludeForm(initial={"decided_on": dt.date.today()}),
        },
    )


@login_required
@require_POST
def check_request(request, pk):
    check = queries.get_check_for(request.user, pk)
    form = forms.RequestForm(request.POST)
    if not form.is_valid():
        _invalid(request, form)
        return redirect("matters:check", pk=check.pk)
    return _run(
        request,
        lambda: actions.send_request(actor=request.user, check=check, department=form.cleaned_data["department"]),
        _("The records request is sent."),
        redirect("matters:check", pk=check.pk),
    )


@login_required
@require_POST
def request_reply(request, pk):
    records_request = CheckRequest.objects.filter(pk=pk).first()
    if records_request is None:
        raise access.NotVisible()
    check = queries.get_check_for(request.user, records_request.check_case_id)
    form = forms.ReplyForm(request.POST)
    target = redirect("matters:check", pk=check.pk)
    if not form.is_valid():
        _invalid(request, form)
        return target
    rows = []
    kind = item_specs.KINDS.get(request.POST.get("kind", ""))
    if kind is not None:
        item_form = forms.item_form(kind, request.POST)
        if not item_form.is_valid():
            _invalid(request, item_form)
            return target
        data = item_form.cleaned_data
        rows.append(
            {"kind": kind.code, "holder": data["holder"], "holder_name": data["holder_name"], "values": {f.name: data.get(f.name, "") for f in kind.fields}}
        )
    return _run(
        request,
        lambda: actions.record_reply(actor=request.user, request=records_request, replied_on=form.cleaned_data["replied_on"], rows=rows),
        _("The reply is recorded."),
        target,
    )


@login_required
@require_POST
def check_classify(request, pk):
    check = queries.get_check_for(request.user, pk)
    form = forms.ClassifyForm(request.POST)
    if not form.is_valid():
        _invalid(request, form)
        return redirect("matters:check", pk=check.pk)
    return _run(
        request,
        lambda: actions.classify(
            actor=request.user, check=check, reply_item_id=form.cleaned_data["reply_item"], classification=form.cleaned_data["classification"]
        ),
        _("The classification is recorded."),
        redirect("matters:check", pk=check.pk),
    )


@login_required
@require_POST
def check_conclude(request, pk):
    check = queries.get_check_for(request.user, pk)
    form = forms.ConcludeForm(request.POST)
    if not form.is_valid():
        _invalid(request, form)
        return redirect("matters:check", pk=check.pk)
    data = form.cleaned_data
    return _run(
        request,
        lambda: actions.conclude_check(
            actor=request.user, check=check, handling=data["handling"], decided_on=data["decided_on"], deciding_body=data["deciding_body"]
        ),
        _("The check is concluded."),
        redirect("matters:check", pk=check.pk),
    )
