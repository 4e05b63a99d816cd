"""Evidence files of rectification progress reports: checked before anything is stored, kept
under MEDIA_ROOT/rectification/ with random names (never served by the web server) and read back
only through each app's access-checked download view, as attachments with nosniff.

The checks run in the order that costs least: the declared size, then at most the limit plus one
byte is read, then the kind by the first bytes (PDF, JPEG, PNG, DOCX, XLSX; a renamed executable
is refused), then the structure (jiandu.core.uploads.attachment_problem: zip bombs, damaged
packages, absurd images), then the name's extension must agree with the content."""

import hashlib
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.http import FileResponse
from django.utils.translation import gettext as _

from jiandu.core import uploads
from jiandu.core.errors import ActionError
from jiandu.core.practice import get_setting

FIELD = "evidence"


@dataclass(frozen=True)
class Evidence:
    name: str
    kind: str
    data: bytes


def clean_name(name: str) -> str:
    name = os.path.basename((name or "").replace("\\", "/")).strip().replace("\x00", "")
    return name[-200:] or "file"


def check(upload) -> Evidence:
    """Validate an uploaded evidence file or raise ActionError naming the problem."""
    limit_mb = int(get_setting("rectification.evidence_max_mb"))
    limit = limit_mb * 1024 * 1024
    too_large = _("The file is larger than %(mb)d MB.") % {"mb": limit_mb}
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise ActionError(too_large, field=FIELD)
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ActionError(too_large, field=FIELD)
    if not data:
        raise ActionError(_("The file is empty."), field=FIELD)
    kind = uploads.attachment_kind(data)
    if kind is None:
        raise ActionError(_("This type of file is not accepted. Allowed: %(kinds)s.") % {"kinds": uploads.ATTACHMENT_KIND_NAMES}, field=FIELD)
    problem = uploads.attachment_problem(kind, data)
    if problem:
        raise ActionError(problem, field=FIELD)
    name = clean_name(getattr(upload, "name", ""))
    extension = Path(name).suffix.lower()
    if extension not in uploads.ATTACHMENT_KINDS[kind][1]:
        raise ActionError(
            _("The file's name (%(ext)s) does not match its content (%(kind)s); rename or convert it.") % {"ext": extension or "—", "kind": kind.upper()},
            field=FIELD,
        )
    return Evidence(name=name, kind=kind, data=data)


def storage_root() -> Path:
    return Path(settings.MEDIA_ROOT) / "rectification"


def path_of(report) -> Path:
    return storage_root() / report.evidence_stored_name[:2] / report.evidence_stored_name


def write(evidence: Evidence, root: Path) -> str:
    """Write a checked file under `root` with a random name; returns the stored name."""
    stored_name = secrets.token_hex(20)
    target = root / stored_name[:2] / stored_name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(evidence.data)
    return stored_name


def download(path: Path, name: str, content_type: str) -> FileResponse:
    """A stored file as a download (never inline, never sniffed)."""
    result = FileResponse(path.open("rb"), as_attachment=True, filename=name, content_type=content_type)
    result["X-Content-Type-Options"] = "nosniff"
    result["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return result


def attach(report, evidence: Evidence) -> None:
    """Write the checked file and fill the report's evidence fields (the caller saves the report)."""
    stored_name = write(evidence, storage_root())
    report.evidence_name = evidence.name
    report.evidence_stored_name = stored_name
    report.evidence_content_type = uploads.ATTACHMENT_KINDS[evidence.kind][0]
    report.evidence_size = len(evidence.data)
    report.evidence_sha256 = hashlib.sha256(evidence.data).hexdigest()


def response(report) -> FileResponse | None:
    """The evidence as a download (never inline), or None when the report has none on disk."""
    if not report.has_evidence:
        return None
    path = path_of(report)
    if not path.exists():
        return None
    result = download(path, report.evidence_name, report.evidence_content_type)
    return result
