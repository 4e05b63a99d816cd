"""Upload validation and storage for oversight attachments (SECURITY.md "Input and files").

Allow-list by content, not by name: the first bytes must be a PDF, JPEG or PNG signature, or a
ZIP that is really a DOCX/XLSX package; the file name's extension must agree with the content
(a disguised file is refused). Size is limited by the `oversight.upload_max_mb` setting. Files
are stored under MEDIA_ROOT/oversight/ with random names (never served by the web server) and
read back only through the access-checked download view, as attachments with nosniff.

This module has no oversight knowledge beyond the Attachment model; it may move to core.
"""

import hashlib
import os
import secrets
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from jiandu.core import uploads as core_uploads
from jiandu.core.errors import ActionError
from jiandu.core.practice import get_setting

from .models import Attachment

KINDS = core_uploads.ATTACHMENT_KINDS
ALLOWED_NAMES = core_uploads.ATTACHMENT_KIND_NAMES


def _read_all(upload) -> bytes:
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read()
    if hasattr(upload, "seek"):
        upload.seek(0)
    return data


detect_kind = core_uploads.attachment_kind


def clean_name(name: str) -> str:
    name = os.path.basename((name or "").replace("\\", "/")).strip().replace("\x00", "")
    return name[-200:] or "file"


def check_upload(upload) -> tuple[str, bytes]:
    """Validate an uploaded file; returns (kind, content) or raises ActionError naming the problem."""
    if upload is None:
        raise ActionError(_("Choose a file to upload."), field="file")
    limit_mb = int(get_setting("oversight.upload_max_mb"))
    size = getattr(upload, "size", None)
    if size is not None and size > limit_mb * 1024 * 1024:
        raise ActionError(_("The file is larger than %(mb)d MB.") % {"mb": limit_mb}, field="file")
    data = _read_all(upload)
    if len(data) > limit_mb * 1024 * 1024:
        raise ActionError(_("The file is larger than %(mb)d MB.") % {"mb": limit_mb}, field="file")
    if not data:
        raise ActionError(_("The file is empty."), field="file")
    kind = detect_kind(data)
    if kind is None:
        raise ActionError(_("This type of file is not accepted. Allowed: %(kinds)s.") % {"kinds": ALLOWED_NAMES}, field="file")
    problem = core_uploads.attachment_problem(kind, data)
    if problem:
        raise ActionError(problem, field="file")
    extension = Path(clean_name(getattr(upload, "name", ""))).suffix.lower()
    if extension not in KINDS[kind][1]:
        raise ActionError(
            _("The file's name (%(ext)s) does not match its content (%(kind)s); rename or convert it.") % {"ext": extension or "—", "kind": kind.upper()},
            field="file",
        )
    return kind, data


def storage_root() -> Path:
    return Path(settings.MEDIA_ROOT) / "oversight"


def path_of(attachment: Attachment) -> Path:
    return storage_root() / attachment.stored_name[:2] / attachment.stored_name


def store(*, actor, owner, purpose: str, upload, checked: tuple[str, bytes] | None = None) -> Attachment:
    """Write a validated upload to disk and record it against `owner`. Call inside the action's
    transaction after every other check has passed; the file is removed again if the row cannot
    be written."""
    kind, data = checked or check_upload(upload)
    stored_name = secrets.token_hex(20)
    target = storage_root() / stored_name[:2] / stored_name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    try:
        return Attachment.objects.create(
            owner_type=owner._meta.model_name,
            owner_id=owner.pk,
            purpose=purpose,
            original_name=clean_name(getattr(upload, "name", "")),
            stored_name=stored_name,
            content_type=KINDS[kind][0],
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            uploaded_by=actor,
        )
    except Exception:
        target.unlink(missing_ok=True)
        raise


def attachments_of(owner, purpose: str | None = None):
    qs = Attachment.objects.filter(owner_type=owner._meta.model_name, owner_id=owner.pk)
    return qs.filter(purpose=purpose) if purpose else qs
