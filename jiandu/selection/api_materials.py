"""JSON API of a selection case's materials: attach a file to a recorded stage or to a vetting
reply (multipart form), checked before anything is stored; the file is read back through the
page's journaled download (`url`)."""

import datetime as dt

from django.urls import reverse
from ninja import File, Schema
from ninja.files import UploadedFile

from jiandu.accounts import access
from jiandu.core.api import Id

from . import actions, queries
from .api import router
from .models import StageRecord


class SelectionMaterialOut(Schema):
    id: int
    name: str
    size: int
    uploaded_at: dt.datetime
    url: str


def _material(m) -> dict:
    return {"id": m.pk, "name": m.name, "size": m.size, "uploaded_at": m.uploaded_at, "url": reverse("selection:material", args=[m.pk])}


@router.post(
    "/cases/{case_id}/stages/{record_id}/materials",
    response={201: SelectionMaterialOut},
    summary="Attach a file to a recorded stage (multipart form)",
    url_name="attach_selection_stage_material",
)
def attach_stage_material(request, case_id: Id, record_id: Id, file: File[UploadedFile]):
    """PDF, JPEG, PNG, DOCX or XLSX, checked by size, content and structure before it is stored;
    needs selection.manage on the case's unit; journaled."""
    case = queries.get_case_for(request.user, case_id)
    record = StageRecord.objects.filter(case=case, pk=record_id).first()
    if record is None:
        raise access.NotVisible()
    return 201, _material(actions.attach_stage_material(actor=request.user, record=record, upload=file))


@router.post(
    "/vetting/{request_id}/materials",
    response={201: SelectionMaterialOut},
    summary="Attach a file to a vetting reply (multipart form)",
    url_name="attach_selection_vetting_material",
)
def attach_vetting_material(request, request_id: Id, file: File[UploadedFile]):
    """Only an officer of the department addressed, while the case's vetting stage is open."""
    vetting = queries.get_vetting_request_for(request.user, request_id)
    return 201, _material(actions.attach_vetting_material(actor=request.user, request=vetting, upload=file))
