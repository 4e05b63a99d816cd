"""xlsx imports: templates, upload → preview (nothing stored) → commit (all or nothing) or cancel.

The uploaded workbook waits in MEDIA_ROOT/imports/ under a random name, referenced only from the
uploader's session, and is deleted on commit or cancel (and by a periodic job when abandoned).
The preview's findings are kept beside it as JSON so that reloading the preview does not read
the file again; the commit always reads and checks it again.
"""

import json
import secrets
import time
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiandu.accounts import access
from jiandu.core import journal
from jiandu.core.errors import RowErrors
from jiandu.core.exports import MAX_UPLOAD_BYTES, WorkbookError

from .. import imports
from ..forms import ImportUploadForm
from ..imports import purge_stale_uploads, upload_dir

SESSION_KEY = "registry_imports"
LIST_URLS = {
    "units": "registry:unit_tree",
    "cadres": "registry:cadre_list",
    "positions": "registry:position_list",
    "tenures": "registry:tenure_list",
    "relatives": "registry:cadre_list",
}


def _kinds():
    return [(key, importer.label) for key, importer in imports.IMPORTERS.items()]


def _importer(kind):
    importer = imports.IMPORTERS.get(kind)
    if importer is None:
        raise access.NotVisible()
    return importer


def _entry(request, token):
    entry = request.session.get(SESSION_KEY, {}).get(token)
    if entry is None or not (upload_dir() / f"{token}.xlsx").exists():
        raise access.NotVisible()
    return entry


def _forget(request, token):
    for suffix in (".xlsx", ".json"):
        (upload_dir() / f"{token}{suffix}").unlink(missing_ok=True)
    entries = request.session.get(SESSION_KEY, {})
    entries.pop(token, None)
    request.session[SESSION_KEY] = entries


def _findings(request, token, entry, *, refresh=False) -> dict:
    """The preview's findings in the current language (checked again when the language changed)."""
    path = upload_dir() / f"{token}.json"
    if not refresh and path.exists():
        findings = json.loads(path.read_text(encoding="utf-8"))
        if findings.get("language") == get_language():
            return findings
    preview = imports.prepare(
        _importer(entry["kind"]),
        actor=request.user,
        path=upload_dir() / f"{token}.xlsx",
        mask_sensitive=not access.can(request.user, "registry.view_sensitive"),
    )
    findings = {
        "language": get_language(),
        "rows": preview.rows,
        "errors": preview.errors,
        "error_count": preview.error_count,
        "sample_header": preview.sample_header,
        "sample": preview.sample,
        "ignored_columns": preview.ignored_columns,
    }
    path.write_text(json.dumps(findings, ensure_ascii=False), encoding="utf-8")
    return findings


def _save_findings(token, findings):
    (upload_dir() / f"{token}.json").write_text(json.dumps(findings, ensure_ascii=False), encoding="utf-8")


@login_required
def import_index(request):
    access.require(request.user, "registry.import")
    form = ImportUploadForm(request.POST or None, request.FILES or None, kinds=_kinds(), initial={"kind": request.GET.get("kind", "cadres")})
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            form.add_error("file", _("The file is larger than %(n)d MB; split it into several files.") % {"n": MAX_UPLOAD_BYTES // (1024 * 1024)})
        else:
            purge_stale_uploads()
            token = secrets.token_urlsafe(24)
            path = upload_dir() / f"{token}.xlsx"
            with path.open("wb") as handle:
                for chunk in upload.chunks():
                    handle.write(chunk)
            path.chmod(0o600)
            entry = {"kind": form.cleaned_data["kind"], "name": Path(upload.name).name[:200], "at": int(time.time())}
            try:
                _findings(request, token, entry, refresh=True)
            except WorkbookError as exc:
                path.unlink(missing_ok=True)
                (upload_dir() / f"{token}.json").unlink(missing_ok=True)
                form.add_error("file", exc.message)
            else:
                entries = request.session.get(SESSION_KEY, {})
                entries[token] = entry
                request.session[SESSION_KEY] = entries
                return redirect("registry:import_preview", token=token)
    return render(
        request,
        "registry/import_index.html",
        {
            "form": form,
            "importers": imports.IMPORTERS.values(),
            "max_mb": MAX_UPLOAD_BYTES // (1024 * 1024),
            "tab": "import",
            "breadcrumbs": [(_("Import"), None)],
        },
    )


@login_required
def import_template(request, kind):
    access.require(request.user, "registry.import")
    return _importer(kind).template()


@login_required
def import_preview(request, token):
    access.require(request.user, "registry.import")
    entry = _entry(request, token)
    importer = _importer(entry["kind"])
    try:
        findings = _findings(request, token, entry)
    except WorkbookError as exc:
        _forget(request, token)
        messages.error(request, exc.message)
        return redirect("registry:import_index")
    return render(
        request,
        "registry/import_preview.html",
        {
            "token": token,
            "entry": entry,
            "importer": importer,
            "findings": findings,
            "more_errors": findings["error_count"] - len(findings["errors"]),
            "tab": "import",
            "breadcrumbs": [(_("Import"), reverse("registry:import_index")), (entry["name"], None)],
        },
    )


@login_required
@require_POST
def import_commit(request, token):
    access.require(request.user, "registry.import")
    entry = _entry(request, token)
    importer = _importer(entry["kind"])
    try:
        summary = imports.commit(importer, actor=request.user, path=upload_dir() / f"{token}.xlsx", source=entry["name"])
    except RowErrors as exc:
        with transaction.atomic():
            journal.record(
                f"registry.{importer.noun}.import_refused",
                actor=request.user,
                outcome="failed",
                data={"source": entry["name"], "problems": len(exc.errors)},
            )
        findings = _findings(request, token, entry)
        findings.update(errors=exc.errors[: imports.SHOWN_ERRORS], error_count=len(exc.errors))
        _save_findings(token, findings)
        messages.error(request, _("Nothing was stored: %(n)d problem(s) found. Correct the file and upload it again.") % {"n": len(exc.errors)})
        return redirect("registry:import_preview", token=token)
    except WorkbookError as exc:
        _forget(request, token)
        messages.error(request, exc.message)
        return redirect("registry:import_index")
    _forget(request, token)
    messages.success(request, importer.success(summary))
    return redirect(LIST_URLS[importer.key])


@login_required
@require_POST
def import_cancel(request, token):
    access.require(request.user, "registry.import")
    _entry(request, token)
    _forget(request, token)
    messages.info(request, _("Import cancelled; the uploaded file was deleted."))
    return redirect("registry:import_index")
