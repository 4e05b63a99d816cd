"""A cadre's private travel against their yearly reports (issue #18 §3: "the cadre's travel …
must match their yearly report"). The report of reporting year Y covers the matters of Y − 1
(规定 art. 5), so an approved trip departing in Y − 1 is looked for among the report's own
passport and permit rows (规定 art. 3 (2), (3)) by its departure day, and each trip the report
lists is looked for among the approved travel requests. Differences only: no reported value
beyond the trip's destination and dates, for the personal-matters officers."""

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from . import queries
from .models import PassportHolder, Reporter, TravelRequest

TRAVEL_KINDS = ("passport", "hkmt_permit")


@dataclass(frozen=True)
class TravelDifference:
    year: int  # the reporting year
    on: dt.date  # the trip's departure
    text: str


def _reported_trips(report) -> list[dict]:
    return [item.values for item in report.items.filter(kind__in=TRAVEL_KINDS, holder="self")]


def travel_differences(cadre) -> list[TravelDifference]:
    holder = PassportHolder.objects.filter(cadre=cadre).first()
    travels = list(TravelRequest.objects.filter(holder=holder, status=TravelRequest.Status.APPROVED)) if holder else []
    found = []
    for reporter in Reporter.objects.filter(cadre=cadre).select_related("year").order_by("year__year"):
        report = queries.current_report(reporter)
        if report is None:
            continue
        covered = reporter.year.year - 1
        trips = _reported_trips(report)
        reported_days = {t.get("departed_on", "") for t in trips}
        for travel in travels:
            if travel.departs_on.year == covered and travel.departs_on.isoformat() not in reported_days:
                found.append(
                    TravelDifference(
                        reporter.year.year,
                        travel.departs_on,
                        _("The approved trip to %(place)s departing %(day)s is not in the report of %(year)d.")
                        % {"place": travel.destination, "day": travel.departs_on.isoformat(), "year": reporter.year.year},
                    )
                )
        approved_days = {t.departs_on.isoformat() for t in travels}
        for trip in trips:
            day = trip.get("departed_on", "")
            if day and day.startswith(str(covered)) and day not in approved_days:
                found.append(
                    TravelDifference(
                        reporter.year.year,
                        dt.date.fromisoformat(day),
                        _("The report of %(year)d lists a trip to %(place)s departing %(day)s without an approved travel request.")
                        % {"year": reporter.year.year, "place": trip.get("destination") or "—", "day": day},
                    )
                )
    return found
