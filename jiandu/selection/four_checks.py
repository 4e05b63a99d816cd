"""凡提四必 (《关于防止干部"带病提拔"的意见》, 中办 2016): before a candidate goes to the decision
(讨论决定), four checks are complete — 干部档案必审 (FileReview), 个人有关事项报告必核 (the
targeted check of jiandu/matters, through selection.hooks), 纪检监察机关意见必听 (the vetting
reply of the discipline inspection commission) and 线索具体的信访举报必查 (no clue about the
candidate still open in daily supervision). `gate_problems` names each missing check with its
basis; the decision refuses while there is one."""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiandu.oversight.queries import open_clue_count
from jiandu.registry.models import Cadre, Unit

from . import hooks

BASIS = gettext_lazy('《关于防止干部"带病提拔"的意见》(2016), 凡提四必')

FILE, MATTERS, DISCIPLINE, CLUES = "file", "matters", "discipline", "clues"
LABELS = {
    FILE: gettext_lazy("Personnel file reviewed (干部档案必审)"),
    MATTERS: gettext_lazy("Personal-matters report checked (个人有关事项报告必核)"),
    DISCIPLINE: gettext_lazy("Discipline inspection opinion heard (纪检监察机关意见必听)"),
    CLUES: gettext_lazy("Specific petitions and reports looked into (线索具体的信访举报必查)"),
}
FIELDS = {
    "birth_on": gettext_lazy("birth date"),
    "party_join_on": gettext_lazy("joined the party"),
    "work_start_on": gettext_lazy("started work"),
    "education": gettext_lazy("education"),
    "work_history": gettext_lazy("work history"),
    "identity": gettext_lazy("cadre identity"),
}


@dataclass(frozen=True)
class FourCheck:
    code: str
    label: str
    done: bool
    state: str  # what is recorded, or what is missing


def _shown(field, value) -> str:
    if value in (None, ""):
        return _("none")
    if field == "education":
        return str(dict(Cadre.Education.choices).get(value, value))
    return str(value)


def difference_lines(differences: list[dict]) -> list[str]:
    lines = []
    for d in differences:
        label = FIELDS.get(d.get("field"), d.get("field"))
        if "registry" in d:
            lines.append(
                _("%(field)s: registry %(registry)s, file %(file)s")
                % {"field": label, "registry": _shown(d["field"], d["registry"]), "file": _shown(d["field"], d["file"])}
            )
        else:
            lines.append(_("%(field)s: %(text)s") % {"field": label, "text": d.get("file", "")})
    return lines


def compare_file(cadre: Cadre, *, birth_on, party_join_on, work_start_on, education, work_history, identity) -> list[dict]:
    """The differences between the file's 三龄两历一身份 and the registry (registry value, file value)."""
    found = []
    for field, value in (("birth_on", birth_on), ("party_join_on", party_join_on), ("work_start_on", work_start_on), ("education", education)):
        registered = getattr(cadre, field)
        if registered != value:
            found.append(
                {
                    "field": field,
                    "registry": registered.isoformat() if hasattr(registered, "isoformat") else registered,
                    "file": value.isoformat() if hasattr(value, "isoformat") else value,
                }
            )
    for field, text in (("work_history", work_history), ("identity", identity)):
        if text:
            found.append({"field": field, "file": text})
    return found


def _file(candidate) -> FourCheck:
    review = getattr(candidate, "file_review", None)
    if review is None:
        return FourCheck(FILE, str(LABELS[FILE]), False, _("The personnel file has not been reviewed."))
    lines = difference_lines(review.differences)
    state = _("Reviewed on %(day)s") % {"day": review.reviewed_on.isoformat()}
    if lines:
        state += _(": %(n)d differences (%(lines)s), settled: %(handling)s") % {"n": len(lines), "lines": "；".join(lines), "handling": review.handling}
    else:
        state += _(": no difference from the registry")
    return FourCheck(FILE, str(LABELS[FILE]), True, state)


def _matters(candidate) -> FourCheck:
    label = str(LABELS[MATTERS])
    if not hooks.has_personal_matters_checks():
        return FourCheck(MATTERS, label, False, _("No personal-matters check is available in this installation."))
    state = hooks.targeted_check_state(candidate.cadre)
    if state is None:
        return FourCheck(MATTERS, label, False, _("No targeted check (重点查核) of the personal-matters report has been requested."))
    if not state.concluded:
        return FourCheck(MATTERS, label, False, _("The targeted check opened on %(day)s awaits its result.") % {"day": state.opened_on.isoformat()})
    if state.concealment or state.disqualifying:
        what = _("concealment found (隐瞒不报, 处理办法 art. 4)") if state.concealment else _("the handling bars the promotion")
        return FourCheck(
            MATTERS,
            label,
            False,
            _("The targeted check concluded on %(day)s: %(what)s; handling: %(handling)s.")
            % {"day": state.concluded_on.isoformat(), "what": what, "handling": state.handling},
        )
    day = state.concluded_on.isoformat()
    if state.omission:
        text = _("The targeted check concluded on %(day)s: omissions found (漏报, 处理办法 art. 3); handling: %(handling)s.") % {
            "day": day,
            "handling": state.handling,
        }
    else:
        text = _("The targeted check concluded on %(day)s: consistent with the report.") % {"day": day}
    return FourCheck(MATTERS, label, True, text)


def _discipline(candidate) -> FourCheck:
    label = str(LABELS[DISCIPLINE])
    requests = [v for v in candidate.vetting.all() if v.department.kind == Unit.Kind.DISCIPLINE]
    if not requests:
        return FourCheck(DISCIPLINE, label, False, _("No vetting request was sent to the discipline inspection commission."))
    for request in requests:
        if not request.result:
            return FourCheck(DISCIPLINE, label, False, _("%(department)s has not replied yet.") % {"department": request.department.name})
        if request.open_problem:
            return FourCheck(DISCIPLINE, label, False, _("%(department)s reported a problem that is not resolved.") % {"department": request.department.name})
    last = requests[-1]
    return FourCheck(
        DISCIPLINE,
        label,
        True,
        _("%(department)s replied on %(day)s: %(result)s.")
        % {"department": last.department.name, "day": last.replied_on.isoformat(), "result": last.get_result_display()},
    )


def _clues(candidate) -> FourCheck:
    label = str(LABELS[CLUES])
    n = open_clue_count(candidate.cadre)
    if n:
        return FourCheck(CLUES, label, False, _("%(n)d clues about the candidate are still open (not yet closed or verified).") % {"n": n})
    return FourCheck(CLUES, label, True, _("No clue about the candidate is open."))


def four_checks(candidate) -> list[FourCheck]:
    return [_file(candidate), _matters(candidate), _discipline(candidate), _clues(candidate)]


def gate_problems(candidate) -> list[str]:
    """Each missing check, named, with what is missing (empty: the candidate may go to the decision)."""
    return [f"{c.label}：{c.state}" for c in four_checks(candidate) if not c.done]
