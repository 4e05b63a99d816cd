"""Writes of the matters app: keyword-only, actor required, access checked, journaled in the
same transaction. No journal entry carries a reported value: only ids, kinds and counts."""

import datetime as dt
import math
import random
import secrets
from fractions import Fraction

from django.db import transaction
from django.utils.translation import gettext as _

from jiandu.accounts import access
from jiandu.core import journal
from jiandu.core.errors import ActionError
from jiandu.core.practice import get_setting
from jiandu.registry.models import Cadre

from . import items as item_specs
from . import queries
from .models import (
    ARTICLES,
    Check,
    CheckRequest,
    Draw,
    Finding,
    Loan,
    PassportHolder,
    ReplyItem,
    Report,
    Reporter,
    ReportingYear,
    ReportItem,
    TravelDocument,
    TravelRequest,
)

VIEW = queries.VIEW
# Only "report submitted" and the check's opening and result name the cadre in the journal (the
# cadre's timeline, shown to other roles); the rest (items, readings, replies, findings) stay on
# the report or check as target only (issue #18 Sensitivity).
PASSPORTS = queries.PASSPORTS
REASON_MAX = 500


def _text(value, field, label, *, max_length, required=True) -> str:
    value = (value or "").strip()
    if "\x00" in value:
        raise ActionError(_("The value contains a character that is not allowed."), field=field)
    if required and not value:
        raise ActionError(_("Fill in “%(field)s”.") % {"field": label}, field=field)
    if len(value) > max_length:
        raise ActionError(_("“%(field)s” is longer than %(n)d characters.") % {"field": label, "n": max_length}, field=field)
    return value


def _date(value, field, label, *, not_future=True) -> dt.date:
    if not isinstance(value, dt.date):
        raise ActionError(_("Give the date: %(field)s.") % {"field": label}, field=field)
    if not_future and value > dt.date.today():
        raise ActionError(_("“%(field)s” cannot be in the future.") % {"field": label}, field=field)
    return value


def _officer(actor, unit) -> None:
    if not access.can(actor, VIEW, unit):
        raise access.NotVisible()


# --- the yearly window (规定 art. 5) --------------------------------------------------------------


def default_deadline(year: int) -> dt.date:
    month, day = str(get_setting("matters.deadline")).split("-")
    return dt.date(year, int(month), int(day))


def open_year(*, actor, year: int, deadline: dt.date | None = None) -> ReportingYear:
    """Open a reporting year: the deadline (default: the setting's day of that year) and the list
    of reporters, computed from the registry (规定 art. 2) and frozen now."""
    if not access.is_unrestricted(actor, VIEW):
        raise access.NotVisible()
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise ActionError(_("Give a reporting year between 2000 and 2100."), field="year")
    deadline = deadline or default_deadline(year)
    if deadline.year != year:
        raise ActionError(_("The deadline must fall in the reporting year."), field="deadline")
    with transaction.atomic():
        if ReportingYear.objects.select_for_update().filter(year=year).exists():
            raise ActionError(_("This reporting year is already open."), field="year")
        opened = ReportingYear.objects.create(year=year, deadline=deadline, opened_by=actor)
        Reporter.objects.bulk_create(
            Reporter(year=opened, cadre=cadre, unit_id=cadre.unit_id, level=cadre.leadership_level or cadre.rank) for cadre in queries.cadres_who_report()
        )
        journal.record("matters.year.opened", actor=actor, target=opened, data={"year": year, "deadline": deadline, "reporters": opened.reporters.count()})
    return opened


# --- reports -------------------------------------------------------------------------------------


def _may_write(actor, reporter: Reporter) -> str:
    """The channel the actor writes through: the cadre's own account, or an officer's paper record."""
    if access.is_self(actor, reporter.cadre) and access.can(actor, "self.answer"):
        return Report.Channel.SELF
    _officer(actor, reporter.unit)
    return Report.Channel.PAPER


def start_report(*, actor, reporter: Reporter, correction_reason: str = "") -> Report:
    """A draft: the first report, or — after a submission — a new version with the items of the
    last one and the reason for the correction (submitted versions never change)."""
    channel = _may_write(actor, reporter)
    with transaction.atomic():
        reporter = Reporter.objects.select_for_update().select_related("cadre", "unit", "year").get(pk=reporter.pk)
        if reporter.reports.filter(status=Report.Status.DRAFT).exists():
            raise ActionError(_("A draft of this report is already open; finish or submit it."))
        last = queries.current_report(reporter)
        reason = ""
        if last is not None:
            reason = _text(correction_reason, "correction_reason", _("reason for the correction"), max_length=REASON_MAX)
        version = (reporter.reports.order_by("-version").values_list("version", flat=True).first() or 0) + 1
        report = Report.objects.create(reporter=reporter, version=version, channel=channel, correction_reason=reason, created_by=actor)
        if last is not None:
            for old in last.items.all():
                copy = ReportItem(report=report, position=old.position, kind=old.kind, holder=old.holder, holder_name=old.holder_name)
                copy.set_values(old.values)
                copy.save()
        journal.record(
            "matters.report.started",
            actor=actor,
            target=report,
            unit=reporter.unit,
            cadre=None,
            data={"year": reporter.year.year, "version": version, "channel": channel, "correction": bool(reason)},
        )
    return report


def _locked_draft(actor, report: Report) -> Report:
    report = Report.objects.select_for_update().select_related("reporter__cadre", "reporter__unit", "reporter__year").get(pk=report.pk)
    channel = _may_write(actor, report.reporter)
    if report.status != Report.Status.DRAFT:
        raise ActionError(_("A submitted report cannot be changed; start a new version to correct it."))
    if channel != report.channel:
        raise access.NotVisible()
    return report


def add_item(*, actor, report: Report, kind: str, holder: str = "self", holder_name: str = "", values: dict | None = None) -> ReportItem:
    """Add one item (a family matter or an asset) with its typed values to a draft."""
    spec = item_specs.KINDS.get(kind)
    if spec is None:
        raise ActionError(_("Choose the kind of item."), field="kind")
    if holder not in dict(item_specs.HOLDERS):
        raise ActionError(_("Choose whose item this is."), field="holder")
    holder_name = _text(holder_name, "holder_name", _("name"), max_length=50, required=holder != "self")
    try:
        clean = item_specs.clean_values(spec, values or {})
    except item_specs.ItemError as exc:
        raise ActionError(exc.message, field=exc.field) from None
    with transaction.atomic():
        report = _locked_draft(actor, report)
        position = (report.items.order_by("-position").values_list("position", flat=True).first() or 0) + 1
        item = ReportItem(report=report, position=position, kind=kind, holder=holder, holder_name=holder_name)
        item.set_values(clean)
        item.save()
        journal.record(
            "matters.report.row_added",
            actor=actor,
            target=report,
            unit=report.reporter.unit,
            cadre=None,
            data={"kind": kind, "position": position},
        )
    return item


def remove_item(*, actor, report: Report, position: int) -> None:
    with transaction.atomic():
        report = _locked_draft(actor, report)
        deleted, _rows = report.items.filter(position=position).delete()
        if not deleted:
            raise ActionError(_("This item is not in the report."), field="position")
        journal.record("matters.report.row_removed", actor=actor, target=report, unit=report.reporter.unit, cadre=None, data={"position": position})


def submit_report(*, actor, report: Report, received_on: dt.date | None = None) -> Report:
    """Submit a draft. The cadre's own submission is dated today; an officer recording a paper
    report gives the day it was received (not in the future, not before the reporting year)."""
    with transaction.atomic():
        report = _locked_draft(actor, report)
        if report.channel == Report.Channel.PAPER:
            received_on = _date(received_on, "received_on", _("received on"))
            if received_on.year < report.reporter.year.year:
                raise ActionError(_("A report of this year cannot have been received before the year began."), field="received_on")
        else:
            received_on = dt.date.today()
        report.status = Report.Status.SUBMITTED
        report.submitted_on = received_on
        report.submitted_by = actor
        report.save(update_fields=["status", "submitted_on", "submitted_by"])
        journal.record(
            "matters.report.submitted",
            actor=actor,
            target=report,
            unit=report.reporter.unit,
            cadre=report.reporter.cadre,
            data={
                "year": report.reporter.year.year,
                "version": report.version,
                "channel": report.channel,
                "submitted_on": received_on,
                "late": received_on > report.reporter.year.deadline,
                "item_count": report.items.count(),
            },
        )
    return report


def record_view(*, actor, report: Report | None = None, check: Check | None = None, year: ReportingYear | None = None) -> None:
    """Every read of a report, a check or the list of reporters is journaled (issue #18 Sensitivity)."""
    if report is not None:
        journal.record("matters.report.viewed", actor=actor, target=report, unit=report.reporter.unit, cadre=None, data={"version": report.version})
    if check is not None:
        journal.record("matters.check.viewed", actor=actor, target=check, unit=check.unit, cadre=None, data={"kind": check.kind})
    if year is not None:
        journal.record("matters.reports.listed", actor=actor, target=year, data={"year": year.year})


def export_reports(*, actor, year: ReportingYear) -> list[list]:
    """The head's export of a year's submitted reports, item by item (journaled with the count).
    Needs both the reading role and the head's export permission."""
    if not (access.is_unrestricted(actor, VIEW) and access.can(actor, "matters.export_reports")):
        raise access.NotVisible()
    rows = []
    for reporter in queries.reporters_visible_to(actor, year).order_by("unit__path", "cadre__sort_pinyin"):
        report = queries.current_report(reporter)
        if report is None:
            continue
        for item in report.items.all():
            spec = item.kind_spec
            values = item.values
            rows.append(
                [
                    reporter.cadre.name,
                    reporter.unit.label,
                    report.version,
                    str(spec.label),
                    str(dict(item_specs.HOLDERS)[item.holder]),
                    item.holder_name,
                    "；".join(f"{f.label}：{values.get(f.name, '')}" for f in spec.fields),
                ]
            )
    journal.record("matters.reports.exported", actor=actor, target=year, data={"year": year.year, "rows": len(rows)})
    return rows


def send_reminders(today: dt.date | None = None) -> int:
    """The daily job: remind each reporter without a submitted report the configured days before
    the deadline and the day after it (then missing: chased). Journaled as a count, no mail
    carries anything beyond the due date."""
    today = today or dt.date.today()
    days = int(get_setting("matters.reminder_days"))
    count = 0
    for year in ReportingYear.objects.all():
        due_soon = today == year.deadline - dt.timedelta(days=days)
        chase = today == year.deadline + dt.timedelta(days=1)
        if not (due_soon or chase):
            continue
        waiting = [r for r in year.reporters.select_related("cadre", "unit") if queries.first_submission(r) is None]
        for reporter in waiting:
            journal.record(
                "matters.reminders.sent",
                target=reporter.year,
                unit=reporter.unit,
                cadre=reporter.cadre,
                data={"year": year.year, "deadline": year.deadline, "overdue": chase},
            )
            count += 1
    return count


# --- random and targeted checks ------------------------------------------------------------------


def select_sample(population: list[int], share: Fraction, seed: str) -> list[int]:
    """The reproducible draw: the sorted population, ceil(n × share) ids chosen with a generator
    seeded by `seed`; sorted. The same inputs always give the same list."""
    population = sorted(population)
    size = min(len(population), math.ceil(len(population) * share))
    return sorted(random.Random(f"jiandu.matters.draw:{seed}").sample(population, size))


def draw_sample(*, actor, year: ReportingYear, seed: str = "") -> Draw:
    """The yearly random check: the configured share of the year's reporters, drawn from a
    seed (given, or random); seed, share and the draw journaled; a random check opens for each."""
    if not access.is_unrestricted(actor, VIEW):
        raise access.NotVisible()
    seed = _text(seed, "seed", _("seed"), max_length=64, required=False) or secrets.token_hex(8)
    share = Fraction(str(get_setting("matters.random_share")))
    if not 0 < share <= 1:
        raise ActionError(_("The share of the random check must be more than 0 and at most 1."))
    with transaction.atomic():
        year = ReportingYear.objects.select_for_update().get(pk=year.pk)
        if Draw.objects.filter(year=year).exists():
            raise ActionError(_("The random draw of this year has already been made."))
        population = sorted(year.reporters.values_list("pk", flat=True))
        selected = select_sample(population, share, seed)
        draw = Draw.objects.create(year=year, seed=seed, share=str(share), population=population, selected=selected, drawn_by=actor)
        for reporter in Reporter.objects.filter(pk__in=selected).select_related("cadre", "unit"):
            Check.objects.create(
                kind=Check.Kind.RANDOM, cadre=reporter.cadre, unit=reporter.unit, draw=draw, report=queries.current_report(reporter), opened_by=actor
            )
        journal.record(
            "matters.draw.made",
            actor=actor,
            target=draw,
            data={"year": year.year, "seed": seed, "share": str(share), "population": len(population), "selected": selected},
        )
    return draw


def rerun_draw(*, actor, draw: Draw) -> tuple[list[int], bool]:
    """Re-run the draw from its journaled seed and population: the same list (journaled)."""
    if not access.can(actor, VIEW):
        raise access.NotVisible()
    again = select_sample(draw.population, Fraction(draw.share), draw.seed)
    same = again == draw.selected
    journal.record("matters.draw.rerun", actor=actor, target=draw, data={"seed": draw.seed, "same": same})
    return again, same


def request_targeted_check(*, cadre: Cadre, reason: str, actor) -> Check:
    """A targeted check (重点查核) before a cadre becomes an inspection subject, a reserve
    candidate or moves to an important post (规定 art. 13). Called by selection; the caller
    waits for `queries.check_outcome(cadre)`. The officer may hold matters.view_reports or
    selection.manage on the cadre's unit."""
    if not (access.can(actor, VIEW, cadre.unit) or access.can(actor, "selection.manage", cadre.unit)):
        raise access.NotVisible()
    reason = _text(reason, "reason", _("reason"), max_length=REASON_MAX)
    with transaction.atomic():
        cadre = Cadre.objects.select_for_update().select_related("unit").get(pk=cadre.pk)
        if Check.objects.filter(cadre=cadre, kind=Check.Kind.TARGETED, status=Check.Status.OPEN).exists():
            raise ActionError(_("A targeted check of this cadre is already open."))
        reporter = Reporter.objects.filter(cadre=cadre).order_by("-year__year").first()
        report = queries.current_report(reporter) if reporter else None
        check = Check.objects.create(kind=Check.Kind.TARGETED, cadre=cadre, unit=cadre.unit, report=report, reason=reason, opened_by=actor)
        journal.record(
            "matters.check.opened", actor=actor, target=check, unit=cadre.unit, cadre=cadre, data={"kind": check.kind, "has_report": report is not None}
        )
    return check


def _locked_check(actor, check: Check) -> Check:
    check = Check.objects.select_for_update().select_related("cadre", "unit").get(pk=check.pk)
    _officer(actor, check.unit)
    if check.status != Check.Status.OPEN:
        raise ActionError(_("The check is concluded and can no longer be changed."))
    return check


def send_request(*, actor, check: Check, department: str) -> CheckRequest:
    """Ask one of the configured departments for its records about the cadre and family."""
    departments = list(get_setting("matters.check_departments") or [])
    if department not in departments:
        raise ActionError(_("Choose one of the departments the settings list."), field="department")
    with transaction.atomic():
        check = _locked_check(actor, check)
        if check.requests.filter(department=department).exists():
            raise ActionError(_("This department has already been asked."), field="department")
        request = CheckRequest.objects.create(check_case=check, department=department, sent_on=dt.date.today())
        journal.record("matters.check.request_sent", actor=actor, target=check, unit=check.unit, cadre=None, data={"department": department})
    return request


def record_reply(*, actor, request: CheckRequest, replied_on: dt.date, rows: list[dict]) -> CheckRequest:
    """Enter a department's reply: its records as typed items (none: nothing on record). All
    rows are checked before any is stored."""
    replied_on = _date(replied_on, "replied_on", _("replied on"))
    cleaned = []
    for n, row in enumerate(rows or [], start=1):
        spec = item_specs.KINDS.get(row.get("kind"))
        if spec is None:
            raise ActionError(_("Row %(n)d: choose the kind of item.") % {"n": n}, field="kind")
        holder = row.get("holder") or "self"
        if holder not in dict(item_specs.HOLDERS):
            raise ActionError(_("Row %(n)d: choose whose item this is.") % {"n": n}, field="holder")
        name = _text(row.get("holder_name"), "holder_name", _("name"), max_length=50, required=holder != "self")
        try:
            values = item_specs.clean_values(spec, row.get("values") or {})
        except item_specs.ItemError as exc:
            raise ActionError(_("Row %(n)d: %(problem)s") % {"n": n, "problem": exc.message}, field=exc.field) from None
        cleaned.append((spec.code, holder, name, values))
    with transaction.atomic():
        request = CheckRequest.objects.select_for_update().get(pk=request.pk)
        check = _locked_check(actor, request.check_case)
        if request.replied_on is not None:
            raise ActionError(_("This department's reply has already been recorded."))
        if replied_on < request.sent_on:
            raise ActionError(_("The reply cannot be dated before the request was sent."), field="replied_on")
        for position, (kind, holder, name, values) in enumerate(cleaned, start=1):
            item = ReplyItem(request=request, position=position, kind=kind, holder=holder, holder_name=name)
            item.set_values(values)
            item.save()
        request.replied_on = replied_on
        request.save(update_fields=["replied_on"])
        journal.record(
            "matters.check.reply_recorded",
            actor=actor,
            target=check,
            unit=check.unit,
            cadre=None,
            data={"department": request.department, "replied_on": replied_on, "item_count": len(cleaned)},
        )
    return request


def classify(*, actor, check: Check, reply_item_id: int, classification: str) -> Finding:
    """Classify one item of a reply after the comparison: consistent, 漏报 (处理办法 art. 3) or
    隐瞒不报 (art. 4); the article is recorded with it. A classification can be changed while
    the check is open."""
    if classification not in Finding.Classification.values:
        raise ActionError(_("Choose consistent, omission or concealment."), field="classification")
    with transaction.atomic():
        check = _locked_check(actor, check)
        item = ReplyItem.objects.filter(pk=reply_item_id, request__check_case=check).first()
        if item is None:
            raise ActionError(_("This item is not in the check's replies."), field="reply_item")
        article = str(ARTICLES[classification])
        finding, _created = Finding.objects.update_or_create(
            reply_item=item, defaults={"check_case": check, "classification": classification, "article": article, "decided_by": actor}
        )
        journal.record(
            "matters.check.finding_recorded",
            actor=actor,
            target=check,
            unit=check.unit,
            cadre=None,
            data={"item": item.pk, "kind": item.kind, "classification": classification, "article": article},
        )
    return finding


# The handling of 处理办法 that daily supervision records as a measure (so influence periods follow).
OVERSIGHT_MEASURE = {
    Check.Handling.ADMONISHMENT: "admonishment_talk",
    Check.Handling.TRANSFER: "transfer",
    Check.Handling.DEMOTION: "demotion",
    Check.Handling.REMOVAL: "removal_unsuitable",
}


def conclude_check(*, actor, check: Check, handling: str, decided_on: dt.date, deciding_body: str = "") -> Check:
    """Conclude a check: every department replied and every reply item classified; handling
    "none" only when all are consistent, and never "none" otherwise. Handling that is a measure
    of daily supervision (诫勉, 调离, 降职, 免职) is recorded there too, through oversight's action,
    so its influence period follows."""
    if handling not in Check.Handling.values:
        raise ActionError(_("Choose the handling."), field="handling")
    decided_on = _date(decided_on, "decided_on", _("decided on"))
    with transaction.atomic():
        check = _locked_check(actor, check)
        if not check.requests.exists():
            raise ActionError(_("Send at least one records request before concluding."))
        if check.requests.filter(replied_on__isnull=True).exists():
            raise ActionError(_("A department has not replied yet."))
        unclassified = ReplyItem.objects.filter(request__check_case=check, finding__isnull=True).count()
        if unclassified:
            raise ActionError(_("%(n)d items of the replies are not classified yet.") % {"n": unclassified})
        issues = check.findings.exclude(classification=Finding.Classification.CONSISTENT).count()
        if issues and handling == Check.Handling.NONE:
            raise ActionError(_("The check found omissions or concealment: choose the handling."), field="handling")
        if not issues and handling != Check.Handling.NONE:
            raise ActionError(_("Everything is consistent: no handling is proposed."), field="handling")
        measure = OVERSIGHT_MEASURE.get(handling)
        if measure:
            from jiandu.oversight.actions.dispositions import record_disposition

            body = _text(deciding_body, "deciding_body", _("deciding body"), max_length=100)
            articles = sorted(set(check.findings.exclude(classification="consistent").values_list("article", flat=True)))
            disposition = record_disposition(
                actor=actor,
                cadre=check.cadre,
                measure=measure,
                decided_on=decided_on,
                deciding_body=body,
                grounds=_("Check of the personal-matters report: %(articles)s") % {"articles": "；".join(articles)},
                source_type="matters.check",
                source_id=str(check.pk),
            )
            check.disposition_id = disposition.pk
        check.handling = handling
        check.status = Check.Status.CONCLUDED
        check.concluded_on = decided_on
        check.save(update_fields=["handling", "status", "concluded_on", "disposition_id"])
        journal.record(
            "matters.check.concluded",
            actor=actor,
            target=check,
            unit=check.unit,
            cadre=check.cadre,
            data={"handling": handling, "issues": issues, "disposition": check.disposition_id},
        )
    return check


# --- passports (因私出国（境）证照) ------------------------------------------------------------------


def _passports(actor, cadre) -> None:
    if not access.can(actor, PASSPORTS, cadre.unit):
        raise access.NotVisible()


def register_holder(*, actor, cadre: Cadre, registered_on: dt.date) -> PassportHolder:
    """Put a cadre on the register of registered staff (登记备案人员)."""
    _passports(actor, cadre)
    registered_on = _date(registered_on, "registered_on", _("registered on"))
    with transaction.atomic():
        if PassportHolder.objects.select_for_update().filter(cadre=cadre).exists():
            raise ActionError(_("This cadre is already registered."), field="cadre")
        holder = PassportHolder.objects.create(cadre=cadre, registered_on=registered_on, registered_by=actor)
        journal.record("matters.passport.holder_registered", actor=actor, target=holder, unit=cadre.unit, cadre=cadre, data={"registered_on": registered_on})
    return holder


def receive_document(*, actor, holder: PassportHolder, kind: str, number: str, received_on: dt.date, expires_on: dt.date | None = None) -> TravelDocument:
    """Take a registered cadre's passport or permit into custody."""
    _passports(actor, holder.cadre)
    if kind not in TravelDocument.Kind.values:
        raise ActionError(_("Choose the kind of document."), field="kind")
    number = _text(number, "number", _("document number"), max_length=30)
    received_on = _date(received_on, "received_on", _("received on"))
    with transaction.atomic():
        if TravelDocument.objects.select_for_update().filter(kind=kind, number=number).exists():
            raise ActionError(_("This document is already in the register."), field="number")
        document = TravelDocument.objects.create(holder=holder, kind=kind, number=number, received_on=received_on, expires_on=expires_on)
        journal.record(
            "matters.passport.received",
            actor=actor,
            target=document,
            unit=holder.cadre.unit,
            cadre=holder.cadre,
            data={"kind": kind, "received_on": received_on},
        )
    return document


def request_travel(*, actor, holder: PassportHolder, destination: str, purpose: str, departs_on: dt.date, returns_on: dt.date) -> TravelRequest:
    """Record a private travel request (the cadre's own, or entered by an officer)."""
    if not access.is_self(actor, holder.cadre):
        _passports(actor, holder.cadre)
    destination = _text(destination, "destination", _("destination"), max_length=100)
    purpose = _text(purpose, "purpose", _("purpose"), max_length=200)
    departs_on = _date(departs_on, "departs_on", _("departs on"), not_future=False)
    returns_on = _date(returns_on, "returns_on", _("returns on"), not_future=False)
    if returns_on < departs_on:
        raise ActionError(_("The return cannot be before the departure."), field="returns_on")
    with transaction.atomic():
        travel = TravelRequest.objects.create(
            holder=holder, destination=destination, purpose=purpose, departs_on=departs_on, returns_on=returns_on, requested_by=actor
        )
        journal.record(
            "matters.travel.requested",
            actor=actor,
            target=travel,
            unit=holder.cadre.unit,
            cadre=holder.cadre,
            data={"destination": destination, "departs_on": departs_on, "returns_on": returns_on},
        )
    return travel


def decide_travel(*, actor, travel: TravelRequest, approve: bool) -> TravelRequest:
    """The head approves or refuses a travel request; never his or her own."""
    if not access.can(actor, "matters.approve_travel", travel.holder.cadre.unit):
        raise access.NotVisible()
    if access.is_self(actor, travel.holder.cadre) or getattr(actor, "cadre_id", None) == travel.holder.cadre_id:
        raise ActionError(_("Nobody decides his or her own travel request."))
    with transaction.atomic():
        travel = TravelRequest.objects.select_for_update().select_related("holder__cadre__unit").get(pk=travel.pk)
        if travel.status != TravelRequest.Status.REQUESTED:
            raise ActionError(_("This travel request has already been decided."))
        travel.status = TravelRequest.Status.APPROVED if approve else TravelRequest.Status.REFUSED
        travel.decided_by = actor
        travel.decided_on = dt.date.today()
        travel.save(update_fields=["status", "decided_by", "decided_on"])
        journal.record(
            "matters.travel.decided", actor=actor, target=travel, unit=travel.holder.cadre.unit, cadre=travel.holder.cadre, data={"status": travel.status}
        )
    return travel


def lend_document(*, actor, document: TravelDocument, travel: TravelRequest, lent_on: dt.date) -> Loan:
    """Lend a kept document for an approved trip of its holder; due back the configured days
    after the trip's return."""
    _passports(actor, document.holder.cadre)
    lent_on = _date(lent_on, "lent_on", _("lent on"))
    with transaction.atomic():
        document = TravelDocument.objects.select_for_update().select_related("holder__cadre__unit").get(pk=document.pk)
        travel = TravelRequest.objects.get(pk=travel.pk)
        if travel.holder_id != document.holder_id:
            raise ActionError(_("The travel request is not the document holder's."), field="travel")
        if travel.status != TravelRequest.Status.APPROVED:
            raise ActionError(_("Only a document for an approved travel request can be lent."), field="travel")
        if document.status != TravelDocument.Status.KEPT:
            raise ActionError(_("The document is not in custody."), field="document")
        if lent_on > travel.departs_on:
            raise ActionError(_("The document is lent on or before the departure."), field="lent_on")
        due_on = travel.returns_on + dt.timedelta(days=int(get_setting("matters.passport_return_days")))
        loan = Loan.objects.create(document=document, travel=travel, lent_on=lent_on, due_on=due_on)
        document.status = TravelDocument.Status.LENT
        document.save(update_fields=["status"])
        cadre = document.holder.cadre
        journal.record(
            "matters.passport.lent", actor=actor, target=loan, unit=cadre.unit, cadre=cadre, data={"kind": document.kind, "lent_on": lent_on, "due_on": due_on}
        )
    return loan


def return_document(*, actor, loan: Loan, returned_on: dt.date) -> Loan:
    """Take a lent document back; after its due date the return is recorded as late."""
    cadre = loan.document.holder.cadre
    _passports(actor, cadre)
    returned_on = _date(returned_on, "returned_on", _("returned on"))
    with transaction.atomic():
        loan = Loan.objects.select_for_update().select_related("document").get(pk=loan.pk)
        if loan.returned_on is not None:
            raise ActionError(_("The document has already been returned."))
        if returned_on < loan.lent_on:
            raise ActionError(_("The return cannot be before the loan."), field="returned_on")
        loan.returned_on = returned_on
        loan.save(update_fields=["returned_on"])
        loan.document.status = TravelDocument.Status.KEPT
        loan.document.save(update_fields=["status"])
        journal.record(
            "matters.passport.returned",
            actor=actor,
            target=loan,
            unit=cadre.unit,
            cadre=cadre,
            data={"returned_on": returned_on, "due_on": loan.due_on, "late_days": max(0, (returned_on - loan.due_on).days)},
        )
    return loan


def export_register(*, actor) -> list[list]:
    """The register of registered staff with their kept documents, for the exit-entry
    authorities (journaled). The ID number in clear only with registry.view_sensitive."""
    from jiandu.core.masking import mask_birth_date, mask_id_number

    rows = []
    for holder in queries.holders_visible_to(actor).prefetch_related("documents"):
        cadre = holder.cadre
        sensitive = access.can(actor, "registry.view_sensitive", cadre.unit)
        rows.append(
            [
                cadre.name,
                cadre.get_gender_display(),
                cadre.birth_on if sensitive else mask_birth_date(cadre.birth_on),
                cadre.id_number if sensitive else mask_id_number(cadre.id_number),
                cadre.unit.name,
                holder.registered_on,
                "；".join(f"{d.get_kind_display()} {d.number}" for d in holder.documents.all()),
            ]
        )
    journal.record("matters.passports.exported", actor=actor, data={"rows": len(rows)})
    return rows
