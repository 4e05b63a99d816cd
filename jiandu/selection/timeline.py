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

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiandu.core.timeline import SENSITIVE, TimelineEntry, register_provider

from . import queries, survey_queries
from .models import Candidate, DecisionStatement
from .survey_models import SurveyAppointee


def _day_start(day):
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def entries(viewer, cadre, *, since=None, year=None) -> list[TimelineEntry]:
    rows = []
    cases = queries.cases_visible_to(viewer)
    candidates = Candidate.objects.filter(cadre_id=cadre.pk, case__in=cases).select_related("case", "position__unit").order_by("listed_on", "id")
    for candidate in candidates:
        summary = [_("proposed post: %(post)s") % {"post": f"{candidate.position.unit.name} {candidate.position.title}"}]
        if candidate.outcome:
            summary.append(_("decision: %(outcome)s") % {"outcome": queries.outcome_label(candidate.outcome)})
        if candidate.exceptional:
            summary.append(_("exceptional promotion (破格)"))
        if candidate.probation_result:
            summary.append(candidate.get_probation_result_display())
        rows.append(
            TimelineEntry(
                date=candidate.listed_on,
                kind=_("Inspection subject"),
                pillar="selection",
                title=candidate.case.title,
                summary="；".join(str(part) for part in summary),
                url=reverse("selection:case", args=[candidate.case_id]),
                key=f"candidate:{candidate.pk}",
                recorded_at=candidate.case.created_at,
            )
        )
    vetting = queries.vetting_requests_visible_to(viewer).filter(candidate__cadre_id=cadre.pk).order_by("sent_on", "id")
    for request in vetting:
        if request.result:
            summary = _("%(department)s: %(result)s") % {"department": request.department.name, "result": request.get_result_display()}
            if request.open_problem:
                summary += "；" + _("not yet resolved")
        else:
            summary = _("%(department)s: no reply yet, due by %(day)s") % {"department": request.department.name, "day": request.due_on.isoformat()}
        day = request.replied_on or request.sent_on
        rows.append(
            TimelineEntry(
                date=day,
                kind=_("Vetting reply") if request.result else _("Vetting request"),
                pillar="selection",
                title=request.candidate.case.title,
                summary=summary,
                url=reverse("selection:vetting", args=[request.pk]),
                sensitivity=SENSITIVE,
                key=f"vetting:{request.pk}",
                recorded_at=_day_start(day),
            )
        )
    statements = (
        DecisionStatement.objects.filter(cadre_id=cadre.pk, decision__case__in=cases)
        .select_related("decision__case", "decision__body", "candidate__cadre")
        .order_by("decision__held_on", "id")
    )
    for statement in statements:
        decision = statement.decision
        rows.append(
            TimelineEntry(
                date=decision.held_on,
                kind=_("Statement in a selection decision"),
                pillar="selection",
                title=f"{decision.body.name}：{decision.case.title}",
                summary=_("on %(candidate)s: %(stance)s (speaking order %(order)s)")
                % {"candidate": statement.candidate.cadre.name, "stance": statement.get_stance_display(), "order": statement.order},
                url=reverse("selection:case", args=[decision.case_id]),
                sensitivity=SENSITIVE,
                key=f"statement:{statement.pk}",
                recorded_at=_day_start(decision.held_on),
            )
        )
    appointees = SurveyAppointee.objects.filter(cadre_id=cadre.pk, survey__in=survey_queries.surveys_visible_to(viewer)).select_related("survey")
    for appointee in appointees.order_by("survey__created_at", "id"):
        survey = appointee.survey
        state = _("closed") if survey.closed_at else _("open")
        rows.append(
            TimelineEntry(
                date=timezone.localdate(survey.closed_at or survey.created_at),
                kind=_("Selection survey"),
                pillar="selection",
                title=survey.title,
                summary=_("rated as newly appointed (%(post)s, appointed on %(day)s); survey %(state)s")
                % {"post": appointee.post, "day": appointee.started_on.isoformat(), "state": state},
                url=reverse("selection:survey", args=[survey.pk]),
                key=f"survey:{appointee.pk}",
                recorded_at=survey.created_at,
            )
        )
    return rows


register_provider("selection", entries, label=gettext_lazy("Selection supervision"), order=45)
