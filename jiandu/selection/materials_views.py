"""Materials of a selection case: attach a file to a recorded stage (case page) or to a vetting
reply (the request's page), and read it back through an access-checked, journaled download."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jiandu.accounts import access
from jiandu.core import journal
from jiandu.core.errors import ActionError
from jiandu.core.rectification import evidence

from . import actions, queries
from .models import Material, StageRecord


class MaterialForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("File"), allow_empty_file=True)  # size, kind and structure: the action's check


def _attach(request, run, back):
    form = MaterialForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a file to attach."))
        return back
    try:
        run(form.cleaned_data["file"])
    except ActionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The file is attached."))
    return back


@login_required
@require_POST
def attach_stage(request, pk, record_pk):
    case = queries.get_case_for(request.user, pk)
    record = StageRecord.objects.filter(case=case, pk=record_pk).first()
    if record is None or not access.can(request.user, "selection.manage", case.unit):
        raise access.NotVisible()
    return _attach(request, lambda f: actions.attach_stage_material(actor=request.user, record=record, upload=f), redirect("selection:case", pk=case.pk))


@login_required
@require_POST
def attach_vetting(request, pk):
    vetting = queries.get_vetting_request_for(request.user, pk)
    if not queries.vetting_requests_for_department(request.user).filter(pk=vetting.pk).exists():
        raise access.NotVisible()
    return _attach(
        request, lambda f: actions.attach_vetting_material(actor=request.user, request=vetting, upload=f), redirect("selection:vetting", pk=vetting.pk)
    )


def material_for(user, pk) -> Material:
    """A material the user may read: a stage's to whoever sees the case, a vetting reply's also to
    the officers of the department addressed."""
    material = Material.objects.filter(pk=pk).select_related("stage_record__case", "vetting__candidate__case", "vetting__candidate__cadre").first()
    if material is None:
        raise access.NotVisible()
    if material.stage_record_id:
        queries.get_case_for(user, material.stage_record.case_id)
    else:
        queries.get_vetting_request_for(user, material.vetting_id)
    return material


@login_required
def download(request, pk):
    material = material_for(request.user, pk)
    path = actions.material_path(material.stored_name)
    if not path.exists():
        raise access.NotVisible()
    if material.stage_record_id:
        case, cadre, about = material.stage_record.case, None, {"stage": material.stage_record.stage}
    else:
        case, cadre, about = material.vetting.candidate.case, material.vetting.candidate.cadre, {"department": material.vetting.department.name}
    journal.record("selection.material.downloaded", actor=request.user, target=case, unit=case.unit, cadre=cadre, data={**about, "file": material.name})
    return evidence.download(path, material.name, material.content_type)
