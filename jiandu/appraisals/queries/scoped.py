"""Appraisal reads scoped by access.py (not visible = 404), and the reads other apps make after checking their own access."""

from django.db.models import QuerySet

from jiandu.accounts import access

from ..models import AdmonishmentProposal, AppraisalCycle, AssessedCadre, AssessedUnit, DisqualifyingEvent, ResultUse

# --- scoped reads -------------------------------------------------------------------------------


def cycles_visible_to(user, perm: str = "appraisals.view") -> QuerySet[AppraisalCycle]:
    return AppraisalCycle.objects.filter(access.scope_q(user, perm, "unit__path")).select_related("unit")


def get_cycle_for(user, pk, perm: str = "appraisals.view") -> AppraisalCycle:
    cycle = cycles_visible_to(user, perm).filter(pk=pk).first() if str(pk).isdigit() else None
    if cycle is None:
        raise access.NotVisible()
    return cycle


def get_assessed_unit_for(user, pk, perm: str = "appraisals.view") -> AssessedUnit:
    row = (
        AssessedUnit.objects.filter(access.scope_q(user, perm, "cycle__unit__path"), pk=pk).select_related("cycle", "unit").first()
        if str(pk).isdigit()
        else None
    )
    if row is None:
        raise access.NotVisible()
    return row


def get_assessed_cadre_for(user, pk, perm: str = "appraisals.view") -> AssessedCadre:
    row = (
        AssessedCadre.objects.filter(access.scope_q(user, perm, "cycle__unit__path"), pk=pk).select_related("cycle", "assessed_unit", "cadre").first()
        if str(pk).isdigit()
        else None
    )
    if row is None:
        raise access.NotVisible()
    return row


def unit_results_visible_to(user) -> QuerySet[AssessedUnit]:
    """A unit leader's own results: the assessed units within his scope, once their grades are
    confirmed (proposed grades are not results yet), newest first, with their cadres."""
    confirmed = (AppraisalCycle.Status.GRADES_CONFIRMED, AppraisalCycle.Status.RESULTS_USED)
    return (
        AssessedUnit.objects.filter(access.scope_q(user, "appraisals.view_unit_results", "unit__path"), cycle__status__in=confirmed)
        .select_related("cycle", "unit")
        .prefetch_related("cadres")
        .order_by("-cycle__year", "unit__path", "pk")
    )


def events_visible_to(user, perm: str = "appraisals.view") -> QuerySet[DisqualifyingEvent]:
    return DisqualifyingEvent.objects.filter(access.scope_q(user, perm, "cadre__unit__path")).select_related("cadre__unit")


def get_event_for(user, pk, perm: str = "appraisals.view") -> DisqualifyingEvent:
    event = events_visible_to(user, perm).filter(pk=pk).first() if str(pk).isdigit() else None
    if event is None:
        raise access.NotVisible()
    return event


def proposals_visible_to(user, perm: str = "appraisals.view") -> QuerySet[AdmonishmentProposal]:
    return AdmonishmentProposal.objects.filter(access.scope_q(user, perm, "cycle__unit__path")).select_related("cycle", "cadre", "assessed_cadre")


def get_proposal_for(user, pk, perm: str = "appraisals.view") -> AdmonishmentProposal:
    proposal = proposals_visible_to(user, perm).filter(pk=pk).first() if str(pk).isdigit() else None
    if proposal is None:
        raise access.NotVisible()
    return proposal


def uses_visible_to(user, perm: str = "appraisals.view") -> QuerySet[ResultUse]:
    return ResultUse.objects.filter(access.scope_q(user, perm, "cycle__unit__path")).select_related("cycle", "cadre")


# --- for other apps (they check their own access) ----------------------------------------------


def pending_proposals() -> QuerySet[AdmonishmentProposal]:
    """Yellow-card proposals nobody has confirmed or dismissed yet, oldest first (for the
    organisation department here, and for daily supervision once it consumes them)."""
    return AdmonishmentProposal.objects.filter(status=AdmonishmentProposal.Status.PENDING).select_related("cycle", "cadre").order_by("created_at", "id")


def get_proposal(pk) -> AdmonishmentProposal | None:
    return AdmonishmentProposal.objects.filter(pk=pk).select_related("cycle", "cadre").first() if str(pk).isdigit() else None


def cadre_appraisals(cadre) -> QuerySet[AssessedCadre]:
    """A cadre's appraisals, newest first (for the dossier)."""
    return AssessedCadre.objects.filter(cadre=cadre).select_related("cycle").order_by("-cycle__year", "-cycle_id")


def previous_confirmed_grade(cadre, year: int) -> str:
    """The cadre's confirmed annual grade of `year` ("" when there is none)."""
    row = (
        AssessedCadre.objects.filter(
            cadre=cadre,
            cycle__year=year,
            cycle__kind=AppraisalCycle.Kind.ANNUAL,
            cycle__status__in=[AppraisalCycle.Status.GRADES_CONFIRMED, AppraisalCycle.Status.RESULTS_USED],
        )
        .exclude(grade="")
        .order_by("-cycle_id")
        .first()
    )
    return row.grade if row else ""
