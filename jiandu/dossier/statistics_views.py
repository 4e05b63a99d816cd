"""年度干部监督工作统计 (issue #16 §4): every pillar's sections for a year (core.statistics) and
their breakdown by unit kind, as charts and tables, a workbook and a PDF (both journaled). Each
pillar counts only what the viewer may read there."""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from jiandu.accounts import access
from jiandu.core import exports, journal
from jiandu.core import statistics as yearly
from jiandu.core.pdf import pdf_response

from . import statistics_report


def _year(request, today: dt.date) -> int:
    try:
        year = int(request.GET.get("year", today.year - 1))
    except ValueError:
        return today.year - 1
    return year if 2000 <= year <= today.year else today.year - 1


@login_required
def yearly_statistics(request):
    access.require(request.user, "dossier.view")
    today = dt.date.today()
    year = _year(request, today)
    report = yearly.collect(request.user, year)
    tables = statistics_report.unit_kind_tables(request.user, report)
    output = request.GET.get("format")
    if output in ("xlsx", "pdf"):
        journal.record(
            "dossier.statistics.exported",
            actor=request.user,
            data={"year": year, "areas": [a.key for a, _s in report.areas], "format": output},
        )
        filename = f"{statistics_report.title(year)}.{output}"
        if output == "xlsx":
            return exports.workbook_response(statistics_report.render_xlsx(report, tables), filename)
        return pdf_response(statistics_report.render_pdf(report, tables, today=today), filename)
    charts = {
        f"{area.key}-{key}": {"title": str(s["title"]), "labels": [str(r[0]) for r in s["rows"]], "values": [_number(r[1]) for r in s["rows"]]}
        for area, sections in report.areas
        for key, s in sections.items()
    }
    return render(
        request,
        "dossier/statistics.html",
        {
            "year": year,
            "years": list(range(today.year, today.year - 8, -1)),
            "report": report,
            "charts": charts,
            "kind_tables": tables,
            "breadcrumbs": [(_("Statistics"), None)],
        },
    )


def _number(value) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0
