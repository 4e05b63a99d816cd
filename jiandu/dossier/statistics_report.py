"""年度干部监督工作统计 as a report (issue #16 §4): the pillars' sections (core.statistics), each
pillar's counts split by the kind of unit (registry unit kinds), and the three outputs — the page
with charts, the workbook and the PDF (core.pdf, Chinese font embedded). The kinds of one measure
add up to its total: the same scoped queryset is counted, grouped in one query."""

from dataclasses import dataclass, field

from django.db.models import Count
from django.utils.translation import gettext as _

from jiandu.core import exports, pdf
from jiandu.core import statistics as yearly
from jiandu.core.practice import get_setting
from jiandu.registry.models import Unit

TITLE = "%(year)s年度干部监督工作统计"
NO_UNIT = "—"


@dataclass
class KindTable:
    """One area's counts by unit kind: rows (kind label, [count per measure]) and the totals."""

    area: object
    columns: list = field(default_factory=list)
    rows: list = field(default_factory=list)
    totals: list = field(default_factory=list)


def unit_kind_tables(user, report: yearly.Report) -> list[KindTable]:
    measures = yearly.unit_measures(user, report.year, [area.key for area, _sections in report.areas])
    labels = dict(Unit.Kind.choices)
    order = {value: n for n, value in enumerate(Unit.Kind.values)}
    tables = []
    for area, _sections in report.areas:
        if area.key not in measures:
            continue
        table = KindTable(area=area, columns=[str(m.label) for m in measures[area.key]])
        counts: dict = {}
        for n, measure in enumerate(measures[area.key]):
            kind_field = f"{measure.unit_field}__kind"
            for kind, count in measure.queryset.order_by().values_list(kind_field).annotate(n=Count("pk", distinct=True)).values_list(kind_field, "n"):
                counts.setdefault(kind or "", [0] * len(table.columns))[n] += count
        for kind in sorted(counts, key=lambda k: (order.get(k, len(order)), k)):
            table.rows.append((str(labels.get(kind, NO_UNIT)) if kind else _("unit not recorded"), counts[kind]))
        table.totals = [sum(row[1][n] for row in table.rows) for n in range(len(table.columns))]
        tables.append(table)
    return tables


def title(year: int) -> str:
    return TITLE % {"year": year}


def render_xlsx(report: yearly.Report, tables: list[KindTable]) -> bytes:
    book = exports.Book()
    sheet = book.sheet(_("Statistics"))
    sheet.title(title(report.year))
    sheet.header([_("Area"), _("Section"), _("Item"), _("Count")])
    sheet.width(0, 1, 24)
    sheet.width(2, 2, 36)
    for area, sections in report.areas:
        for section in sections.values():
            for label, count in section["rows"]:
                sheet.values([str(area.label), str(section["title"]), str(label), count])
    if tables:
        kinds = book.sheet(_("By unit kind"))
        kinds.title(_("%(title)s: by unit kind") % {"title": title(report.year)})
        kinds.width(0, 0, 28)
        for table in tables:
            kinds.note(str(table.area.label))
            kinds.header([_("Unit kind"), *table.columns])
            for label, values in table.rows:
                kinds.values([label, *values])
            kinds.values([_("Total"), *table.totals])
    return book.close()


def render_pdf(report: yearly.Report, tables: list[KindTable], *, today) -> bytes:
    issuer = str(get_setting("documents.issuer") or "")
    document = pdf.OfficialDocument(title=title(report.year), issuer=issuer)
    document.title(title(report.year), _("Counted from the records of each area dated in %(year)s") % {"year": report.year})
    numerals = "一二三四五六七八九十"
    for n, (area, sections) in enumerate(report.areas):
        document.heading(f"{numerals[n] if n < len(numerals) else n + 1}、{area.label}")
        for section in sections.values():
            rows = [(str(label), count) for label, count in section["rows"]]
            _keep_with_next(document, 8 * min(len(rows) + 2, 6))
            document.paragraph(str(section["title"]), indent=False)
            document.table([_("Item"), _("Count")], rows, widths=(120, 46), align=("LEFT", "RIGHT"))
    if report.unavailable:
        document.paragraph(
            _("Not included (temporarily unavailable): %(areas)s") % {"areas": "、".join(str(a.label) for a in report.unavailable)}, indent=False
        )
    if tables:
        document.heading(_("By unit kind"))
        for table in tables:
            _keep_with_next(document, 8 * min(len(table.rows) + 3, 6))
            document.paragraph(str(table.area.label), indent=False)
            width = (166 - 44) / max(len(table.columns), 1)
            rows = [(label, *values) for label, values in table.rows] + [(_("Total"), *table.totals)]
            document.table(
                [_("Unit kind"), *table.columns], rows, widths=(44, *([width] * len(table.columns))), align=("LEFT", *(["RIGHT"] * len(table.columns)))
            )
    document.date_line(today, issuer=issuer)
    return document.output()


def _keep_with_next(document, height_mm: float) -> None:
    """A section's title never stands alone at the foot of a page: start a new page when the title
    and the first rows of its table would not fit."""
    pdf_ = document.pdf
    if pdf_.get_y() + height_mm > pdf_.h - pdf_.b_margin:
        pdf_.add_page()
