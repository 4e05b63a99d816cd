"""Column definitions of the oversight lists, shared by the pages and their xlsx exports."""

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jiandu.core import exports

from . import deadlines


def Column(label, value, link=None, width=14, tone=None, title=None) -> exports.Column:  # noqa: N802 - reads as the class it builds
    """A column of an oversight list: the page and its xlsx export read the same definition."""
    return exports.Column(key="", label=label, kind=exports.AUTO, width=width, value=value, link=link, tone=tone, title=title)


def _d(field):
    return lambda row: getattr(row, field)


def _today():
    return dt.date.today()


DISPOSITIONS = [
    Column(_("Cadre"), lambda r: r.cadre.name, lambda r: reverse("oversight:disposition_detail", args=[r.pk]), 10),
    Column(_("Unit"), lambda r: r.unit.name, width=18),
    Column(_("Category"), lambda r: r.get_category_display(), width=20),
    Column(_("Measure"), lambda r: r.get_measure_display(), width=20),
    Column(_("Decision date"), _d("decided_on"), width=12),
    Column(_("Deciding body"), _d("deciding_body"), width=18),
    Column(_("Document number"), _d("document_number"), width=16),
    Column(_("Influence period ends"), lambda r: r.influence_ends_on or (_("no end date") if r.is_permanent else ""), width=14),
    Column(_("Status"), lambda r: r.get_status_display(), width=10),
]

TALKS = [
    Column(_("Cadre"), lambda r: r.cadre.name, lambda r: reverse("oversight:talk_detail", args=[r.pk]), 10),
    Column(_("Unit"), lambda r: r.unit.name, width=18),
    Column(_("Kind"), lambda r: r.get_kind_display(), width=22),
    Column(_("Date"), lambda r: r.talked_on, width=12),
    Column(
        _("Due by"),
        lambda r: r.due_on if r.status == r.Status.REQUIRED else "",
        width=12,
        tone=lambda r: "overdue" if r.is_overdue(_today()) else "",
        title=lambda r: deadlines.explain(r.due_rule),
    ),
    Column(_("Talker(s)"), _d("talkers"), width=14),
    Column(_("Status"), lambda r: r.get_status_display(), width=12),
    Column(
        _("Follow-up due"),
        lambda r: r.follow_up_due_on if r.follow_up and not r.follow_up_done_on else "",
        width=12,
        tone=lambda r: "overdue" if r.is_follow_up_overdue(_today()) else "",
    ),
    Column(_("Written explanation"), lambda r: r.get_explanation_display(), width=18),
]

INQUIRIES = [
    Column(_("Number"), lambda r: r.number or _("(draft)"), lambda r: reverse("oversight:inquiry_detail", args=[r.pk]), 16),
    Column(_("Cadre"), lambda r: r.cadre.name, width=10),
    Column(_("Unit"), lambda r: r.unit.name, width=18),
    Column(_("Subject"), _d("subject"), width=30),
    Column(_("Source"), lambda r: r.get_source_display(), width=12),
    Column(_("Delivered on"), _d("delivered_on"), width=12),
    Column(
        _("Reply due by"),
        _d("reply_due_on"),
        width=12,
        tone=lambda r: "overdue" if r.is_overdue(_today()) else "",
        title=lambda r: deadlines.explain(r.reply_due_rule),
    ),
    Column(_("Status"), lambda r: r.get_status_display(), width=14),
    Column(_("Assessment"), lambda r: r.get_assessment_display(), width=16),
]


def clue_columns(may_read: Callable[[Any], bool]):
    """Clue list columns; the summary is masked for rows the viewer may not read in full."""
    return [
        Column(_("Number"), _d("number"), lambda r: reverse("oversight:clue_detail", args=[r.pk]) if may_read(r) else "", 14),
        Column(_("Cadre"), lambda r: r.cadre.name, width=10),
        Column(_("Cadre's unit"), lambda r: r.cadre_unit.name, width=16),
        Column(_("Summary"), lambda r: r.summary if may_read(r) else "******", width=40),
        Column(_("Sensitivity"), lambda r: r.get_sensitivity_display(), width=10),
        Column(_("Sending department"), lambda r: r.from_unit.name, width=14),
        Column(_("Receiving department"), lambda r: r.to_unit.name if r.to_unit else "", width=14),
        Column(
            _("Receipt due by"),
            lambda r: r.receipt_due_on if r.status == r.Status.TRANSFERRED else "",
            width=12,
            tone=lambda r: "overdue" if r.is_receipt_overdue(_today()) else "",
            title=lambda r: deadlines.explain(r.receipt_due_rule),
        ),
        Column(
            _("Feedback due by"),
            _d("feedback_due_on"),
            width=12,
            tone=lambda r: "overdue" if r.is_feedback_overdue(_today()) else "",
            title=lambda r: deadlines.explain(r.feedback_due_rule),
        ),
        Column(_("Status"), lambda r: r.get_status_display(), width=14),
        Column(_("Result"), lambda r: r.get_result_display(), width=12),
    ]


TOURS = [
    Column(_("Name"), _d("name"), lambda r: reverse("oversight:tour_detail", args=[r.pk]), 28),
    Column(_("Kind"), lambda r: r.get_kind_display(), width=14),
    Column(_("Year"), _d("year"), width=8),
    Column(_("Organised by"), lambda r: r.organiser.name, width=16),
    Column(_("Target units"), lambda r: "、".join(t.unit.name for t in r.targets.all()), width=24),
    Column(_("Stage"), lambda r: r.get_stage_display(), width=12),
    Column(_("Feedback given on"), _d("feedback_on"), width=12),
    Column(
        _("Rectification report due by"),
        _d("rectification_due_on"),
        width=14,
        tone=lambda r: "overdue" if r.is_rectification_report_overdue(_today()) else "",
        title=lambda r: deadlines.explain(r.rectification_due_rule),
    ),
]

RECTIFICATION_ITEMS = [
    Column(_("Tour"), lambda r: r.tour.name, lambda r: reverse("oversight:tour_detail", args=[r.tour_id]), 24),
    Column(_("Unit"), lambda r: r.unit.name, width=16),
    Column(_("Measure"), _d("measure"), width=36),
    Column(_("Owner"), _d("owner"), width=12),
    Column(_("Deadline"), _d("due_on"), width=12, tone=lambda r: "overdue" if r.is_overdue(_today()) else ""),
    Column(_("Status"), lambda r: r.get_status_display(), width=14),
    Column(_("Escalated on"), _d("escalated_on"), width=12),
]

DUTY_REPORTS = [
    Column(_("Year"), _d("year"), width=8),
    Column(_("Cadre"), lambda r: r.cadre.name, lambda r: reverse("oversight:duty_report_detail", args=[r.pk]), 10),
    Column(_("Unit"), lambda r: r.unit.name, width=18),
    Column(_("Position"), _d("position_title"), width=14),
    Column(_("Due by"), _d("due_on"), width=12, tone=lambda r: "overdue" if r.is_missing(_today()) else ""),
    Column(_("Submitted on"), _d("submitted_on"), width=12),
    Column(_("Status"), lambda r: r.get_status_display(), width=16),
    Column(_("good"), lambda r: r.count_good, width=8),
    Column(_("fairly good"), lambda r: r.count_fairly_good, width=8),
    Column(_("average"), lambda r: r.count_average, width=8),
    Column(_("poor"), lambda r: r.count_poor, width=8),
    Column(_("does not know"), lambda r: r.count_unknown, width=8),
    Column(
        _("Evaluation"),
        lambda r: (_("ballot #%(n)d") % {"n": r.ballot_id} if r.ballot_id else _("counts entered by hand")) if r.has_evaluation else "",
        width=14,
    ),
]

DUTY_SESSIONS = [
    Column(_("Date"), _d("held_on"), lambda r: reverse("oversight:duty_session_detail", args=[r.pk]), 12),
    Column(_("Year"), _d("year"), width=8),
    Column(_("Unit"), lambda r: r.unit.name, width=18),
    Column(_("Form"), lambda r: r.get_mode_display(), width=10),
    Column(_("Place"), _d("place"), width=16),
    Column(_("Reports heard"), lambda r: r.report_count, width=10),
    Column(_("Evaluation"), lambda r: _("ballot #%(n)d") % {"n": r.ballot_id} if r.ballot_id else _("counts entered by hand"), width=16),
]

YELLOW_CARDS = [
    Column(_("Cadre"), lambda r: r.cadre.name, lambda r: reverse("oversight:yellow_card_detail", args=[r.pk]), 10),
    Column(_("Unit"), lambda r: r.cadre.unit.name, width=18),
    Column(_("Appraisal"), lambda r: r.cycle.title, width=20),
    Column(_("Figures"), lambda r: r.figures, width=24),
    Column(_("Yellow-card threshold"), lambda r: ("≥ " if r.inclusive else "> ") + r.threshold, width=10),
    Column(_("Raised on"), lambda r: r.created_at.date(), width=12),
    Column(_("Status"), lambda r: _yellow_card_state_label(r.state), width=20),
]


def _yellow_card_state_label(state):
    from .queries import YellowCardState

    return YellowCardState(state).label


MEETINGS = [
    Column(_("Date"), _d("held_on"), lambda r: reverse("oversight:meeting_detail", args=[r.pk]), 12),
    Column(_("Title"), _d("title"), width=30),
    Column(_("Convened by"), lambda r: r.organiser.name, width=16),
    Column(_("Departments present"), lambda r: "、".join(u.name for u in r.attending_units.all()), width=30),
    Column(_("Decisions"), _d("decisions"), width=40),
]


def cell_rows(columns, rows):
    """Rows ready for the list template: (text, link, tone, title) per cell."""
    out = []
    for row in rows:
        cells = []
        for column in columns:
            value = column.value(row)
            cells.append(
                {
                    "value": "" if value is None else value,
                    "link": column.link(row) if column.link else "",
                    "tone": column.tone(row) if column.tone else "",
                    "title": column.title(row) if column.title else "",
                }
            )
        out.append(cells)
    return out
