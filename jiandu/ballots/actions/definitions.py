"""Defining a ballot: create from a spec, edit while a draft, self-reports, open."""

import uuid
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiandu.accounts import access
from jiandu.core import journal, uploads
from jiandu.core.blockers import Blocker, refuse
from jiandu.core.errors import ActionError
from jiandu.core.practice import get_setting

from .. import sealing, structure
from .. import spec as spec_module
from ..models import Ballot, Option, Question, Section, Subject, VoterGroup


@dataclass(frozen=True)
class UnitRef:
    """An organising unit as ballots know it: id, materialised path and display name."""

    pk: int
    path: str
    name: str = ""


def unit_of(ballot: Ballot) -> UnitRef:
    return UnitRef(ballot.unit_id, ballot.unit_path, ballot.unit_name)


def lock(ballot: Ballot) -> Ballot:
    return Ballot.objects.select_for_update().get(pk=ballot.pk)


def require_manage(actor, ballot: Ballot) -> None:
    access.require(actor, "ballots.manage", ballot.unit_path)


def require_draft(ballot: Ballot) -> None:
    if not ballot.is_draft:
        raise ActionError(_("The ballot has been opened; its definition can no longer change."), code="not_draft")


def create_ballot(*, actor, unit, spec) -> Ballot:
    """Create a draft ballot for `unit` (anything with pk, path and name, e.g. a registry Unit or
    a UnitRef) from a specification (see spec.py). Needs ballots.manage on the unit."""
    unit_path = getattr(unit, "path", None)
    if getattr(unit, "pk", None) is None or not unit_path:
        raise ActionError(_("Choose the organising unit."), field="unit")
    access.require(actor, "ballots.manage", unit_path)
    parsed = spec_module.parse(spec)
    with transaction.atomic():
        ballot = Ballot.objects.create(
            title=parsed.title,
            description=parsed.description,
            unit_id=unit.pk,
            unit_path=unit_path,
            unit_name=str(getattr(unit, "name", "") or "")[:200],
            opens_at=parsed.opens_at,
            closes_at=parsed.closes_at,
            double_entry=parsed.double_entry,
            rate_places=parsed.rate_places,
            rate_rounding=parsed.rate_rounding,
            created_by_id=actor.pk,
        )
        subjects_by_key = {}
        for i, section_spec in enumerate(parsed.sections):
            section = Section.objects.create(
                ballot=ballot,
                title=section_spec.title,
                order=i,
                rate_places=section_spec.rate_places,
                rate_rounding=section_spec.rate_rounding,
                kind=section_spec.kind,
                post=section_spec.post,
                max_choices=section_spec.max_choices,
                write_in_lines=section_spec.write_in_lines,
            )
            for j, q in enumerate(section_spec.questions):
                question = Question.objects.create(section=section, code=q.code, label=q.label, order=j, is_overall=q.is_overall, scale=q.scale)
                Option.objects.bulk_create(
                    Option(question=question, code=o.code, label=o.label, order=k, is_valid_vote=o.is_valid_vote, points=o.points)
                    for k, o in enumerate(q.options)
                )
            for j, s in enumerate(section_spec.subjects):
                subjects_by_key[s.key] = Subject.objects.create(
                    ballot=ballot,
                    section=section,
                    key=s.key,
                    kind=s.kind,
                    label=s.label,
                    note=s.note,
                    ref_app=s.ref_app,
                    ref_model=s.ref_model,
                    ref_pk=s.ref_pk,
                    report_text=s.report_text,
                    order=j,
                )
        for i, g in enumerate(parsed.groups):
            group = VoterGroup.objects.create(ballot=ballot, code=g.code, name=g.name, weight=g.weight, headcount=g.headcount, order=i)
            group.subjects.set([subjects_by_key[key] for key in g.rates])
        journal.record(
            "ballots.ballot.created",
            actor=actor,
            target=ballot,
            unit=unit_of(ballot),
            data={
                "title": ballot.title,
                "sections": len(parsed.sections),
                "subjects": len(subjects_by_key),
                "groups": [{"name": g.name, "weight": str(g.weight), "headcount": g.headcount} for g in parsed.groups],
            },
        )
    return ballot


def update_ballot(*, actor, ballot: Ballot, **values) -> Ballot:
    """Change the title, instructions or paper entry mode of a draft ballot."""
    with transaction.atomic():
        ballot = lock(ballot)
        require_manage(actor, ballot)
        require_draft(ballot)
        changed = {}
        if "title" in values:
            title = (values["title"] or "").strip()
            if not title:
                raise ActionError(_("The title is required."), field="title")
            if len(title) > 200:
                raise ActionError(_("The title is longer than 200 characters."), field="title")
            values["title"] = title
        if "double_entry" in values and values["double_entry"] not in Ballot.DoubleEntry.values:
            raise ActionError(_("Unknown paper entry mode."), field="double_entry")
        for field in ("title", "description", "double_entry"):
            if field in values and getattr(ballot, field) != values[field]:
                changed[field] = [getattr(ballot, field), values[field]]
                setattr(ballot, field, values[field])
        if changed:
            ballot.save(update_fields=list(changed))
            journal.record("ballots.ballot.updated", actor=actor, target=ballot, unit=unit_of(ballot), data={"changed": changed})
    return ballot


def set_rate_display(*, actor, ballot: Ballot, places=None, rounding: str = "", section=None) -> Ballot:
    """How the rates of the ballot (or of one of its sections) are shown: decimal places and
    rounding, empty = inherit (section → ballot → the rates.* settings). Display only — counts and
    thresholds are exact — so it may change in any state. Needs ballots.manage."""
    places, rounding = spec_module.rate_display(places, rounding)
    with transaction.atomic():
        ballot = lock(ballot)
        require_manage(actor, ballot)
        target = ballot
        if section is not None:
            target = Section.objects.select_for_update().filter(ballot=ballot, pk=getattr(section, "pk", section)).first()
            if target is None:
                raise ActionError(_("That section is not on this ballot."), field="section")
        before = [target.rate_places, target.rate_rounding]
        target.rate_places, target.rate_rounding = places, rounding
        target.save(update_fields=["rate_places", "rate_rounding"])
        journal.record(
            "ballots.ballot.rate_display_set",
            actor=actor,
            target=ballot,
            unit=unit_of(ballot),
            data={"section": getattr(target, "pk", None) if section is not None else None, "before": before, "after": [places, rounding]},
        )
    return ballot


def update_window(*, actor, ballot: Ballot, opens_at=None, closes_at=None) -> Ballot:
    """Set when voting opens and closes (draft or open; a closed ballot's window is history)."""
    opens_at, closes_at = spec_module.parse_window(opens_at, closes_at)
    with transaction.atomic():
        ballot = lock(ballot)
        require_manage(actor, ballot)
        if ballot.is_closed:
            raise ActionError(_("The ballot is closed."), code="closed")
        if ballot.is_open and closes_at and closes_at <= timezone.now() and ballot.voting_state() == "open":
            raise ActionError(_("The closing time is in the past; to stop voting now, close the ballot."), field="closes_at")
        old = [ballot.opens_at, ballot.closes_at]
        ballot.opens_at, ballot.closes_at = opens_at, closes_at
        ballot.save(update_fields=["opens_at", "closes_at"])
        journal.record("ballots.ballot.window_changed", actor=actor, target=ballot, unit=unit_of(ballot), data={"old": old, "new": [opens_at, closes_at]})
    return ballot


def set_eligibility(*, actor, ballot: Ballot, rates: dict) -> Ballot:
    """Which groups rate which subjects: {group id: iterable of subject ids} (draft only)."""
    with transaction.atomic():
        ballot = lock(ballot)
        require_manage(actor, ballot)
        require_draft(ballot)
        groups = {g.pk: g for g in ballot.groups.all()}
        subject_ids = set(ballot.subjects.values_list("pk", flat=True))
        summary = {}
        for group_id, chosen in rates.items():
            group = groups.get(int(group_id))
            if group is None:
                raise ActionError(_("This voter group is not part of the ballot."), field="group")
            chosen = {int(s) for s in chosen}
            if not chosen <= subject_ids:
                raise ActionError(_("The ballot contains a subject or question that is not on this ballot."), field="subjects")
            group.subjects.set(sorted(chosen))
            summary[group.name] = len(chosen)
        journal.record("ballots.ballot.eligibility_changed", actor=actor, target=ballot, unit=unit_of(ballot), data={"subjects_per_group": summary})
    return ballot


def _delete_file_after_commit(subject: Subject) -> None:
    if subject.report_file:
        storage, name = subject.report_file.storage, subject.report_file.name
        transaction.on_commit(lambda: storage.delete(name))


def set_subject_report(*, actor, subject: Subject, text: str | None = None, file=None, remove_file: bool = False) -> Subject:
    """Attach or change a subject's self-report (text and/or a PDF) while the ballot is not closed.
    Files are checked by content (PDF only) and size, and stored under a random name."""
    with transaction.atomic():
        ballot = lock(subject.ballot)
        require_manage(actor, ballot)
        if ballot.is_closed:
            raise ActionError(_("The ballot is closed."), code="closed")
        subject = Subject.objects.select_for_update().get(pk=subject.pk, ballot=ballot)
        changed = []
        if text is not None:
            text = text.strip()
            if len(text) > 20000:
                raise ActionError(_("The self-report is longer than 20000 characters."), field="report_text")
            if text != subject.report_text:
                subject.report_text = text
                changed.append("report_text")
        if file is not None:
            problem = uploads.pdf_problem(file, limit_mb=int(get_setting("ballots.report_max_mb")))
            if problem:
                raise ActionError(problem, field="report_file")
            original = (getattr(file, "name", "") or "report.pdf").rsplit("/", 1)[-1][:200]
            _delete_file_after_commit(subject)
            subject.report_file.save(f"{uuid.uuid4().hex}.pdf", file, save=False)
            subject.report_file_name = original
            changed += ["report_file", "report_file_name"]
        elif remove_file and subject.report_file:
            _delete_file_after_commit(subject)
            subject.report_file = ""
            subject.report_file_name = ""
            changed += ["report_file", "report_file_name"]
        if changed:
            subject.save(update_fields=changed)
            journal.record(
                "ballots.subject.report_changed",
                actor=actor,
                target=subject,
                unit=unit_of(ballot),
                data={"subject": subject.label, "fields": sorted(set(changed) - {"report_file_name"})},
            )
    structure.forget(ballot.pk)
    return subject


def open_problems(ballot: Ballot) -> list[Blocker]:
    """What stops a draft from opening (empty when it may open); shown beside the button."""
    problems = []
    shape = structure.load(ballot)
    if not shape.subjects:
        problems.append(Blocker("no_subjects", _("The ballot has no subjects.")))
    if any(not shape.questions.get(s.pk) for s in shape.sections):
        problems.append(Blocker("no_questions", _("A section has no questions.")))
    if not shape.groups:
        problems.append(Blocker("no_groups", _("The ballot has no voter groups.")))
    for group in shape.groups:
        if not shape.group_subjects[group.pk]:
            problems.append(Blocker("group_rates_nothing", _("The voter group %(name)s rates no subject.") % {"name": group.name}))
    rated = {s for ids in shape.group_subjects.values() for s in ids}
    for subject in shape.subjects:
        if subject.pk not in rated:
            problems.append(Blocker("subject_unrated", _("No voter group rates %(subject)s.") % {"subject": subject.label}))
    if ballot.closes_at and ballot.closes_at <= timezone.now():
        problems.append(Blocker("closes_in_past", _("The closing time is in the past.")))
    return problems


def open_ballot(*, actor, ballot: Ballot) -> Ballot:
    """Open a draft for voting: the definition freezes and a fresh sealing key is made. Every
    group must rate a subject and every subject must be rated."""
    with transaction.atomic():
        ballot = lock(ballot)
        require_manage(actor, ballot)
        require_draft(ballot)
        refuse(open_problems(ballot), code="not_ready")
        ballot.status = Ballot.Status.OPEN
        ballot.opened_at = timezone.now()
        ballot.sealing_key = sealing.new_wrapped_key()
        ballot.save(update_fields=["status", "opened_at", "sealing_key"])
        journal.record(
            "ballots.ballot.opened", actor=actor, target=ballot, unit=unit_of(ballot), data={"opens_at": ballot.opens_at, "closes_at": ballot.closes_at}
        )
    structure.forget(ballot.pk)
    return ballot


def discard_draft(*, actor, ballot: Ballot) -> None:
    """Delete a draft that was never opened (no vote can exist); its codes go with it. The journal
    keeps the record of its creation and of its removal."""
    with transaction.atomic():
        ballot = lock(ballot)
        require_manage(actor, ballot)
        require_draft(ballot)
        journal.record(
            "ballots.ballot.discarded",
            actor=actor,
            target=ballot,
            unit=unit_of(ballot),
            data={"title": ballot.title, "codes": ballot.codes.count()},
        )
        for subject in ballot.subjects.exclude(report_file=""):
            _delete_file_after_commit(subject)
        ballot.delete()
    structure.forget(ballot.pk)
