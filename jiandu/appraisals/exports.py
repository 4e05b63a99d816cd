"""The results workbook (xlsxwriter): cadres and teams with votes, scores, grades and flags.
Counts are written as numbers and scores rounded like the pages; nothing secret is in it (the
ballots hold no voter, and only totals are copied here)."""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from jiandu.core.exports import Book
from jiandu.core.practice import get_setting

from . import queries, scoring
from .models import AppraisalCycle, Grade, ResultUse

VOTE_CODES = ["excellent", "competent", "basically_competent", "incompetent", "unknown"]


def _show(value):
    return scoring.show(value, get_setting("rates.display_places"), get_setting("rates.rounding_mode"))


def results_workbook(cycle: AppraisalCycle) -> bytes:
    book = Book()
    grades = {code: str(label) for code, label in Grade.choices}
    uses = {code: str(label) for code, label in ResultUse.Kind.choices}

    sheet = book.sheet(_("Cadres"))
    sheet.title(f"{cycle.title} — {_('Cadre results')}")
    sheet.skip()
    headers = [
        _("Unit"),
        pgettext("person", "Name"),
        _("Post"),
        "德",
        "能",
        "勤",
        "绩′",
        "廉",
        "总体评价",
        _("Assessment score"),
        pgettext("ranking", "Rank"),
        "优秀",
        "称职",
        "基本称职",
        "不称职",
        "不了解",
        _("Valid votes"),
        _("Proposed grade"),
        _("Grade"),
        _("Reason for a different grade"),
        _("Post adjustment"),
        _("Dismissal review"),
        _("Yellow card"),
        _("Use of results"),
    ]
    sheet.header(headers)
    rows = cycle.cadres.select_related("assessed_unit").prefetch_related("uses")
    proposals = {p.assessed_cadre_id: p for p in cycle.proposals.all()}
    for row in rows:
        dims = [_show(scoring.fraction_of(row.dimension_scores.get(code, ""))) for code in ("morality", "ability", "diligence")]
        dims.append(_show(scoring.fraction_of(row.results_element_exact)))
        dims.append(_show(scoring.fraction_of(row.dimension_scores.get("integrity", ""))))
        dims.append(_show(scoring.fraction_of(row.dimension_scores.get("overall", ""))))
        proposal = proposals.get(row.pk)
        values = [
            row.assessed_unit.unit_name,
            row.cadre_name,
            row.post,
            *dims,
            _show(row.score_fraction),
            row.rank or "",
            *[int(row.votes.get(code, 0)) for code in VOTE_CODES],
            row.valid_votes if row.valid_votes is not None else "",
            grades.get(row.proposed_grade, ""),
            grades.get(row.grade, ""),
            row.grade_reason,
            str(_("yes")) if row.needs_post_adjustment else "",
            str(_("yes")) if row.needs_dismissal_review else "",
            f"{proposal.figures}（{proposal.get_status_display()}）" if proposal else "",
            "；".join(f"{u.decided_on:%Y-%m-%d} {uses[u.kind]} {u.note}".strip() for u in row.uses.all()),
        ]
        sheet.values(values)
    sheet.width(0, 0, 22)
    sheet.width(1, 2, 12)
    sheet.width(3, 22, 9)
    sheet.width(23, 23, 40)
    sheet.freeze(3, 2)

    teams = book.sheet(_("Teams"))
    teams.title(f"{cycle.title} — {_('Team results')}")
    teams.skip()
    labels = [label for _code, label in queries.team_grade_choices(cycle)]
    codes = queries.team_codes(cycle)
    headers = [
        _("Unit"),
        _("Target score (T₀)"),
        _("Democratic score (D)"),
        _("Final score (T)"),
        pgettext("ranking", "Rank"),
        *labels,
        "不了解",
        _("Valid votes"),
        _("Proposed grade"),
        _("Grade"),
        _("Reason for a different grade"),
    ]
    teams.header(headers)
    for unit in cycle.units.all():
        teams.values(
            [
                unit.unit_name,
                _show(unit.target_base_fraction),
                _show(unit.democratic_fraction),
                _show(unit.final_fraction),
                unit.rank or "",
                *[int(unit.votes.get(code, 0)) for code in codes],
                int(unit.votes.get("unknown", 0)),
                unit.valid_votes if unit.valid_votes is not None else "",
                queries.team_grade_label(cycle, unit.proposed_grade),
                queries.team_grade_label(cycle, unit.grade),
                unit.grade_reason,
            ],
        )
    teams.width(0, 0, 24)
    teams.width(1, 14, 11)
    teams.freeze(3, 1)
    return book.close()
