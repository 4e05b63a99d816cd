"""The 任免审批表: .lrmx export and import (upload → side-by-side preview → commit all or nothing),
the printed form (PDF) and the form's record fields (issue 12 parts 1–3)."""

import base64
import json
import secrets
import time

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiandu.accounts import access
from jiandu.core.errors import ActionError
from jiandu.core.masking import mask_birth_date, mask_id_number
from jiandu.core.pdf import pdf_response

from .. import lrmx, queries
from ..forms import bounded_picker
from ..imports import purge_stale_uploads, upload_dir
from ..models import CadreRecord
from .cadres import filtered_cadres

SESSION_KEY = "registry_lrmx_imports"
MAX_EXPORT = 500


def _download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = pdf_response(content, filename)  # the same safe Content-Disposition
    response["Content-Type"] = content_type
    return response


@login_required
def cadre_lrmx(request, pk):
    cadre = queries.get_cadre_for(request.user, pk)
    try:
        lrmx.require_export(request.user, [cadre])
    except ActionError as exc:
        messages.error(request, exc.message)
        return redirect("registry:cadre_detail", pk=cadre.pk)
    return _download(lrmx.build(cadre), lrmx.file_name(cadre), "application/xml; charset=utf-8")


@login_required
def cadres_lrmx(request):
    """The cadres ticked on the list (`ids`), or else the list as filtered, as a zip of .lrmx."""
    access.require(request.user, "registry.view")
    cadres = filtered_cadres(request)
    ids = [int(i) for i in request.GET.getlist("ids") if i.isdigit()]
    if ids:
        cadres = cadres.filter(pk__in=ids)
    cadres = list(cadres[: MAX_EXPORT + 1])
    back = reverse("registry:cadre_list")
    if not cadres:
        messages.error(request, _("No cadre to export."))
        return redirect(back)
    if len(cadres) > MAX_EXPORT:
        messages.error(request, _("At most %(n)d appointment forms can be exported at once; narrow the list.") % {"n": MAX_EXPORT})
        return redirect(back)
    try:
        lrmx.require_export(request.user, cadres)
    except ActionError as exc:
        messages.error(request, exc.message)
        return redirect(back)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return _download(lrmx.export_archive(cadres), _("Appointment forms") + f"-{stamp}.zip", "application/zip")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data] or [single(None, initial)]
        return [single(data, initial)]


class LrmxUploadForm(forms.Form):
    files = MultipleFileField(
        label=gettext_lazy("Forms (.lrmx) or a zip of them"),
        widget=MultipleFileInput(attrs={"accept": ".lrmx,.zip", "multiple": True}),
    )
    unit = forms.ModelChoiceField(
        label=gettext_lazy("Unit for cadres not yet in the registry"),
        queryset=None,
        required=False,
        help_text=gettext_lazy("Cadres are matched by ID number; only new ones are registered in this unit."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        units = queries.units_visible_to(user, "registry.manage").filter(is_active=True).order_by("path")
        bounded_picker(self, "unit", units, kind="units", perm="registry.manage")


def _pending(request, token):
    entry = request.session.get(SESSION_KEY, {}).get(token)
    path = upload_dir() / f"lrmx-{token}.json"
    if entry is None or not path.exists():
        raise access.NotVisible()
    stored = json.loads(path.read_text(encoding="utf-8"))
    return entry, [(name, base64.b64decode(data)) for name, data in stored]


def _forget(request, token):
    (upload_dir() / f"lrmx-{token}.json").unlink(missing_ok=True)
    entries = request.session.get(SESSION_KEY, {})
    entries.pop(token, None)
    request.session[SESSION_KEY] = entries


@login_required
def lrmx_import(request):
    access.require(request.user, "registry.import")
    form = LrmxUploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["files"]
        if sum(upload.size for upload in uploaded) > lrmx.MAX_UPLOAD_BYTES:
            form.add_error("files", _("The upload is larger than %(n)d MB.") % {"n": (lrmx.MAX_UPLOAD_BYTES + 1) // (1024 * 1024)})
        else:
            try:
                files = lrmx.read_upload([(upload.name.rsplit("/", 1)[-1][:200], upload.read()) for upload in uploaded])
            except lrmx.LrmxError as exc:
                form.add_error("files", exc.message)
            else:
                purge_stale_uploads()
                token = secrets.token_urlsafe(24)
                path = upload_dir() / f"lrmx-{token}.json"
                path.write_text(json.dumps([(name, base64.b64encode(data).decode("ascii")) for name, data in files]), encoding="utf-8")
                path.chmod(0o600)
                unit = form.cleaned_data.get("unit")
                entries = request.session.get(SESSION_KEY, {})
                entries[token] = {"unit": unit.pk if unit else None, "at": int(time.time())}
                request.session[SESSION_KEY] = entries
                return redirect("registry:lrmx_preview", token=token)
    return render(
        request,
        "registry/lrmx_import.html",
        {
            "form": form,
            "max_mb": (lrmx.MAX_UPLOAD_BYTES + 1) // (1024 * 1024),
            "tab": "import",
            "breadcrumbs": [(_("Import"), reverse("registry:import_index")), (_("Appointment forms (.lrmx)"), None)],
        },
    )


def _masker(user, unit):
    may_see = queries.sensitive_checker(user)
    new_in_clear = unit is not None and access.can(user, "registry.view_sensitive", unit)

    def mask(cadre, key, text):
        clear = may_see(cadre) if cadre is not None else new_in_clear
        if clear or key not in ("id_number", "birth_on", "family"):
            return text
        if key == "id_number":
            return mask_id_number(text)
        if key == "birth_on":
            return mask_birth_date(timezone.datetime.fromisoformat(text).date()) if text else ""
        return _("(hidden)") if text else ""

    return mask


def _unit(user, entry):
    return queries.get_unit_for(user, entry["unit"], "registry.manage") if entry.get("unit") else None


@login_required
def lrmx_preview(request, token):
    access.require(request.user, "registry.import")
    entry, files = _pending(request, token)
    unit = _unit(request.user, entry)
    if request.method == "POST":
        if request.POST.get("cancel"):
            _forget(request, token)
            return redirect("registry:lrmx_import")
        try:
            summary = lrmx.apply_plan(actor=request.user, files=files, unit=unit, source=_("appointment forms (.lrmx)"))
        except ActionError as exc:
            messages.error(request, exc.message)
        else:
            _forget(request, token)
            messages.success(request, _("Imported: %(created)d new cadres, %(updated)d updated, %(unchanged)d unchanged.") % summary)
            return redirect("registry:cadre_list")
    preview, _forms = lrmx.plan(actor=request.user, files=files, unit=unit, mask=_masker(request.user, unit))
    return render(
        request,
        "registry/lrmx_preview.html",
        {
            "preview": preview,
            "token": token,
            "unit": unit,
            "tab": "import",
            "breadcrumbs": [(_("Import"), reverse("registry:import_index")), (_("Appointment forms (.lrmx)"), None)],
        },
    )


@login_required
def cadre_form_pdf(request, pk):
    from .. import appform

    cadre = queries.get_cadre_for(request.user, pk)
    try:
        lrmx.require_print(request.user, cadre)
    except ActionError as exc:
        messages.error(request, exc.message)
        return redirect("registry:cadre_detail", pk=cadre.pk)
    return pdf_response(appform.render(cadre), f"干部任免审批表-{cadre.name}.pdf")


class RecordForm(forms.ModelForm):
    photo = forms.FileField(label=gettext_lazy("photo"), required=False, widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}))
    resume = forms.CharField(
        label=gettext_lazy("resume"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=gettext_lazy("One line per period: 2001.09--2005.07 示范大学中文系汉语言文学专业学习. An open period: 2019.03-- and the text."),
    )

    class Meta:
        model = CadreRecord
        fields = lrmx.RECORD_TEXT_FIELDS + lrmx.DATE_RECORD_KEYS
        widgets = {key: forms.Textarea(attrs={"rows": 3}) for key in ("rewards", "appraisals", "reason")} | {
            key: forms.DateInput(attrs={"type": "date"}) for key in lrmx.DATE_RECORD_KEYS
        }


@login_required
def cadre_record_edit(request, pk):
    cadre = queries.get_cadre_for(request.user, pk, "registry.manage")
    record = lrmx.cadre_record(cadre)
    initial = {"resume": lrmx.resume_text(cadre.resume_lines.all())}
    if not record.current_post:
        initial["current_post"] = lrmx.computed_post(cadre)
    if not record.appraisals:
        initial["appraisals"] = lrmx.computed_appraisals(cadre)
    form = RecordForm(request.POST or None, request.FILES or None, instance=record, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = {key: form.cleaned_data[key] for key in lrmx.RECORD_TEXT_FIELDS + lrmx.DATE_RECORD_KEYS}
        if values["current_post"] == lrmx.computed_post(cadre):
            values["current_post"] = ""  # keep following the tenures
        if values["appraisals"] == lrmx.computed_appraisals(cadre):
            values["appraisals"] = ""  # keep following the appraisals
        try:
            upload = form.cleaned_data.get("photo")
            photo = None
            if upload:
                photo = upload.read(lrmx.MAX_PHOTO_BYTES + 1)
            lrmx.update_record(actor=request.user, cadre=cadre, values=values, resume=form.cleaned_data["resume"], photo=photo)
        except ActionError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("The appointment form record was saved."))
            return redirect("registry:cadre_detail", pk=cadre.pk)
    return render(
        request,
        "registry/form.html",
        {
            "form": form,
            "title": _("Appointment form record of %(name)s") % {"name": cadre.name},
            "cancel_url": reverse("registry:cadre_detail", args=[cadre.pk]),
            "tab": "cadres",
            "breadcrumbs": [
                (_("Cadres"), reverse("registry:cadre_list")),
                (cadre.name, reverse("registry:cadre_detail", args=[cadre.pk])),
                (_("Appointment form record"), None),
            ],
        },
    )
