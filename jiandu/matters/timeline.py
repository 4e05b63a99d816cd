"""个人有关事项 in the cadre's dossier (core.timeline), under the issue's sensitivity rule: the
personal-matters officers and the head (matters.view_reports on the cadre's unit) see the reports'
versions, the checks, the private travel and the loans of documents, and where the travel and
the yearly reports differ — and every such view is journaled. Everybody
else whom the dossier lets in sees at most "report submitted" and a concluded check's result
("consistent" or "differences found"); the cadre in self service also sees their own travel."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiandu.accounts import access
from jiandu.core import journal
from jiandu.core.timeline import SECRET, SENSITIVE, TimelineEntry, register_provider

from . import queries, travel_compare
from .models import Check, EventReport, Loan, Report, TravelRequest

PILLAR = "matters"


def _officer(viewer, cadre) -> bool:
    return access.can(viewer, queries.VIEW, cadre.unit)


def _minimal(cadre) -> list[TimelineEntry]:
    rows = []
    firsts = {}
    for report in Report.objects.filter(reporter__cadre_id=cadre.pk, status=Report.Status.SUBMITTED).select_related("reporter__year").order_by("version"):
        firsts.setdefault(report.reporter.year_id, report)
    for report in firsts.values():
        rows.append(
            TimelineEntry(
                date=report.submitted_on,
                kind=_("Personal matters"),
                pillar=PILLAR,
                title=_("Personal-matters report %(year)d submitted") % {"year": report.reporter.year.year},
                sensitivity=SENSITIVE,
                key=f"report:{report.reporter_id}",
                recorded_at=report.created_at,
            )
        )
    for check in Check.objects.filter(cadre_id=cadre.pk, status=Check.Status.CONCLUDED).prefetch_related("findings"):
        issues = any(f.classification != "consistent" for f in check.findings.all())
        rows.append(
            TimelineEntry(
                date=check.concluded_on,
                kind=_("Personal matters"),
                pillar=PILLAR,
                title=_("Check of the personal-matters report concluded"),
                summary=_("differences found") if issues else _("consistent"),
                sensitivity=SENSITIVE,
                key=f"check:{check.pk}",
                recorded_at=check.opened_at,
            )
        )
    return rows


def _travel(cadre, *, links: bool) -> list[TimelineEntry]:
    rows = []
    for travel in TravelRequest.objects.filter(holder__cadre_id=cadre.pk).select_related("holder").order_by("departs_on", "id"):
        rows.append(
            TimelineEntry(
                date=travel.departs_on,
                kind=_("Private travel"),
                pillar=PILLAR,
                title=_("Private travel to %(place)s") % {"place": travel.destination},
                summary="；".join([f"{travel.departs_on.isoformat()} – {travel.returns_on.isoformat()}", travel.purpose, travel.get_status_display()]),
                url=reverse("matters:holder", args=[travel.holder_id]) if links else "",
                sensitivity=SECRET,
                key=f"travel:{travel.pk}",
            )
        )
    for loan in Loan.objects.filter(document__holder__cadre_id=cadre.pk).select_related("document", "travel").order_by("lent_on", "id"):
        if loan.returned_on:
            state = _("returned on %(day)s") % {"day": loan.returned_on.isoformat()}
            if loan.returned_on > loan.due_on:
                state += _(", %(n)d days late") % {"n": (loan.returned_on - loan.due_on).days}
        else:
            state = _("not returned, due back on %(day)s") % {"day": loan.due_on.isoformat()}
        rows.append(
            TimelineEntry(
                date=loan.lent_on,
                kind=_("Private travel"),
                pillar=PILLAR,
                title=_("%(document)s lent for the trip to %(place)s") % {"document": loan.document.get_kind_display(), "place": loan.travel.destination},
                summary=state,
                url=reverse("matters:holder", args=[loan.document.holder_id]) if links else "",
                sensitivity=SECRET,
                key=f"loan:{loan.pk}",
            )
        )
    return rows


def _details(viewer, cadre) -> list[TimelineEntry]:
    rows = []
    for report in Report.objects.filter(reporter__cadre_id=cadre.pk, status=Report.Status.SUBMITTED).select_related("reporter__year").order_by("version"):
        late = report.submitted_on > report.reporter.year.deadline
        rows.append(
            TimelineEntry(
                date=report.submitted_on,
                kind=_("Personal matters"),
                pillar=PILLAR,
                title=_("Personal-matters report %(year)d, version %(version)d") % {"year": report.reporter.year.year, "version": report.version},
                summary="；".join(s for s in [_("late") if late else _("on time"), report.correction_reason] if s),
                url=reverse("matters:report", args=[report.pk]),
                sensitivity=SECRET,
                key=f"report:{report.pk}",
                recorded_at=report.created_at,
            )
        )
    for check in Check.objects.filter(cadre_id=cadre.pk).prefetch_related("findings"):
        summary = [check.get_status_display()]
        if check.handling:
            summary.append(check.get_handling_display())
        rows.append(
            TimelineEntry(
                date=check.opened_at.date(),
                kind=_("Personal matters"),
                pillar=PILLAR,
                title=check.get_kind_display(),
                summary="；".join(str(s) for s in summary),
                url=reverse("matters:check", args=[check.pk]),
                sensitivity=SECRET,
                key=f"check:{check.pk}",
                recorded_at=check.opened_at,
            )
        )
    for event in EventReport.objects.filter(cadre_id=cadre.pk).order_by("event_on", "id"):
        rows.append(
            TimelineEntry(
                date=event.event_on,
                kind=_("Personal matters"),
                pillar=PILLAR,
                title=_("Change reported: %(matter)s") % {"matter": event.get_kind_display()},
                summary=_("reported on %(day)s, late") % {"day": event.reported_on.isoformat()}
                if event.is_late
                else _("reported on %(day)s") % {"day": event.reported_on.isoformat()},
                url=reverse("matters:events"),
                sensitivity=SECRET,
                key=f"event:{event.pk}",
                recorded_at=event.created_at,
            )
        )
    rows.extend(_travel(cadre, links=access.can(viewer, queries.PASSPORTS, cadre.unit)))
    rows.extend(_differences(cadre))
    return rows


def entries(viewer, cadre, *, since=None, year=None) -> list[TimelineEntry]:
    if _officer(viewer, cadre):
        rows = _details(viewer, cadre)
        journal.record("matters.dossier.viewed", actor=viewer, target=cadre, unit=cadre.unit, cadre=None, data={"entries": len(rows)})
        return rows
    rows = _minimal(cadre)
    if access.is_self(viewer, cadre):
        rows.extend(_travel(cadre, links=False))
    return rows


def _differences(cadre) -> list[TimelineEntry]:
    """Travel that does not match the yearly reports (travel_compare), for the officers only."""
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


register_provider(PILLAR, entries, label=gettext_lazy("Personal matters"), order=70)
