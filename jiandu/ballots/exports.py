"""Files: voting-code sheets (PDF cards with QR codes + list, or an xlsx list), blank paper
ballots, and results as xlsx and PDF. Code files are produced only in the response to the
generation itself: plain codes are never stored (docs/decisions/0005-ballot-secrecy.md)."""

import io
from urllib.parse import quote

import segno
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from jiandu.core.exports import Book
from jiandu.core.pdf import SMALL_SIZE, OfficialDocument, break_lines

from .models import Ballot, CodeBatch, VoterGroup
from .results import BallotResults, format_score, format_share
from .structure import load as load_structure


def vote_url(base_url: str, code: str | None = None) -> str:
    url = base_url.rstrip("/") + "/vote/"
    return f"{url}?c={quote(code)}" if code else url


def _when(value) -> str:
    return formats.date_format(timezone.localtime(value), "Y-m-d H:i") if value else "—"


# --- voting codes ---------------------------------------------------------------------------


# Card geometry (mm): 10 cards of 90 × 54 on an A4 page, cut along the dashed lines. Everything
# printed on a card stays 2 mm inside its edges (test_exports checks every text box).
CARD_W, CARD_H, CARD_LEFT, CARD_TOP, CARD_PAD = 90, 54, 15, 12, 2
QR_SIZE = 32
STEP_SIZES = (6.5, 6, 5.5, 5, 4.5)  # points: the instructions shrink until they fit their box
PT = 0.352778  # mm per point


def _fit(pdf, text: str, width: float) -> str:
    """`text` cut with … so that it fits `width` at the current font size."""
    if pdf.get_string_width(text) <= width:
        return text
    while text and pdf.get_string_width(text + "…") > width:
        text = text[:-1]
    return text + "…"


def _step_lines(pdf, steps: list[str], width: float, height: float) -> tuple[float, list[tuple[str, str]]]:
    """The numbered instructions broken into lines that fit `width` × `height`, at the largest
    size that fits: [(number or "", line)]. The number hangs to the left of its text, so "2." is
    never alone on a line; lines follow the Chinese line-breaking rules. At the smallest size the
    last lines are dropped and the last kept one ends with …"""
    for size in STEP_SIZES:
        with pdf.local_context(font_size_pt=size):
            number_w = pdf.get_string_width("8. ")
            lines = []
            for n, step in enumerate(steps, start=1):
                for i, line in enumerate(break_lines(step, width - number_w, pdf.get_string_width)):
                    lines.append((f"{n}." if i == 0 else "", line))
            if len(lines) * size * PT * 1.25 <= height or size == STEP_SIZES[-1]:
                keep = int(height // (size * PT * 1.25))
                if len(lines) > keep:
                    lines = lines[:keep]
                    number, last = lines[-1]
                    lines[-1] = (number, _fit(pdf, last + "……", width - number_w))
                return size, lines
    raise AssertionError("unreachable")


def code_sheet_pdf(ballot: Ballot, group: VoterGroup, batch: CodeBatch, codes: list[str], base_url: str) -> bytes:
    """Cut-out cards (QR code + code + instructions), 10 per A4 page, then the code list."""
    entry_url = vote_url(base_url)
    steps = [
        _("Scan the QR code with a phone, or open %(url)s and type the code.") % {"url": entry_url},
        _("Each code votes once. The ballot is secret: nobody can see how you voted."),
        _("After voting, keep the receipt to check later that your ballot was counted."),
    ]
    heading = _("Voting code")
    list_title = _("List of voting codes (for the organisers only)")
    meta = _("%(group)s · batch %(batch)d · %(n)d codes") % {"group": group.name, "batch": batch.number, "n": len(codes)}
    document = OfficialDocument(title=ballot.title, footer=meta)
    pdf = document.pdf
    pdf.set_auto_page_break(auto=False)  # the cards are placed on a fixed grid
    inner_w = CARD_W - 2 * CARD_PAD
    column_x = CARD_PAD + QR_SIZE + 3  # the right-hand column, beside the QR code
    column_w = CARD_W - column_x - CARD_PAD
    steps_top = 28
    gap = 2 * pdf.c_margin  # a cell prints its text inside a margin on both sides
    steps_size, step_lines = _step_lines(pdf, steps, column_w - gap, CARD_H - CARD_PAD - steps_top)
    with pdf.local_context(font_size_pt=8):
        title = _fit(pdf, ballot.title, inner_w - gap)
    with pdf.local_context(font_size_pt=9):
        label = _fit(pdf, f"{heading} · {group.name}", column_w - gap)
    for index, code in enumerate(codes):
        slot = index % 10
        if slot == 0 and index:
            pdf.add_page()
        x = CARD_LEFT + (slot % 2) * CARD_W
        y = CARD_TOP + (slot // 2) * CARD_H
        with pdf.local_context(draw_color=(150, 150, 150), line_width=0.2):
            pdf.set_dash_pattern(dash=1.5, gap=1.5)
            pdf.rect(x, y, CARD_W, CARD_H)
            pdf.set_dash_pattern()
        image = io.BytesIO()
        segno.make(vote_url(base_url, code), error="m").save(image, kind="png", scale=8, border=2)
        image.seek(0)
        pdf.image(image, x=x + CARD_PAD, y=y + 8, w=QR_SIZE, h=QR_SIZE)
        with pdf.local_context(font_size_pt=8, text_color=(90, 90, 90)):
            pdf.set_xy(x + CARD_PAD, y + CARD_PAD)
            pdf.cell(inner_w, 4, title)
        with pdf.local_context(font_size_pt=9):
            pdf.set_xy(x + column_x, y + 8)
            pdf.cell(column_w, 5, label)
        with document.strong(), pdf.local_context(font_size_pt=13):
            pdf.set_xy(x + column_x, y + 14)
            pdf.cell(column_w, 6, code[:9], new_x="LEFT", new_y="NEXT")
            pdf.cell(column_w, 6, code[10:])
        with pdf.local_context(font_size_pt=steps_size):
            line_h = steps_size * PT * 1.25
            number_w = pdf.get_string_width("8. ")
            for row, (number, line) in enumerate(step_lines):
                top = y + steps_top + row * line_h
                if number:
                    pdf.set_xy(x + column_x, top)
                    pdf.cell(number_w, line_h, number)
                pdf.set_xy(x + column_x + number_w, top)
                pdf.cell(column_w - number_w, line_h, line)
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.add_page()
    document.title(list_title, f"{ballot.title}\n{meta}")
    document.table(
        [_("No."), pgettext("ballot", "Code"), _("Voter group")],
        [(n, code, group.name) for n, code in enumerate(codes, start=1)],
        widths=(16, 70, 80),
        align=("CENTER", "LEFT", "LEFT"),
    )
    return document.output()


def code_list_xlsx(ballot: Ballot, group: VoterGroup, batch: CodeBatch, codes: list[str], base_url: str) -> bytes:
    book = Book()
    sheet = book.sheet(_("Voting codes"))
    sheet.title(ballot.title)
    sheet.note(_("%(group)s · batch %(batch)d · %(n)d codes") % {"group": group.name, "batch": batch.number, "n": len(codes)})
    sheet.skip()
    sheet.header([_("No."), _("Voter group"), pgettext("ballot", "Code"), _("Voting address")])
    for number, code in enumerate(codes, start=1):
        sheet.values([number, group.name, code, vote_url(base_url, code)])
    sheet.width(0, 0, 6)
    sheet.width(1, 1, 18)
    sheet.width(2, 2, 24)
    sheet.width(3, 3, 60)
    return book.close()


# --- paper ballots --------------------------------------------------------------------------


def paper_ballot_pdf(ballot: Ballot, group: VoterGroup) -> bytes:
    """A blank paper ballot for a group: every subject and question with a box per option."""
    shape = load_structure(ballot)
    subject_ids = shape.group_subjects[group.pk]
    subjects = [s for s in shape.subjects if s.pk in subject_ids]
    heading = _("Paper ballot")
    instructions = _("Tick one box per question. Do not write your name. Sheet number (filled in by the organisers): ______")
    document = OfficialDocument(title=ballot.title, footer=f"{heading} · {group.name}")
    document.title(ballot.title, f"{heading} · {group.name}")
    if ballot.description:
        document.paragraph(ballot.description)
    document.paragraph(instructions, indent=False)
    headers = [pgettext("ballot", "Subject"), pgettext("ballot", "Question"), ""]
    for section in shape.sections:
        in_section = [s for s in subjects if s.section_id == section.pk]
        if not in_section:
            continue
        document.heading(section.title)
        post = shape.posts.get(section.pk)
        if post is not None:
            document.paragraph(
                ngettext(
                    "Recommend for %(post)s: tick at most %(n)d person, or write the name on a line. A ballot naming more is invalid for this post.",
                    "Recommend for %(post)s: tick at most %(n)d people, or write their names on the lines. A ballot naming more is invalid for this post.",
                    post.max_choices,
                )
                % {"post": post.label, "n": post.max_choices},
                indent=False,
            )
            rows = [("□", f"{s.label}（{s.note}）" if s.note else s.label) for s in in_section]
            rows += [("□", "________________")] * post.write_in_lines
            document.table(["", pgettext("ballot", "Candidate")], rows, widths=(14, 152), size=9.5)
            continue
        rows = []
        for subject in in_section:
            label = f"{subject.label}（{subject.note}）" if subject.note else subject.label
            for n, q in enumerate(shape.subject_questions(subject)):
                rows.append((label if n == 0 else "", q.label, "    ".join(f"□ {o.label}" for o in shape.options[q.pk])))
        document.table(headers, rows, widths=(38, 26, 102), size=9.5)
    return document.output()


# --- results --------------------------------------------------------------------------------


def _option_header(option) -> str:
    return option.label if option.is_valid_vote else f"{option.label}*"


def results_xlsx(res: BallotResults) -> bytes:
    book = Book()
    ballot = res.ballot
    notes = [
        _("Organising unit: %(unit)s") % {"unit": ballot.unit_name},
        _("Closed at: %(when)s") % {"when": _when(ballot.closed_at)},
        _("Ballots counted: %(n)d") % {"n": res.total_ballots},
        _("* not a valid vote: counted, but not part of the rates. Shares are of valid votes; scores are weighted by voter group."),
    ]
    for section in res.sections:
        sheet = book.sheet(section.section.title)
        sheet.title(ballot.title)
        for note in notes:
            sheet.note(note)
        sheet.skip()
        if section.recommendation is not None:
            _recommendation_sheet(sheet, section)
            continue
        for question in section.questions:
            options = list(question.options.all())
            headers = [pgettext("ballot", "Subject"), pgettext("ballot", "Question")]
            for o in options:
                headers += [_option_header(o), pgettext("ballot", "Share")]
            headers += [_("Valid votes"), pgettext("ballot", "Blank"), pgettext("ballot", "Score"), pgettext("ballot", "Rank")]
            sheet.header(headers)
            for subject in section.subjects:
                q = subject.question(question.code)
                values = [subject.subject.label, question.label]
                for o in q.options:
                    values += [o.count, format_share(o.share) if o.option.is_valid_vote else ""]
                values += [q.valid, q.blank, format_score(q.score), subject.rank if question.is_overall or len(section.questions) == 1 else ""]
                sheet.values(values)
            sheet.skip()
        sheet.width(0, 0, 22)
        sheet.width(1, 1, 12)
    groups = book.sheet(_("By voter group"))
    groups.header(
        [
            pgettext("ballot", "Subject"),
            pgettext("ballot", "Question"),
            _("Voter group"),
            pgettext("ballot", "Ballots"),
            pgettext("ballot", "Counts"),
            _("Valid votes"),
            pgettext("ballot", "Score"),
        ]
    )
    hidden_note = _("fewer than %(n)d ballots: not shown separately") % {"n": res.min_group_size}
    for section in res.sections:
        rec = section.recommendation
        for g in rec.groups if rec is not None else []:
            if g.hidden:
                groups.values([rec.post, pgettext("ballot", "Recommendation"), g.group.name, "", hidden_note, "", ""], wrap=(4,))
            else:
                counts = "、".join(f"{p.name} {p.by_group.get(g.group.pk, 0)}" for p in rec.people if p.by_group.get(g.group.pk))
                groups.values([rec.post, pgettext("ballot", "Recommendation"), g.group.name, g.ballots, counts, g.valid, ""], wrap=(4,))
        for subject in section.subjects:
            for q in subject.questions:
                for g in q.groups:
                    if g.hidden:
                        values = [subject.subject.label, q.question.label, g.group.name, "", hidden_note, "", ""]
                    else:
                        counts = "、".join(f"{o.option.label} {o.count}" for o in g.options)
                        values = [subject.subject.label, q.question.label, g.group.name, g.ballots, counts, g.valid, format_score(g.score)]
                    groups.values(values, wrap=(4,))
    groups.width(0, 0, 22)
    groups.width(4, 4, 50)
    turnout = book.sheet(pgettext("ballot", "Participation"))
    turnout.header(
        [
            _("Voter group"),
            pgettext("ballot", "Weight"),
            pgettext("ballot", "Headcount"),
            _("Online ballots"),
            _("Paper ballots"),
            pgettext("ballot", "Ballots"),
            pgettext("ballot", "Participation"),
        ]
    )
    for g in res.groups:
        turnout.values([g.group.name, format(g.group.weight.normalize(), "f"), g.group.headcount, g.online, g.paper, g.ballots, format_share(g.turnout)])
    turnout.width(0, 0, 22)
    return book.close()


def _recommendation_rows(section) -> list[tuple]:
    rec = section.recommendation
    return [
        (i, p.name, _("written in") if p.written_in else _("candidate"), p.votes, format_share(p.share, section.display))
        for i, p in enumerate(rec.people, start=1)
    ]


def _recommendation_summary(section) -> str:
    rec = section.recommendation
    return _(
        "%(post)s: at most %(n)d names per ballot; %(ballots)d ballots, %(invalid)d invalid for this post, %(valid)d valid. Shares are of valid ballots."
    ) % {
        "post": rec.post,
        "n": rec.max_choices,
        "ballots": rec.ballots,
        "invalid": rec.invalid,
        "valid": rec.valid,
    }


def _recommendation_sheet(sheet, section) -> None:
    sheet.note(_recommendation_summary(section))
    sheet.skip()
    sheet.header([pgettext("ballot", "No."), _("Name"), pgettext("ballot", "kind"), pgettext("ballot", "Votes"), _("Share of valid ballots")])
    for row in _recommendation_rows(section):
        sheet.values(list(row))
    sheet.width(1, 1, 22)


def results_pdf(res: BallotResults) -> bytes:
    ballot = res.ballot
    lines = [
        _("Organising unit: %(unit)s") % {"unit": ballot.unit_name},
        _("Closed at: %(when)s") % {"when": _when(ballot.closed_at)},
        _("Ballots counted: %(n)d") % {"n": res.total_ballots},
    ]
    legend = _("Each cell: count (share of valid votes). * not a valid vote. Scores are weighted by voter group.")
    hidden = _("Voter groups with fewer than %(n)d ballots are not shown separately.") % {"n": res.min_group_size}
    headers = [
        pgettext("ballot", "Rank"),
        pgettext("ballot", "Subject"),
        pgettext("ballot", "Question"),
        _("Valid votes"),
        pgettext("ballot", "Score"),
        pgettext("ballot", "Results"),
        pgettext("ballot", "Participation"),
        _("Voter group"),
    ]
    document = OfficialDocument(title=ballot.title, footer=ballot.unit_name, orientation="landscape")
    document.title(ballot.title, "    ".join(lines))
    document.paragraph(f"{legend} {hidden}", indent=False, size=SMALL_SIZE)
    for section in res.sections:
        if section.recommendation is not None:
            document.heading(section.section.title)
            document.paragraph(_recommendation_summary(section), indent=False, size=SMALL_SIZE)
            document.table(
                [pgettext("ballot", "No."), _("Name"), pgettext("ballot", "kind"), pgettext("ballot", "Votes"), _("Share of valid ballots")],
                _recommendation_rows(section),
                widths=(14, 60, 30, 24, 40),
                align=("CENTER", "LEFT", "LEFT", "RIGHT", "RIGHT"),
                size=9,
            )
            continue
        rows = []
        for subject in sorted(section.subjects, key=lambda s: (s.rank is None, s.rank or 0, s.subject.order)):
            for q in subject.questions:
                cells = "  ".join(
                    f"{_option_header(o.option)} {o.count}" + (f"（{format_share(o.share)}）" if o.option.is_valid_vote else "") for o in q.options
                )
                first = q is subject.questions[0]
                rows.append(
                    (str(subject.rank or "—") if first else "", subject.subject.label if first else "", q.question.label, q.valid, format_score(q.score), cells)
                )
        document.heading(section.section.title)
        document.table(headers[:6], rows, widths=(12, 34, 22, 20, 18, 147), align=("CENTER", "LEFT", "LEFT", "RIGHT", "RIGHT", "LEFT"), size=8.5)
    document.heading(headers[6])
    document.table(
        [headers[7], pgettext("ballot", "Headcount"), pgettext("ballot", "Ballots"), headers[6]],
        [(g.group.name, g.group.headcount, g.ballots, format_share(g.turnout)) for g in res.groups],
        widths=(60, 30, 30, 40),
        align=("LEFT", "RIGHT", "RIGHT", "RIGHT"),
        size=9,
    )
    return document.output()
