"""Editing the cadre record of the form by hand: values, resume and photo."""

from django.db import transaction
from django.utils.translation import gettext as _

from jiandu.accounts import access
from jiandu.core import journal
from jiandu.core.errors import ActionError

from ..models import Cadre
from .importing import cadre_record, replace_resume
from .spec import DATE_RECORD_KEYS, RECORD_TEXT_FIELDS, parse_resume, photo_problem

# --- editing the record by hand ---------------------------------------------------------------------


def update_record(*, actor, cadre: Cadre, values: dict, resume: str | None = None, photo: bytes | None = None) -> list[str]:
    """Change the form's record fields (RECORD_TEXT_FIELDS, age_on, filled_on), the resume
    (its text, one dated line per entry) and the photo. Returns the changed keys; journals them."""
    if photo is not None:
        problem = photo_problem(photo)
        if problem:
            raise ActionError(problem, field="photo")
    rows = None
    if resume is not None:
        try:
            rows = parse_resume(resume)
        except ValueError as exc:
            raise ActionError(
                _("This resume line does not begin with a date such as 2001.09--2005.07: %(line)s") % {"line": str(exc)[:60]}, field="resume"
            ) from exc
    with transaction.atomic():
        cadre = Cadre.objects.select_for_update().select_related("unit").get(pk=cadre.pk)
        access.require(actor, "registry.manage", cadre.unit)
        record = cadre_record(cadre)
        changed = []
        for key in RECORD_TEXT_FIELDS + DATE_RECORD_KEYS:
            if key in values and getattr(record, key) != values[key]:
                setattr(record, key, values[key])
                changed.append(key)
        if photo is not None and photo != bytes(record.photo_data or b""):
            record.photo_data = photo
            changed.append("photo")
        if rows is not None and rows != [{"start": r.start, "end": r.end, "text": r.text} for r in cadre.resume_lines.all()]:
            replace_resume(cadre, rows)
            changed.append("resume")
        if changed:
            record.save()
            journal.record("registry.cadre.record_updated", actor=actor, target=cadre, unit=cadre.unit, cadre=cadre, data={"changed": changed})
    return changed


def require_print(actor, cadre: Cadre) -> None:
    """The printed form shows the birth month and the family: registry.view_sensitive on the
    cadre's unit. Printing is journaled (a download of a personnel document)."""
    if not access.can(actor, "registry.view_sensitive", cadre.unit):
        raise ActionError(_("You may not print the appointment form of %(name)s: it shows the birth date and family.") % {"name": cadre.name})
    journal.record("registry.cadre.form_printed", actor=actor, target=cadre, unit=cadre.unit, cadre=cadre, data={})
