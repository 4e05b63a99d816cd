"""Selection supervision's share of the cadre's dossier (core.timeline): the selection cases that
listed the cadre as an inspection subject (考察对象) with the committee's outcome and the
probation review, the pre-appointment vetting replies (任前预审) about the cadre, the cadre's own
statements as a member of a deciding committee, and the yearly survey (一报告两评议) that rated the
cadre as newly appointed.

Scope is this app's (queries): cases and the statements made in them for `selection.view` on the
case's unit; vetting requests for the organisation department that sees the case and for the
officers of the department the request was addressed to — the reply's result and department,
never its details (they stay on the request's page, which opens for the same people). The
survey's entry names the survey, not its figures (they are on the survey's page). The cadre in
self service sees none of it: the record of a selection is the organisation department's
(2019 条例 art. 67 "一人一表, 一事一记" is kept by it, not served on the candidate)."""

from django.db.models import DateTimeField
from django.db.models.functions import Cast, Coalesce, TruncDate
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiandu.core import timeline
from jiandu.core.timeline import SENSITIVE, Source, TimelineEntry, label_of, register_sources

from . import queries, survey_queries
from .models import Candidate, DecisionStatement, VettingRequest
from .survey_models import SurveyAppointee


class _DayStart(Cast):
    """The start of a day (UTC) as the fact's recording time: the reply and the decision carry a
    date only. On SQLite written as Django writes datetimes (no fraction), so that it compares
    with the dossier's "older entries" cursor."""

    def __init__(self, expression):
        super().__init__(expression, DateTimeField())

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"datetime({sql})", params


def _day_start(field):
    return _DayStart(field)


def sources(viewer, cadre) -> list[Source]:
    cases = queries.cases_visible_to(viewer)

    def candidate(row) -> TimelineEntry:
        summary = [_("proposed post: %(post)s") % {"post": f"{row['unit']} {row['post']}"}]
        if row["outcome"]:
            summary.append(_("decision: %(outcome)s") % {"outcome": queries.outcome_label(row["outcome"])})
        if row["exceptional"]:
            summary.append(_("exceptional promotion (破格)"))
        if row["probation"]:
            summary.append(label_of(Candidate, "probation_result", row["probation"]))
        return TimelineEntry(
            date=row.date,
            kind=_("Inspection subject"),
            pillar="selection",
            title=row["case"],
            summary="；".join(str(part) for part in summary),
            url=reverse("selection:case", args=[row["case_id"]]),
            key=f"candidate:{row.pk}",
            recorded_at=row.recorded_at,
        )

    def vetting(row) -> TimelineEntry:
        if row["result"]:
            summary = _("%(department)s: %(result)s") % {"department": row["department"], "result": label_of(VettingRequest, "result", row["result"])}
            if row["result"] in (VettingRequest.Result.PROBLEM, VettingRequest.Result.VERIFY) and not row["resolution"]:  # VettingRequest.open_problem
                summary += "；" + _("not yet resolved")
        else:
            summary = _("%(department)s: no reply yet, due by %(day)s") % {"department": row["department"], "day": row["due"]}
        return TimelineEntry(
            date=row.date,
            kind=_("Vetting reply") if row["result"] else _("Vetting request"),
            pillar="selection",
            title=row["case"],
            summary=summary,
            url=reverse("selection:vetting", args=[row.pk]),
            sensitivity=SENSITIVE,
            key=f"vetting:{row.pk}",
            recorded_at=row.recorded_at,
        )

    def statement(row) -> TimelineEntry:
        return TimelineEntry(
            date=row.date,
            kind=_("Statement in a selection decision"),
            pillar="selection",
            title=f"{row['body']}：{row['case']}",
            summary=_("on %(candidate)s: %(stance)s (speaking order %(order)s)")
            % {"candidate": row["candidate"], "stance": label_of(DecisionStatement, "stance", row["stance"]), "order": row["order"]},
            url=reverse("selection:case", args=[row["case_id"]]),
            sensitivity=SENSITIVE,
            key=f"statement:{row.pk}",
            recorded_at=row.recorded_at,
        )

    def survey(row) -> TimelineEntry:
        state = _("closed") if row["closed"] else _("open")
        return TimelineEntry(
            date=row.date,
            kind=_("Selection survey"),
            pillar="selection",
            title=row["title"],
            summary=_("rated as newly appointed (%(post)s, appointed on %(day)s); survey %(state)s")
            % {"post": row["post"], "day": row["started"], "state": state},
            url=reverse("selection:survey", args=[row["survey"]]),
            key=f"survey:{row.pk}",
            recorded_at=row.recorded_at,
        )

    vetting_day = Coalesce("replied_on", "sent_on")
    return [
        Source(
            "selection.candidate",
            candidate,
            Candidate.objects.filter(cadre_id=cadre.pk, case__in=cases),
            date="listed_on",
            recorded="case__created_at",
            payload={
                "unit": "position__unit__name",
                "post": "position__title",
                "outcome": "outcome",
                "exceptional": "exceptional",
                "probation": "probation_result",
                "case": "case__title",
                "case_id": "case_id",
            },
        ),
        Source(
            "selection.vetting",
            vetting,
            queries.vetting_requests_visible_to(viewer).filter(candidate__cadre_id=cadre.pk),
            date=vetting_day,
            recorded=_day_start(vetting_day),
            payload={
                "result": "result",
                "resolution": "resolution",
                "department": "department__name",
                "due": "due_on",
                "case": "candidate__case__title",
            },
        ),
        Source(
            "selection.statement",
            statement,
            DecisionStatement.objects.filter(cadre_id=cadre.pk, decision__case__in=cases),
            date="decision__held_on",
            recorded=_day_start("decision__held_on"),
            payload={
                "body": "decision__body__name",
                "case": "decision__case__title",
                "case_id": "decision__case_id",
                "candidate": "candidate__cadre__name",
                "stance": "stance",
                "order": "order",
            },
        ),
        Source(
            "selection.survey",
            survey,
            SurveyAppointee.objects.filter(cadre_id=cadre.pk, survey__in=survey_queries.surveys_visible_to(viewer)),
            date=TruncDate(Coalesce("survey__closed_at", "survey__created_at")),
            recorded="survey__created_at",
            payload={"title": "survey__title", "closed": "survey__closed_at", "post": "post", "started": "started_on", "survey": "survey_id"},
        ),
    ]


def entries(viewer, cadre, *, since=None, year=None) -> list[TimelineEntry]:
    return timeline.entries(viewer, cadre, sources(viewer, cadre))


register_sources("selection", sources, label=gettext_lazy("Selection supervision"), order=45)
