"""Files: voting-code sheets (PDF cards with QR codes + list, or an xlsx list), blank paper
ballots, and results as xlsx and PDF. Code files are produced only in the response to the
generation itself: plain codes are never stored (docs/decisions/0005-ballot-secrecy.md)."""

import io
from urllib.parse import quote

import segno
import xlsxwriter
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from . import pdf as pdf_module
from .models import Ballot, CodeBatch, VoterGroup
from .results import BallotResults, format_score, format_share
from .structure import load as load_structure


def vote_url(base_url: str, code: str | None = None) -> str:
    url = base_url.rstrip("/") + "/vote/"
    return f"{url}?c={quote(code)}" if code else url


def _when(value) -> str:
    return formats.date_format(timezone.localtime(value), "Y-m-d H:i") if value else "—"


# --- voting codes ---------------------------------------------------------------------------


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
    texts = [ballot.title, group.name, heading, list_title, meta, *steps, *codes, _("No."), pgettext("ballot", "Code"), _("Voter group")]
    with pdf_module.document(texts, title=ballot.title) as pdf:
        pdf.set_auto_page_break(auto=False)
        card_w, card_h, left, top = 90, 54, 15, 12
        for index, code in enumerate(codes):
            slot = index % 10
            if slot == 0:
                pdf.add_page()
            x = left + (slot % 2) * card_w
            y = top + (slot // 2) * card_h
            pdf.set_draw_color(150, 150, 150)
            pdf.set_dash_pattern(dash=1.5, gap=1.5)
            pdf.rect(x, y, card_w, card_h)
            pdf.set_dash_pattern()
            pdf.set_draw_color(0, 0, 0)
            qr = segno.make(vote_url(base_url, code), error="m")
            image = io.BytesIO()
            qr.save(image, kind="png", scale=8, border=2)
            image.seek(0)
            pdf.image(image, x=x + 2, y=y + 8, w=34, h=34)
            pdf.set_xy(x + 3, y + 2)
            pdf.set_font(size=8)
            pdf.set_text_color(90, 90, 90)
            pdf.cell(card_w - 6, 4, ballot.title[:40], new_x="LEFT", new_y="NEXT")
            pdf.set_text_color(0, 0, 0)
            pdf.set_xy(x + 38, y + 9)
            pdf.set_font(size=9)
            pdf.cell(card_w - 40, 5, f"{heading} · {group.name}"[:30], new_x="LEFT", new_y="NEXT")
            pdf.set_xy(x + 38, y + 15)
            pdf.set_font(size=13)
            pdf_module.bold(pdf)
            pdf.cell(card_w - 40, 7, code[:9], new_x="LEFT", new_y="NEXT")
            pdf.set_x(x + 38)
            pdf.cell(card_w - 40, 7, code[10:], new_x="LEFT", new_y="NEXT")
            pdf_module.bold(pdf, on=False)
            pdf.set_font(size=6.5)
            pdf.set_xy(x + 38, y + 31)
            pdf.multi_cell(card_w - 41, 3, "\n".join(f"{n}. {s}" for n, s in enumerate(steps, start=1)), align="L")
        pdf.set_auto_page_break(auto=True, margin=15)
        pdf.add_page()
        pdf.set_font(size=14)
        pdf_module.bold(pdf)
        pdf.multi_cell(0, 8, list_title, new_x="LMARGIN", new_y="NEXT")
        pdf_module.bold(pdf, on=False)
        pdf.set_font(size=10)
        pdf.multi_cell(0, 6, f"{ballot.title}\n{meta}", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
        with pdf.table(col_widths=(15, 60, 60), text_align=("CENTER", "LEFT", "LEFT"), line_height=6) as table:
            table.row([_("No."), pgettext("ballot", "Code"), _("Voter group")])
            for n, code in enumerate(codes, start=1):
                table.row([str(n), code, group.name])
        return bytes(pdf.output())


def code_list_xlsx(ballot: Ballot, group: VoterGroup, batch: CodeBatch, codes: list[str], base_url: str) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet(_("Voting codes")[:31])
    bold = book.add_format({"bold": True})
    sheet.write(0, 0, ballot.title, bold)
    sheet.write(1, 0, _("%(group)s · batch %(batch)d · %(n)d codes") % {"group": group.name, "batch": batch.number, "n": len(codes)})
    headers = [_("No."), _("Voter group"), pgettext("ballot", "Code"), _("Voting address")]
    for col, header in enumerate(headers):
        sheet.write(3, col, header, bold)
    for row, code in enumerate(codes, start=4):
        sheet.write_number(row, 0, row - 3)
        sheet.write(row, 1, group.name)
        sheet.write(row, 2, code)
        sheet.write(row, 3, vote_url(base_url, code))
    sheet.set_column(0, 0, 6)
    sheet.set_column(1, 1, 18)
    sheet.set_column(2, 2, 24)
    sheet.set_column(3, 3, 60)
    book.close()
    return out.getvalue()


# --- paper ballots --------------------------------------------------------------------------


def paper_ballot_pdf(ballot: Ballot, group: VoterGroup) -> bytes:
    """A blank paper ballot for a group: every subject and question with a box per option."""
    shape = load_structure(ballot)
    subject_ids = shape.group_subjects[group.pk]
    subjects = [s for s in shape.subjects if s.pk in subject_ids]
    heading = _("Paper ballot")
    instructions = _("Tick one box per question. Do not write your name. Sheet number (filled in by the organisers): ______")
    texts = [ballot.title, ballot.description, group.name, heading, instructions, pgettext("ballot", "Subject"), pgettext("ballot", "Question")]
    for s in subjects:
        texts += [s.label, s.note]
        for q in shape.subject_questions(s):
            texts.append(q.label)
            texts += [o.label for o in shape.options[q.pk]]
    texts += [s.title for s in shape.sections]
    with pdf_module.document(texts, title=ballot.title) as pdf:
        pdf.add_page()
        pdf.set_font(size=15)
        pdf_module.bold(pdf)
        pdf.multi_cell(0, 8, ballot.title, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf_module.bold(pdf, on=False)
        pdf.set_font(size=10)
        pdf.multi_cell(0, 6, f"{heading} · {group.name}", align="C", new_x="LMARGIN", new_y="NEXT")
        if ballot.description:
            pdf.multi_cell(0, 5, ballot.description, new_x="LMARGIN", new_y="NEXT")
        pdf.multi_cell(0, 6, instructions, new_x="LMARGIN", new_y="NEXT")
        for section in shape.sections:
            in_section = [s for s in subjects if s.section_id == section.pk]
            if not in_section:
                continue
            pdf.ln(2)
            pdf.set_font(size=12)
            pdf_module.bold(pdf)
            pdf.cell(0, 8, section.title, new_x="LMARGIN", new_y="NEXT")
            pdf_module.bold(pdf, on=False)
            pdf.set_font(size=9.5)
            with pdf.table(col_widths=(35, 25, 120), line_height=6) as table:
                table.row([pgettext("ballot", "Subject"), pgettext("ballot", "Question"), ""])
                for subject in in_section:
                    for q in shape.subject_questions(subject):
                        label = f"{subject.label}（{subject.note}）" if subject.note else subject.label
                        table.row([label, q.label, "    ".join(f"□ {o.label}" for o in shape.options[q.pk])])
        return bytes(pdf.output())


# --- results --------------------------------------------------------------------------------


def _option_header(option) -> str:
    return option.label if option.is_valid_vote else f"{option.label}*"


def results_xlsx(res: BallotResults) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    bold = book.add_format({"bold": True})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    ballot = res.ballot
    notes = [
        ballot.title,
        _("Organising unit: %(unit)s") % {"unit": ballot.unit_name},
        _("Closed at: %(when)s") % {"when": _when(ballot.closed_at)},
        _("Ballots counted: %(n)d") % {"n": res.total_ballots},
        _("* not a valid vote: counted, but not part of the rates. Shares are of valid votes; scores are weighted by voter group."),
    ]
    for section in res.sections:
        sheet = book.add_worksheet(section.section.title[:31])
        for row, note in enumerate(notes):
            sheet.write(row, 0, note, bold if row == 0 else None)
        row = len(notes) + 1
        for question in section.questions:
            options = list(question.options.all())
            headers = [pgettext("ballot", "Subject"), pgettext("ballot", "Question")]
            for o in options:
                headers += [_option_header(o), pgettext("ballot", "Share")]
            headers += [_("Valid votes"), pgettext("ballot", "Blank"), pgettext("ballot", "Score"), pgettext("ballot", "Rank")]
            for col, header in enumerate(headers):
                sheet.write(row, col, header, bold)
            row += 1
            for subject in section.subjects:
                q = subject.question(question.code)
                values = [subject.subject.label, question.label]
                for o in q.options:
                    values += [o.count, format_share(o.share) if o.option.is_valid_vote else ""]
                values += [q.valid, q.blank, format_score(q.score), subject.rank if question.is_overall or len(section.questions) == 1 else ""]
                for col, value in enumerate(values):
                    sheet.write(row, col, value)
                row += 1
            row += 1
        sheet.set_column(0, 0, 22)
        sheet.set_column(1, 1, 12)
    groups = book.add_worksheet(_("By voter group")[:31])
    headers = [
        pgettext("ballot", "Subject"),
        pgettext("ballot", "Question"),
        _("Voter group"),
        pgettext("ballot", "Ballots"),
        pgettext("ballot", "Counts"),
        _("Valid votes"),
        pgettext("ballot", "Score"),
    ]
    for col, header in enumerate(headers):
        groups.write(0, col, header, bold)
    row = 1
    hidden_note = _("fewer than %(n)d ballots: not shown separately") % {"n": res.min_group_size}
    for section in res.sections:
        for subject in section.subjects:
            for q in subject.questions:
                for g in q.groups:
                    if g.hidden:
                        values = [subject.subject.label, q.question.label, g.group.name, "", hidden_note, "", ""]
                    else:
                        counts = "、".join(f"{o.option.label} {o.count}" for o in g.options)
                        values = [subject.subject.label, q.question.label, g.group.name, g.ballots, counts, g.valid, format_score(g.score)]
                    for col, value in enumerate(values):
                        groups.write(row, col, value, wrap if col == 4 else None)
                    row += 1
    groups.set_column(0, 0, 22)
    groups.set_column(4, 4, 50)
    turnout = book.add_worksheet(pgettext("ballot", "Participation")[:31])
    headers = [
        _("Voter group"),
        pgettext("ballot", "Weight"),
        pgettext("ballot", "Headcount"),
        _("Online ballots"),
        _("Paper ballots"),
        pgettext("ballot", "Ballots"),
        pgettext("ballot", "Participation"),
    ]
    for col, header in enumerate(headers):
        turnout.write(0, col, header, bold)
    for row, g in enumerate(res.groups, start=1):
        values = [g.group.name, format(g.group.weight.normalize(), "f"), g.group.headcount, g.online, g.paper, g.ballots, format_share(g.turnout)]
        for col, value in enumerate(values):
            turnout.write(row, col, value)
    turnout.set_column(0, 0, 22)
    book.close()
    return out.getvalue()


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
    texts = [ballot.title, legend, hidden, *lines, *headers]
    rows_by_section = []
    for section in res.sections:
        rows = []
        for subject in sorted(section.subjects, key=lambda s: (s.rank is None, s.rank or 0, s.subject.order)):
            for q in subject.questions:
                cells = "  ".join(
                    f"{_option_header(o.option)} {o.count}" + (f"（{format_share(o.share)}）" if o.option.is_valid_vote else "") for o in q.options
                )
                rows.append(
                    [
                        str(subject.rank or "—") if q is subject.questions[0] else "",
                        subject.subject.label,
                        q.question.label,
                        str(q.valid),
                        format_score(q.score),
                        cells,
                    ]
                )
        rows_by_section.append((section.section.title, rows))
        texts += [section.section.title] + [c for r in rows for c in r]
    group_rows = [[g.group.name, str(g.group.headcount), str(g.ballots), format_share(g.turnout)] for g in res.groups]
    texts += [c for r in group_rows for c in r] + [pgettext("ballot", "Headcount"), pgettext("ballot", "Ballots")]
    with pdf_module.document(texts, title=ballot.title, orientation="L") as pdf:
        pdf.add_page()
        pdf.set_font(size=15)
        pdf_module.bold(pdf)
        pdf.multi_cell(0, 8, ballot.title, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf_module.bold(pdf, on=False)
        pdf.set_font(size=9.5)
        pdf.multi_cell(0, 5, "    ".join(lines), align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.multi_cell(0, 5, f"{legend} {hidden}", new_x="LMARGIN", new_y="NEXT")
        for title, rows in rows_by_section:
            pdf.ln(2)
            pdf.set_font(size=12)
            pdf_module.bold(pdf)
            pdf.cell(0, 8, title, new_x="LMARGIN", new_y="NEXT")
            pdf_module.bold(pdf, on=False)
            pdf.set_font(size=8.5)
            with pdf.table(col_widths=(12, 36, 22, 18, 18, 161), text_align=("CENTER", "LEFT", "LEFT", "RIGHT", "RIGHT", "LEFT"), line_height=5) as table:
                table.row([headers[0], headers[1], headers[2], headers[3], headers[4], headers[5]])
                for row in rows:
                    table.row(row)
        pdf.ln(3)
        pdf.set_font(size=12)
        pdf_module.bold(pdf)
        pdf.cell(0, 8, headers[6], new_x="LMARGIN", new_y="NEXT")
        pdf_module.bold(pdf, on=False)
        pdf.set_font(size=9)
        with pdf.table(col_widths=(60, 30, 30, 40), line_height=6, width=160, align="LEFT") as table:
            table.row([headers[7], pgettext("ballot", "Headcount"), pgettext("ballot", "Ballots"), headers[6]])
            for row in group_rows:
                table.row(row)
        return bytes(pdf.output())
