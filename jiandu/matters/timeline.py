"""个人有关事项 in the cadre's dossier (core.timeline), under the issue's sensitivity rule: the
personal-matters officers and the head (matters.view_reports on the cadre's unit) see the reports'
versions, the checks, the private travel and the loans of documents, and where the travel and
the yearly reports differ — and every such view is journaled. Everybody
else whom the dossier lets in sees at most "report submitted" and a concluded check's result
("consistent" or "differences found"); the cadre in self service also sees their own travel."""

import datetime as dt

from django.db.models import BooleanField, Case, Exists, F, OuterRef, Q, Value, When
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiandu.accounts import access
from jiandu.core import timeline
from jiandu.core.timeline import SECRET, SENSITIVE, Source, TimelineEntry, label_of, register_sources

from . import queries, travel_compare
from .models import Check, EventReport, Finding, Loan, Report, TravelDocument, TravelRequest

PILLAR = "matters"


def _officer(viewer, cadre) -> bool:
    return access.can(viewer, queries.VIEW, cadre.unit)


def _day(value) -> dt.date:
    return dt.date.fromisoformat(str(value)[:10])


def _minimal(cadre) -> list[Source]:
    """ "Report submitted" once a year (the first submitted version) and a concluded check's result."""

    def report(row) -> TimelineEntry:
        return TimelineEntry(
            date=row.date,
            kind=_("Personal matters"),
            pillar=PILLAR,
            title=_("Personal-matters report %(year)d submitted") % {"year": row["year"]},
            sensitivity=SENSITIVE,
            key=f"report:{row['reporter']}",
            recorded_at=row.recorded_at,
        )

    def check(row) -> TimelineEntry:
        return TimelineEntry(
            date=row.date,
            kind=_("Personal matters"),
            pillar=PILLAR,
            title=_("Check of the personal-matters report concluded"),
            summary=_("differences found") if row["issues"] else _("consistent"),
            sensitivity=SENSITIVE,
            key=f"check:{row.pk}",
            recorded_at=row.recorded_at,
        )

    submitted = Report.objects.filter(reporter__cadre_id=cadre.pk, status=Report.Status.SUBMITTED)
    earlier = Report.objects.filter(reporter_id=OuterRef("reporter_id"), status=Report.Status.SUBMITTED, version__lt=OuterRef("version"))
    issues = Finding.objects.filter(check_case_id=OuterRef("pk")).exclude(classification=Finding.Classification.CONSISTENT)
    return [
        Source(
            "matters.first_report",
            report,
            submitted.filter(~Exists(earlier)),
            date="submitted_on",
            recorded="created_at",
            payload={"year": "reporter__year__year", "reporter": "reporter_id"},
        ),
        Source(
            "matters.concluded_check",
            check,
            Check.objects.filter(cadre_id=cadre.pk, status=Check.Status.CONCLUDED).annotate(issues=Exists(issues)),
            date="concluded_on",
            recorded="opened_at",
            payload={"issues": F("issues")},
        ),
    ]


def _travel(cadre, *, links: bool) -> list[Source]:
    def travel(row) -> TimelineEntry:
        return TimelineEntry(
            date=row.date,
            kind=_("Private travel"),
            pillar=PILLAR,
            title=_("Private travel to %(place)s") % {"place": row["destination"]},
            summary="；".join([f"{row['departs']} – {row['returns']}", row["purpose"], label_of(TravelRequest, "status", row["status"])]),
            url=reverse("matters:holder", args=[row["holder"]]) if links else "",
            sensitivity=SECRET,
            key=f"travel:{row.pk}",
        )

    def loan(row) -> TimelineEntry:
        if row["returned"]:
            state = _("returned on %(day)s") % {"day": row["returned"]}
            late = (_day(row["returned"]) - _day(row["due"])).days
            if late > 0:
                state += _(", %(n)d days late") % {"n": late}
        else:
            state = _("not returned, due back on %(day)s") % {"day": row["due"]}
        return TimelineEntry(
            date=row.date,
            kind=_("Private travel"),
            pillar=PILLAR,
            title=_("%(document)s lent for the trip to %(place)s")
            % {"document": label_of(TravelDocument, "kind", row["document"]), "place": row["destination"]},
            summary=state,
            url=reverse("matters:holder", args=[row["holder"]]) if links else "",
            sensitivity=SECRET,
            key=f"loan:{row.pk}",
        )

    return [
        Source(
            "matters.travel",
            travel,
            TravelRequest.objects.filter(holder__cadre_id=cadre.pk),
            date="departs_on",
            payload={
                "destination": "destination",
                "departs": "departs_on",
                "returns": "returns_on",
                "purpose": "purpose",
                "status": "status",
                "holder": "holder_id",
            },
        ),
        Source(
            "matters.loan",
            loan,
            Loan.objects.filter(document__holder__cadre_id=cadre.pk),
            date="lent_on",
            payload={
                "returned": "returned_on",
                "due": "due_on",
                "document": "document__kind",
                "destination": "travel__destination",
                "holder": "document__holder_id",
            },
        ),
    ]


def _details(viewer, cadre) -> list[Source]:
    def report(row) -> TimelineEntry:
        return TimelineEntry(
            date=row.date,
            kind=_("Personal matters"),
            pillar=PILLAR,
            title=_("Personal-matters report %(year)d, version %(version)d") % {"year": row["year"], "version": row["version"]},
            summary="；".join(s for s in [_("late") if row["late"] else _("on time"), row["correction"]] if s),
            url=reverse("matters:report", args=[row.pk]),
            sensitivity=SECRET,
            key=f"report:{row.pk}",
            recorded_at=row.recorded_at,
        )

    def check(row) -> TimelineEntry:
        summary = [label_of(Check, "status", row["status"])]
        if row["handling"]:
            summary.append(label_of(Check, "handling", row["handling"]))
        return TimelineEntry(
            date=row.date,
            kind=_("Personal matters"),
            pillar=PILLAR,
            title=label_of(Check, "kind", row["kind"]),
            summary="；".join(str(s) for s in summary),
            url=reverse("matters:check", args=[row.pk]),
            sensitivity=SECRET,
            key=f"check:{row.pk}",
            recorded_at=row.recorded_at,
        )

    def event(row) -> TimelineEntry:
        late = _day(row["reported"]) > _day(row["due"])  # EventReport.is_late
        return TimelineEntry(
            date=row.date,
            kind=_("Personal matters"),
            pillar=PILLAR,
            title=_("Change reported: %(matter)s") % {"matter": label_of(EventReport, "kind", row["kind"])},
            summary=_("reported on %(day)s, late") % {"day": row["reported"]} if late else _("reported on %(day)s") % {"day": row["reported"]},
            url=reverse("matters:events"),
            sensitivity=SECRET,
            key=f"event:{row.pk}",
            recorded_at=row.recorded_at,
        )

    def viewed(rows) -> list[dict]:
        return [{"action": "matters.dossier.viewed", "actor": viewer, "target": cadre, "unit": cadre.unit, "cadre": None, "data": {"entries": len(rows)}}]

    late = Case(When(Q(submitted_on__gt=F("reporter__year__deadline")), then=Value(True)), default=Value(False), output_field=BooleanField())
    result = [
        Source(
            "matters.report",
            report,
            Report.objects.filter(reporter__cadre_id=cadre.pk, status=Report.Status.SUBMITTED).annotate(late=late),
            date="submitted_on",
            recorded="created_at",
            payload={"year": "reporter__year__year", "version": "version", "late": F("late"), "correction": "correction_reason"},
            shown=viewed,
        ),
        Source(
            "matters.check",
            check,
            Check.objects.filter(cadre_id=cadre.pk),
            date=TruncDate("opened_at", tzinfo=dt.UTC),
            recorded="opened_at",
            payload={"status": "status", "handling": "handling", "kind": "kind"},
        ),
        Source(
            "matters.event",
            event,
            EventReport.objects.filter(cadre_id=cadre.pk),
            date="event_on",
            recorded="created_at",
            payload={"kind": "kind", "reported": "reported_on", "due": "due_on"},
        ),
    ]
    result += _travel(cadre, links=access.can(viewer, queries.PASSPORTS, cadre.unit))
    result.append(Source("matters.difference", load=lambda: _differences(cadre)))
    return result


def sources(viewer, cadre) -> list[Source]:
    """The officers (every view journaled: `matters.dossier.viewed`, with the entries shown) or
    the minimal share; the cadre in self service also their own travel."""
    if _officer(viewer, cadre):
        return _details(viewer, cadre)
    result = _minimal(cadre)
    if access.is_self(viewer, cadre):
        result += _travel(cadre, links=False)
    return result


def entries(viewer, cadre, *, since=None, year=None) -> list[TimelineEntry]:
    return timeline.entries(viewer, cadre, sources(viewer, cadre))


def _differences(cadre) -> list[TimelineEntry]:
    """Travel that does not match the yearly reports (travel_compare), for the officers only:
    computed, not stored (a query per yearly report)."""
    return [
        TimelineEntry(
            date=d.on,
            kind=_("Private travel"),
            pillar=PILLAR,
            title=_("Travel and report differ (%(year)d)") % {"year": d.year},
            summary=d.text,
            sensitivity=SECRET,
            key=f"difference:{d.year}:{n}",
        )
        for n, d in enumerate(travel_compare.travel_differences(cadre))
    ]


register_sources(PILLAR, sources, label=gettext_lazy("Personal matters"), order=70)
