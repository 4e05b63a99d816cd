"""一报告两评议 (issue #15 §7): open the yearly survey, close it, and record the organisation
department's explanation and action for a low-rated appointee.

The two evaluations are one ballot created and opened through the ballot engine exactly as
appraisals' democratic evaluation does it (`ballots.actions.create_ballot` → `open_ballot`; codes,
paper entry, closing and results stay the ballot engine's): section 1 rates the year's selection
work and the work against malpractice in appointments on the preset scale "satisfaction"
(满意/基本满意/不满意/不了解), section 2 each cadre newly appointed in the year on "agreement"
(认同/基本认同/不认同/不了解). The participant categories are the ballot's voter groups, with the
counts the officer enters."""

from fractions import Fraction

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from jiandu.accounts import access
from jiandu.ballots import actions as ballot_actions
from jiandu.ballots import queries as ballot_queries
from jiandu.ballots.models import Ballot
from jiandu.core import journal
from jiandu.core import uploads as core_uploads
from jiandu.core.errors import ActionError
from jiandu.core.practice import get_setting
from jiandu.registry.models import Tenure

from .models import Candidate
from .survey_models import SURVEY_CATEGORIES, SelectionSurvey, SurveyAppointee

MAX_PARTICIPANTS = 100_000
REPORT_LIMIT_MB = 20
MAX_APPOINTEES = 400
WORK_SUBJECTS = (("work", "年度选人用人工作"), ("malpractice", "整治用人上不正之风工作"))


def _no_nul(value: str, field: str) -> str:
    value = (value or "").strip()
    if "\x00" in value:
        raise ActionError(_("The text contains a NUL character, which cannot be stored; remove it and try again."), field=field)
    return value


def check_report(upload) -> tuple[str, bytes]:
    """The standing committee's report: PDF or DOCX, recognised by content, size checked before
    it is read, a DOCX package checked for its structure (core.uploads). Returns (kind, bytes)."""
    if upload is None:
        raise ActionError(_("Upload the standing committee's report (PDF or DOCX)."), field="report")
    limit = REPORT_LIMIT_MB * 1024 * 1024
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise ActionError(_("The file is larger than %(n)d MB.") % {"n": REPORT_LIMIT_MB}, field="report")
    upload.seek(0)
    data = upload.read(limit + 1)
    upload.seek(0)
    if len(data) > limit:
        raise ActionError(_("The file is larger than %(n)d MB.") % {"n": REPORT_LIMIT_MB}, field="report")
    name = (getattr(upload, "name", "") or "").lower()
    if data.startswith(core_uploads.PDF_MAGIC) and name.endswith(".pdf"):
        return "pdf", data
    if data.startswith(b"PK\x03\x04") and name.endswith(".docx"):
        problem = core_uploads.attachment_problem("docx", data)
        if problem:
            raise ActionError(problem, field="report")
        return "docx", data
    raise ActionError(_("The report must be a PDF or DOCX file whose name matches its content."), field="report")


def _headcounts(values: dict) -> dict[str, int]:
    counts = {}
    for code, name in SURVEY_CATEGORIES:
        value = values.get(code, 0)
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value.strip())
        if value in (None, ""):
            value = 0
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_PARTICIPANTS:
            raise ActionError(
                _("%(category)s: enter the number of participants (0 to %(n)d).") % {"category": name, "n": MAX_PARTICIPANTS}, field=f"count_{code}"
            )
        counts[code] = value
    if not any(counts.values()):
        raise ActionError(_("Enter the number of participants of at least one category."), field="count_committee")
    return counts


def newly_appointed(unit, year: int) -> list[dict]:
    """Cadres newly appointed in `year` under `unit`: appointments of selection cases (the
    candidate's tenure) in a post under `unit` or decided by a body of `unit` (the district
    committee's standing committee appoints in the government's departments too), then registry
    tenures begun that year by a cadre whose previous tenure ended that year by promotion
    (EndReason.PROMOTION). One row per cadre, earliest first."""
    rows: dict[int, dict] = {}
    candidates = (
        Candidate.objects.filter(tenure__isnull=False, tenure__started_on__year=year)
        .filter(Q(tenure__position__unit__path__startswith=unit.path) | Q(case__decision__body__unit=unit))
        .select_related("cadre", "tenure__position__unit")
        .order_by("tenure__started_on", "id")
    )
    for c in candidates:
        rows.setdefault(c.cadre_id, {"cadre": c.cadre, "post": f"{c.tenure.position.unit.name}{c.tenure.position.title}", "started_on": c.tenure.started_on})
    promoted = Tenure.objects.filter(end_reason=Tenure.EndReason.PROMOTION, ended_on__year=year).values("cadre_id")
    tenures = (
        Tenure.objects.filter(started_on__year=year, cadre_id__in=promoted, position__unit__path__startswith=unit.path)
        .select_related("cadre", "position__unit")
        .order_by("started_on", "id")
    )
    for t in tenures:
        rows.setdefault(t.cadre_id, {"cadre": t.cadre, "post": f"{t.position.unit.name}{t.position.title}", "started_on": t.started_on})
    return sorted(rows.values(), key=lambda r: (r["started_on"], r["cadre"].pk))[:MAX_APPOINTEES]


def survey_spec(title: str, counts: dict[str, int], appointees: list[dict]) -> dict:
    question = {"code": "overall", "label": "评价", "overall": True}
    sections = [
        {
            "title": "选人用人工作",
            "questions": [{**question, "scale": "satisfaction"}],
            "subjects": [{"key": key, "kind": "team", "label": label} for key, label in WORK_SUBJECTS],
            "rate_places": int(get_setting("selection.survey_work_places")),
        }
    ]
    if appointees:
        sections.append(
            {
                "title": "新选拔任用干部",
                "questions": [{**question, "scale": "agreement"}],
                "subjects": [
                    {
                        "key": f"c{row['cadre'].pk}",
                        "kind": "cadre",
                        "label": row["cadre"].name,
                        "note": row["post"][:200],
                        "ref": {"app": "registry", "model": "cadre", "pk": row["cadre"].pk},
                    }
                    for row in appointees
                ],
                "rate_places": int(get_setting("selection.survey_appointee_places")),
            }
        )
    # Places and rounding are fixed in the ballot when the survey opens, so that a later change of
    # the settings does not alter figures already reported.
    rounding = str(get_setting("rates.rounding_mode"))
    for section in sections:
        section["rate_rounding"] = rounding
    return {
        "title": title,
        "description": "请对本年度选人用人工作、整治用人上不正之风工作和新选拔任用干部逐项作出评价，每项只选一个；“不了解”不计入有效票。",
        "sections": sections,
        "groups": [{"code": code, "name": name, "weight": "1", "headcount": counts[code]} for code, name in SURVEY_CATEGORIES if counts[code]],
    }


def create_survey(*, actor, unit, year, headcounts: dict, report, title: str = "") -> SelectionSurvey:
    """Open the year's survey of `unit`: checks the report first (nothing stored when refused),
    lists the newly appointed cadres, creates and opens the ballot. Needs selection.manage and
    ballots.manage on the unit."""
    access.require(actor, "selection.manage", unit.path)
    if isinstance(year, str) and year.strip().isdigit():
        year = int(year)
    this_year = timezone.localdate().year
    if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= this_year:
        raise ActionError(_("Enter a year from 2000 to %(year)d.") % {"year": this_year}, field="year")
    title = _no_nul(title, "title")
    if len(title) > 200:
        raise ActionError(_("The title is longer than %(n)d characters.") % {"n": 200}, field="title")
    title = title or f"{year}年度{unit.name}选人用人工作“一报告两评议”"[:200]
    counts = _headcounts(headcounts or {})
    _kind, data = check_report(report)
    if SelectionSurvey.objects.filter(unit=unit, year=year).exists():
        raise ActionError(_("The survey of %(year)d for this unit exists already.") % {"year": year}, field="year")
    appointees = newly_appointed(unit, year)
    report_name = _no_nul((getattr(report, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1], "report")[-200:]
    try:
        with transaction.atomic():
            ballot = ballot_actions.create_ballot(actor=actor, unit=unit, spec=survey_spec(title, counts, appointees))
            ballot = ballot_actions.open_ballot(actor=actor, ballot=ballot)
            survey = SelectionSurvey.objects.create(
                unit=unit, year=year, title=title, ballot_id=ballot.pk, headcounts=counts, report_name=report_name, created_by=actor
            )
            for row in appointees:
                subject = ballot_queries.subjects_referring_to("registry", "cadre", row["cadre"].pk).filter(ballot_id=ballot.pk).first()
                SurveyAppointee.objects.create(survey=survey, cadre=row["cadre"], post=row["post"][:200], started_on=row["started_on"], subject_id=subject.pk)
            survey.report_file.save(f"{year}-{survey.pk}.{_kind}", ContentFile(data), save=True)
            journal.record(
                "selection.survey.created",
                actor=actor,
                target=survey,
                unit=unit,
                data={"year": year, "title": title, "participants": counts, "appointees": len(appointees), "ballot": ballot.pk},
            )
    except IntegrityError:
        raise ActionError(_("The survey of %(year)d for this unit exists already.") % {"year": year}, field="year")
    return survey


def _lock(survey: SelectionSurvey) -> SelectionSurvey:
    return SelectionSurvey.objects.select_for_update().select_related("unit").get(pk=survey.pk)


def close_survey(*, actor, survey: SelectionSurvey) -> SelectionSurvey:
    """Close the survey's ballot (if still open) so that its results are counted and shown."""
    with transaction.atomic():
        survey = _lock(survey)
        access.require(actor, "selection.manage", survey.unit.path)
        if survey.closed_at:
            raise ActionError(_("The survey is closed already."))
        ballot = Ballot.objects.get(pk=survey.ballot_id)
        if ballot.is_open:
            ballot = ballot_actions.close_ballot(actor=actor, ballot=ballot)
        elif not ballot.is_closed:
            raise ActionError(_("The survey's ballot has not been opened."))
        survey.closed_at = timezone.now()
        survey.save(update_fields=["closed_at"])
        journal.record("selection.survey.closed", actor=actor, target=survey, unit=survey.unit, data={"year": survey.year, "ballots": ballot.pk})
    return survey


def low_share() -> Fraction:
    try:
        value = Fraction(str(get_setting("selection.survey_low_share")).strip())
    except (ValueError, ZeroDivisionError):
        raise ActionError(_("The setting of the share of 不认同 is not a fraction; ask the administrator to correct it."))
    return value


def record_appointee_note(*, actor, appointee: SurveyAppointee, explanation: str, measures: str) -> SurveyAppointee:
    """The organisation department's explanation and action for a low-rated appointee."""
    from .survey_queries import survey_results

    explanation = _no_nul(explanation, "explanation")
    measures = _no_nul(measures, "measures")
    if not explanation:
        raise ActionError(_("Write the explanation."), field="explanation")
    if not measures:
        raise ActionError(_("Write the action taken."), field="measures")
    with transaction.atomic():
        survey = _lock(appointee.survey)
        access.require(actor, "selection.manage", survey.unit.path)
        appointee = SurveyAppointee.objects.select_for_update().select_related("cadre").get(pk=appointee.pk)
        results = survey_results(survey)
        row = next((r for r in results.appointees if r.appointee.pk == appointee.pk), None) if results else None
        if row is None or not row.low:
            raise ActionError(_("Only a newly appointed cadre rated low in a closed survey needs an explanation."))
        appointee.explanation = explanation
        appointee.measures = measures
        appointee.noted_by = actor
        appointee.noted_at = timezone.now()
        appointee.save(update_fields=["explanation", "measures", "noted_by", "noted_at"])
        journal.record(
            "selection.survey.appointee_noted",
            actor=actor,
            target=appointee,
            unit=survey.unit,
            cadre=appointee.cadre_id,
            data={"year": survey.year, "figures": row.figures, "explanation": explanation[:500], "measures": measures[:500]},
        )
    return appointee
