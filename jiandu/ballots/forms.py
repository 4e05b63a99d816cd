"""Forms of the officers' pages, and parsing of ballot answers and counts posted by forms."""

import json
import re

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from jiandu.accounts import access, units
from jiandu.core.errors import ActionError

from . import scales, structure
from .actions.definitions import UnitRef
from .models import Ballot, Subject

SECTIONS_IN_FORM = 3


def manageable_units(user) -> list[UnitRef]:
    """Units on which the user may organise ballots. The unit table is read through the app
    source the registry registered (jiandu.accounts.units), so ballots import no registry code."""
    all_units = units.unit_queryset()
    if all_units is None:
        return [UnitRef(a.unit_id, a.unit_path, a.unit_path) for a in access.assignments(user) if a.unit_id and access.can(user, "ballots.manage", a.unit_path)]
    found = all_units.filter(access.scope_q(user, "ballots.manage", "path")).order_by("path")
    return [UnitRef(u.pk, u.path, u.name) for u in found.only("pk", "path", "name", "depth")]


def _datetime_field(label):
    return forms.DateTimeField(
        label=label,
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


QUESTION_CHOICES = [
    *scales.question_set_choices(),
    ("custom", gettext_lazy("Custom questions (one per line)")),
    ("recommend", gettext_lazy("Recommendation (推荐): name up to N people for the post in the title")),
]


class BallotCreateForm(forms.Form):
    """A ballot of up to three sections built from presets, or a full JSON specification."""

    title = forms.CharField(label=pgettext_lazy("ballot", "Title"), max_length=200, required=False)
    unit = forms.TypedChoiceField(label=gettext_lazy("Organising unit"), coerce=int)
    description = forms.CharField(label=gettext_lazy("Instructions for voters"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    opens_at = _datetime_field(gettext_lazy("Voting opens at"))
    closes_at = _datetime_field(gettext_lazy("Voting closes at"))
    double_entry = forms.ChoiceField(label=gettext_lazy("Paper entry"), choices=Ballot.DoubleEntry.choices, initial=Ballot.DoubleEntry.TWO_PASSES)
    groups = forms.CharField(
        label=gettext_lazy("Voter groups"),
        required=False,
        help_text=gettext_lazy("One per line: name | weight | headcount, e.g. 本单位干部职工 | 0.5 | 40"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    spec_json = forms.CharField(
        label=gettext_lazy("Or paste a full definition (JSON)"),
        required=False,
        help_text=gettext_lazy("When given, it replaces the sections and groups above."),
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.units = {u.pk: u for u in manageable_units(user)}
        self.fields["unit"].choices = [(u.pk, u.name) for u in self.units.values()]
        for n in range(1, SECTIONS_IN_FORM + 1):
            self.fields[f"section_{n}_title"] = forms.CharField(label=gettext_lazy("Section title"), max_length=200, required=False)
            self.fields[f"section_{n}_kind"] = forms.ChoiceField(label=gettext_lazy("Subjects are"), choices=Subject.Kind.choices, initial=Subject.Kind.CADRE)
            self.fields[f"section_{n}_questions"] = forms.ChoiceField(label=pgettext_lazy("ballot", "Questions"), choices=QUESTION_CHOICES)
            self.fields[f"section_{n}_scale"] = forms.ChoiceField(
                label=pgettext_lazy("ballot", "Options"),
                choices=[("", gettext_lazy("the usual scale for these questions")), *scales.scale_choices()],
                required=False,
            )
            self.fields[f"section_{n}_custom"] = forms.CharField(
                label=gettext_lazy("Custom questions"), required=False, widget=forms.Textarea(attrs={"rows": 3})
            )
            self.fields[f"section_{n}_subjects"] = forms.CharField(
                label=pgettext_lazy("ballot", "Subjects"),
                required=False,
                help_text=gettext_lazy("One per line: name, optionally | post or description"),
                widget=forms.Textarea(attrs={"rows": 4}),
            )
            self.fields[f"section_{n}_max_choices"] = forms.IntegerField(
                label=gettext_lazy("Recommendation: names per ballot at most"), required=False, min_value=1, max_value=100
            )
            self.fields[f"section_{n}_write_ins"] = forms.IntegerField(
                label=gettext_lazy("Recommendation: lines for other names"), required=False, min_value=0, max_value=10
            )

    def section_fields(self):
        parts = ("title", "kind", "questions", "scale", "custom", "subjects", "max_choices", "write_ins")
        return [[self[f"section_{n}_{part}"] for part in parts] for n in range(1, SECTIONS_IN_FORM + 1)]

    def selected_unit(self) -> UnitRef | None:
        return self.units.get(self.cleaned_data.get("unit"))

    def build_spec(self) -> dict:
        """The spec for actions.create_ballot; problems are raised as ActionError by the action."""
        data = self.cleaned_data
        if data.get("spec_json", "").strip():
            try:
                spec = json.loads(data["spec_json"])
            except ValueError as exc:
                raise ActionError(_("The definition is not valid JSON: %(error)s") % {"error": exc}, field="spec_json") from exc
            if not isinstance(spec, dict):
                raise ActionError(_("The definition must be a JSON object."), field="spec_json")
            spec.setdefault("title", data.get("title", ""))
            return spec
        sections = []
        for n in range(1, SECTIONS_IN_FORM + 1):
            subjects = [line.strip() for line in (data.get(f"section_{n}_subjects") or "").splitlines() if line.strip()]
            title = (data.get(f"section_{n}_title") or "").strip()
            if not subjects and not title:
                continue
            preset = data.get(f"section_{n}_questions")
            scale = data.get(f"section_{n}_scale") or None
            if preset == "recommend":
                sections.append(
                    {
                        "title": title,
                        "kind": "recommendation",
                        "max_choices": data.get(f"section_{n}_max_choices"),
                        "write_ins": data.get(f"section_{n}_write_ins") or 0,
                        "subjects": [
                            {"kind": data.get(f"section_{n}_kind"), "label": label.strip(), "note": note.strip()}
                            for label, _sep, note in (line.partition("|") for line in subjects)
                        ],
                    }
                )
                continue
            if preset == "custom":
                lines = [line.strip() for line in (data.get(f"section_{n}_custom") or "").splitlines() if line.strip()]
                questions = [{"code": f"q{i + 1}", "label": label, "scale": scale or "grade", "overall": False} for i, label in enumerate(lines)]
            else:
                questions = preset
            section = {"title": title, "questions": questions, "subjects": []}
            if scale:
                section["scale"] = scale
            for line in subjects:
                label, _sep, note = line.partition("|")
                section["subjects"].append({"kind": data.get(f"section_{n}_kind"), "label": label.strip(), "note": note.strip()})
            sections.append(section)
        groups = []
        for i, line in enumerate(line for line in (data.get("groups") or "").splitlines() if line.strip()):
            parts = [p.strip() for p in re.split(r"[|｜]", line)]
            if len(parts) != 3:
                raise ActionError(_("Voter group line %(n)d: write name | weight | headcount.") % {"n": i + 1}, field="groups")
            groups.append({"name": parts[0], "weight": parts[1], "headcount": parts[2]})
        return {
            "title": data.get("title", ""),
            "description": data.get("description", ""),
            "opens_at": data.get("opens_at"),
            "closes_at": data.get("closes_at"),
            "double_entry": data.get("double_entry"),
            "sections": sections,
            "groups": groups,
        }

    def add_action_error(self, exc: ActionError) -> None:
        """Put an action's error next to the field it concerns (spec paths map to form fields)."""
        path = exc.field or ""
        if self.data.get("spec_json", "").strip():
            self.add_error("spec_json", f"{path}: {exc.message}" if path and path not in str(exc.message) else exc.message)
            return
        match = re.match(r"sections\[(\d+)\]\.(\w+)", path)
        if match and int(match.group(1)) < SECTIONS_IN_FORM:
            n = int(match.group(1)) + 1
            part = {"title": "title", "questions": "questions", "subjects": "subjects", "scale": "scale"}.get(match.group(2), "subjects")
            self.add_error(f"section_{n}_{part}", exc.message)
        elif path.startswith("groups"):
            self.add_error("groups", exc.message)
        elif path in self.fields:
            self.add_error(path, exc.message)
        else:
            self.add_error(None, exc.message)


class BallotUpdateForm(forms.Form):
    title = forms.CharField(label=pgettext_lazy("ballot", "Title"), max_length=200)
    description = forms.CharField(label=gettext_lazy("Instructions for voters"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    double_entry = forms.ChoiceField(label=gettext_lazy("Paper entry"), choices=Ballot.DoubleEntry.choices)


class WindowForm(forms.Form):
    opens_at = _datetime_field(gettext_lazy("Voting opens at"))
    closes_at = _datetime_field(gettext_lazy("Voting closes at"))


class RateDisplayForm(forms.Form):
    """How the rates of the ballot, or of one section, are shown (display only)."""

    section = forms.TypedChoiceField(label=gettext_lazy("For"), coerce=int, empty_value=None, required=False)
    places = forms.TypedChoiceField(
        label=gettext_lazy("Decimal places"),
        coerce=int,
        empty_value=None,
        required=False,
        choices=[("", gettext_lazy("as the global setting"))] + [(n, str(n)) for n in range(0, 5)],
    )
    rounding = forms.ChoiceField(label=gettext_lazy("Rounding"), required=False)

    def __init__(self, *args, ballot=None, **kwargs):
        from jiandu.core.practice import definitions

        super().__init__(*args, **kwargs)
        sections = list(ballot.sections.order_by("order", "id")) if ballot is not None else []
        self.fields["section"].choices = [("", gettext_lazy("the whole ballot"))] + [(s.pk, s.title) for s in sections]
        modes = definitions()["rates.rounding_mode"].choices
        self.fields["rounding"].choices = [("", gettext_lazy("as the global setting"))] + list(modes)


class CodesForm(forms.Form):
    FORMATS = (("pdf", gettext_lazy("PDF: cards with QR codes, and the list")), ("xlsx", gettext_lazy("Excel list")))
    group = forms.TypedChoiceField(label=gettext_lazy("Voter group"), coerce=int)
    count = forms.IntegerField(label=gettext_lazy("Number of codes"), min_value=1, max_value=2000)
    format = forms.ChoiceField(label=gettext_lazy("File"), choices=FORMATS, initial="pdf", widget=forms.RadioSelect)

    def __init__(self, *args, ballot=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [(g.pk, g.name) for g in ballot.groups.all()]


class PaperIssueForm(forms.Form):
    group = forms.TypedChoiceField(label=gettext_lazy("Voter group"), coerce=int)
    count = forms.IntegerField(label=gettext_lazy("Paper ballots issued (total)"), min_value=0, max_value=100_000)

    def __init__(self, *args, ballot=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [(g.pk, g.name) for g in ballot.groups.all()]


class ReportForm(forms.Form):
    report_text = forms.CharField(label=gettext_lazy("Self-report"), required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 10}))
    report_file = forms.FileField(label=gettext_lazy("Self-report file (PDF)"), required=False)
    remove_file = forms.BooleanField(label=gettext_lazy("Remove the attached file"), required=False)


class VoidForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=500)


def _int(value) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isascii() and value.isdigit() and len(value) < 12 else None


ANSWER_FIELD = re.compile(r"a-([0-9]{1,11})-([0-9]{1,11})")


def parse_answers(post, *, allow_blank: bool) -> dict:
    """{(subject id, question id): option id or None} from fields a-<subject>-<question>. Malformed
    names or values are refused (they cannot come from our own forms). On the voting hot path."""
    answers = {}
    for name, values in post.lists():
        if not name.startswith("a-"):
            continue
        match = ANSWER_FIELD.fullmatch(name)
        if match is None:
            raise ActionError(_("The ballot contains a subject or question that is not on this ballot."), field="answers", code="foreign_subject")
        raw = values[-1] if values else ""
        key = (int(match.group(1)), int(match.group(2)))
        if raw == "" and allow_blank:
            answers[key] = None
        elif raw.isascii() and raw.isdigit() and len(raw) < 12:
            answers[key] = int(raw)
        else:
            raise ActionError(_("An answer is not one of the options of its question."), field="answers", code="foreign_option")
    return answers


WRITTEN_FIELD = re.compile(r"w-([0-9]{1,11})")


def parse_written(post) -> dict:
    """{section id: [names]} from the write-in lines w-<section> of recommendation sections
    (empty lines dropped; the action checks the number of lines and the names)."""
    written: dict[int, list[str]] = {}
    for name, values in post.lists():
        if not name.startswith("w-"):
            continue
        match = WRITTEN_FIELD.fullmatch(name)
        if match is None:
            raise ActionError(_("The ballot contains a subject or question that is not on this ballot."), field="answers", code="foreign_subject")
        names = [v for v in values if (v or "").strip()]
        if names:
            written[int(match.group(1))] = names
    return written


def parse_counts(post) -> tuple[int | None, dict]:
    """(ballots, {question id: {option id: n}}) from fields ballots and c-<question>-<option>."""
    counts: dict[int, dict[int, int]] = {}
    for name in post:
        if not name.startswith("c-"):
            continue
        parts = name.split("-")
        question_id = _int(parts[1]) if len(parts) == 3 else None
        option_id = _int(parts[2]) if len(parts) == 3 else None
        if question_id is None or option_id is None:
            raise ActionError(_("The ballot contains a subject or question that is not on this ballot."), field="counts", code="foreign_subject")
        raw = (post.get(name) or "").strip()
        if raw == "":
            continue
        n = _int(raw)
        if n is None:
            raise ActionError(_("Counts must be whole numbers, zero or more."), field="counts")
        counts.setdefault(question_id, {})[option_id] = n
    return _int(post.get("ballots")), counts


WRITE_IN_ROWS = 5


def parse_post_counts(post) -> tuple[int | None, dict, dict, int | None]:
    """(ballots, {subject id: votes}, {name: votes}, invalid) from the recommendation counts form:
    ballots, invalid, p-<subject> and the pairs wn-<i> (name) / wc-<i> (votes)."""
    counts: dict[int, int] = {}
    for name in post:
        if not name.startswith("p-"):
            continue
        subject_id = _int(name[2:])
        if subject_id is None:
            raise ActionError(_("The ballot contains a subject or question that is not on this ballot."), field="counts", code="foreign_subject")
        raw = (post.get(name) or "").strip()
        if raw == "":
            continue
        n = _int(raw)
        if n is None:
            raise ActionError(_("Counts must be whole numbers, zero or more."), field="counts")
        counts[subject_id] = n
    written: dict[str, int] = {}
    for i in range(WRITE_IN_ROWS):
        name = (post.get(f"wn-{i}") or "").strip()
        raw = (post.get(f"wc-{i}") or "").strip()
        if not name and not raw:
            continue
        n = _int(raw)
        if not name or n is None:
            raise ActionError(_("Give each other name with its number of votes."), field="written")
        written[name] = written.get(name, 0) + n
    invalid = (post.get("invalid") or "").strip()
    return _int(post.get("ballots")), counts, written, (0 if invalid == "" else _int(invalid))


def post_counts_grid(shape, group, section, counts=None, written=None) -> dict:
    """The candidates with their vote cells and the rows for other names, for one group."""
    post = shape.posts[section.pk]
    counts, written = counts or {}, list((written or {}).items())
    layout = shape.layouts[group.pk]
    visible = {item.subject_id for item in layout.items if item.question_id == post.question_id}
    candidates = [{"subject": s, "name": f"p-{s.pk}", "value": counts.get(s.pk, "")} for s in shape.subjects if s.pk in visible]
    rows = [{"i": i, "name": written[i][0] if i < len(written) else "", "value": written[i][1] if i < len(written) else ""} for i in range(WRITE_IN_ROWS)]
    return {"post": post, "candidates": candidates, "written": rows if post.write_in_lines else []}


def ballot_sections(ballot, group, answers=None, missing=(), written=None):
    """Sections → subjects → questions with options, for one group's ballot form; a
    recommendation section also carries its post and its write-in lines (`written` refills them)."""
    shape = structure.load(ballot)
    written = written or {}
    subject_ids = set(shape.group_subjects.get(group.pk, []))
    answers = answers or {}
    missing = set(missing)
    sections = []
    for section in shape.sections:
        items = []
        for subject in shape.subjects:
            if subject.section_id != section.pk or subject.pk not in subject_ids:
                continue
            questions = []
            for q in shape.questions[section.pk]:
                key = (subject.pk, q.pk)
                questions.append(
                    {"question": q, "name": f"a-{subject.pk}-{q.pk}", "options": shape.options[q.pk], "chosen": answers.get(key), "missing": key in missing}
                )
            items.append({"subject": subject, "questions": questions})
        if items:
            entry = {"section": section, "subjects": items}
            post = shape.posts.get(section.pk)
            if post is not None:
                lines = list(written.get(section.pk, []))[: post.write_in_lines]
                lines += [""] * (post.write_in_lines - len(lines))
                entry.update(post=post, write_in_field=f"w-{section.pk}", write_ins=lines)
            sections.append(entry)
    return sections
