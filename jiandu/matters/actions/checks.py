"""Random and targeted checks (抽查核实): the draw, requests to departments, replies, classification and handling."""

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

from .. import items as item_specs
from .. import queries
from ..models import (
    ARTICLES,
    Check,
    CheckRequest,
    Draw,
    Finding,
    ReplyItem,
    Reporter,
    ReportingYear,
)
from .base import REASON_MAX, VIEW, _date, _officer, _text

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


def request_targeted_check(*, cadre: Cadre, reason: str, actor, reuse_open: bool = False) -> Check:
    """A targeted check (重点查核) before a cadre becomes an inspection subject, a reserve
    candidate or moves to an important post (规定 art. 13). Called by selection (through
    selection.hooks, with `reuse_open`: a check already open is kept, not doubled); the caller
    waits for `queries.targeted_check_state(cadre)`. The officer may hold matters.view_reports or
    selection.manage on the cadre's unit."""
    if not (access.can(actor, VIEW, cadre.unit) or access.can(actor, "selection.manage", cadre.unit)):
        raise access.NotVisible()
    reason = _text(reason, "reason", _("reason"), max_length=REASON_MAX)
    with transaction.atomic():
        cadre = Cadre.objects.select_for_update().select_related("unit").get(pk=cadre.pk)
        running = Check.objects.filter(cadre=cadre, kind=Check.Kind.TARGETED, status=Check.Status.OPEN).first()
        if running is not None and reuse_open:
            return running
        if running is not None:
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
