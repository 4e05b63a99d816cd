"""Materials (uploads) of a selection case: files on a stage record (the organisation department)
and on a vetting reply (the vetting department addressed). Each file is checked by size, content
and structure before anything is stored (core.rectification.evidence, as the rectification
evidence and the handover files are), then written under MEDIA_ROOT/selection/."""

import hashlib
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from jiandu.accounts import access
from jiandu.core import journal, uploads
from jiandu.core.errors import ActionError
from jiandu.core.rectification import evidence

from .. import queries
from ..models import Material, Stage, StageRecord, VettingRequest

__all__ = ["attach_stage_material", "attach_vetting_material", "material_path", "material_root"]


def material_root() -> Path:
    return Path(settings.MEDIA_ROOT) / "selection"


def material_path(stored_name: str) -> Path:
    return material_root() / stored_name[:2] / stored_name


def _store(checked, actor, **owner) -> Material:
    stored_name = evidence.write(checked, material_root())
    try:
        return Material.objects.create(
            name=checked.name,
            stored_name=stored_name,
            content_type=uploads.ATTACHMENT_KINDS[checked.kind][0],
            size=len(checked.data),
            sha256=hashlib.sha256(checked.data).hexdigest(),
            uploaded_by=actor,
            **owner,
        )
    except Exception:
        material_path(stored_name).unlink(missing_ok=True)
        raise


def attach_stage_material(*, actor, record: StageRecord, upload) -> Material:
    """Attach a file (PDF, JPEG, PNG, DOCX or XLSX) to a recorded stage of a case: needs
    selection.manage on the case's unit."""
    checked = evidence.check(upload)  # before the lock: a refused file stores nothing
    with transaction.atomic():
        record = StageRecord.objects.select_for_update().select_related("case__unit").get(pk=record.pk)
        case = record.case
        if not access.can(actor, "selection.manage", case.unit):
            raise access.NotVisible()
        material = _store(checked, actor, stage_record=record)
        journal.record(
            "selection.material.attached",
            actor=actor,
            target=case,
            unit=case.unit,
            data={"stage": record.stage, "file": checked.name, "size": len(checked.data)},
        )
    return material


def attach_vetting_material(*, actor, request: VettingRequest, upload) -> Material:
    """Attach a file to a vetting reply: only an officer of the department addressed, and only
    while the case's vetting stage is open."""
    checked = evidence.check(upload)
    with transaction.atomic():
        request = VettingRequest.objects.select_for_update().select_related("candidate__case", "candidate__cadre", "department").get(pk=request.pk)
        if not queries.vetting_requests_for_department(actor).filter(pk=request.pk).exists():
            raise access.NotVisible()
        case = request.candidate.case
        if Stage.VETTING in case.recorded_stages():
            raise ActionError(_("The vetting stage of this case is closed; no more files can be attached."), field="evidence")
        material = _store(checked, actor, vetting=request)
        journal.record(
            "selection.material.attached",
            actor=actor,
            target=case,
            unit=request.department,
            cadre=request.candidate.cadre,
            data={"department": request.department.name, "file": checked.name, "size": len(checked.data)},
        )
    return material
