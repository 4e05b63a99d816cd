"""Reads of selection cases, scoped by access.py.

Cases: `selection.view` on the case's unit. Vetting requests: a vetting department's officers see
only the requests addressed to their department — through a `selection.vet` role held on that
department's unit (a district-wide role names no department and shows none); the organisation
department sees every request of the cases it sees."""

import datetime as dt

from django.db.models import Q
from django.utils.translation import gettext as _

from jiandu.accounts import access
from jiandu.accounts.access import ROLE_PERMISSIONS
from jiandu.decisions import verdict

from .models import Candidate, Reconsideration, SelectionCase, Stage, VettingRequest


def cases_visible_to(user):
    if not getattr(user, "is_authenticated", False):
        return SelectionCase.objects.none()
    return SelectionCase.objects.filter(access.scope_q(user, "selection.view", "unit__path")).select_related("unit")


def get_case_for(user, pk) -> SelectionCase:
    case = cases_visible_to(user).filter(pk=pk).first()
    if case is None:
        raise access.NotVisible()
    return case


def get_candidate_for(user, pk) -> Candidate:
    candidate = Candidate.objects.filter(case__in=cases_visible_to(user), pk=pk).select_related("case", "cadre", "position__unit").first()
    if candidate is None:
        raise access.NotVisible()
    return candidate


def department_paths(user) -> list[tuple[str, bool]]:
    """(unit path, with the units below) of each department role carrying selection.vet."""
    return [(a.unit_path, a.include_descendants) for a in access.assignments(user) if a.unit_path and "selection.vet" in ROLE_PERMISSIONS.get(a.role, ())]


def vetting_requests_for_department(user):
    q = Q(pk__in=[])
    for path, below in department_paths(user):
        q |= Q(department__path__startswith=path) if below else Q(department__path=path)
    return VettingRequest.objects.filter(q).select_related("candidate__cadre", "candidate__position__unit", "candidate__case", "department")


def vetting_requests_visible_to(user):
    q = Q(pk__in=vetting_requests_for_department(user).values("pk")) | Q(candidate__case__in=cases_visible_to(user))
    return VettingRequest.objects.filter(q).select_related("candidate__cadre", "candidate__position__unit", "candidate__case", "department")


def get_vetting_request_for(user, pk) -> VettingRequest:
    request = vetting_requests_visible_to(user).filter(pk=pk).first()
    if request is None:
        raise access.NotVisible()
    return request


def overdue(requests, today: dt.date | None = None):
    return requests.filter(result="", due_on__lt=today or dt.date.today())


def vetting_problems(case) -> list[str]:
    """Why inspection cannot start yet: a candidate without requests, a missing reply, an
    unresolved problem — unless the head recorded an override for that candidate."""
    problems = []
    for candidate in case.candidates.select_related("cadre").prefetch_related("vetting__department"):
        if candidate.vetting_override:
            continue
        requests = list(candidate.vetting.all())
        if not requests:
            problems.append(_("no vetting request was sent for %(name)s") % {"name": candidate.cadre.name})
        for request in requests:
            if not request.result:
                problems.append(_("%(department)s has not replied on %(name)s") % {"department": request.department.name, "name": candidate.cadre.name})
            elif request.open_problem:
                problems.append(
                    _("%(department)s reported an unresolved problem on %(name)s") % {"department": request.department.name, "name": candidate.cadre.name}
                )
    return problems


def outcome_label(outcome: str) -> str:
    from django.utils.translation import gettext

    labels = {verdict.VOID: gettext("void"), verdict.PASSED: gettext("passed"), verdict.FAILED: gettext("not passed")}
    return labels.get(outcome, "")


def candidate_verdict(candidate) -> verdict.Verdict | None:
    """The verdict recomputed from the stored rows (the arithmetic shown), or None before the decision."""
    decision = getattr(candidate.case, "decision", None)
    if decision is None:
        return None
    members = list(decision.members.all())
    again = Reconsideration.objects.filter(candidate=candidate).first()
    if again is not None:  # 复议: the reconsideration's statements replace the first decision's
        return verdict.compute(
            total=len(members),
            present=len(again.present),
            category=verdict.APPOINTMENT,
            statements=[verdict.Statement(member, stance) for member, stance in again.statements],
            principal=decision.principal_id,
        )
    statements = [verdict.Statement(s.cadre_id, s.stance) for s in candidate.statements.order_by("order")]
    return verdict.compute(
        total=len(members), present=sum(1 for m in members if m.present), category=verdict.APPOINTMENT, statements=statements, principal=decision.principal_id
    )


def stage_rows(case) -> list[dict]:
    records = {r.stage: r for r in case.stages.all()}
    return [{"stage": stage, "label": label, "record": records.get(stage)} for stage, label in Stage.choices]
