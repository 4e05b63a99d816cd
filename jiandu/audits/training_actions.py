"""Writes of training and warning education (培训与警示教育, issue #13 §7): sessions, their
participants (picked from the registry or imported from a workbook) and attendance. Keyword-only,
actor required, `audits.manage` on the organising unit, journaled in the same transaction."""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from jiandu.accounts import access
from jiandu.core import exports, journal
from jiandu.core.errors import ActionError, RowErrors
from jiandu.registry import queries as registry_queries
from jiandu.registry.models import Cadre, Unit
from jiandu.registry.validators import normalise_id_number

from .models import TrainingParticipant, TrainingSession

TITLE_MAX = 200
PLACE_MAX = 200
MATERIALS_MAX = 5000
REASON_MAX = 500
MAX_HOURS = Decimal("24")
IMPORT_MAX_ROWS = 2000

IMPORT_COLUMNS = (
    exports.Column("name", pgettext_lazy("spreadsheet column", "Name"), required=True, max_length=50, width=10),
    exports.Column(
        "id_number",
        gettext_lazy("ID number"),
        max_length=30,
        width=21,
        help=gettext_lazy("Identifies the cadre; may be left empty when no other cadre you may see has the same name."),
    ),
)


def _text(value, *, field: str, limit: int, required: bool = False, label=None) -> str:
    value = (value or "").strip()
    if "\x00" in value:
        raise ActionError(_("The text contains a character that cannot be stored."), field=field)
    if required and not value:
        raise ActionError(_("This field is required."), field=field)
    if len(value) > limit:
        raise ActionError(_("The text is longer than %(n)d characters.") % {"n": limit}, field=field)
    return value


def clean_hours(hours) -> Decimal:
    """Hours of one session: more than 0, at most 24, at most one decimal place."""
    try:
        value = Decimal(str(hours).strip())
    except (InvalidOperation, ValueError):
        raise ActionError(_("Give the hours as a number such as 3 or 1.5."), field="hours") from None
    if not value.is_finite():
        raise ActionError(_("Give the hours as a number such as 3 or 1.5."), field="hours")
    if value <= 0:
        raise ActionError(_("A session lasts more than 0 hours."), field="hours")
    if value > MAX_HOURS:
        raise ActionError(_("A session counts at most 24 hours; record a longer course as several sessions."), field="hours")
    if value != value.quantize(Decimal("0.1")):
        raise ActionError(_("Give the hours with at most one decimal place."), field="hours")
    return value.quantize(Decimal("0.1"))


def _clean(kind, title, held_on, place, hours, materials) -> dict:
    if kind not in TrainingSession.Kind.values:
        raise ActionError(_("Choose the kind of session."), field="kind")
    if not isinstance(held_on, dt.date):
        raise ActionError(_("Give the date of the session."), field="held_on")
    return {
        "kind": kind,
        "title": _text(title, field="title", limit=TITLE_MAX, required=True),
        "held_on": held_on,
        "place": _text(place, field="place", limit=PLACE_MAX),
        "hours": clean_hours(hours),
        "materials": _text(materials, field="materials", limit=MATERIALS_MAX),
    }


def _require_manage(actor, unit) -> None:
    if unit is None or not access.can(actor, "audits.manage", unit):
        raise access.NotVisible()


def _data(session: TrainingSession) -> dict:
    return {
        "kind": session.kind,
        "title": session.title,
        "held_on": session.held_on.isoformat(),
        "place": session.place,
        "hours": str(session.hours),
        "required": session.required,
        "organiser": session.organiser.name,
    }


def create_session(
    *, actor, kind: str, title: str, held_on: dt.date, hours, organiser: Unit, required: bool = False, place: str = "", materials: str = ""
) -> TrainingSession:
    """Record a session organised by `organiser` (audits.manage on it)."""
    values = _clean(kind, title, held_on, place, hours, materials)
    with transaction.atomic():
        _require_manage(actor, organiser)
        session = TrainingSession.objects.create(**values, required=bool(required), organiser=organiser, created_by=actor)
        journal.record("audits.training.session_created", actor=actor, target=session, unit=organiser, data=_data(session))
    return session


def update_session(
    *,
    actor,
    session: TrainingSession,
    kind: str,
    title: str,
    held_on: dt.date,
    hours,
    organiser: Unit,
    required: bool = False,
    place: str = "",
    materials: str = "",
) -> TrainingSession:
    """Change a session (audits.manage on its organising unit, and on the new one)."""
    values = _clean(kind, title, held_on, place, hours, materials)
    with transaction.atomic():
        session = TrainingSession.objects.select_for_update().select_related("organiser").get(pk=session.pk)
        _require_manage(actor, session.organiser)
        _require_manage(actor, organiser)
        recorded = session.participants.exclude(attendance=TrainingParticipant.Attendance.PENDING).exists()
        if recorded and values["held_on"] > timezone.localdate():
            raise ActionError(_("Attendance is already recorded: the session cannot be moved to a future date."), field="held_on")
        before = _data(session)
        for key, value in values.items():
            setattr(session, key, value)
        session.required = bool(required)
        session.organiser = organiser
        session.save()
        after = _data(session)
        changed = {key: [before[key], after[key]] for key in after if before[key] != after[key]}
        journal.record("audits.training.session_updated", actor=actor, target=session, unit=organiser, data={"title": session.title, "changed": changed})
    return session


def _locked(actor, session: TrainingSession) -> TrainingSession:
    session = TrainingSession.objects.select_for_update().select_related("organiser").get(pk=session.pk)
    _require_manage(actor, session.organiser)
    return session


def _invitable(actor):
    """Cadres the actor may invite: those of the registry the actor may see."""
    return registry_queries.cadres_visible_to(actor)


def add_participant(*, actor, session: TrainingSession, cadre: Cadre) -> TrainingParticipant:
    """Invite one cadre of the registry (one the actor may see) to the session."""
    with transaction.atomic():
        session = _locked(actor, session)
        if not _invitable(actor).filter(pk=cadre.pk).exists():
            raise ActionError(_("Choose the cadre from the registry."), field="cadre")
        if session.participants.filter(cadre_id=cadre.pk).exists():
            raise ActionError(_("%(name)s is already a participant.") % {"name": cadre.name}, field="cadre")
        participant = TrainingParticipant.objects.create(session=session, cadre=cadre)
        journal.record(
            "audits.training.participant_added",
            actor=actor,
            target=session,
            unit=session.organiser,
            cadre=cadre,
            data={"title": session.title, "cadre": cadre.name},
        )
    return participant


def remove_participant(*, actor, session: TrainingSession, participant_id: int) -> None:
    """Take a cadre off the list while the attendance is not recorded yet."""
    with transaction.atomic():
        session = _locked(actor, session)
        participant = session.participants.select_related("cadre").filter(pk=participant_id).first()
        if participant is None:
            raise ActionError(_("This cadre is not a participant of the session."), field="participant")
        if participant.attendance != TrainingParticipant.Attendance.PENDING:
            raise ActionError(
                _("The attendance of %(name)s is recorded; a participant with recorded attendance stays on the list.") % {"name": participant.cadre.name}
            )
        participant.delete()
        journal.record(
            "audits.training.participant_removed",
            actor=actor,
            target=session,
            unit=session.organiser,
            cadre=participant.cadre,
            data={"title": session.title, "cadre": participant.cadre.name},
        )


def record_attendance(
    *, actor, session: TrainingSession, participant_id: int, attendance: str, reason: str = "", today: dt.date | None = None
) -> TrainingParticipant:
    """Record whether a participant attended, was absent (the reason is required) or was excused
    (leave approved beforehand). Not before the day of the session."""
    if attendance not in (TrainingParticipant.Attendance.ATTENDED, TrainingParticipant.Attendance.ABSENT, TrainingParticipant.Attendance.EXCUSED):
        raise ActionError(_("Choose attended, absent or excused."), field="attendance")
    reason = _text(reason, field="reason", limit=REASON_MAX, required=attendance == TrainingParticipant.Attendance.ABSENT)
    if attendance == TrainingParticipant.Attendance.ATTENDED:
        reason = ""
    with transaction.atomic():
        session = _locked(actor, session)
        if session.held_on > (today or timezone.localdate()):
            raise ActionError(_("Attendance can be recorded from the day of the session (%(day)s).") % {"day": session.held_on.isoformat()})
        participant = session.participants.select_for_update().filter(pk=participant_id).first()
        if participant is None:
            raise ActionError(_("This cadre is not a participant of the session."), field="participant")
        participant.attendance = attendance
        participant.reason = reason
        participant.recorded_by = actor
        participant.recorded_at = timezone.now()
        participant.save(update_fields=["attendance", "reason", "recorded_by", "recorded_at"])
        journal.record(
            "audits.training.attendance_recorded",
            actor=actor,
            target=session,
            unit=session.organiser,
            cadre=participant.cadre_id,
            data={"title": session.title, "attendance": attendance, "reason": reason},
        )
    return participant


def _resolve_rows(actor, session, rows) -> tuple[list[Cadre], list[dict]]:
    """Match each row to a cadre the actor may see: by ID number (the name must then be the one
    registered), or by the name alone when exactly one such cadre has it."""
    visible = _invitable(actor)
    numbers = sorted({normalise_id_number(values.get("id_number") or "") for _row, values in rows} - {""})
    names = sorted({(values.get("name") or "").strip() for _row, values in rows if not (values.get("id_number") or "").strip()} - {""})
    by_number = {}
    for start in range(0, len(numbers), 900):
        for cadre in visible.filter(id_number__in=numbers[start : start + 900]):
            by_number[cadre.id_number] = cadre
    by_name: dict[str, list[Cadre]] = {}
    for start in range(0, len(names), 900):
        for cadre in visible.filter(name__in=names[start : start + 900]):
            by_name.setdefault(cadre.name, []).append(cadre)
    already = set(session.participants.values_list("cadre_id", flat=True))
    name_label, number_label = str(IMPORT_COLUMNS[0].label), str(IMPORT_COLUMNS[1].label)
    cadres, errors, seen = [], [], {}
    for row, values in rows:
        name = (values.get("name") or "").strip()
        number = normalise_id_number(values.get("id_number") or "")
        if number:
            cadre = by_number.get(number)
            if cadre is None:
                errors.append(
                    {"row": row, "column": number_label, "message": _("%(name)s: no registered cadre you may see has this ID number.") % {"name": name}}
                )
                continue
            if name and name != cadre.name:
                errors.append(
                    {
                        "row": row,
                        "column": name_label,
                        "message": _("%(name)s: this ID number is registered to %(other)s.") % {"name": name, "other": cadre.name},
                    }
                )
                continue
        else:
            found = by_name.get(name, [])
            if not found:
                errors.append({"row": row, "column": name_label, "message": _("%(name)s: no registered cadre you may see has this name.") % {"name": name}})
                continue
            if len(found) > 1:
                errors.append({"row": row, "column": name_label, "message": _("%(name)s: several cadres have this name; give the ID number.") % {"name": name}})
                continue
            cadre = found[0]
        if cadre.pk in seen:
            errors.append(
                {
                    "row": row,
                    "column": name_label,
                    "message": _("%(name)s is listed twice (also in row %(other)s).") % {"name": cadre.name, "other": seen[cadre.pk]},
                }
            )
            continue
        seen[cadre.pk] = row
        if cadre.pk not in already:
            cadres.append(cadre)
    return cadres, errors


def import_participants(*, actor, session: TrainingSession, path) -> list[TrainingParticipant]:
    """Invite the cadres listed in an uploaded workbook (columns 姓名, 身份证号): all of them, or
    nothing when any row is refused (RowErrors lists every refused row). The workbook's size and
    structure are checked before it is read (core.uploads); cadres already invited are skipped."""
    with transaction.atomic():
        session = _locked(actor, session)
        result = exports.read_xlsx(path, IMPORT_COLUMNS, max_rows=IMPORT_MAX_ROWS)
        errors = [error.as_dict() for error in result.errors]
        if not result.rows and not errors:
            raise ActionError(_("The workbook lists no cadre."), field="workbook")
        failed = {error["row"] for error in errors}
        cadres, row_errors = _resolve_rows(actor, session, [(row, values) for row, values in result.rows if row not in failed])
        errors = sorted(errors + row_errors, key=lambda error: error["row"])
        if errors:
            raise RowErrors(errors)
        created = TrainingParticipant.objects.bulk_create([TrainingParticipant(session=session, cadre=cadre) for cadre in cadres])
        journal.record(
            "audits.training.participants_imported",
            actor=actor,
            target=session,
            unit=session.organiser,
            data={"title": session.title, "rows": len(result.rows), "added": len(created)},
        )
    return created


def delete_session(*, actor, session: TrainingSession) -> None:
    """Delete a session recorded by mistake, with its invitations: only while no attendance is
    recorded (a session with recorded attendance is part of the cadres' training record)."""
    with transaction.atomic():
        session = _locked(actor, session)
        recorded = session.participants.exclude(attendance=TrainingParticipant.Attendance.PENDING).count()
        if recorded:
            raise ActionError(
                _("The attendance of %(n)d participants is recorded; a session with recorded attendance stays in the training record.") % {"n": recorded}
            )
        data = {**_data(session), "participants": session.participants.count()}
        journal.record("audits.training.session_deleted", actor=actor, target=session, unit=session.organiser, data=data)
        session.delete()
